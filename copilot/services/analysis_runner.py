"""Runs the analyzer for the service: bounded concurrency, timing, and loud fallbacks."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from copilot.analysis import Analysis, Role
from copilot.metrics import Metrics

if TYPE_CHECKING:
    from copilot.analyzer import Analyzer

log = logging.getLogger(__name__)


class AnalysisRunner:
    """Call from a worker thread, never from the event loop: inference is CPU-bound."""

    def __init__(self, analyzer: Analyzer, workers: int = 2, metrics: Metrics | None = None):
        self.analyzer = analyzer
        self.metrics = metrics or Metrics()
        self._slots = threading.BoundedSemaphore(workers)
        self._fallback: Analyzer | None = None

    @property
    def degraded(self) -> bool:
        return bool(self.analyzer.degraded)

    def info(self) -> dict:
        return self.analyzer.info()

    def analyze(self, texts: list[str], role: Role) -> list[Analysis]:
        with self._slots:
            t0 = time.perf_counter()
            try:
                results = self.analyzer.analyze(texts, role)
            except Exception:
                # The model failed on this input: the safe behaviour is the rule-based safety
                # net, marked degraded and counted, never a lost message.
                log.exception("analysis failed; falling back to the lexicon for %d text(s)", len(texts))
                results = self._fallback_analyzer().analyze(texts, role)
            self.metrics.analysis_seconds.labels(role).observe(time.perf_counter() - t0)
        for a in results:
            self.metrics.analyses.labels(role, a.source, str(a.degraded).lower()).inc()
            if a.degraded:
                self.metrics.fallbacks.labels(role).inc()
            else:
                for label, origins in a.flag_origins.items():
                    if origins == ["lexicon"]:
                        self.metrics.lexicon_decisions.labels(label, "added").inc()
                for label in a.overruled:
                    self.metrics.lexicon_decisions.labels(label, "overruled").inc()
        return results

    def _fallback_analyzer(self) -> Analyzer:
        if self._fallback is None:
            cls = type(self.analyzer)
            self._fallback = cls(None, self.analyzer.lexicon, self.analyzer.contacts,
                                 "inference failed; rules only")
        return self._fallback
