"""Downloads: the shortlist (or the matches on screen) as CSV for a spreadsheet.

Only creator data and the marketer's own notes go in; nothing from the settings, so no key or
token can leak. Text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) get a leading apostrophe; handles are written
without their ``@`` for the same reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from app.models import Match
from app.pipeline import PipelineEntry

COLUMNS = (
    "handle",
    "name",
    "platform",
    "country",
    "language",
    "followers",
    "tier",
    "engagement_rate_pct",
    "engagement_percentile",
    "price_usd",
    "price_basis",
    "niches",
    "risk_signals",
    "score",
    "reasons",
    "stage",
    "reject_reason",
    "notes",
    "drafts",
    "creator_id",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A value safe to open in a spreadsheet: formula-like text is neutralised."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def match_row(found: Match) -> dict[str, object]:
    """The CSV columns that come from a match."""
    scores = found.scores
    price = scores.price if scores else None
    return {
        "handle": found.handle.lstrip("@"),
        "name": found.name,
        "platform": found.platform,
        "country": found.country or "",
        "language": found.language or "",
        "followers": found.followers,
        "tier": found.tier,
        "engagement_rate_pct": round(found.engagement_rate, 2),
        "engagement_percentile": (
            round(scores.engagement_percentile, 1)
            if scores and scores.engagement_percentile is not None
            else ""
        ),
        "price_usd": round(price.usd, 2) if price else "",
        "price_basis": price.basis if price else "",
        "niches": "; ".join(found.niches),
        "risk_signals": "; ".join(s.name for s in scores.risk_signals) if scores else "",
        "score": found.score,
        "reasons": "; ".join(found.reasons),
        "creator_id": found.creator_id,
    }


def entry_row(entry: PipelineEntry) -> dict[str, object]:
    """The CSV row of a pipeline entry: its match snapshot plus stage, notes and drafts."""
    row: dict[str, object] = (
        match_row(entry.snapshot)
        if entry.snapshot
        else {
            "handle": entry.handle.lstrip("@"),
            "platform": entry.platform,
            "creator_id": entry.creator_id,
        }
    )
    row.update(
        {
            "stage": entry.stage,
            "reject_reason": entry.reject_reason or "",
            "notes": " | ".join(note.text for note in entry.notes),
            "drafts": len(entry.drafts),
        }
    )
    return row


def to_csv(rows: Iterable[dict[str, object]]) -> str:
    """Rows as CSV text with the fixed column set."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", restval="")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: cell(value) for key, value in row.items()})
    return buffer.getvalue()


def shortlist_csv(entries: Sequence[PipelineEntry]) -> str:
    """A brand's pipeline entries as CSV."""
    return to_csv(entry_row(entry) for entry in entries)


def matches_csv(matches: Sequence[Match]) -> str:
    """The matches on screen as CSV."""
    return to_csv(match_row(found) for found in matches)
