"""The HTTP service: a thin shell around the copilot library. Models load once, at start-up."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from copilot import __version__
from copilot.api.routes import health
from copilot.model_dir import ModelDirError
from copilot.onnx_encoder import OnnxEncoder
from copilot.settings import Settings

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings: Settings = app.state.settings
    app.state.encoder = None
    app.state.model_error = None
    try:
        app.state.encoder = OnnxEncoder(settings.model_dir, threads=settings.threads,
                                        verify=settings.verify_model)
    except ModelDirError as exc:
        # Serving goes on degraded (the lexicon safety net still runs); readiness says so.
        app.state.model_error = str(exc)
        log.error("model not loaded, serving degraded: %s", exc)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="Konselor Copilot", version=__version__, lifespan=lifespan)
    app.state.settings = settings or Settings()
    app.include_router(health.router)
    return app
