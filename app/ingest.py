"""Ingest: read creator files, validate, embed what changed, and upsert into the store.

Re-runnable by design:
- ids are stable (creator id; ``<creator id>::<post id>`` for posts);
- every post carries a hash of (model, text), so unchanged text is never embedded again;
- every creator carries a hash of its whole record and of the settings its derived figures
  depend on; a creator whose hash is unchanged is skipped without any embedding;
- a creator's posts are written before its creator document, and posts the record no longer
  has are deleted, so an interrupted run leaves nothing that a rerun does not complete.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.errors import InputError
from app.metrics import engagement_rate, estimate_price, tier_for
from app.models import Creator, CreatorProfile
from app.records import RecordProblem, parse_record
from app.settings import Settings
from app.sources import read_records
from retrieval.embeddings import Embedder
from retrieval.niches import creator_niches, default_catalog
from retrieval.store import CreatorStore, Metadata

BATCH_CREATORS = 128
Progress = Callable[[int, int], None]


@dataclass
class Reject:
    """A record that was not taken."""

    file: str
    line: int
    id: str | None
    reason: str


@dataclass
class Repair:
    """A record that was taken after a repair."""

    file: str
    line: int
    id: str
    notes: list[str]


@dataclass
class IngestReport:
    """What one ingest run did."""

    ingested: int = 0
    unchanged: int = 0
    rejected: int = 0
    embedded_texts: int = 0
    deleted_posts: int = 0
    rejects: list[Reject] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    rejects_file: Path | None = None

    def summary(self) -> dict[str, object]:
        """The ``--json`` summary."""
        return {
            "ingested": self.ingested,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "repaired": len(self.repairs),
            "embedded_texts": self.embedded_texts,
            "deleted_posts": self.deleted_posts,
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
        }


def derive_profile(creator: Creator, settings: Settings) -> CreatorProfile:
    """A creator with tier, engagement rate and price computed from the settings."""
    return CreatorProfile(
        creator=creator,
        tier=tier_for(creator.followers, settings.tiers),
        engagement_rate=round(engagement_rate(creator, settings.match.recent_posts_for_er), 4),
        price=estimate_price(creator, settings.match),
        inferred_niches=(
            [] if creator.niches else creator_niches(creator.bio, [p.text for p in creator.posts])
        ),
    )


def text_hash(model: str, text: str) -> str:
    """Hash of a text as embedded by a model."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()[:32]


def record_hash(creator: Creator, settings: Settings) -> str:
    """Hash of a record plus every setting that its stored figures depend on."""
    basis = {
        "record": creator.model_dump(mode="json"),
        "model": settings.embedding.identity,
        "tiers": settings.tiers.model_dump(),
        "er_posts": settings.match.recent_posts_for_er,
        "usd_per_10k": settings.match.usd_per_10k_followers,
        "niches": default_catalog().fingerprint,
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:32]


def post_doc_id(creator_id: str, post_id: str) -> str:
    """Store id of a post document."""
    return f"{creator_id}::{post_id}"


def creator_metadata(profile: CreatorProfile) -> Metadata:
    """Filterable fields shared by a creator's documents."""
    creator = profile.creator
    meta: Metadata = {
        "creator_id": creator.id,
        "handle": creator.handle,
        "platform": creator.platform,
        "followers": creator.followers,
        "tier": profile.tier,
        "engagement_rate": profile.engagement_rate,
        "price_usd": profile.price.usd,
    }
    if creator.country:
        meta["country"] = creator.country
    if creator.language:
        meta["language"] = creator.language
    return meta


def bio_text(creator: Creator) -> str:
    """The text embedded for a creator document."""
    return creator.bio or creator.name or creator.handle


@dataclass
class _Parsed:
    file: str
    line: int
    creator: Creator
    notes: list[str]


def parse_files(paths: Iterable[Path], report: IngestReport) -> Iterator[_Parsed]:
    """Valid creators from the files; rejects and repairs are added to ``report``."""
    seen: dict[str, str] = {}
    for path in paths:
        for item in read_records(path):
            if item.problem:
                report.rejects.append(Reject(str(path), item.line, None, item.problem))
                continue
            raw_id = item.data.get("id") if isinstance(item.data, dict) else None
            try:
                creator, notes = parse_record(item.data)
            except RecordProblem as problem:
                report.rejects.append(
                    Reject(str(path), item.line, str(raw_id) if raw_id else None, str(problem))
                )
                continue
            where = f"{path}:{item.line}"
            if creator.id in seen:
                report.rejects.append(
                    Reject(
                        str(path),
                        item.line,
                        creator.id,
                        f"duplicate id, first seen at {seen[creator.id]}",
                    )
                )
                continue
            seen[creator.id] = where
            if notes:
                report.repairs.append(Repair(str(path), item.line, creator.id, notes))
            yield _Parsed(str(path), item.line, creator, notes)


def count_lines(paths: Iterable[Path]) -> int:
    """Rough number of records, for a progress bar."""
    total = 0
    for path in paths:
        if path.is_file():
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
    return total


class BackgroundWriter:
    """Runs one batch's store writes on a thread while the next batch is embedded.

    At most one batch waits, so memory stays bounded; batches are written in order, and a
    batch's posts before its creator document, as without the thread. The first error is
    raised in the caller, at the next submit or when the ``with`` block ends.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _loop(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._error is None:
                try:
                    job()
                except BaseException as error:  # re-raised in the caller
                    self._error = error

    def submit(self, job: Callable[[], None]) -> None:
        """Queue ``job``; runs it at once when no ``with`` block is active."""
        if self._error is not None:
            raise self._error
        if self._thread is None:
            job()
        else:
            self._queue.put(job)

    def __enter__(self) -> BackgroundWriter:
        self._error = None
        self._thread = threading.Thread(target=self._loop, name="ingest-writer", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


class Ingester:
    """Writes parsed creators into the store, embedding only what changed."""

    def __init__(self, settings: Settings, store: CreatorStore, embedder: Embedder) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self._writer = BackgroundWriter()

    def run(self, paths: list[Path], progress: Progress | None = None) -> IngestReport:
        """Ingest the files; returns the report (rejects written to a file under the home)."""
        report = IngestReport()
        total = count_lines(paths)
        done = 0
        batch: list[_Parsed] = []
        with self._writer:
            for parsed in parse_files(paths, report):
                batch.append(parsed)
                if len(batch) >= BATCH_CREATORS:
                    self._write(batch, report)
                    done += len(batch)
                    batch = []
                    if progress:
                        progress(done + len(report.rejects), total)
            if batch:
                self._write(batch, report)
                done += len(batch)
        if progress:
            progress(total, total)
        report.rejected = len(report.rejects)
        if report.rejects or report.repairs:
            report.rejects_file = self._write_rejects(report)
        if done == 0 and not report.rejects:
            raise InputError("No creator records found in " + ", ".join(map(str, paths)))
        return report

    def _write(self, batch: list[_Parsed], report: IngestReport) -> None:
        model = self.settings.embedding.identity
        profiles = {p.creator.id: derive_profile(p.creator, self.settings) for p in batch}
        hashes = {cid: record_hash(prof.creator, self.settings) for cid, prof in profiles.items()}
        stored = self.store.creator_hashes(list(profiles))
        changed = [cid for cid in profiles if stored.get(cid) != hashes[cid]]
        report.unchanged += len(profiles) - len(changed)
        report.ingested += len(profiles)
        if not changed:
            return
        old_posts = self.store.post_hashes(changed)
        old_creators = self.store.get_creators([c for c in changed if c in stored])

        embed_texts: list[str] = []
        new_post_ids, new_post_docs, new_post_meta = [], [], []
        same_post_ids, same_post_meta = [], []
        keep: set[str] = set()
        for cid in changed:
            profile = profiles[cid]
            shared = creator_metadata(profile)
            for post in profile.creator.posts:
                doc_id = post_doc_id(cid, post.id)
                keep.add(doc_id)
                content = text_hash(model, post.text)
                meta: Metadata = {
                    **shared,
                    "post_id": post.id,
                    "content_hash": content,
                    "sponsored": post.sponsored,
                    "posted_at": post.posted_at.isoformat(),
                }
                if post.kind:
                    meta["kind"] = post.kind
                if old_posts.get(doc_id, ("", ""))[1] == content:
                    same_post_ids.append(doc_id)
                    same_post_meta.append(meta)
                else:
                    new_post_ids.append(doc_id)
                    new_post_docs.append(post.text)
                    new_post_meta.append(meta)
                    embed_texts.append(post.text)

        creator_ids, creator_docs, creator_meta = [], [], []
        bio_embed_index: list[int] = []
        for cid in changed:
            profile = profiles[cid]
            text = bio_text(profile.creator)
            bio_hash = text_hash(model, text)
            meta = {
                **creator_metadata(profile),
                "name": profile.creator.name,
                "bio_hash": bio_hash,
                "has_bio": bool(profile.creator.bio),
                "record_hash": hashes[cid],
                "record": profile.model_dump_json(),
            }
            creator_ids.append(cid)
            creator_docs.append(text)
            creator_meta.append(meta)
            if old_creators.get(cid, {}).get("bio_hash") != bio_hash:
                bio_embed_index.append(len(embed_texts))
            else:
                bio_embed_index.append(-1)
            if bio_embed_index[-1] >= 0:
                embed_texts.append(text)

        vectors = self.embedder.encode(embed_texts) if embed_texts else None
        report.embedded_texts += len(embed_texts)

        def apply() -> None:  # the store writes, overlapped with the next batch's encoding
            if new_post_ids and vectors is not None:
                self.store.upsert_posts(
                    new_post_ids, vectors[: len(new_post_ids)], new_post_docs, new_post_meta
                )
            if same_post_ids:
                self.store.update_post_metadata(same_post_ids, same_post_meta)
            stale = [doc_id for doc_id in old_posts if doc_id not in keep]
            if stale:
                self.store.delete_posts(stale)
                report.deleted_posts += len(stale)

            fresh = [i for i, index in enumerate(bio_embed_index) if index >= 0]
            if fresh and vectors is not None:
                self.store.upsert_creators(
                    [creator_ids[i] for i in fresh],
                    vectors[[bio_embed_index[i] for i in fresh]],
                    [creator_docs[i] for i in fresh],
                    [creator_meta[i] for i in fresh],
                )
            kept = [i for i, index in enumerate(bio_embed_index) if index < 0]
            if kept:
                self.store.update_creators(
                    [creator_ids[i] for i in kept], [creator_meta[i] for i in kept]
                )

        self._writer.submit(apply)

    def _write_rejects(self, report: IngestReport) -> Path:
        """One JSON line per rejected record, then one per repaired record."""
        folder = self.settings.rejects_dir
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"rejects-{stamp}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for reject in report.rejects:
                row = {"status": "rejected", **reject.__dict__}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            for repair in report.repairs:
                row = {"status": "repaired", **repair.__dict__}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path
