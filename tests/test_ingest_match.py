"""Ingest and match with the real embedded Chroma and the real bundled embedding model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.models import MatchRequest
from app.service import Nichematch
from retrieval.filters import violations
from tests.conftest import SMALL

pytestmark = pytest.mark.integration


class CountingEmbedder:
    """The real embedder, counting how many texts it embeds."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.texts = 0

    def encode(self, texts):
        self.texts += len(texts)
        return self.inner.encode(texts)


@pytest.fixture
def service(settings, embedder):
    nm = Nichematch(settings, CountingEmbedder(embedder))
    nm.ingest([SMALL])
    return nm


def test_ingest_counts_and_rejects(service):
    stats = service.stats()
    assert stats["creators"] == 5
    assert stats["posts"] == 6 * 4 + 1  # t009 keeps one of its two posts
    report = service.ingest([SMALL])
    assert report.rejected == 4
    lines = [json.loads(line) for line in report.rejects_file.read_text().splitlines()]
    rejected = {row["line"]: row["reason"] for row in lines if row["status"] == "rejected"}
    assert set(rejected) == {5, 6, 7, 8}
    assert "duplicate" in rejected[8]


def test_reingest_unchanged_embeds_nothing(service):
    before = service.embedder.texts
    report = service.ingest([SMALL])
    assert service.embedder.texts == before
    assert report.embedded_texts == 0 and report.unchanged == 5


def test_updated_creator_replaces_stale_posts(service, tmp_path):
    rows = [json.loads(line) for line in SMALL.read_text().splitlines()[:1]]
    creator = rows[0]
    creator["posts"] = creator["posts"][:2] + [
        {
            "id": "p9",
            "text": "Brand new post about a trail ultra",
            "likes": 10,
            "comments": 1,
            "posted_at": "2026-10-10T07:00:00Z",
        }
    ]
    creator["followers"] = 30000
    path = tmp_path / "update.jsonl"
    path.write_text(json.dumps(creator) + "\n")
    before = service.embedder.texts
    report = service.ingest([path])
    assert service.embedder.texts - before == 1  # only the new post; bio and old posts unchanged
    assert report.deleted_posts == 4
    assert service.stats()["posts"] == 25 - 4 + 1
    found = service.match(MatchRequest(topic="trail ultra marathon", k=1))
    assert found[0].creator_id == "t001" and found[0].followers == 30000


def test_match_ranks_the_niche_creator_first_with_evidence(service):
    found = service.match(MatchRequest(topic="plant-based vegan recipes", k=3))
    assert found[0].handle == "@plantplate"
    assert found[0].evidence and all(e.post_id.startswith("p") for e in found[0].evidence)
    assert len({m.creator_id for m in found}) == len(found)  # one row per creator
    gaming = service.match(MatchRequest(topic="retro video game speedrun", k=1))
    assert gaming[0].handle == "@pixelquest"


@pytest.mark.parametrize(
    "filters",
    [
        {"platforms": ["instagram"]},
        {"countries": ["PT"]},
        {"tiers": ["micro"]},
        {"min_followers": 20000, "max_followers": 60000},
        {"min_engagement": 4.0},
        {"max_price_usd": 300},
        {"exclude_ids": ["t002"]},
        {"platforms": ["instagram", "tiktok"], "tiers": ["micro", "nano"], "min_engagement": 3.0},
    ],
)
def test_hard_filters_are_never_violated(service, filters):
    request = MatchRequest(topic="healthy food and running", k=10, **filters)
    found = service.match(request)
    assert found, "each filter leaves at least one creator in the fixture"
    metas = service.store.get_creators([m.creator_id for m in found])
    for match in found:
        assert violations(request, metas[match.creator_id]) == []


def test_filters_that_exclude_everything_return_nothing(service):
    assert service.match(MatchRequest(topic="anything", countries=["JP"])) == []


def run_cli(*args, home):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_ingest_exit_codes_and_json(tmp_path):
    home = tmp_path / "cli-home"
    done = run_cli("ingest", str(SMALL), "--json", home=home)
    assert done.returncode == 3, done.stderr
    summary = json.loads(done.stdout)
    assert summary["ingested"] == 5 and summary["rejected"] == 4
    assert summary["rejects_file"].startswith(str(home))
    missing = run_cli("ingest", str(tmp_path / "nope.jsonl"), home=home)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    stats = json.loads(run_cli("stats", "--json", home=home).stdout)
    assert (stats["creators"], stats["posts"]) == (5, 25)
    briefs = tmp_path / "briefs.txt"
    briefs.write_text("vegan recipes\nretro games speedrun\n")
    done = run_cli("match", "--batch", str(briefs), "--json", "--k", "2", home=home)
    lists = [json.loads(line) for line in done.stdout.splitlines()]
    assert [rows[0]["handle"] for rows in lists] == ["@plantplate", "@pixelquest"]
    keys = {
        "creator_id",
        "handle",
        "platform",
        "followers",
        "tier",
        "engagement_rate",
        "score",
        "reasons",
        "evidence",
    }
    assert keys <= set(lists[0][0])


def test_a_store_embedded_by_another_backend_is_noticed(service, tmp_path):
    assert service.vectors_current() is True
    assert service.stats()["vectors_current"] is True
    embedding = service.settings.embedding.model_copy(update={"backend": "torch"})
    other = Nichematch(service.settings.model_copy(update={"embedding": embedding}))
    assert other.vectors_current() is False
    empty = Nichematch(service.settings.model_copy(update={"home": tmp_path / "empty"}))
    assert empty.vectors_current() is None
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", "--if-empty", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "NICHEMATCH_HOME": str(service.settings.home),
            "NICHEMATCH_EMBEDDING__BACKEND": "torch",
        },
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["vectors_current"] is False
    assert "embedded with another model or backend" in done.stderr
