"""The review store: each brand's pipeline of creators, notes, outreach drafts, brand profiles.

A creator enters a brand's pipeline as *suggested* when a match shows them, and moves through
the stages marketers use (shortlisted → contacted → negotiating → agreed, or declined /
rejected). Rejected creators are left out of that brand's later results.

SQLite under the data home (:attr:`Settings.review_db_path`); :mod:`app.review_db` keeps the
file safe for two tabs or two processes writing at once, and :mod:`app.pipeline` defines the
stages and entries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app.errors import InputError, NotFoundError
from app.models import BrandProfile, Match
from app.pipeline import (
    SHORTLIST_STAGES,
    STAGES,
    Note,
    PipelineEntry,
    SavedDraft,
    Stage,
    check_stage,
)
from app.review_db import SqliteFile


def brand_key(name: str) -> str:
    """The key a brand is stored under: its name, trimmed and case-folded."""
    key = " ".join(name.split()).casefold()
    if not key:
        raise InputError("Give the brand a name (sidebar → Brand profile) to keep a pipeline.")
    return key


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class ReviewStore(SqliteFile):
    """Brand profiles and per-brand pipelines in one SQLite file."""

    # brand profiles ------------------------------------------------------------------------

    def save_brand(self, profile: BrandProfile) -> None:
        """Save (or replace) a brand profile under its name."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO brands (key, name, profile, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET name = excluded.name, "
                "profile = excluded.profile, updated_at = excluded.updated_at",
                (brand_key(profile.name), profile.name, profile.model_dump_json(), _now()),
            )

    def brand(self, name: str) -> BrandProfile:
        """A saved brand profile by name (any case)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT profile FROM brands WHERE key = ?", (brand_key(name),)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"No saved brand profile named {name!r}; save it first.")
        return BrandProfile.model_validate_json(row["profile"])

    def brands(self) -> list[BrandProfile]:
        """Saved brand profiles, the most recently saved first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT profile FROM brands ORDER BY updated_at DESC").fetchall()
        return [BrandProfile.model_validate_json(row["profile"]) for row in rows]

    def adopt_pipeline(self, old: str, new: str) -> int:
        """Move ``old``'s pipeline, notes and drafts to brand ``new`` when ``new`` has none.

        For a marketer who shortlists first and names the brand afterwards. Returns the number
        of creators moved (0 when ``new`` already has a pipeline of its own).
        """
        source, target = brand_key(old), brand_key(new)
        if source == target:
            return 0
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM pipeline WHERE brand = ?", (target,)).fetchone():
                return 0
            moved = conn.execute(
                "UPDATE pipeline SET brand = ? WHERE brand = ?", (target, source)
            ).rowcount
            for table in ("notes", "drafts"):
                conn.execute(f"UPDATE {table} SET brand = ? WHERE brand = ?", (target, source))
        return int(moved)

    # pipeline -------------------------------------------------------------------------------

    def suggest(self, brand: str, matches: Sequence[Match]) -> None:
        """Record shown matches as *suggested*; known creators keep their stage."""
        key, now = brand_key(brand), _now()
        with self._write() as conn:
            for found in matches:
                conn.execute(
                    "INSERT INTO pipeline (brand, creator_id, handle, platform, stage, snapshot, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, 'suggested', ?, ?, ?) "
                    "ON CONFLICT (brand, creator_id) DO UPDATE SET snapshot = excluded.snapshot",
                    (
                        key,
                        found.creator_id,
                        found.handle,
                        found.platform,
                        found.model_dump_json(),
                        now,
                        now,
                    ),
                )

    def move(
        self,
        brand: str,
        creator: Match | str,
        stage: str,
        reason: str | None = None,
    ) -> PipelineEntry:
        """Put a creator (a match, or the id of one already in the pipeline) at a stage."""
        checked = check_stage(stage)
        key, now = brand_key(brand), _now()
        reason = (reason or "").strip() or None
        with self._write() as conn:
            if isinstance(creator, Match):
                conn.execute(
                    "INSERT INTO pipeline (brand, creator_id, handle, platform, stage, "
                    "reject_reason, snapshot, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (brand, creator_id) DO UPDATE "
                    "SET stage = excluded.stage, reject_reason = excluded.reject_reason, "
                    "snapshot = excluded.snapshot, updated_at = excluded.updated_at",
                    (
                        key,
                        creator.creator_id,
                        creator.handle,
                        creator.platform,
                        checked,
                        reason,
                        creator.model_dump_json(),
                        now,
                        now,
                    ),
                )
                creator_id = creator.creator_id
            else:
                creator_id = creator
                updated = conn.execute(
                    "UPDATE pipeline SET stage = ?, reject_reason = ?, updated_at = ? "
                    "WHERE brand = ? AND creator_id = ?",
                    (checked, reason, now, key, creator_id),
                ).rowcount
                if not updated:
                    raise NotFoundError(
                        f"Creator {creator_id!r} is not in {brand!r}'s pipeline; "
                        "shortlist them from the matches first."
                    )
        return self.entry(brand, creator_id)

    def entry(self, brand: str, creator_id: str) -> PipelineEntry:
        """One creator's pipeline entry with notes and drafts."""
        found = self.entries(brand, creator_ids=[creator_id])
        if not found:
            raise NotFoundError(f"Creator {creator_id!r} is not in {brand!r}'s pipeline.")
        return found[0]

    def entries(
        self,
        brand: str,
        stages: Sequence[str] | None = None,
        creator_ids: Sequence[str] | None = None,
    ) -> list[PipelineEntry]:
        """A brand's pipeline, in stage order, most recently changed first within a stage."""
        key = brand_key(brand)
        query = "SELECT * FROM pipeline WHERE brand = ?"
        args: list[Any] = [key]
        if stages is not None:
            checked = [check_stage(stage) for stage in stages]
            query += f" AND stage IN ({','.join('?' * len(checked))})"
            args += checked
        if creator_ids is not None:
            query += f" AND creator_id IN ({','.join('?' * len(creator_ids))})"
            args += list(creator_ids)
        with self._connect() as conn:
            rows = conn.execute(query, args).fetchall()
            notes = self._by_creator(conn, "notes", key)
            drafts = self._by_creator(conn, "drafts", key)
        entries = [
            PipelineEntry(
                creator_id=row["creator_id"],
                handle=row["handle"],
                platform=row["platform"],
                stage=row["stage"],
                reject_reason=row["reject_reason"],
                snapshot=Match.model_validate_json(row["snapshot"]) if row["snapshot"] else None,
                updated_at=row["updated_at"],
                notes=[Note(**note) for note in notes.get(row["creator_id"], [])],
                drafts=[
                    _draft({**draft, "creator_id": row["creator_id"]})
                    for draft in drafts.get(row["creator_id"], [])
                ],
            )
            for row in rows
        ]
        entries.sort(key=lambda item: item.updated_at, reverse=True)
        entries.sort(key=lambda item: STAGES.index(item.stage))
        return entries

    @staticmethod
    def _by_creator(
        conn: sqlite3.Connection, table: str, key: str
    ) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        rows = conn.execute(f"SELECT * FROM {table} WHERE brand = ? ORDER BY id", (key,))
        for row in rows:
            item = dict(row)
            grouped.setdefault(item.pop("creator_id"), []).append(item)
        return grouped

    def counts(self, brand: str) -> dict[Stage, int]:
        """How many creators are at each stage (every stage listed)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT stage, COUNT(*) AS n FROM pipeline WHERE brand = ? GROUP BY stage",
                (brand_key(brand),),
            ).fetchall()
        found = {row["stage"]: row["n"] for row in rows}
        return {stage: found.get(stage, 0) for stage in STAGES}

    def rejected_ids(self, brand: str) -> list[str]:
        """Creators rejected for this brand: kept out of its later results."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT creator_id FROM pipeline WHERE brand = ? AND stage = 'rejected' "
                "ORDER BY creator_id",
                (brand_key(brand),),
            ).fetchall()
        return [row["creator_id"] for row in rows]

    def shortlist(self, brand: str) -> list[PipelineEntry]:
        """Creators the brand is working with: shortlisted through agreed."""
        return self.entries(brand, stages=SHORTLIST_STAGES)

    # notes and drafts -----------------------------------------------------------------------

    def add_note(self, brand: str, creator_id: str, text: str) -> Note:
        """Add a note to a creator in the pipeline."""
        text = text.strip()
        if not text:
            raise InputError("The note is empty; write something to keep.")
        self.entry(brand, creator_id)  # the creator must be in the pipeline
        now = _now()
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO notes (brand, creator_id, text, created_at) VALUES (?, ?, ?, ?)",
                (brand_key(brand), creator_id, text, now),
            )
            note_id = int(cursor.lastrowid or 0)
        return Note(id=note_id, text=text, created_at=datetime.fromisoformat(now))

    def save_draft(
        self,
        brand: str,
        creator_id: str,
        kind: str,
        text: str,
        post_id: str | None = None,
        grounding: dict[str, Any] | None = None,
    ) -> SavedDraft:
        """Keep an outreach draft for a creator (any creator: drafting may come first)."""
        if not text.strip():
            raise InputError("The draft is empty; nothing to save.")
        now = _now()
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO drafts (brand, creator_id, kind, text, post_id, grounding, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    brand_key(brand),
                    creator_id,
                    kind,
                    text,
                    post_id,
                    json.dumps(grounding) if grounding is not None else None,
                    now,
                ),
            )
            draft_id = int(cursor.lastrowid or 0)
        return _draft(
            {
                "id": draft_id,
                "creator_id": creator_id,
                "kind": kind,
                "text": text,
                "post_id": post_id,
                "grounding": json.dumps(grounding) if grounding is not None else None,
                "created_at": now,
            }
        )

    def drafts(self, brand: str, creator_id: str) -> list[SavedDraft]:
        """A creator's drafts for a brand, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM drafts WHERE brand = ? AND creator_id = ? ORDER BY id",
                (brand_key(brand), creator_id),
            ).fetchall()
        return [_draft(dict(row)) for row in rows]


def _draft(row: dict[str, Any]) -> SavedDraft:
    grounding = row.get("grounding")
    return SavedDraft(
        id=row["id"],
        creator_id=row.get("creator_id", ""),
        kind=row["kind"],
        text=row["text"],
        post_id=row.get("post_id"),
        grounding=json.loads(grounding) if grounding else None,
        created_at=row["created_at"],
    )
