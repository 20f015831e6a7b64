"""Prometheus metrics of one application instance (own registry, so tests can run several)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry()
        self.requests = Counter("copilot_http_requests", "HTTP requests",
                                ["method", "route", "status"], registry=r)
        self.request_seconds = Histogram("copilot_http_request_seconds", "HTTP request latency",
                                         ["method", "route"], buckets=_LATENCY, registry=r)
        self.analysis_seconds = Histogram("copilot_analysis_seconds",
                                          "Analyzer latency per call (off the event loop)",
                                          ["role"], buckets=_LATENCY, registry=r)
        self.analyses = Counter("copilot_analyses", "Messages analysed",
                                ["role", "source", "degraded"], registry=r)
        self.fallbacks = Counter("copilot_degraded_analyses",
                                 "Messages analysed without the model (lexicon/pattern fallback)",
                                 ["role"], registry=r)
        self.lexicon_decisions = Counter("copilot_lexicon_decisions",
                                         "Crisis flags the lexicon added beside the model (added), and "
                                         "lexicon hits the model overruled, below the lexicon's floor (overruled)",
                                         ["label", "decision"], registry=r)
        self.alerts_raised = Counter("copilot_alerts_raised", "Alerts stored", ["label", "crisis"],
                                     registry=r)
        self.alert_pushes = Counter("copilot_alert_pushes", "Alert frames sent on sockets",
                                    ["kind", "reason"], registry=r)
        self.acks = Counter("copilot_alert_acks", "Alert acknowledgements", ["via", "role"],
                            registry=r)
        self.assessments = Counter("copilot_alert_assessments", "Risk assessments recorded",
                                   ["outcome"], registry=r)
        self.escalations = Counter("copilot_escalations", "Alerts escalated to a supervisor",
                                   ["has_supervisor"], registry=r)
        self.login_lockouts = Counter("copilot_login_lockouts",
                                      "Log-ins refused because the account had too many recent "
                                      "failures", registry=r)
        self.sockets = Gauge("copilot_alert_sockets", "Open alert sockets", registry=r)
        self.model_degraded = Gauge("copilot_model_degraded",
                                    "1 when serving without the model (lexicon fallback)",
                                    registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
