from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from copilot.api.schemas.common import MessageText, Strict


class EvidencePublic(BaseModel):
    start: int
    end: int
    text: str
    origin: str
    rule: str | None = None


class AnalysisPublic(BaseModel):
    flags: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[EvidencePublic]]
    flag_origins: dict[str, list[str]]
    source: str
    degraded: bool
    skill: str | None = None
    emotion: str | None = None
    model: str | None = None
    model_version: str | None = None


class AnalyzeRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"role": "client", "texts": ["aku capek banget, rasanya pengen mati aja"]}]})

    role: Literal["client", "counselor"]
    texts: Annotated[list[MessageText], Field(min_length=1, max_length=32)]


class AnalyzeResponse(BaseModel):
    results: list[AnalysisPublic]


class LintRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"text": "kenapa sih kamu gak dari dulu ninggalin dia?"}]})

    text: MessageText


class RewordingPublic(BaseModel):
    rule: str
    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    alternatives: list[str]
    rewritten: list[str]


class LintFlagPublic(BaseModel):
    label: str
    score: float | None
    origins: list[str]
    evidence: list[EvidencePublic]
    rewordings: list[RewordingPublic]


class LintPublic(BaseModel):
    ok: bool = Field(description="true when the draft raised no flag")
    flags: list[LintFlagPublic]
    degraded: bool
    source: str
    model: str | None = None
    model_version: str | None = None
