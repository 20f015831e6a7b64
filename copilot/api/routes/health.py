"""Liveness, readiness and model information."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

router = APIRouter(tags=["health"])


class ModelInfo(BaseModel):
    loaded: bool
    degraded: bool
    name: str | None = None
    version: str | None = None
    kind: str | None = None
    heads: dict[str, list[str]] = {}
    max_length: int | None = None
    error: str | None = None
    lexicon: str | None = None


class ReadyInfo(ModelInfo):
    database: str = "ok"


def model_info(request: Request) -> ModelInfo:
    runner = getattr(request.app.state, "runner", None)
    if runner is None:
        return ModelInfo(loaded=False, degraded=True, error="analyzer not loaded yet")
    info = dict(runner.info())
    return ModelInfo(**{k: v for k, v in info.items() if k in ModelInfo.model_fields})


def _ping(request: Request) -> str:
    try:
        with request.app.state.db.engine.connect() as c:
            c.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # noqa: BLE001  (readiness reports, never raises)
        return f"unavailable: {type(exc).__name__}"


@router.get("/health/live")
def live() -> dict:
    return {"status": "ok"}


@router.get("/health/ready", response_model=ReadyInfo,
            responses={503: {"description": "storage unavailable"}})
async def ready(request: Request):
    info = model_info(request)
    database = await run_in_threadpool(_ping, request)
    body = ReadyInfo(**info.model_dump(), database=database)
    # Degraded is still ready: risk detection runs on the lexicon, loudly marked.
    return JSONResponse(body.model_dump(), status_code=200 if database == "ok" else 503)


@router.get("/v1/model", response_model=ModelInfo)
def model(request: Request) -> ModelInfo:
    return model_info(request)
