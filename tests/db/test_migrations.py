"""Migrations: they ship with the package, match the models exactly, and run on both
databases (up, down, up again)."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from copilot.db import make_engine, upgrade
from copilot.db.base import Base
from copilot.db.migrate import MIGRATIONS_DIR, alembic_config, current_revision, head_revision


def test_migrations_ship_inside_the_package():
    assert (MIGRATIONS_DIR / "alembic.ini").is_file()
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("r*.py"))
    import tomllib

    from service_fixtures import repo_root

    data = tomllib.loads((repo_root() / "pyproject.toml").read_text())
    shipped = data["tool"]["setuptools"]["package-data"]["copilot"]
    assert {"migrations/alembic.ini", "migrations/script.py.mako",
            "migrations/versions/*.py"} <= set(shipped)


def test_schema_at_head_matches_the_models(migrated_url):
    engine = make_engine(migrated_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    engine.dispose()
    assert diff == []
    assert current_revision(make_engine(migrated_url)) == head_revision()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    """An empty database of each backend (a new schema on PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    import psycopg

    base = request.getfixturevalue("postgres_url").split("?")[0]
    schema = f"copilot_fresh_{secrets.token_hex(4)}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as c:
            c.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_upgrade_downgrade_upgrade(fresh_url):
    from alembic import command

    engine = make_engine(fresh_url)
    upgrade(engine)
    upgrade(engine)  # idempotent
    assert "alerts" in inspect(engine).get_table_names()
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert "alerts" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_timestamps_come_back_as_utc(db):
    from copilot.db.models import User

    u = User(username=f"u{uuid.uuid4().hex[:8]}", password_hash="x", role="admin")
    db.add(u)
    db.commit()
    db.expire_all()
    got = db.get(User, u.id).created_at
    assert got.tzinfo is not None and got.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - got).total_seconds()) < 60


def test_constraints_hold_on_both_backends(db):
    from sqlalchemy.exc import IntegrityError

    from copilot.db.models import User

    db.add(User(username="dup", password_hash="x", role="admin"))
    db.commit()
    db.add(User(username="dup", password_hash="x", role="admin"))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    db.add(User(username="badrole", password_hash="x", role="root"))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_unsupported_database_fails_fast():
    with pytest.raises(ValueError, match="E601"):
        make_engine("mysql://x@localhost/db")
