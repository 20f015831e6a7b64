"""Turn stored rows and service results into response schemas."""

from __future__ import annotations

from copilot.analysis import Analysis
from copilot.api.schemas.alerts import AlertDetail, AlertPublic, AssessmentPublic
from copilot.api.schemas.analysis import (
    AnalysisPublic,
    EvidencePublic,
    LintFlagPublic,
    LintPublic,
    RewordingPublic,
)
from copilot.api.schemas.sessions import MessagePublic, SessionPublic
from copilot.api.schemas.summaries import SummaryFieldPublic, SummaryPublic
from copilot.db.models import Alert, AlertEscalation, Message, MessageAnalysis, SessionSummary
from copilot.services.alerts import alert_dict
from copilot.services.lint import LintResult
from copilot.services.messages import evidence_json
from copilot.services.sessions import SessionView
from copilot.session_summary import FIELDS, missing_mandatory


def session_public(v: SessionView) -> SessionPublic:
    s = v.session
    return SessionPublic(id=s.id, counselor_id=s.counselor_id, client_ref=s.client.ref,
                         client_pseudonym=s.client.pseudonym, status=s.status,
                         created_at=s.created_at, closed_at=s.closed_at,
                         message_count=v.message_count, open_alerts=v.open_alerts)


def stored_analysis_public(a: MessageAnalysis) -> AnalysisPublic:
    return AnalysisPublic(flags=a.flags, scores=a.scores, evidence=a.evidence,
                          flag_origins=a.flag_origins, source=a.source, degraded=a.degraded,
                          skill=a.skill, emotion=a.emotion, model=a.model,
                          model_version=a.model_version)


def analysis_public(a: Analysis) -> AnalysisPublic:
    return AnalysisPublic(flags=list(a.flags), scores=dict(a.scores),
                          evidence={k: evidence_json(v) for k, v in a.evidence.items()},
                          flag_origins={k: list(v) for k, v in a.flag_origins.items()},
                          source=a.source, degraded=a.degraded, skill=a.skill, emotion=a.emotion,
                          model=a.model, model_version=a.model_version)


def message_public(m: Message, analysis: MessageAnalysis | None = None) -> MessagePublic:
    a = analysis if analysis is not None else m.analysis
    return MessagePublic(id=m.id, session_id=m.session_id, seq=m.seq, role=m.role, text=m.text,
                         created_at=m.created_at,
                         analysis=stored_analysis_public(a) if a is not None else None)


def alert_public(a: Alert, e: AlertEscalation | None = None) -> AlertPublic:
    return AlertPublic.model_validate(alert_dict(a, e))


def alert_detail(a: Alert, e: AlertEscalation | None, assessments: list) -> AlertDetail:
    return AlertDetail.model_validate({**alert_dict(a, e), "assessments": [
        AssessmentPublic.model_validate(x) for x in assessments]})


def lint_public(r: LintResult) -> LintPublic:
    return LintPublic(
        ok=not r.flags, degraded=r.degraded, source=r.source, model=r.model,
        model_version=r.model_version,
        flags=[LintFlagPublic(
            label=f.label, score=f.score, origins=f.origins,
            evidence=[EvidencePublic(**e) for e in evidence_json(f.evidence)],
            rewordings=[RewordingPublic(rule=w.rule, start=w.start, end=w.end, text=w.text,
                                        sentence_start=w.sentence_start,
                                        sentence_end=w.sentence_end,
                                        alternatives=list(w.alternatives),
                                        rewritten=list(w.rewritten)) for w in f.rewordings],
        ) for f in r.flags],
    )


def summary_public(row: SessionSummary, mandatory: list[str]) -> SummaryPublic:
    fields = {k: SummaryFieldPublic(value=row.values.get(k), sources=[str(x) for x in row.sources.get(k, [])],
                                    method=row.methods.get(k, "counselor")) for k in FIELDS}
    return SummaryPublic(id=row.id, session_id=row.session_id, status=row.status, version=row.version,
                         fields=fields, mandatory=list(mandatory),
                         missing_mandatory=missing_mandatory(row.values, mandatory), degraded=row.degraded,
                         created_by=row.created_by, created_at=row.created_at, updated_by=row.updated_by,
                         updated_at=row.updated_at, approved_by=row.approved_by, approved_at=row.approved_at)
