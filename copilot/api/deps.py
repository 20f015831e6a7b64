"""Dependencies as `Annotated` aliases: routes declare what they need, tests override it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from copilot.db.models import User
from copilot.metrics import Metrics
from copilot.services import accounts
from copilot.services.accounts import TokenPolicy
from copilot.services.alert_hub import AlertHub
from copilot.services.analysis_runner import AnalysisRunner
from copilot.services.errors import Forbidden, Unauthorized
from copilot.settings import Settings
from copilot.suggest import Suggester

_bearer = HTTPBearer(auto_error=False, description="access token from POST /v1/auth/token")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.db.session() as s:
        yield s


def get_analyzer(request: Request) -> AnalysisRunner:
    """The analyzer loaded at start-up (override in tests)."""
    return request.app.state.runner


def get_suggester(request: Request) -> Suggester:
    """The suggestion engine built at start-up (bank checked and embedded once)."""
    return request.app.state.suggester


def get_hub(request: Request) -> AlertHub:
    return request.app.state.hub


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


def get_token_policy(request: Request) -> TokenPolicy:
    return request.app.state.token_policy


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Session, Depends(get_db)]
AnalyzerDep = Annotated[AnalysisRunner, Depends(get_analyzer)]
HubDep = Annotated[AlertHub, Depends(get_hub)]
SuggesterDep = Annotated[Suggester, Depends(get_suggester)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
TokenPolicyDep = Annotated[TokenPolicy, Depends(get_token_policy)]


def get_current_user(db: DbDep, policy: TokenPolicyDep,
                     creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> User:
    """The caller's live account; checked against storage on every request (blocking is instant)."""
    if creds is None or not creds.credentials:
        raise Unauthorized("missing bearer token")
    return accounts.user_for_access_token(db, policy.secret, creds.credentials)


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_admin(user: CurrentUser) -> User:
    if user.role != "admin":
        raise Forbidden("admin only")
    return user


AdminUser = Annotated[User, Depends(require_admin)]
