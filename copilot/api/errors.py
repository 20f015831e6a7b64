"""Error responses: typed service errors, strict validation (422 naming the field), and no
stack traces or request content in any response."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from copilot.services.errors import InvalidInput, ServiceError, TooManyRequests, Unauthorized

log = logging.getLogger(__name__)


def _request_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after_s)}
        if isinstance(exc, InvalidInput):
            loc = ["body", exc.field] if exc.field else ["body"]
            body = {"detail": [{"loc": loc, "msg": exc.message, "type": exc.code}], "code": exc.code}
        else:
            body = {"detail": exc.message, "code": exc.code}
        return JSONResponse(body, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Echo where and why, never the submitted value (it may be a client's message).
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors, "code": "E422"}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, "code": f"E{exc.status_code}"},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    async def db_down(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", type(exc.orig).__name__ if exc.orig else exc)
        return JSONResponse({"detail": "storage unavailable, retry later", "code": "E503"},
                            status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"request_id": _request_id(request)})
        return JSONResponse({"detail": "internal error", "code": "E500",
                             "request_id": _request_id(request)}, status_code=500)
