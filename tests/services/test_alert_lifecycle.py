"""Alerts and escalation as library calls: stored with the message, crisis alerts closed only
by an assessment, escalation from stored state with an explicit clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from service_fixtures import CRISIS_TEXT, PASSWORD

from copilot.db.models import Alert, AlertEscalation, Message
from copilot.services import accounts, alerts, escalation, messages, sessions
from copilot.services.analysis_runner import AnalysisRunner
from copilot.services.errors import Forbidden, InvalidInput


@pytest.fixture
def team(db):
    admin = accounts.create_user(db, username="adm", password=PASSWORD, role="admin")
    sup = accounts.create_user(db, username="sup", password=PASSWORD, role="supervisor")
    c = accounts.create_user(db, username="kon", password=PASSWORD, role="counselor",
                             supervisor_id=sup.id)
    return admin, sup, c


@pytest.fixture
def runner(analyzer):
    return AnalysisRunner(analyzer, 1)


def test_alerts_commit_with_their_message(db, team, runner):
    _, _, c = team
    s = sessions.create_session(db, c, "ref-1")
    posted = messages.post_message(db, runner, c, s.id, "client", CRISIS_TEXT, 4000)
    assert [a.label for a in posted.alerts] == ["suicidal"]
    db.expire_all()
    a = db.get(Alert, posted.alerts[0].id)
    assert a.message_id == posted.message.id and a.crisis and a.acknowledged_at is None
    assert db.get(Message, posted.message.id).seq == 1


def test_crisis_needs_assessment_ordinary_closes_on_ack(db, team, runner):
    _, _, c = team
    s = sessions.create_session(db, c, "ref-2")
    crisis = messages.post_message(db, runner, c, s.id, "client", CRISIS_TEXT, 4000).alerts[0]
    a, key = alerts.acknowledge(db, c, crisis.id, via="http")
    assert key == f"alert:{crisis.id}" and alerts.status_of(a) == "acknowledged"
    messages.post_message(db, runner, c, s.id, "client", "cuma bercanda kok", 4000)
    assert alerts.status_of(db.get(Alert, crisis.id)) == "acknowledged"
    alerts.assess(db, c, crisis.id, "no_current_risk", None)
    assert alerts.status_of(db.get(Alert, crisis.id)) == "closed"
    # An ordinary (non-crisis) alert closes on acknowledgement.
    m = db.get(Message, crisis.message_id)
    plain = Alert(session_id=s.id, message_id=m.id, counselor_id=c.id, label="physical",
                  crisis=False, score=0.9, source="model", degraded=False, evidence=[])
    db.add(plain)
    db.commit()
    a, _ = alerts.acknowledge(db, c, plain.id, via="socket")
    assert alerts.status_of(a) == "closed"


def test_escalation_scan_is_timed_idempotent_and_skips_acknowledged(db, team, runner):
    _, sup, c = team
    s = sessions.create_session(db, c, "ref-3")
    a1 = messages.post_message(db, runner, c, s.id, "client", CRISIS_TEXT, 4000).alerts[0]
    a2 = messages.post_message(db, runner, c, s.id, "client", CRISIS_TEXT + "!", 4000).alerts[0]
    alerts.acknowledge(db, c, a2.id, via="http")
    created = db.get(Alert, a1.id).created_at
    assert escalation.scan(db, 60, now=created + timedelta(seconds=59)) == []
    due = escalation.scan(db, 60, now=created + timedelta(seconds=61))
    assert [(e.alert_id, e.supervisor_id) for e in due] == [(a1.id, sup.id)]
    assert escalation.scan(db, 60, now=created + timedelta(seconds=120)) == []  # once only
    assert db.query(AlertEscalation).count() == 1
    # The supervisor's pending frames come from storage, until acknowledged.
    frames = alerts.pending_frames(db, sup)
    assert [k for k, _ in frames] == [f"escalation:{a1.id}"]
    alerts.acknowledge(db, sup, a1.id, via="socket")
    assert alerts.pending_frames(db, sup) == []


def test_only_the_counselor_or_escalated_supervisor_acts(db, team, runner):
    admin, sup, c = team
    other = accounts.create_user(db, username="kon2", password=PASSWORD, role="counselor")
    s = sessions.create_session(db, c, "ref-4")
    a = messages.post_message(db, runner, c, s.id, "client", CRISIS_TEXT, 4000).alerts[0]
    for who in (admin, other):
        with pytest.raises(Exception) as exc:
            alerts.acknowledge(db, who, a.id, via="http")
        assert exc.value.status == 404
    with pytest.raises(Forbidden):
        alerts.assess(db, sup, a.id, "risk_managed", None)
    escalation.scan(db, 0, now=datetime.now(UTC) + timedelta(seconds=1))
    assert alerts.status_of(alerts.assess(db, sup, a.id, "risk_managed", "ditangani")) == "closed"


def test_message_limits(db, team, runner):
    _, _, c = team
    s = sessions.create_session(db, c, "ref-5")
    with pytest.raises(InvalidInput) as exc:
        messages.post_message(db, runner, c, s.id, "client", "x" * 11, 10)
    assert exc.value.field == "text" and "11" in exc.value.message
    with pytest.raises(InvalidInput):
        messages.post_message(db, runner, c, s.id, "client", "   ", 10)


def test_runner_falls_back_loudly_when_inference_fails(analyzer):
    class Broken:
        degraded = False
        lexicon = analyzer.lexicon
        contacts = analyzer.contacts

        def analyze(self, texts, role):
            raise RuntimeError("onnx exploded")

        def info(self):
            return {}

    Broken.__init__ = lambda self, *a: None  # the fallback is built as type(analyzer)(...)
    r = AnalysisRunner(analyzer, 1)
    r.analyzer = Broken()
    r._fallback = analyzer
    [a] = r.analyze([CRISIS_TEXT], "client")
    assert a.degraded and "suicidal" in a.flags
    assert r.metrics.fallbacks.labels("client")._value.get() == 1
