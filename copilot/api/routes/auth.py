"""Log-in, token refresh (rotating) and log-out."""

from __future__ import annotations

from fastapi import APIRouter, status

from copilot.api.deps import DbDep, TokenPolicyDep
from copilot.api.schemas.auth import LoginRequest, RefreshRequest, TokenPublic
from copilot.services import accounts

router = APIRouter(prefix="/v1/auth", tags=["auth"])


def _public(p: accounts.TokenPair) -> TokenPublic:
    return TokenPublic(access_token=p.access_token, expires_at=p.access_expires_at,
                       refresh_token=p.refresh_token, refresh_expires_at=p.refresh_expires_at)


@router.post("/token", response_model=TokenPublic, responses={401: {"description": "bad credentials"}})
def login(body: LoginRequest, db: DbDep, policy: TokenPolicyDep) -> TokenPublic:
    """Exchange username and password for a short-lived access token and a refresh token."""
    return _public(accounts.login(db, body.username, body.password, policy))


@router.post("/refresh", response_model=TokenPublic, responses={401: {"description": "revoked"}})
def refresh(body: RefreshRequest, db: DbDep, policy: TokenPolicyDep) -> TokenPublic:
    """Rotate a refresh token: the old one dies; replaying it revokes every token of the account."""
    return _public(accounts.refresh(db, body.refresh_token, policy))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(body: RefreshRequest, db: DbDep) -> None:
    """Revoke a refresh token (the access token expires on its own, in minutes)."""
    accounts.logout(db, body.refresh_token)
