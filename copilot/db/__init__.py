"""Storage: SQLAlchemy models, engines and Alembic migrations (SQLite embedded, PostgreSQL)."""

from copilot.db.engine import Database, make_engine
from copilot.db.migrate import upgrade

__all__ = ["Database", "make_engine", "upgrade"]
