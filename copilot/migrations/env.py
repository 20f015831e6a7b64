"""Alembic environment: runs on the connection `copilot.db.migrate.upgrade` hands over, or on
the configured URL when the `alembic` command line is used directly."""

from __future__ import annotations

from alembic import context

from copilot.db import models  # noqa: F401  (registers the tables)
from copilot.db.base import Base


def _configured() -> bool:
    # Importing this module outside Alembic (the runtime import test does) must do nothing.
    try:
        context.config  # noqa: B018
    except (NameError, AttributeError):
        return False
    return True


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by table copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from copilot.db.engine import make_engine  # noqa: PLC0415
    from copilot.settings import Settings  # noqa: PLC0415

    url = context.config.get_main_option("sqlalchemy.url") or Settings().resolved_database_url()
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if _configured():
    run_migrations()
