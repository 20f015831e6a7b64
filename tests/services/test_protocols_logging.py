"""Protocol steps per label (guideline item 8, MAP.md) and redacted structured logs."""

from __future__ import annotations

import io
import json
import logging

import pytest

from copilot.labels import CLIENT_RISK, CRISIS
from copilot.protocols import PROTOCOLS, protocol_for


@pytest.mark.parametrize(("label", "must_say"), [
    ("suicidal", ["119", "psikolog atau psikiater", "tatap muka"]),
    ("harm_others", ["konsekuensi", "wajib melapor ke polisi"]),
    ("kdrt", ["safety plan"]),
    ("acute_disorder", ["psikolog atau psikiater"]),
    ("physical", ["dokter"]),
    ("meet_request", ["daftar tempat konseling"]),
    ("abusive", ["tenang", "mengakhiri layanan"]),
])
def test_protocol_steps_follow_the_guideline(label, must_say):
    steps = " ".join(protocol_for(label).steps)
    for phrase in must_say:
        assert phrase in steps, (label, phrase)


def test_every_risk_label_has_a_protocol_and_crisis_matches():
    assert set(PROTOCOLS) == set(CLIENT_RISK)
    assert {k for k, p in PROTOCOLS.items() if p.crisis} == set(CRISIS)
    with pytest.raises(KeyError, match="judgmental"):
        protocol_for("judgmental")


def test_logs_are_json_and_redacted():
    from copilot.logging_setup import JsonFormatter, RedactingFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("copilot.test.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("kontak %s / %s", "0812-3456-7890", "budi@gmail.com",
                    extra={"where": "Jl. Kenanga No. 12", "count": 3})
        try:
            raise ValueError("NIK 3174 0123 4567 8901")
        except ValueError:
            log.exception("gagal untuk @budi_s")
    finally:
        log.removeHandler(handler)
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert lines[0]["msg"] == "kontak <PHONE> / <EMAIL>"
    assert lines[0]["where"] == "<ADDRESS>" and lines[0]["count"] == 3
    assert "<USER>" in lines[1]["msg"] and "<NIK>" in lines[1]["exc"]
    assert "3174" not in stream.getvalue() and "budi@gmail" not in stream.getvalue()
