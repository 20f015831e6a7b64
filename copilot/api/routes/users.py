"""Accounts: who am I (anyone), account management and blocking (admin only)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import Response

from copilot.api.deps import AdminUser, CurrentUser, DbDep, HubDep
from copilot.api.schemas.users import (
    BlockPublic,
    ClientExportRow,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from copilot.services import accounts

router = APIRouter(prefix="/v1/users", tags=["users"])
UserId = Annotated[uuid.UUID, Path(description="account id")]


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, db: DbDep, admin: AdminUser) -> UserPublic:
    """Create a counselor, supervisor or admin account (a counselor may name a supervisor)."""
    return UserPublic.model_validate(accounts.create_user(
        db, username=body.username, password=body.password, role=body.role,
        display_name=body.display_name, supervisor_id=body.supervisor_id, actor_id=admin.id))


@router.get("", response_model=list[UserPublic])
def list_users(db: DbDep, admin: AdminUser,
               role: Literal["counselor", "supervisor", "admin"] | None = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in accounts.list_users(db, role=role, limit=limit,
                                                                       offset=offset)]


@router.get("/{user_id}", response_model=UserPublic)
def get_user(user_id: UserId, db: DbDep, admin: AdminUser) -> UserPublic:
    return UserPublic.model_validate(accounts.get_user(db, user_id))


@router.patch("/{user_id}", response_model=UserPublic)
def update_user(user_id: UserId, body: UserUpdate, db: DbDep, admin: AdminUser) -> UserPublic:
    clear = "supervisor_id" in body.model_fields_set and body.supervisor_id is None
    return UserPublic.model_validate(accounts.update_user(
        db, user_id, actor_id=admin.id, display_name=body.display_name,
        supervisor_id=body.supervisor_id, clear_supervisor=clear, password=body.password))


@router.post("/{user_id}/block", response_model=BlockPublic)
def block_user(user_id: UserId, db: DbDep, admin: AdminUser, hub: HubDep) -> BlockPublic:
    """Block an account (guideline 1.3): its next request fails, its sockets close, its tokens
    are revoked; the response lists its clients, who must be informed."""
    user = accounts.block_user(db, user_id, admin.id)
    sockets = hub.connections(user.id)
    hub.disconnect_threadsafe(user.id)
    clients = accounts.clients_of(db, user.id, admin.id)
    return BlockPublic(user=UserPublic.model_validate(user), tokens_revoked=True,
                       sockets_closed=sockets,
                       clients=[ClientExportRow.model_validate(c) for c in clients])


@router.post("/{user_id}/unblock", response_model=UserPublic)
def unblock_user(user_id: UserId, db: DbDep, admin: AdminUser) -> UserPublic:
    return UserPublic.model_validate(accounts.unblock_user(db, user_id, admin.id))


@router.get("/{user_id}/clients", response_model=list[ClientExportRow],
            responses={200: {"content": {"text/csv": {}}}})
def export_clients(user_id: UserId, db: DbDep, admin: AdminUser,
                   format: Literal["json", "csv"] = "json"):  # noqa: A002
    """The clients an account has sessions with, as JSON or CSV (pseudonymous references)."""
    rows = [ClientExportRow.model_validate(c) for c in accounts.clients_of(db, user_id, admin.id)]
    if format == "json":
        return rows
    buf = io.StringIO()
    w = csv.writer(buf)
    fields = list(ClientExportRow.model_fields)
    w.writerow(fields)
    for r in rows:
        d = r.model_dump(mode="json")
        w.writerow([d[f] for f in fields])
    return Response(buf.getvalue(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="clients-{user_id}.csv"'})
