"""Fixtures for the storage, service and API tests: both real databases, the real analyzer.

Every test that asks for `db_url` runs twice: on embedded SQLite and on PostgreSQL
(127.0.0.1:5432, database `test`, a fresh schema per test session, dropped at the end).
PostgreSQL is skipped, with the reason shown, only when no server answers there.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import delete

PG_HOST = os.environ.get("COPILOT_TEST_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("COPILOT_TEST_PG_PORT", "5432")
PG_DB = os.environ.get("COPILOT_TEST_PG_DB", "test")
TEST_SECRET = "test-secret-" + "x" * 40
PASSWORD = "kata-sandi-uji-panjang"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """argon2 with production cost makes every test account cost ~0.1 s; tests use a cheap one."""
    from argon2 import PasswordHasher

    from copilot import security

    saved = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    yield
    security._hasher = saved


def _pg_admin_conn():
    import psycopg

    last = None
    for user in ("postgres", "root"):
        try:
            return psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DB, user=user,
                                   connect_timeout=3, autocommit=True), user
        except psycopg.OperationalError as exc:
            last = exc
    raise last  # type: ignore[misc]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh schema in the `test` database, migrated to head, dropped afterwards."""
    try:
        conn, user = _pg_admin_conn()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL unreachable at {PG_HOST}:{PG_PORT}/{PG_DB}: {exc}")
    schema = f"copilot_test_{secrets.token_hex(4)}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    url = (f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DB}"
           f"?options=-csearch_path%3D{schema}")
    try:
        yield url
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'copilot.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_url(request) -> str:
    """Each backend, migrated to head once per test session."""
    from copilot.db import make_engine, upgrade

    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def db_url(migrated_url) -> str:
    """A migrated, empty database (rows from earlier tests deleted)."""
    from copilot.db import make_engine
    from copilot.db.base import Base

    engine = make_engine(migrated_url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))
    engine.dispose()
    return migrated_url


@pytest.fixture
def db(db_url) -> Iterator:
    from copilot.db import Database

    database = Database.from_url(db_url)
    with database.session() as s:
        yield s
    database.dispose()


@pytest.fixture(scope="session")
def analyzer(tmp_path_factory):
    """The real Analyzer, degraded (no model directory): deterministic lexicon results."""
    from copilot.analyzer import Analyzer
    from copilot.settings import Settings

    return Analyzer.from_settings(Settings(model_dir=tmp_path_factory.mktemp("nomodel") / "absent"))


@pytest.fixture
def settings_factory(db_url, tmp_path):
    from copilot.settings import Settings

    def make(**overrides) -> Settings:
        base = dict(database_url=db_url, data_dir=tmp_path / "data", secret_key=TEST_SECRET,
                    escalation_timeout_s=3600, escalation_scan_interval_s=0.05,
                    ws_resync_interval_s=0.2, log_json=False)
        base.update(overrides)
        return Settings(**base)

    return make


@dataclass
class Account:
    id: uuid.UUID
    username: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class ApiHelper:
    """Set-up through the real API (accounts are created in storage, then log in over HTTP)."""

    def __init__(self, client, db_url: str):
        self.client = client
        self.db_url = db_url

    def account(self, role: str, supervisor: Account | None = None, name: str | None = None
                ) -> Account:
        from copilot.db import Database
        from copilot.services import accounts

        username = name or f"{role[:4]}-{secrets.token_hex(4)}"
        database = Database.from_url(self.db_url)
        with database.session() as s:
            u = accounts.create_user(s, username=username, password=PASSWORD, role=role,
                                     supervisor_id=supervisor.id if supervisor else None)
            uid = u.id
        database.dispose()
        r = self.client.post("/v1/auth/token", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return Account(uid, username, role, r.json()["access_token"])

    def session(self, counselor: Account, client_ref: str | None = None) -> str:
        r = self.client.post("/v1/sessions", headers=counselor.headers,
                             json={"client_ref": client_ref or f"app-{secrets.token_hex(4)}"})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def message(self, counselor: Account, session_id: str, text: str, role: str = "client") -> dict:
        r = self.client.post(f"/v1/sessions/{session_id}/messages", headers=counselor.headers,
                             json={"role": role, "text": text})
        assert r.status_code == 201, r.text
        return r.json()


@pytest.fixture
def app_factory(settings_factory, analyzer):
    from copilot.api.main import create_app

    def make(**overrides):
        return create_app(settings_factory(**overrides), analyzer=analyzer)

    return make


@pytest.fixture
def client(app_factory):
    from fastapi.testclient import TestClient

    with TestClient(app_factory()) as c:
        yield c


@pytest.fixture
def api(client, db_url) -> ApiHelper:
    return ApiHelper(client, db_url)


CRISIS_TEXT = "aku mau bunuh diri malam ini"


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


class LiveServer:
    """The real app under uvicorn on a free loopback port, in a background thread."""

    def __init__(self, app):
        import uvicorn

        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None,
                                                    lifespan="on", ws_ping_interval=None))
        self.thread = None
        self.port = 0

    def __enter__(self) -> LiveServer:
        import threading
        import time

        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("live server did not start")
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/ws/alerts"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
