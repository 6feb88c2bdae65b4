"""The review database survives a writer killed with SIGKILL in the middle of its writes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app.review import ReviewStore
from tests.test_review import make_match

WRITER = """
import sys
from pathlib import Path
from app.review import ReviewStore
from tests.test_review import make_match
store = ReviewStore(Path(sys.argv[1]))
index = 0
while True:
    creator_id = f"k{index}"
    store.move("Brand", make_match(creator_id), "shortlisted")
    store.add_note("Brand", creator_id, "x" * 2000)
    store.move("Brand", creator_id, "contacted")
    index += 1
"""


def test_kill_during_writes_leaves_a_consistent_database(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite3"
    ReviewStore(path).move("Brand", make_match("before"), "agreed")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        cwd=Path(__file__).resolve().parent.parent,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with sqlite3.connect(path, timeout=5) as conn:
            if conn.execute("select count(*) from pipeline").fetchone()[0] > 30:
                break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = ReviewStore(path)
    entries = {e.creator_id: e for e in store.entries("Brand")}
    assert entries["before"].stage == "agreed"
    assert len(entries) > 30
    # every write is whole: a creator is at most one step behind, never half-written
    for creator_id, entry in entries.items():
        if creator_id != "before":
            assert entry.stage in ("shortlisted", "contacted")
            assert all(note.text == "x" * 2000 for note in entry.notes)
    store.move("Brand", "before", "declined")  # the database still takes writes
    assert store.entry("Brand", "before").stage == "declined"
