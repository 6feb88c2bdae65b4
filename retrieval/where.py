"""Chroma ``where`` clauses evaluated in memory, per document or over a table of creators.

Why: Chroma applies a metadata filter by first listing every document that satisfies it, so a
broad filter over a big collection is slow (about a second over 90,000 posts on two busy cores,
against a few milliseconds unfiltered). Hard filters are all creator fields, so the store can
find the allowed creators in a small in-memory table, ask Chroma for more unfiltered neighbours,
and keep the allowed ones; :func:`matches` then checks each kept document's own metadata.

Supported: ``$and``, ``$or``, ``{key: value}``, and ``$eq $ne $in $nin $gt $gte $lt $lte``. A
missing key satisfies no condition. Anything else raises :class:`Unsupported`, and the caller
lets Chroma filter instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

Where = dict[str, Any]

CREATOR_FIELDS = (
    "creator_id",
    "platform",
    "country",
    "language",
    "tier",
    "followers",
    "engagement_rate",
    "price_usd",
)
_NUMERIC = {"followers", "engagement_rate", "price_usd"}


class Unsupported(ValueError):
    """A clause this module does not evaluate; let Chroma do it."""


def _conditions(where: Where) -> list[tuple[str, str, Any]]:
    """``where`` as (key, operator, value) leaves; raises Unsupported for $or and unknowns."""
    out: list[tuple[str, str, Any]] = []
    for key, value in where.items():
        if key == "$and":
            for part in value:
                out.extend(_conditions(part))
        elif key.startswith("$"):
            raise Unsupported(key)
        elif isinstance(value, dict):
            if len(value) != 1:
                raise Unsupported(f"{key}: {value}")
            ((op, operand),) = value.items()
            if op not in ("$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte"):
                raise Unsupported(op)
            out.append((key, op, operand))
        else:
            out.append((key, "$eq", value))
    return out


def _test(op: str, actual: Any, operand: Any) -> bool:
    if op == "$eq":
        return bool(actual == operand)
    if op == "$ne":
        return bool(actual != operand)
    if op == "$in":
        return actual in operand
    if op == "$nin":
        return actual not in operand
    if isinstance(actual, str) or isinstance(operand, str):
        return False  # Chroma compares numbers only
    if op == "$gt":
        return bool(actual > operand)
    if op == "$gte":
        return bool(actual >= operand)
    if op == "$lt":
        return bool(actual < operand)
    return bool(actual <= operand)


def matches(where: Where | None, meta: Mapping[str, Any]) -> bool:
    """Whether one document's metadata satisfies ``where``."""
    if not where:
        return True
    if "$or" in where and len(where) == 1:
        return any(matches(part, meta) for part in where["$or"])
    return all(
        key in meta and _test(op, meta[key], operand) for key, op, operand in _conditions(where)
    )


def creator_level(where: Where) -> bool:
    """Whether ``where`` only reads creator fields, in a form the table evaluates."""
    try:
        return all(key in CREATOR_FIELDS for key, _, _ in _conditions(where))
    except Unsupported:
        return False


def owner_index(doc_id: str, table: CreatorTable) -> int:
    """Row of the creator a document belongs to: a bio's id is the creator id, a post's is
    ``<creator id>::<post id>``. -1 when unknown (mask arrays end with a False for it)."""
    found = table.index.get(doc_id)
    start = 0
    while found is None:
        cut = doc_id.find("::", start)
        if cut < 0:
            return -1
        found = table.index.get(doc_id[:cut])
        start = cut + 2
    return found


class CreatorTable:
    """Creators' filterable fields as columns, to evaluate a creator-level ``where`` at once."""

    def __init__(self, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        ids: list[str] = []
        columns: dict[str, list[Any]] = {name: [] for name in CREATOR_FIELDS}
        for creator_id, meta in rows:
            ids.append(creator_id)
            for name in CREATOR_FIELDS:
                value = creator_id if name == "creator_id" else meta.get(name)
                columns[name].append(value)
        self.ids = ids
        self.index = {creator_id: i for i, creator_id in enumerate(ids)}
        self._present = {
            name: np.array([v is not None for v in columns[name]], dtype=bool)
            for name in CREATOR_FIELDS
        }
        self._columns = {
            name: np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
            if name in _NUMERIC
            else np.array(["" if v is None else str(v) for v in values], dtype=object)
            for name, values in columns.items()
        }

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, where: Where) -> np.ndarray:
        """One boolean per creator: whether the creator satisfies ``where``; one more, False,
        at the end for documents of unknown creators (index -1)."""
        keep = np.ones(len(self.ids), dtype=bool)
        for key, op, operand in _conditions(where):
            column = self._columns[key]
            if op in ("$in", "$nin"):
                hit = np.isin(column, np.array(list(operand), dtype=column.dtype))
                hit = hit if op == "$in" else ~hit
            elif op in ("$eq", "$ne"):
                hit = column == operand
                hit = hit if op == "$eq" else ~hit
            elif key not in _NUMERIC or isinstance(operand, str):
                hit = np.zeros(len(self.ids), dtype=bool)
            else:
                with np.errstate(invalid="ignore"):
                    hit = {
                        "$gt": column > operand,
                        "$gte": column >= operand,
                        "$lt": column < operand,
                        "$lte": column <= operand,
                    }[op]
            keep &= hit & self._present[key]
        return np.append(keep, False)
