"""Stateless analysis: nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter

from copilot.api.deps import AnalyzerDep, CurrentUser, SettingsDep
from copilot.api.schemas.analysis import AnalyzeRequest, AnalyzeResponse
from copilot.api.views import analysis_public
from copilot.services.messages import check_text

router = APIRouter(prefix="/v1", tags=["analysis"])


@router.post("/analyze", response_model=AnalyzeResponse)
def analyze(body: AnalyzeRequest, user: CurrentUser, runner: AnalyzerDep,
            settings: SettingsDep) -> AnalyzeResponse:
    """Analyse up to 32 texts of one role; every flag says where it came from."""
    for i, t in enumerate(body.texts):
        check_text(t, settings.max_message_chars, f"texts[{i}]")
    return AnalyzeResponse(results=[analysis_public(a) for a in runner.analyze(body.texts, body.role)])
