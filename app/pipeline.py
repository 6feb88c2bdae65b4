"""What a brand's pipeline is: the stages a creator moves through, and the entries, notes and
outreach drafts a marketer keeps. :mod:`app.review` stores them in SQLite.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

from app.errors import InputError
from app.models import Match

Stage = Literal[
    "suggested", "shortlisted", "contacted", "negotiating", "agreed", "declined", "rejected"
]
STAGES: tuple[Stage, ...] = get_args(Stage)
#: Stages of creators the brand is working with (what "the shortlist" means in exports/briefs).
SHORTLIST_STAGES: tuple[Stage, ...] = ("shortlisted", "contacted", "negotiating", "agreed")


class Note(BaseModel):
    """A marketer's note on a creator."""

    id: int
    text: str
    created_at: datetime


class SavedDraft(BaseModel):
    """An outreach draft kept for a creator."""

    id: int
    creator_id: str
    kind: str = Field(description="email or dm")
    text: str
    post_id: str | None = None
    grounding: dict[str, Any] | None = None
    created_at: datetime


class PipelineEntry(BaseModel):
    """A creator in a brand's pipeline."""

    creator_id: str
    handle: str
    platform: str
    stage: Stage
    reject_reason: str | None = None
    snapshot: Match | None = Field(None, description="The match as last shown.")
    updated_at: datetime
    notes: list[Note] = Field(default_factory=list)
    drafts: list[SavedDraft] = Field(default_factory=list)


def check_stage(stage: str) -> Stage:
    """A valid stage name, or an error that lists them."""
    if stage not in STAGES:
        raise InputError(f"Unknown stage {stage!r}; use one of: {', '.join(STAGES)}.")
    return stage  # type: ignore[return-value]
