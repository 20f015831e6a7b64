"""Typed errors with codes; the API maps each kind to one HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "E400"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class Unauthorized(ServiceError):
    status = 401
    code = "E401"


class Forbidden(ServiceError):
    status = 403
    code = "E403"


class NotFound(ServiceError):
    """Also what someone gets for an object they may not see: existence is not leaked."""

    status = 404
    code = "E404"


class Conflict(ServiceError):
    status = 409
    code = "E409"


class TooManyRequests(ServiceError):
    """Refused for now; ``retry_after_s`` says when to try again (429 with Retry-After)."""

    status = 429
    code = "E429"

    def __init__(self, message: str, *, retry_after_s: int, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after_s = max(1, int(retry_after_s))


class InvalidInput(ServiceError):
    """A value that passed the schema but breaks a configured limit (422, naming the field)."""

    status = 422
    code = "E422"
