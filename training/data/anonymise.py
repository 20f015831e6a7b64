"""Anonymisation of public texts: real people's handles, links and contacts become placeholders.

Uses the runtime's own recognisers (`copilot.pii`) so training text and redacted logs share one
vocabulary of placeholders. Authored data is fictional and is not passed through here: its
phone numbers and addresses are the very signal the `shares_contact` flag has to learn.
"""

from __future__ import annotations

import re

from copilot.pii import PLACEHOLDERS, redact

# Placeholders the dataset authors already put in place of handles and links.
_DATASET_USER = re.compile(r"\[USERNAME\]|\bUSER\b")
_DATASET_URL = re.compile(r"\[URL\]|\bURL\b")
_RETWEET = re.compile(r"(?:^|(?<=\s))RT\b:?")
_USER = re.escape(PLACEHOLDERS["USER"])
# A reply starts with the handles it answers; chat messages never do, so they go entirely.
_LEADING_MENTIONS = re.compile(rf"^(?:\s*(?:{_USER})\s*:?)+")


def anonymise(text: str) -> str:
    """Redact personal data (phones, e-mails, URLs, handles, NIK, addresses) with placeholders."""
    return redact(text)


def anonymise_tweet(text: str) -> str:
    """Like ``anonymise``, plus the dataset placeholders, retweet markers and reply prefixes."""
    text = _DATASET_USER.sub(PLACEHOLDERS["USER"], text)
    text = _DATASET_URL.sub(PLACEHOLDERS["URL"], text)
    text = redact(text)
    text = _RETWEET.sub(" ", text)
    return _LEADING_MENTIONS.sub("", text).strip()
