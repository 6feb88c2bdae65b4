"""A snapshot of the store for lexical retrieval, filtering and peer statistics.

Built once from the store's own documents (so it works the same with the embedded store and a
Chroma server), persisted under ``<home>/cache/corpus/<fingerprint>/`` and loaded by later runs.
The fingerprint covers the store location, the creator and post counts, the embedding model, the
niche catalogue and a stamp that every ingest through this data home renews, so the snapshot is
rebuilt lazily after an ingest. A snapshot that is stale in some other way (another machine
changed a post's text on a shared server without changing any count) can only make lexical
ranking slightly off: hard filters are checked again on fresh store metadata before anything is
returned.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from app.models import CreatorProfile
from app.scores import Figures, PeerStats, figures
from app.settings import Settings
from retrieval.lexical import LexicalIndex, Tokenizer, build_vocabulary
from retrieval.niches import NicheCatalog
from retrieval.store import CreatorStore

SNAPSHOT_VERSION = "4"
RECHECK_SECONDS = 20.0


@dataclass
class CreatorRow:
    """The fields of one creator that filtering, lexical ranking and scores use."""

    id: str
    handle: str
    platform: str
    tier: str
    followers: int
    following: int | None
    engagement_rate: float
    price_usd: float
    country: str | None
    language: str | None
    niches: list[str]
    comments_per_like: float | None

    def figures(self) -> Figures:
        """The row as :class:`~app.scores.Figures`."""
        return Figures(
            self.id,
            self.platform,
            self.tier,
            self.followers,
            self.following,
            self.engagement_rate,
            self.comments_per_like,
        )


def _row(meta: Mapping[str, Any], recent: int) -> CreatorRow | None:
    record = meta.get("record")
    if not record:
        return None
    profile = CreatorProfile.model_validate_json(str(record))
    fig = figures(profile, recent)
    creator = profile.creator
    return CreatorRow(
        id=creator.id,
        handle=creator.handle,
        platform=creator.platform,
        tier=profile.tier,
        followers=creator.followers,
        following=creator.following,
        engagement_rate=profile.engagement_rate,
        price_usd=profile.price.usd,
        country=creator.country,
        language=creator.language,
        niches=list(creator.niches or profile.inferred_niches),
        comments_per_like=fig.comments_per_like,
    )


class Corpus:
    """Creators as rows, posts and bios as BM25 indexes, peers for the scores."""

    def __init__(
        self,
        rows: list[CreatorRow],
        post_ids: list[str],
        post_owner: np.ndarray,
        posts: LexicalIndex,
        bios: LexicalIndex,
        vocabulary: list[str],
    ) -> None:
        self.rows = rows
        self.post_ids = post_ids
        self.post_owner = post_owner
        self.posts = posts
        self.bios = bios
        self.vocabulary = vocabulary
        self.index_of = {row.id: i for i, row in enumerate(rows)}
        self.post_index = {doc_id: i for i, doc_id in enumerate(post_ids)}
        self.tokenizer = Tokenizer(vocabulary)
        self.peers = PeerStats(row.figures() for row in rows)
        # fixed-width text columns: filtering them is several times faster than object arrays
        self.columns = {
            "platform": np.array([r.platform for r in rows], dtype=str),
            "tier": np.array([r.tier for r in rows], dtype=str),
            "country": np.array([r.country or "" for r in rows], dtype=str),
            "language": np.array([r.language or "" for r in rows], dtype=str),
            "followers": np.array([r.followers for r in rows], dtype=np.int64),
            "engagement_rate": np.array([r.engagement_rate for r in rows], dtype=np.float64),
            "price_usd": np.array([r.price_usd for r in rows], dtype=np.float64),
            "creator_id": np.array([r.id for r in rows], dtype=str),
            "handle": np.array([r.handle.lower() for r in rows], dtype=str),
        }

    def posts_of(self, creator: int) -> np.ndarray:
        """Indexes of the posts of the creator at row ``creator``."""
        pointers, order = self._posts_by_owner
        return order[pointers[creator] : pointers[creator + 1]]

    @cached_property
    def _posts_by_owner(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.post_owner, kind="stable")
        pointers = np.zeros(len(self.rows) + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.post_owner, minlength=len(self.rows)), out=pointers[1:])
        return pointers, order

    @classmethod
    def build(cls, store: CreatorStore, catalog: NicheCatalog, recent: int) -> Corpus:
        """Read every creator and post from the store and index them."""
        rows: list[CreatorRow] = []
        bios: list[str] = []
        for _, document, meta in store.iter_creators():
            row = _row(meta, recent)
            if row is None:
                continue
            rows.append(row)
            bios.append(document if meta.get("has_bio", True) else "")
        index_of = {row.id: i for i, row in enumerate(rows)}
        post_ids: list[str] = []
        owners: list[int] = []
        texts: list[str] = []
        for doc_id, text, meta in store.iter_posts():
            owner = index_of.get(str(meta.get("creator_id")))
            if owner is None:
                continue  # a post whose creator document is not (yet) complete
            post_ids.append(doc_id)
            owners.append(owner)
            texts.append(text)
        vocabulary = build_vocabulary([*texts, *bios])
        for niche in catalog.niches:
            vocabulary.update(term.lower() for term in niche.terms)
        tokenizer = Tokenizer(vocabulary)
        post_index = LexicalIndex.build([tokenizer.tokens(text) for text in texts])
        bio_index = LexicalIndex.build([tokenizer.tokens(text) for text in bios])
        return cls(
            rows,
            post_ids,
            np.asarray(owners, dtype=np.int32),
            post_index,
            bio_index,
            sorted(vocabulary),
        )

    def save(self, folder: Path) -> None:
        """Write the snapshot to ``folder`` (replaced atomically)."""
        staging = folder.with_name(folder.name + f".tmp-{uuid.uuid4().hex[:8]}")
        staging.mkdir(parents=True)
        (staging / "rows.json").write_text(
            json.dumps([asdict(row) for row in self.rows]), encoding="utf-8"
        )
        (staging / "posts.json").write_text(json.dumps(self.post_ids), encoding="utf-8")
        (staging / "vocabulary.json").write_text(json.dumps(self.vocabulary), encoding="utf-8")
        np.save(staging / "owners.npy", self.post_owner)
        self.posts.save(staging / "posts_bm25")
        self.bios.save(staging / "bios_bm25")
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> Corpus:
        """Read a snapshot written by :meth:`save`."""
        rows = [CreatorRow(**row) for row in json.loads((folder / "rows.json").read_text("utf-8"))]
        post_ids = json.loads((folder / "posts.json").read_text("utf-8"))
        vocabulary = json.loads((folder / "vocabulary.json").read_text("utf-8"))
        owners = np.load(folder / "owners.npy")
        return cls(
            rows,
            post_ids,
            owners,
            LexicalIndex.load(folder / "posts_bm25", len(post_ids)),
            LexicalIndex.load(folder / "bios_bm25", len(rows)),
            vocabulary,
        )


def _stamp_file(settings: Settings) -> Path:
    return settings.home / "cache" / "ingest-stamp"


def _stamp(settings: Settings) -> str:
    path = _stamp_file(settings)
    return path.read_text("utf-8") if path.exists() else ""


def mark_store_changed(settings: Settings) -> None:
    """Record that the store changed (after an ingest), so snapshots are rebuilt."""
    path = _stamp_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(uuid.uuid4().hex, encoding="utf-8")


class CorpusCache:
    """The current snapshot of a store: loaded from disk, or rebuilt when the store changed."""

    def __init__(self, settings: Settings, store: CreatorStore, catalog: NicheCatalog) -> None:
        self.settings = settings
        self.store = store
        self.catalog = catalog
        self.root = settings.home / "cache" / "corpus"
        self._corpus: Corpus | None = None
        self._key = ""
        self._checked = 0.0
        self._stamp = ""
        self._lock = threading.Lock()

    def fingerprint(self) -> str:
        """Key of the store's current contents, as far as it can be seen cheaply."""
        basis = [
            SNAPSHOT_VERSION,
            self.store.location,
            self.settings.chroma.collection_prefix,
            self.settings.embedding.model,
            str(self.store.count_creators()),
            str(self.store.count_posts()),
            self.catalog.fingerprint,
            _stamp(self.settings),
        ]
        return hashlib.sha256("\x00".join(basis).encode()).hexdigest()[:20]

    def get(self) -> Corpus:
        """The snapshot; the store is re-checked at most every :data:`RECHECK_SECONDS`."""
        with self._lock:
            now = time.monotonic()
            fresh = now - self._checked < RECHECK_SECONDS and self._stamp == _stamp(self.settings)
            if self._corpus is not None and fresh:
                return self._corpus
            key = self.fingerprint()
            self._checked, self._stamp = now, _stamp(self.settings)
            if self._corpus is not None and key == self._key:
                return self._corpus
            folder = self.root / key
            corpus = None
            if folder.is_dir():
                try:
                    corpus = Corpus.load(folder)
                except (OSError, ValueError, KeyError, TypeError):
                    corpus = None  # a damaged cache is rebuilt
            if corpus is None:
                corpus = Corpus.build(
                    self.store, self.catalog, self.settings.match.recent_posts_for_er
                )
                self._prune()
                with contextlib.suppress(OSError):  # a read-only home rebuilds next time
                    corpus.save(folder)
            self._corpus, self._key = corpus, key
            return corpus

    def _prune(self) -> None:
        if self.root.is_dir():
            for old in self.root.iterdir():
                shutil.rmtree(old, ignore_errors=True)
