"""An ingest killed with SIGKILL halfway is completed by rerunning it: no duplicates, no orphans."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.service import Nichematch
from app.settings import Settings
from tests.conftest import SMALL

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def make_corpus(path: Path, copies: int) -> tuple[int, int]:
    templates = [json.loads(line) for line in SMALL.read_text().splitlines()[:4]]
    creators = posts = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for t in templates:
                record = json.loads(json.dumps(t))
                record["id"] = f"{t['id']}-{n:04d}"
                record["handle"] = f"{t['handle'].lstrip('@')}{n}"
                for post in record["posts"]:
                    post["text"] = f"{post['text']} (take {n})"
                out.write(json.dumps(record) + "\n")
                creators += 1
                posts += len(record["posts"])
    return creators, posts


def stored_rows(home: Path) -> int:
    db = home / "chroma" / "chroma.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5) as con:
            return int(con.execute("select count(*) from embeddings").fetchone()[0])
    except sqlite3.Error:
        return 0


def ingest_process(path: Path, home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(path), "--home", str(home), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def test_sigkill_mid_ingest_then_rerun_completes(tmp_path):
    home = tmp_path / "home"
    corpus = tmp_path / "creators.jsonl"
    creators, posts = make_corpus(corpus, copies=50)  # 200 creators, 1,200 posts
    proc = ingest_process(corpus, home)
    deadline = time.monotonic() + 240
    while stored_rows(home) < 300 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, "ingest finished before it could be killed; grow the corpus"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    partial = stored_rows(home)
    assert 0 < partial < creators + posts

    rerun = ingest_process(corpus, home)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()[-2000:]
    summary = json.loads(out)
    assert summary["ingested"] == creators
    assert summary["embedded_texts"] < creators + posts  # what was stored is not embedded again

    service = Nichematch(Settings(home=home))
    assert service.store.count_creators() == creators
    assert service.store.count_posts() == posts
    creator_ids = {cid for cid, _bio, _meta in service.store.iter_creators()}
    post_rows = list(service.store.iter_posts())
    assert len({pid for pid, _t, _m in post_rows}) == len(post_rows) == posts
    assert {str(meta["creator_id"]) for _pid, _t, meta in post_rows} == creator_ids  # no orphans
    again = service.ingest([corpus])
    assert again.embedded_texts == 0 and again.unchanged == creators
