"""What the command line does to storage: migrate it, and create the first admin."""

from __future__ import annotations

from copilot.db import Database, upgrade
from copilot.db.migrate import current_revision
from copilot.db.models import User
from copilot.services import accounts
from copilot.settings import Settings


def upgrade_database(settings: Settings) -> str | None:
    """Bring the configured database to the newest schema; return its revision."""
    db = Database.from_url(settings.resolved_database_url())
    try:
        upgrade(db.engine)
        return current_revision(db.engine)
    finally:
        db.dispose()


def create_account(settings: Settings, username: str, password: str, role: str = "admin") -> User:
    """Create an account directly in storage (migrating first): how the first admin is made."""
    db = Database.from_url(settings.resolved_database_url())
    try:
        upgrade(db.engine)
        with db.session() as s:
            return accounts.create_user(s, username=username, password=password, role=role)
    finally:
        db.dispose()
