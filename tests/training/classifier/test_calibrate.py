"""Threshold choice and temperature scaling on synthetic scores with known answers."""

import numpy as np
import pytest

from training.classifier.calibrate import choose_threshold, fit_temperature, ranking_quality, sigmoid


def _scores(seed=1, pos=45, neg=400):
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(pos), np.zeros(neg)].astype(int)
    p = np.r_[rng.beta(5, 2, pos), rng.beta(1, 6, neg)]
    return p, y


def test_recall_goal_keeps_the_recall_on_dev():
    p, y = _scores()
    t = choose_threshold(p, y, "recall", 0.95)
    assert t["recall"] >= 0.95
    assert np.sort(p[y == 1])[1] <= t["threshold"] <= np.sort(p[y == 1])[3]
    assert t["bootstrap_n"] > 150


def test_recall_goal_is_the_highest_such_threshold_on_separable_scores():
    y = np.r_[np.ones(20), np.zeros(20)].astype(int)
    p = np.r_[np.linspace(0.6, 0.9, 20), np.linspace(0.1, 0.4, 20)]
    t = choose_threshold(p, y, "recall", 0.95, n_boot=0)
    # 19 of 20 positives is 0.95: the cut sits midway between the 2nd-lowest positive and the one below
    assert t["threshold"] == pytest.approx((p[1] + p[0]) / 2)
    assert t["recall"] == pytest.approx(0.95) and t["precision"] == 1.0


def test_f1_goal_beats_a_fixed_threshold():
    p, y = _scores(seed=3)
    t = choose_threshold(p, y, "f1")

    def f1(th):
        pred = p >= th
        tp = (pred & (y == 1)).sum()
        return 2 * tp / (pred.sum() + y.sum())

    assert t["f1"] == pytest.approx(f1(t["threshold"]))
    assert t["f1"] >= f1(0.5) - 0.03


def test_no_positives_gives_default_and_reason():
    t = choose_threshold(np.array([0.1, 0.9]), np.array([0, 0]), "f1")
    assert t["threshold"] == 0.5 and "no positives" in t["reason"]


def test_bootstrap_spread_brackets_the_choice():
    p, y = _scores(seed=5, pos=35, neg=300)
    t = choose_threshold(p, y, "recall", 0.95, n_boot=200, seed=5)
    lo, hi = t["bootstrap_iqr"]
    assert lo < hi and lo - 0.1 <= t["threshold"] <= hi + 0.1


def test_temperature_recovers_a_known_scale():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, 4000)
    y = (rng.random(4000) < sigmoid(z)).astype(float)
    t = fit_temperature((z * 3.0)[:, None], y[:, None], "multilabel")  # logits 3× too confident
    assert t == pytest.approx(3.0, rel=0.15)


def test_ranking_quality_matches_pair_counting():
    rng = np.random.default_rng(2)
    p = np.round(rng.random(60), 1)  # many ties
    y = (rng.random(60) < p).astype(int)
    pairs = [(a > b) + 0.5 * (a == b) for a in p[y == 1] for b in p[y == 0]]
    q = ranking_quality(p, y)
    assert q["auc"] == pytest.approx(np.mean(pairs))
    assert ranking_quality(np.array([0.9, 0.8, 0.1]), np.array([1, 1, 0])) == {"auc": 1.0, "ap": 1.0}


def test_safety_net_lets_the_threshold_rise_but_not_below_the_model_floor():
    y = np.r_[np.ones(20), np.zeros(20)].astype(int)
    p = np.r_[np.linspace(0.05, 0.9, 20), np.linspace(0.0, 0.5, 20)]
    alone = choose_threshold(p, y, "recall", 0.95, n_boot=0)
    covered = np.r_[np.ones(10), np.zeros(30)].astype(bool)  # the lexicon finds the 10 weakest positives
    net = choose_threshold(p, y, "recall", 0.95, n_boot=0, covered=covered, min_model_recall=0.0)
    floor = choose_threshold(p, y, "recall", 0.95, n_boot=0, covered=covered, min_model_recall=0.8)
    assert alone["threshold"] < floor["threshold"] < net["threshold"]
    assert net["system_recall"] >= 0.95 and floor["recall"] >= 0.8 and net["safety_net_recall"] == 0.5


def test_safety_net_needs_the_models_agreement_below_the_lexicon_floors():
    from copilot.risk_lexicon import RiskLexicon
    from training.classifier.train import _safety_net_hits

    rows = [{"role": "client", "text": t} for t in ("angka bunuh diri naik lagi", "aku mau bunuh diri", "aku sedih")]
    rows.append({"role": "counselor", "text": "aku mau bunuh diri"})
    need = _safety_net_hits(rows, {"thresholds": {"crisis_recall_counts_lexicon": True}})["suicidal"]
    assert need[0] == RiskLexicon.default().model_floor > 0
    assert need[1] == RiskLexicon.default().strong_floor < need[0] and np.isinf(need[2]) and np.isinf(need[3])
    assert _safety_net_hits(rows, {"thresholds": {}}) is None
