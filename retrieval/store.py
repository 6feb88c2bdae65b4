"""The vector store. With :mod:`retrieval.chroma_client` (which opens the client), the only
module that imports ``chromadb``.

Two collections share a prefix:

- ``<prefix>_creators``: one document per creator (the bio), with the creator's filterable
  fields, a hash of the whole record and the record itself (JSON) as metadata. It is written
  after the creator's posts, so its presence with the current hash means "this creator is
  complete in the store".
- ``<prefix>_posts``: one document per post, with its creator's id and filterable fields.

Embedded (``PersistentClient`` under the data home) by default, or a Chroma server when
``NICHEMATCH_CHROMA__URL`` is set; nothing else changes between the two.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.errors import StoreError
from app.settings import Settings
from retrieval.chroma_client import StoreEmbeddingFunction, open_client
from retrieval.embeddings import Embedder
from retrieval.remote import Guarded, server_hint
from retrieval.where import CreatorTable, creator_level, matches, owner_index

Where = dict[str, Any]
Metadata = dict[str, str | int | float | bool]

# A filtered query asks for this many times more unfiltered neighbours than the filter's share
# of creators implies, up to MAX_OVERFETCH; a narrower filter is left to Chroma.
OVERFETCH = 2.0
MAX_OVERFETCH = 20_000
# Documents per write call. Chroma holds the GIL while it writes, so small calls let an ingest
# embed the next batch in between (the model releases the GIL while it runs).
WRITE_CHUNK = 256
# Seconds between checks that another writer changed the number of creators.
TABLE_RECHECK_S = 10.0


@dataclass(frozen=True)
class Hit:
    """One document returned by a similarity query."""

    id: str
    document: str
    metadata: Mapping[str, Any]
    similarity: float


def where_all(conditions: Sequence[Where]) -> Where | None:
    """Chroma's form of AND over conditions (it wants no ``$and`` for fewer than two)."""
    if not conditions:
        return None
    if len(conditions) == 1:
        return dict(conditions[0])
    return {"$and": list(conditions)}


class CreatorStore:
    """Creators and their posts in Chroma."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.location = settings.chroma.url or str(settings.chroma_path)
        self._client = open_client(settings)
        function = StoreEmbeddingFunction(embedder)
        prefix = settings.chroma.collection_prefix
        try:
            self._creators = self._client.get_or_create_collection(
                f"{prefix}_creators",
                embedding_function=function,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._posts = self._client.get_or_create_collection(
                f"{prefix}_posts",
                embedding_function=function,
                configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            raise StoreError(f"Cannot open the Chroma store at {self.location}: {exc}") from exc
        if settings.chroma.url:
            self._creators = Guarded(self._creators, server_hint(self.location))
            self._posts = Guarded(self._posts, server_hint(self.location))
        self.max_batch = int(self._client.get_max_batch_size())
        self._table: CreatorTable | None = None
        self._table_checked = 0.0
        self._table_lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------

    def sample_creator(self) -> tuple[str, Mapping[str, Any]] | None:
        """One creator document (its text and metadata), or None for an empty store."""
        result = self._creators.get(limit=1, include=["documents", "metadatas"])
        if not result["ids"]:
            return None
        return (result["documents"] or [""])[0] or "", (result["metadatas"] or [{}])[0] or {}

    def count_creators(self) -> int:
        """Creators in the store."""
        return int(self._creators.count())

    def count_posts(self) -> int:
        """Post documents in the store."""
        return int(self._posts.count())

    def creator_hashes(self, creator_ids: Sequence[str]) -> dict[str, str]:
        """Record hash of each given creator that is complete in the store."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(creator_ids), self.max_batch):
            result = self._creators.get(ids=chunk, include=["metadatas"])
            for doc_id, meta in zip(result["ids"], result["metadatas"] or [], strict=True):
                found[doc_id] = str((meta or {}).get("record_hash", ""))
        return found

    def post_hashes(self, creator_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``post document id -> (creator id, content hash)`` for the given creators."""
        found: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(creator_ids), 500):
            result = self._posts.get(where={"creator_id": {"$in": chunk}}, include=["metadatas"])
            for doc_id, meta in zip(result["ids"], result["metadatas"] or [], strict=True):
                meta = meta or {}
                found[doc_id] = (str(meta.get("creator_id")), str(meta.get("content_hash")))
        return found

    def get_creators(self, creator_ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        """Metadata of the given creators, by id (unknown ids are left out)."""
        found: dict[str, Mapping[str, Any]] = {}
        for chunk in _chunks(list(creator_ids), self.max_batch):
            result = self._creators.get(ids=chunk, include=["metadatas"])
            for doc_id, meta in zip(result["ids"], result["metadatas"] or [], strict=True):
                found[doc_id] = meta or {}
        return found

    def iter_creators(self, page: int = 2000) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """Every creator as (id, bio, metadata), page by page."""
        offset = 0
        while True:
            result = self._creators.get(
                include=["metadatas", "documents"], limit=page, offset=offset
            )
            ids = result["ids"]
            if not ids:
                return
            for row in zip(ids, result["documents"] or [], result["metadatas"] or [], strict=True):
                yield row[0], row[1] or "", row[2] or {}
            offset += len(ids)

    def iter_posts(self, page: int = 5000) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """Every post as (id, text, metadata), page by page."""
        offset = 0
        while True:
            result = self._posts.get(include=["metadatas", "documents"], limit=page, offset=offset)
            ids = result["ids"]
            if not ids:
                return
            for row in zip(ids, result["documents"] or [], result["metadatas"] or [], strict=True):
                yield row[0], row[1] or "", row[2] or {}
            offset += len(ids)

    def query_posts(
        self, vector: np.ndarray, n: int, where: Where | None, light: bool = False
    ) -> list[Hit]:
        """The ``n`` posts nearest to ``vector`` that satisfy ``where``.

        ``light``: hits carry no text and only ``creator_id`` and ``post_id`` as metadata
        (read from the ids), which spares fetching 400 rows of text and metadata from Chroma,
        most of a query's time; filters are then checked on the creator table only.
        """
        if not light:
            return self._filtered(self._posts, vector, n, where)
        table = self.creator_table()
        pairs = self._nearest_ids(self._posts, vector, n, where, table)
        hits = []
        for doc_id, distance in pairs:
            owner = owner_index(doc_id, table)
            creator = table.ids[owner] if owner >= 0 else doc_id.split("::", 1)[0]
            meta = {"creator_id": creator, "post_id": doc_id[len(creator) + 2 :]}
            hits.append(Hit(doc_id, "", meta, 1.0 - float(distance)))
        return hits

    def query_bios(self, vector: np.ndarray, n: int, where: Where | None) -> list[Hit]:
        """The ``n`` creator bios nearest to ``vector`` that satisfy ``where``."""
        return self._filtered(self._creators, vector, n, where)

    def creator_table(self) -> CreatorTable:
        """Every creator's filterable fields: rebuilt after this store's writes at once, and
        when the creator count changed (another writer) at most ``TABLE_RECHECK_S`` later."""
        with self._table_lock:
            now = time.monotonic()
            if self._table is not None and now - self._table_checked < TABLE_RECHECK_S:
                return self._table
            self._table_checked = now
            if self._table is None or len(self._table) != self.count_creators():
                rows: list[tuple[str, Mapping[str, Any]]] = []
                while len(rows) < self.count_creators():
                    page = self._creators.get(include=["metadatas"], limit=5000, offset=len(rows))
                    if not page["ids"]:
                        break
                    rows += zip(
                        page["ids"], [m or {} for m in page["metadatas"] or []], strict=True
                    )
                self._table = CreatorTable(rows)
            return self._table

    def _filtered(
        self, collection: Any, vector: np.ndarray, n: int, where: Where | None
    ) -> list[Hit]:
        """Hits with text and metadata; a filter that the creator table evaluates is checked
        again on each hit's own metadata (the table may lag another writer's changes)."""
        if not where or not creator_level(where):
            return self._query(collection, vector, n, where)
        kept = self._nearest_ids(collection, vector, n, where, self.creator_table())
        return [hit for hit in self._hits(collection, kept) if matches(where, hit.metadata)]

    def _nearest_ids(
        self, collection: Any, vector: np.ndarray, n: int, where: Where | None, table: CreatorTable
    ) -> list[tuple[str, float]]:
        """``(id, distance)`` of the ``n`` nearest documents that satisfy ``where``.

        Chroma's own filter for narrow or unusual filters; else more unfiltered neighbours,
        kept when their creator passes (see :mod:`retrieval.where`). Documents of creators not
        complete in the store (an interrupted ingest) are not found that way; the matcher
        leaves such creators out anyway.
        """
        query = [np.asarray(vector, dtype=np.float32)]
        if where and creator_level(where) and len(table):
            allowed = table.mask(where)
            share = float(allowed[:-1].mean())
            k = math.ceil(n / share * OVERFETCH) if share else MAX_OVERFETCH + 1
            if k <= MAX_OVERFETCH:
                found = collection.query(query_embeddings=query, n_results=k, include=["distances"])
                ids = found["ids"][0]
                pairs = zip(ids, (found["distances"] or [[]])[0], strict=True)
                kept = [(i, d) for i, d in pairs if allowed[owner_index(i, table)]][:n]
                if len(kept) == n or len(ids) < k:  # enough, or every document was seen
                    return kept
        return self._native_ids(collection, vector, n, where)

    def _native_ids(
        self, collection: Any, vector: np.ndarray, n: int, where: Where | None
    ) -> list[tuple[str, float]]:
        """Chroma's own (pre-)filtered search: for no filter, an unusual one, or one that few
        creators pass, where it is quick."""
        query = [np.asarray(vector, dtype=np.float32)]
        try:
            found = collection.query(
                query_embeddings=query, n_results=n, where=where, include=["distances"]
            )
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"The store query failed ({exc}); check the filters.") from exc
        return list(zip(found["ids"][0], (found["distances"] or [[]])[0], strict=True))

    def _hits(self, collection: Any, kept: list[tuple[str, float]]) -> list[Hit]:
        """The kept ``(id, distance)`` pairs as hits, in that order."""
        if not kept:
            return []
        rows = collection.get(ids=[i for i, _ in kept], include=["metadatas", "documents"])
        found = {
            doc_id: (document or "", meta or {})
            for doc_id, document, meta in zip(
                rows["ids"], rows["documents"] or [], rows["metadatas"] or [], strict=True
            )
        }
        return [
            Hit(doc_id, *found[doc_id], 1.0 - float(distance))
            for doc_id, distance in kept
            if doc_id in found
        ]

    def _query(self, collection: Any, vector: np.ndarray, n: int, where: Where | None) -> list[Hit]:
        try:
            result = collection.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)],
                n_results=n,
                where=where,
                include=["metadatas", "documents", "distances"],
            )
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"The store query failed ({exc}); check the filters.") from exc
        rows = zip(
            result["ids"][0],
            (result["documents"] or [[]])[0],
            (result["metadatas"] or [[]])[0],
            (result["distances"] or [[]])[0],
            strict=True,
        )
        return [Hit(i, d or "", m or {}, 1.0 - float(dist)) for i, d, m, dist in rows]

    # -- writing -------------------------------------------------------------------------

    def upsert_posts(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        """Insert or replace post documents with their vectors."""
        self._upsert(self._posts, ids, vectors, documents, metadatas)

    def update_post_metadata(self, ids: Sequence[str], metadatas: Sequence[Metadata]) -> None:
        """Replace the metadata of posts whose text (and so vector) is unchanged."""
        for start in range(0, len(ids), self.max_batch):
            end = start + self.max_batch
            self._posts.update(ids=list(ids[start:end]), metadatas=list(metadatas[start:end]))

    def delete_posts(self, ids: Sequence[str]) -> None:
        """Remove post documents."""
        for chunk in _chunks(list(ids), self.max_batch):
            self._posts.delete(ids=chunk)

    def upsert_creators(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        """Insert or replace creator documents; call after their posts are in."""
        self._upsert(self._creators, ids, vectors, documents, metadatas)
        self._table = None

    def update_creators(self, ids: Sequence[str], metadatas: Sequence[Metadata]) -> None:
        """Replace the metadata of creators whose bio (and so vector) is unchanged."""
        for start in range(0, len(ids), self.max_batch):
            end = start + self.max_batch
            self._creators.update(ids=list(ids[start:end]), metadatas=list(metadatas[start:end]))
        self._table = None

    def _upsert(
        self,
        collection: Any,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        for start in range(0, len(ids), WRITE_CHUNK):
            end = start + WRITE_CHUNK
            collection.upsert(
                ids=list(ids[start:end]),
                embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                documents=list(documents[start:end]),
                metadatas=list(metadatas[start:end]),
            )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
