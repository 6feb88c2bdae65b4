"""The review store: stages, notes, drafts, brand profiles, rejection, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from app.errors import InputError, NotFoundError
from app.models import BrandProfile, Match
from app.pipeline import SHORTLIST_STAGES, STAGES
from app.review import ReviewStore


def make_match(creator_id: str, handle: str | None = None, **extra: object) -> Match:
    """A small valid match for tests."""
    fields: dict[str, object] = {
        "creator_id": creator_id,
        "handle": handle or f"@{creator_id}",
        "platform": "tiktok",
        "followers": 12_000,
        "tier": "micro",
        "engagement_rate": 4.2,
        "score": 0.5,
        "reasons": ["close posts"],
        "evidence": [{"post_id": "p1", "text": "a post"}],
    }
    fields.update(extra)
    return Match.model_validate(fields)


@pytest.fixture
def review(tmp_path: Path) -> ReviewStore:
    return ReviewStore(tmp_path / "review.sqlite3")


def test_database_runs_in_wal_mode(review: ReviewStore) -> None:
    with sqlite3.connect(review.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_brand_profiles_are_saved_and_reloaded_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    profile = BrandProfile(
        name="Oat Bar Co", product="oat bar", values=["vegan"], budget_usd=5000, competitors=["X"]
    )
    ReviewStore(path).save_brand(profile)
    again = ReviewStore(path)
    assert again.brand("oat bar co") == profile
    assert [b.name for b in again.brands()] == ["Oat Bar Co"]
    ReviewStore(path).save_brand(profile.model_copy(update={"product": "oat drink"}))
    assert again.brand("Oat Bar Co").product == "oat drink"
    assert len(again.brands()) == 1
    with pytest.raises(NotFoundError, match="save it first"):
        again.brand("unknown")


def test_suggest_keeps_existing_stage_and_move_changes_it(review: ReviewStore) -> None:
    review.suggest("Brand", [make_match("a"), make_match("b")])
    assert review.counts("Brand")["suggested"] == 2
    review.move("Brand", make_match("a"), "shortlisted")
    review.suggest("brand", [make_match("a", followers=13_000)])  # same brand, other case
    entry = review.entry("Brand", "a")
    assert entry.stage == "shortlisted"
    assert entry.snapshot is not None and entry.snapshot.followers == 13_000
    review.move("Brand", "a", "contacted")
    assert review.entry("Brand", "a").stage == "contacted"
    assert [e.creator_id for e in review.shortlist("Brand")] == ["a"]
    assert set(SHORTLIST_STAGES) < set(STAGES)


def test_entries_are_in_stage_order(review: ReviewStore) -> None:
    review.move("B", make_match("x"), "agreed")
    review.move("B", make_match("y"), "shortlisted")
    review.move("B", make_match("z"), "rejected", reason="off-brand")
    assert [e.stage for e in review.entries("B")] == ["shortlisted", "agreed", "rejected"]
    assert [e.creator_id for e in review.entries("B", stages=["agreed"])] == ["x"]


def test_rejected_creators_are_per_brand_with_reason(review: ReviewStore) -> None:
    review.move("Brand A", make_match("a"), "rejected", reason="  posts alcohol  ")
    review.move("Brand B", make_match("a"), "shortlisted")
    assert review.rejected_ids("Brand A") == ["a"]
    assert review.rejected_ids("Brand B") == []
    assert review.entry("Brand A", "a").reject_reason == "posts alcohol"
    review.move("Brand A", "a", "shortlisted")  # changed their mind
    assert review.rejected_ids("Brand A") == []
    assert review.entry("Brand A", "a").reject_reason is None


def test_unknown_stage_and_unknown_creator_say_how_to_fix(review: ReviewStore) -> None:
    with pytest.raises(InputError, match="use one of: suggested, shortlisted"):
        review.move("B", make_match("a"), "maybe")
    with pytest.raises(NotFoundError, match="shortlist them"):
        review.move("B", "ghost", "contacted")
    with pytest.raises(InputError, match="brand a name"):
        review.suggest("   ", [make_match("a")])


def test_notes_and_drafts_belong_to_the_entry(review: ReviewStore) -> None:
    review.move("B", make_match("a"), "shortlisted")
    review.add_note("B", "a", "Loved the trail post")
    review.save_draft("B", "a", "email", "Hi!", post_id="p1", grounding={"ok": True})
    entry = review.entry("B", "a")
    assert [n.text for n in entry.notes] == ["Loved the trail post"]
    assert entry.drafts[0].creator_id == "a"
    assert entry.drafts[0].grounding == {"ok": True}
    assert review.drafts("B", "a")[0].post_id == "p1"
    assert review.drafts("other", "a") == []
    with pytest.raises(InputError, match="empty"):
        review.add_note("B", "a", "  ")
    with pytest.raises(NotFoundError):
        review.add_note("B", "ghost", "hello")


def test_untrusted_text_is_stored_verbatim(review: ReviewStore) -> None:
    nasty = "'); DROP TABLE pipeline; -- <script>alert(1)</script> [x](http://e.vil)"
    review.move("B", make_match("a", name=nasty), "shortlisted", reason=nasty)
    review.add_note("B", "a", nasty)
    entry = review.entry("B", "a")
    assert entry.snapshot is not None and entry.snapshot.name == nasty
    assert entry.reject_reason == nasty and entry.notes[0].text == nasty


def test_a_pipeline_started_before_naming_the_brand_moves_to_the_name(
    review: ReviewStore,
) -> None:
    review.move("My brand", make_match("a"), "shortlisted")
    review.add_note("My brand", "a", "great")
    review.save_draft("My brand", "a", "dm", "Hi")
    assert review.adopt_pipeline("My brand", "Oatfield") == 1
    entry = review.entry("Oatfield", "a")
    assert entry.stage == "shortlisted" and len(entry.notes) == 1 and len(entry.drafts) == 1
    assert review.entries("My brand") == []
    review.move("My brand", make_match("b"), "shortlisted")
    assert review.adopt_pipeline("My brand", "Oatfield") == 0  # never merged into another
    assert [e.creator_id for e in review.entries("My brand")] == ["b"]


def _writer(path: str, worker: int, rounds: int) -> None:
    store = ReviewStore(Path(path))
    for index in range(rounds):
        creator_id = f"w{worker}-{index}"
        store.move("Brand", make_match(creator_id), "shortlisted")
        store.add_note("Brand", creator_id, f"note {index}")
        store.move("Brand", creator_id, "contacted")


def test_two_processes_write_at_once_without_losing_anything(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    ReviewStore(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), n, 40)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    entries = ReviewStore(path).entries("Brand")
    assert len(entries) == 80
    assert {e.stage for e in entries} == {"contacted"}
    assert all(len(e.notes) == 1 for e in entries)
