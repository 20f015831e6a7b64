"""Per-epoch sampling: caps on public sources, repeats of the in-domain ones."""

from collections import Counter

from training.classifier.dataset import sample_train


def _rows():
    return ([{"source": "public", "id": i} for i in range(100)]
            + [{"source": "authored", "id": i} for i in range(10)])


def test_caps_and_repeats():
    out = sample_train(_rows(), {"public": 30}, seed=1, repeat={"authored": 3})
    c = Counter(r["source"] for r in out)
    assert c == {"public": 30, "authored": 30}
    assert Counter(r["id"] for r in out if r["source"] == "authored") == {i: 3 for i in range(10)}


def test_sampling_is_seeded_and_a_zero_cap_drops_the_source():
    a = sample_train(_rows(), {"public": 30}, seed=7)
    b = sample_train(_rows(), {"public": 30}, seed=7)
    assert [r["id"] for r in a] == [r["id"] for r in b]
    assert not [r for r in sample_train(_rows(), {"public": 0}, seed=7) if r["source"] == "public"]


def test_proxy_and_hard_negative_rows_weigh_what_the_config_says():
    from training.classifier.dataset import encode_targets

    def row(source, **kw):
        return {"source": source, "targets": {"risk": {}, "flags": {}, "skill": None, "emotion": None}, **kw}

    rows = [row("tweets"), row("tweets", proxy=True), row("authored", hard_negative=True), row("authored")]
    w = encode_targets(rows, {"tweets": 0.5, "proxy": 0.25, "hard_negative": 2.0}).weights
    assert w.tolist() == [0.5, 0.125, 2.0, 1.0]
