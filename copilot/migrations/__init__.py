"""Alembic migrations, shipped with the package so `copilot serve` can migrate at start-up."""
