"""Log-in, token refresh (rotating) and log-out."""

from __future__ import annotations

from fastapi import APIRouter, status

from copilot.api.deps import DbDep, MetricsDep, TokenPolicyDep
from copilot.api.schemas.auth import LoginRequest, RefreshRequest, TokenPublic
from copilot.services import accounts
from copilot.services.errors import TooManyRequests

router = APIRouter(prefix="/v1/auth", tags=["auth"])


def _public(p: accounts.TokenPair) -> TokenPublic:
    return TokenPublic(access_token=p.access_token, expires_at=p.access_expires_at,
                       refresh_token=p.refresh_token, refresh_expires_at=p.refresh_expires_at)


@router.post("/token", response_model=TokenPublic, responses={
    401: {"description": "bad credentials"},
    429: {"description": "too many recent failed log-ins for this account; see Retry-After"}})
def login(body: LoginRequest, db: DbDep, policy: TokenPolicyDep, metrics: MetricsDep) -> TokenPublic:
    """Exchange username and password for a short-lived access token and a refresh token.

    After ``COPILOT_LOGIN_MAX_FAILURES`` failed log-ins of one account within
    ``COPILOT_LOGIN_LOCKOUT_WINDOW_S`` seconds, every log-in of that account is refused with 429
    and a Retry-After header until the oldest of those failures leaves the window."""
    try:
        return _public(accounts.login(db, body.username, body.password, policy))
    except TooManyRequests:
        metrics.login_lockouts.inc()
        raise


@router.post("/refresh", response_model=TokenPublic, responses={401: {"description": "revoked"}})
def refresh(body: RefreshRequest, db: DbDep, policy: TokenPolicyDep) -> TokenPublic:
    """Rotate a refresh token: the old one dies; replaying it revokes every token of the account."""
    return _public(accounts.refresh(db, body.refresh_token, policy))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(body: RefreshRequest, db: DbDep) -> None:
    """Revoke a refresh token (the access token expires on its own, in minutes)."""
    accounts.logout(db, body.refresh_token)
