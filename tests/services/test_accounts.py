"""Accounts and tokens as library calls."""

from __future__ import annotations

import pytest
from service_fixtures import PASSWORD, TEST_SECRET

from copilot.services import accounts, sessions
from copilot.services.accounts import TokenPolicy
from copilot.services.errors import Conflict, InvalidInput, Unauthorized

POLICY = TokenPolicy(TEST_SECRET, 60, 600)


def test_login_and_token_version(db):
    u = accounts.create_user(db, username="ani", password=PASSWORD, role="counselor")
    pair = accounts.login(db, "ani", PASSWORD, POLICY)
    assert accounts.user_for_access_token(db, TEST_SECRET, pair.access_token).id == u.id
    with pytest.raises(Unauthorized):
        accounts.login(db, "ani", "wrong-password-123", POLICY)
    admin = accounts.create_user(db, username="root", password=PASSWORD, role="admin")
    accounts.block_user(db, u.id, admin.id)
    with pytest.raises(Unauthorized):
        accounts.user_for_access_token(db, TEST_SECRET, pair.access_token)
    with pytest.raises(Unauthorized):
        accounts.refresh(db, pair.refresh_token, POLICY)


def test_password_reset_ends_every_login(db):
    admin = accounts.create_user(db, username="root", password=PASSWORD, role="admin")
    u = accounts.create_user(db, username="budi", password=PASSWORD, role="counselor")
    pair = accounts.login(db, "budi", PASSWORD, POLICY)
    accounts.update_user(db, u.id, actor_id=admin.id, password="another-long-password")
    with pytest.raises(Unauthorized):
        accounts.user_for_access_token(db, TEST_SECRET, pair.access_token)
    assert accounts.login(db, "budi", "another-long-password", POLICY)


def test_account_rules(db):
    admin = accounts.create_user(db, username="root", password=PASSWORD, role="admin")
    with pytest.raises(Conflict):
        accounts.create_user(db, username="root", password=PASSWORD, role="admin")
    with pytest.raises(InvalidInput):  # a supervisor must be a supervisor account
        accounts.create_user(db, username="c1", password=PASSWORD, role="counselor",
                             supervisor_id=admin.id)
    with pytest.raises(Conflict):
        accounts.block_user(db, admin.id, admin.id)
    c = accounts.create_user(db, username="c2", password=PASSWORD, role="counselor")
    with pytest.raises(Exception) as exc:
        sessions.create_session(db, admin, "x")
    assert exc.value.status == 403
    sessions.create_session(db, c, "same-client")
    sessions.create_session(db, c, "same-client")
    [row] = accounts.clients_of(db, c.id, admin.id)
    assert (row.client_ref, row.sessions, row.open_sessions) == ("same-client", 2, 2)
    assert row.pseudonym.startswith("klien-") and row.first_session_at.tzinfo is not None
