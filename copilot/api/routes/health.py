"""Liveness, readiness and model information."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

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


def model_info(request: Request) -> ModelInfo:
    enc = request.app.state.encoder
    if enc is None:
        return ModelInfo(loaded=False, degraded=True, error=request.app.state.model_error)
    m = enc.manifest
    return ModelInfo(
        loaded=True, degraded=False, name=m.name, version=m.version, kind=m.kind,
        heads={k: h.labels for k, h in m.heads.items()}, max_length=m.max_length,
    )


@router.get("/health/live")
def live() -> dict:
    return {"status": "ok"}


@router.get("/health/ready", response_model=ModelInfo)
def ready(request: Request):
    info = model_info(request)
    # Degraded is still ready: risk detection runs on the lexicon, loudly marked.
    return JSONResponse(info.model_dump(), status_code=200)


@router.get("/v1/model", response_model=ModelInfo)
def model(request: Request) -> ModelInfo:
    return model_info(request)
