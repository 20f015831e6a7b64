"""The HTTP service: a thin shell around the copilot library. Models load once, at start-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from copilot import __version__
from copilot.api import errors
from copilot.api.middleware import BodyLimitMiddleware, RequestContextMiddleware
from copilot.api.routes import (
    alert_socket,
    alerts,
    analyze,
    audit,
    auth,
    health,
    lint,
    messages,
    metrics,
    review,
    sessions,
    suggestions,
    summaries,
    users,
)
from copilot.db import Database, upgrade
from copilot.db.migrate import current_revision, head_revision
from copilot.metrics import Metrics
from copilot.security import load_or_create_secret
from copilot.services import escalation
from copilot.services.accounts import TokenPolicy
from copilot.services.alert_hub import AlertHub
from copilot.services.analysis_runner import AnalysisRunner
from copilot.settings import Settings
from copilot.suggest import SuggestionBank, Suggester

if TYPE_CHECKING:
    from copilot.analyzer import Analyzer

log = logging.getLogger(__name__)

DESCRIPTION = """
Real-time help for counselors of an Indonesian online-counseling app: risk alerts on client
messages (with the guideline's protocol steps), a lint on counselor drafts with gentler
rewordings, supervisor escalation, sidebar suggestions, pre-filled session summaries with
approval, and supervisor review. Every flag says where it came from; results produced without
the model are marked `degraded`.

Authenticate with `POST /v1/auth/token`, then send `Authorization: Bearer <access_token>`.
Alerts (and, after each client message, `suggestions` frames) arrive on the WebSocket
`/v1/ws/alerts` (see the README).
"""


def _default_analyzer(settings: Settings) -> Analyzer:
    from copilot.analyzer import Analyzer  # noqa: PLC0415  (loads onnxruntime)

    return Analyzer.from_settings(settings)


async def _escalation_loop(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    db: Database = app.state.db

    def scan_once() -> list[escalation.Escalated]:
        with db.session() as s:
            return escalation.scan(s, settings.escalation_timeout_s)

    while True:
        try:
            for e in await run_in_threadpool(scan_once):
                app.state.metrics.escalations.labels(str(e.supervisor_id is not None).lower()).inc()
                if e.supervisor_id is not None:
                    app.state.hub.publish(e.supervisor_id, f"escalation:{e.alert_id}", e.frame)
        except asyncio.CancelledError:
            raise
        except Exception:  # storage hiccup: the next scan retries from stored state
            log.exception("escalation scan failed")
        await asyncio.sleep(settings.escalation_scan_interval_s)


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings: Settings = app.state.settings
    app.state.token_policy = TokenPolicy(load_or_create_secret(settings),
                                         settings.access_token_ttl_s, settings.refresh_token_ttl_s,
                                         settings.login_max_failures,
                                         settings.login_lockout_window_s)
    db = Database.from_url(settings.resolved_database_url())
    if settings.migrate_on_start:
        await run_in_threadpool(upgrade, db.engine)
    else:
        current, head = await run_in_threadpool(current_revision, db.engine), head_revision()
        if current != head:
            raise RuntimeError(f"E604 database schema is at {current}, code expects {head}: "
                               "run `copilot db upgrade`")
    app.state.db = db
    analyzer = app.state.analyzer or await run_in_threadpool(app.state.analyzer_factory, settings)
    app.state.runner = AnalysisRunner(analyzer, settings.analysis_workers, app.state.metrics)
    if app.state.suggester is None:
        # The bank is linted, skill-checked and embedded once; a broken bank stops start-up.
        bank = SuggestionBank.load(settings.suggestion_bank) if settings.suggestion_bank else SuggestionBank.load()
        app.state.suggester = await run_in_threadpool(lambda: Suggester(analyzer, bank.prepare(analyzer)))
    app.state.metrics.model_degraded.set(1 if analyzer.degraded else 0)
    app.state.hub.bind(asyncio.get_running_loop())
    task = asyncio.create_task(_escalation_loop(app))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        db.dispose()


def create_app(settings: Settings | None = None, analyzer: Analyzer | None = None,
               analyzer_factory: Callable[[Settings], Analyzer] | None = None,
               suggester: Suggester | None = None) -> FastAPI:
    """Build the service. ``analyzer`` (and ``suggester``, built on it) reuse already loaded
    ones (tests share them)."""
    settings = settings or Settings()
    app = FastAPI(title="Konselor Copilot", version=__version__, lifespan=lifespan,
                  description=DESCRIPTION)
    app.state.settings = settings
    app.state.analyzer = analyzer
    app.state.analyzer_factory = analyzer_factory or _default_analyzer
    app.state.suggester = suggester
    app.state.metrics = Metrics()
    app.state.hub = AlertHub()
    errors.install(app)
    for module in (health, metrics, auth, users, sessions, messages, alerts, alert_socket, lint,
                   analyze, audit, suggestions, summaries, review):
        app.include_router(module.router)
    # Outermost last: the body limit applies before anything reads the body.
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    return app
