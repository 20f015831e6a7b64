"""Shared field types: text that every backend can store, ids and limits."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _storable(value: str) -> str:
    # PostgreSQL refuses NUL in text, and lone surrogates cannot be encoded as UTF-8.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value


CleanStr = Annotated[str, AfterValidator(_storable)]
# A hard ceiling for the schema; the configured, lower message limit is checked by the service
# (COPILOT_MAX_MESSAGE_CHARS) and the request body limit caps everything (413).
MessageText = Annotated[CleanStr, Field(min_length=1, max_length=100_000)]


class Strict(BaseModel):
    """Request bodies: unknown fields are an error (422 naming the field), not ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorPublic(BaseModel):
    detail: str
    code: str
