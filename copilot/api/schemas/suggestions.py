from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SuggestionType = Literal["open_question", "closed_question", "reflection", "summary", "protocol"]


class SuggestionPublic(BaseModel):
    type: SuggestionType
    text: str = Field(description="Indonesian text the counselor may send or adapt")
    why: str = Field(description="why it was chosen (Indonesian, for the counselor)")
    source: Literal["protocol", "opening", "reflection", "bank", "guideline"]
    bank_id: str | None = Field(None, description="suggestion-bank line id")
    score: float | None = None
    skill: str | None = Field(None, description="what the skill head says the text is")
    skill_checked: bool
    turns: list[str] = Field(description="ids of the messages it answers")


class SuggestionsPublic(BaseModel):
    items: list[SuggestionPublic] = Field(description="3-5 suggestions, best first")
    phase: Literal["opening", "exploration", "risk", "closing"]
    opening_missing: list[str]
    open_alerts: list[str]
    degraded: bool
    latency_ms: float
    model: str | None
    version: str
    dropped: dict[str, int] = Field(description="candidates the lint or skill gate removed")
