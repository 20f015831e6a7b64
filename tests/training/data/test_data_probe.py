"""The numpy linear probe and its metrics against known values."""

from __future__ import annotations

import numpy as np

from training.data.linear_probe import (
    auroc,
    average_precision,
    f1_binary,
    fit_probe,
    macro_f1,
    paired_bootstrap,
)


def test_metrics_on_known_cases() -> None:
    y = np.array([0, 0, 1, 1])
    assert auroc(y, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert auroc(y, np.array([0.5, 0.5, 0.5, 0.5])) == 0.5
    assert abs(average_precision(y, np.array([0.9, 0.1, 0.8, 0.2])) - (1 / 2 + 2 / 3) / 2) < 1e-9
    assert f1_binary(y, np.array([0, 1, 1, 1])) == 0.8
    assert macro_f1(np.array([0, 1, 2]), np.array([0, 1, 1])) == (1 + 2 / 3 + 0) / 3
    assert np.isnan(auroc(np.array([1, 1]), np.array([0.2, 0.3])))


def test_probe_learns_a_separable_problem() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 8))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int)
    probe = fit_probe(x, y, 2, steps=200)
    assert ((probe.predict_proba(x)[:, 1] > 0.5) == y).mean() > 0.95


def test_bootstrap_interval_contains_a_constant() -> None:
    low, high = paired_bootstrap(lambda i: 0.25, 10, 20, seed=1)
    assert low == high == 0.25
