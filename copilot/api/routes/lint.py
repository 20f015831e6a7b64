"""Draft lint: check a counselor's message before it is sent."""

from __future__ import annotations

from fastapi import APIRouter

from copilot.api.deps import AnalyzerDep, CurrentUser, SettingsDep
from copilot.api.schemas.analysis import LintPublic, LintRequest
from copilot.api.views import lint_public
from copilot.services.lint import lint_analysis
from copilot.services.messages import check_text

router = APIRouter(prefix="/v1", tags=["analysis"])


@router.post("/lint", response_model=LintPublic)
def lint(body: LintRequest, user: CurrentUser, runner: AnalyzerDep,
         settings: SettingsDep) -> LintPublic:
    """Flags on a draft (judgmental, imposes_beliefs, shares_contact, off_platform) with the
    offending span, and gentler Indonesian rewordings for judgmental / imposes_beliefs."""
    check_text(body.text, settings.max_message_chars)
    [a] = runner.analyze([body.text], "counselor")
    return lint_public(lint_analysis(body.text, a))
