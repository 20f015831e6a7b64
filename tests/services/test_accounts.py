"""Accounts and tokens as library calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from service_fixtures import PASSWORD, TEST_SECRET
from sqlalchemy import select, update

from copilot.db.models import AuditEvent
from copilot.services import accounts, sessions
from copilot.services.accounts import TokenPolicy
from copilot.services.errors import Conflict, InvalidInput, TooManyRequests, Unauthorized

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


def test_repeated_failed_logins_lock_the_account_until_the_window_passes(db):
    policy = TokenPolicy(TEST_SECRET, 60, 600, max_failed_logins=3, lockout_window_s=300)
    u = accounts.create_user(db, username="cici", password=PASSWORD, role="counselor")
    other = accounts.create_user(db, username="dedi", password=PASSWORD, role="counselor")
    for _ in range(2):
        with pytest.raises(Unauthorized):
            accounts.login(db, "cici", "wrong-password-123", policy)
    assert accounts.login(db, "cici", PASSWORD, policy)  # two failures: still open
    with pytest.raises(Unauthorized):
        accounts.login(db, "cici", "wrong-password-123", policy)
    # third failure inside the window: the right password is refused too, with a wait
    with pytest.raises(TooManyRequests) as locked:
        accounts.login(db, "cici", PASSWORD, policy)
    assert 0 < locked.value.retry_after_s <= 300
    with pytest.raises(TooManyRequests):
        accounts.login(db, "cici", PASSWORD, policy)  # refusals do not unlock it
    assert accounts.login(db, "dedi", PASSWORD, policy)  # other accounts are untouched
    assert accounts.login(db, "cici", PASSWORD, TokenPolicy(TEST_SECRET, 60, 600, 4, 300))
    refusals = db.scalars(select(AuditEvent).where(AuditEvent.actor_id == u.id,
                                                   AuditEvent.action == "auth.login_locked")).all()
    assert len(refusals) == 2 and all(e.outcome == "denied" for e in refusals)
    # an admin's unblock starts the count afresh
    admin = accounts.create_user(db, username="root", password=PASSWORD, role="admin")
    accounts.unblock_user(db, u.id, admin.id)
    assert accounts.login(db, "cici", PASSWORD, policy)
    for _ in range(3):
        with pytest.raises(Unauthorized):
            accounts.login(db, "cici", "wrong-password-123", policy)
    with pytest.raises(TooManyRequests):
        accounts.login(db, "cici", PASSWORD, policy)
    # once the failures are older than the window the account opens again
    db.execute(update(AuditEvent).where(AuditEvent.actor_id.in_([u.id, admin.id]))
               .values(at=datetime.now(UTC) - timedelta(seconds=301)))
    db.commit()
    assert accounts.login(db, "cici", PASSWORD, policy)
    assert other.id != u.id
