"""Train → calibrate → export → load in the runtime, end to end on a tiny random model."""

import json
from pathlib import Path

import numpy as np
import pytest

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS

CLIENT = [
    ("aku pengen mati", {"suicidal": 1}, "putus_asa"),
    ("aku capek banget", {}, "sedih"),
    ("suami pukul aku takut", {"kdrt": 1}, "cemas"),
    ("mati gaya banget", {}, "netral"),
    ("kak ketemu yuk minta nomor wa", {"meet_request": 1}, "senang"),
    ("aku sedih kak", {}, "sedih"),
]
COUNSELOR = [
    ("kamu mau cerita?", {}, "open_question"),
    ("gak usah lebay", {"judgmental": 1}, "other"),
    ("wa aku 0812", {"shares_contact": 1, "off_platform": 1}, "other"),
    ("kamu sedih ya", {}, "reflection"),
]


def _rows():
    rows = []
    for k, split in enumerate(["train"] * 6 + ["dev"] * 3 + ["test"] * 3):
        for i, (t, risk, emo) in enumerate(CLIENT):
            rows.append({"id": f"c{k}-{i}", "source": "authored_client", "lang": "id", "role": "client", "text": t,
                         "group": f"c{k}-{i}", "split": split,
                         "targets": {"risk": {lab: risk.get(lab, 0) for lab in CLIENT_RISK}, "flags": {},
                                     "skill": None, "emotion": emo},
                         "proxy": False, "hard_negative": t.startswith("mati"), "register": "informal", "augmented": False})
        for i, (t, flags, skill) in enumerate(COUNSELOR):
            rows.append({"id": f"k{k}-{i}", "source": "authored_counselor", "lang": "id", "role": "counselor", "text": t,
                         "group": f"k{k}-{i}", "split": split,
                         "targets": {"risk": {}, "flags": {lab: flags.get(lab, 0) for lab in COUNSELOR_FLAGS},
                                     "skill": skill, "emotion": None},
                         "proxy": False, "hard_negative": False, "register": "informal", "augmented": False})
    return rows


@pytest.fixture(scope="module")
def trained(tiny_hf_dir, tmp_path_factory):
    from training.classifier.train import train_classifier

    root = tmp_path_factory.mktemp("clf")
    data = root / "data"
    data.mkdir()
    (data / "examples.jsonl").write_text("\n".join(json.dumps(r) for r in _rows()) + "\n")
    cfg = {
        "data": {"dir": str(data), "augmented": True},
        "model": {"base_dir": str(tiny_hf_dir), "prefix": "query: "},
        "train": {"seed": 1, "epochs": 3, "batch_size": 8, "max_length": 32, "lr": 1e-3, "head_lr": 1e-2,
                  "weight_decay": 0.0, "warmup": 0.0, "dropout": 0.0, "freeze_embeddings": False,
                  "freeze_layers": 0, "log_every": 5, "threads": 1},
        "thresholds": {"crisis_min_recall": 0.95, "dev_sources": ["authored_"]},
        "export": {"max_length": 32, "fp32_tolerance": 1e-3, "int8_min_cosine": 0.5, "keep_fp32": False},
        "output": {"dir": str(root / "ckpt"), "model_dir": str(root / "model"), "name": "tiny", "version": "0.0.1",
                   "data_cards": []},
    }
    train_classifier(cfg)
    return cfg


def test_training_writes_checkpoint_and_calibration(trained):
    ckpt = Path(trained["output"]["dir"])
    cal = json.loads((ckpt / "calibration.json").read_text())
    assert set(cal) == {"risk", "flags", "skill", "emotion"}
    assert all(cal[h]["temperature"] > 0 for h in cal)
    # crisis thresholds are chosen for recall on dev
    assert cal["risk"]["thresholds"]["suicidal"]["goal"] == "recall"
    assert cal["risk"]["thresholds"]["physical"]["goal"] == "f1"


def test_training_runs_on_the_gpu_where_one_is_present(trained):
    import torch

    meta = json.loads((Path(trained["output"]["dir"]) / "train_meta.json").read_text())
    if torch.cuda.is_available():
        assert meta["device"].startswith("cuda") and meta["device_name"] == torch.cuda.get_device_name(0)
    else:
        assert meta["device"] == "cpu" and meta["device_name"] == "cpu"
    assert meta["steps"] == 3 * 8  # 3 epochs × ceil(60 train rows / batch 8)


def test_recalibrate_reproduces_the_training_calibration(trained):
    from training.classifier.train import recalibrate

    path = Path(trained["output"]["dir"]) / "calibration.json"
    before = json.loads(path.read_text())
    recalibrate(trained)
    after = json.loads(path.read_text())
    for head in before:
        assert after[head]["temperature"] == pytest.approx(before[head]["temperature"], rel=1e-4)
        for lab, t in before[head].get("thresholds", {}).items():
            assert after[head]["thresholds"][lab]["threshold"] == pytest.approx(t["threshold"], abs=1e-5)


def test_export_and_runtime_analysis(trained):
    from copilot.analyzer import Analyzer
    from copilot.contact_recognizer import ContactRecognizer
    from copilot.onnx_encoder import OnnxEncoder
    from copilot.risk_lexicon import RiskLexicon
    from training.classifier.export_model import export_classifier

    model_dir = Path(trained["output"]["model_dir"])
    export_classifier(Path(trained["output"]["dir"]), model_dir, trained)
    enc = OnnxEncoder(model_dir, threads=1)
    assert set(enc.manifest.heads) == {"risk", "flags", "skill", "emotion"}
    an = Analyzer(enc, RiskLexicon.default(), ContactRecognizer())
    [c] = an.analyze(["aku pengen mati"], "client")
    assert set(c.scores) == set(CLIENT_RISK) and c.emotion is not None and not c.degraded
    for lab in c.flags:
        assert c.evidence[lab], f"flag {lab} without evidence"
        for e in c.evidence[lab]:
            assert "aku pengen mati"[e.start:e.end] == e.text
    [k] = an.analyze(["kamu mau cerita?"], "counselor")
    assert k.skill in {"open_question", "closed_question", "reflection", "other"}
    assert abs(sum(k.skill_scores.values()) - 1) < 1e-4
    line = k.to_line()
    assert {"id", "flags", "scores", "evidence", "skill", "skill_scores", "source", "degraded"} <= set(line)
    # A message's scores do not depend on what it is analysed with (int8 quantises per call).
    long = "kak aku udah capek banget sama semuanya dan ga tau harus cerita ke siapa lagi " * 2
    [alone] = an.analyze(["aku capek banget"], "client")
    together = an.analyze([long, "aku capek banget", "suami pukul aku takut"], "client")[1]
    assert together.scores == alone.scores


def test_token_contributions_sum_to_logits(trained):
    import onnxruntime as ort

    from copilot.tokenizer import ChatTokenizer

    model_dir = Path(trained["output"]["model_dir"])
    s = ort.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    tok = ChatTokenizer.from_dir(model_dir, max_length=32)
    b = tok.encode_batch(["aku pengen mati", "halo"], prefix="query: ")
    logits, contrib = s.run(["risk_logits", "risk_token_contrib"],
                            {"input_ids": b.input_ids, "attention_mask": b.attention_mask})
    # logit − Σ contributions is the bias, the same for every row
    bias = logits - contrib.sum(1)
    np.testing.assert_allclose(bias[0], bias[1], atol=0.05)


def test_blockwise_int8_export_stays_close_to_fp32(trained, tmp_path):
    """The blockwise scheme turns the encoder's MatMuls into 8-bit MatMulNBits, keeps the embedding
    and attention dynamically quantised, and its probabilities stay near the fp32 graph's."""
    import onnx
    import onnxruntime as ort

    from copilot.onnx_encoder import OnnxEncoder
    from copilot.tokenizer import ChatTokenizer
    from training.classifier.export_model import export_classifier

    cfg = json.loads(json.dumps(trained))
    cfg["export"] = dict(cfg["export"], keep_fp32=True, int8={"mode": "blockwise", "block_size": 32,
                                                               "accuracy_level": 4})
    rep = export_classifier(Path(cfg["output"]["dir"]), tmp_path, cfg)
    assert rep["int8_scheme"]["mode"] == "blockwise"
    ops = {n.op_type for n in onnx.load(str(tmp_path / "model.onnx")).graph.node}
    assert "MatMulNBits" in ops and "MatMul" not in ops
    assert {"QEmbedLayerNormalization", "QAttention"} & ops
    tok = ChatTokenizer.from_dir(tmp_path, max_length=32)
    b = tok.encode_batch([t for t, _, _ in CLIENT], prefix="query: ")
    feed = {"input_ids": b.input_ids, "attention_mask": b.attention_mask}
    ref = ort.InferenceSession(str(tmp_path / "model.fp32.onnx")).run(["risk_logits"], feed)[0]
    got = ort.InferenceSession(str(tmp_path / "model.onnx")).run(["risk_logits"], feed)[0]
    assert np.abs(1 / (1 + np.exp(-ref)) - 1 / (1 + np.exp(-got))).max() < 0.05
    assert OnnxEncoder(tmp_path, threads=1).manifest.heads["risk"].labels == list(CLIENT_RISK)


def test_unknown_int8_mode_is_refused():
    from training.encoder.export import Int8Scheme

    with pytest.raises(ValueError, match="E123"):
        Int8Scheme.from_config({"int8": {"mode": "fp4"}})


def test_a_shipped_int8_model_is_recovered_for_further_training(trained, tmp_path, tiny_hf_dir):
    """from_onnx dequantises the shipped graph back to the checkpoint's weights (within the int8
    steps), and an update stage of zero epochs started from it scores like the shipped model."""
    import onnxruntime as ort
    from safetensors.numpy import load_file

    from copilot.tokenizer import ChatTokenizer
    from training.classifier.export_model import export_classifier
    from training.classifier.from_onnx import OnnxCheckpointError, state_dict_from_onnx
    from training.classifier.train import train_classifier

    cfg = json.loads(json.dumps(trained))
    cfg["export"] = dict(cfg["export"], int8={"mode": "blockwise", "block_size": 32, "accuracy_level": 4})
    shipped = tmp_path / "shipped"
    export_classifier(Path(cfg["output"]["dir"]), shipped, cfg)
    ckpt = load_file(str(Path(cfg["output"]["dir"]) / "model.safetensors"))
    bcfg = json.loads((Path(cfg["output"]["dir"]) / "config.json").read_text())
    sd = state_dict_from_onnx(shipped / "model.onnx", tiny_hf_dir, bcfg["num_hidden_layers"], bcfg["hidden_size"])
    assert set(sd) == {k for k in ckpt if not k.endswith("position_ids")}
    for k, v in sd.items():
        ref = ckpt[k]
        assert v.shape == ref.shape, k
        # one int8 step is at most max|w| / 127 (per column, block or tensor); allow two
        assert np.abs(v - ref).max() <= 2 * np.abs(ref).max() / 127 + 1e-6, k

    upd = json.loads(json.dumps(trained))
    upd["train"] = dict(upd["train"], epochs=0)
    upd["model"] = dict(upd["model"], init_onnx=str(shipped), init_onnx_version="0.0.1")
    upd["output"] = dict(upd["output"], dir=str(tmp_path / "update"), model_dir=str(tmp_path / "update_model"))
    train_classifier(upd)
    meta = json.loads((tmp_path / "update" / "train_meta.json").read_text())
    assert meta["parent"]["version"] == "0.0.1"
    from training.classifier.evaluate import _fp32_probs
    rows = [{"text": t} for t, _, _ in CLIENT]
    got = _fp32_probs(upd, tmp_path / "update", rows, [])["risk"]
    tok = ChatTokenizer.from_dir(shipped, max_length=32)
    b = tok.encode_batch([t for t, _, _ in CLIENT], prefix="query: ")
    z = ort.InferenceSession(str(shipped / "model.onnx")).run(
        ["risk_logits"], {"input_ids": b.input_ids, "attention_mask": b.attention_mask})[0]
    t_old = json.loads((Path(cfg["output"]["dir"]) / "calibration.json").read_text())["risk"]["temperature"]
    t_new = json.loads((tmp_path / "update" / "calibration.json").read_text())["risk"]["temperature"]
    # same weights, so the logits agree; the temperature is refitted on the same dev rows
    assert abs(t_new - t_old) < 0.05 * t_old + 0.05
    assert np.abs(got - 1 / (1 + np.exp(-z / t_new))).max() < 0.05

    upd["model"]["init_onnx_version"] = "9.9.9"
    with pytest.raises(OnnxCheckpointError, match="9.9.9"):
        train_classifier(upd)


def test_the_model_overrules_a_lexicon_hit_only_below_its_floor_and_where_it_read_it(trained):
    from copilot.analyzer import Analyzer
    from copilot.contact_recognizer import ContactRecognizer
    from copilot.onnx_encoder import OnnxEncoder
    from copilot.risk_lexicon import DEFAULT_PATH, RiskLexicon
    from training.classifier.export_model import export_classifier

    model_dir = Path(trained["output"]["model_dir"])
    export_classifier(Path(trained["output"]["dir"]), model_dir, trained)
    enc = OnnxEncoder(model_dir, threads=1)
    enc.manifest.heads["risk"].thresholds["suicidal"] = 1.01  # the model alone never flags it here
    shipped = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    overruling = Analyzer(enc, RiskLexicon.from_dict(shipped | {"model_floor": 0.999, "strong_floor": 0.0}),
                          ContactRecognizer())
    bare = "angka bunuh diri naik lagi"  # a weak rule's hit only

    [a] = overruling.analyze([bare], "client")
    assert "suicidal" not in a.flags and a.source == "model" and a.overruled == ["suicidal"]
    assert overruling.counters.counts["lexicon_overruled:suicidal"] == 1
    # A stated intent is a strong rule's hit: at a strong floor of 0 the model cannot overrule it.
    [b] = overruling.analyze(["aku mau bunuh diri"], "client")
    assert "suicidal" in b.flags and b.flag_origins["suicidal"] == ["lexicon"] and b.source == "model+lexicon"
    assert b.overruled == []
    # Below a strong floor it can, and the decision is counted like a weak hit's.
    strict = Analyzer(enc, RiskLexicon.from_dict(shipped | {"model_floor": 0.999, "strong_floor": 0.999}),
                      ContactRecognizer())
    [s] = strict.analyze(["aku mau bunuh diri"], "client")
    assert s.scores["suicidal"] < 0.999 and "suicidal" not in s.flags and s.overruled == ["suicidal"]
    assert strict.counters.counts["lexicon_overruled:suicidal"] == 1
    # The service counts both decisions for the operator.
    from copilot.metrics import Metrics
    from copilot.services.analysis_runner import AnalysisRunner

    metrics = Metrics()
    AnalysisRunner(overruling, workers=1, metrics=metrics).analyze([bare, "aku mau bunuh diri"], "client")
    text = metrics.render().decode()
    for decision in ("overruled", "added"):
        assert f'copilot_lexicon_decisions_total{{decision="{decision}",label="suicidal"}} 1.0' in text
    # Past the model's 32-token window the model did not read the words: the hit stands.
    [c] = overruling.analyze(["aku cerita dulu ya kak soal kerjaan " * 12 + bare], "client")
    assert "suicidal" in c.flags and c.evidence["suicidal"][0].text.lower() == "bunuh diri"
    # Without a model (degraded) every hit raises its flag.
    [d] = Analyzer(None, overruling.lexicon, ContactRecognizer()).analyze([bare], "client")
    assert d.flags == ["suicidal"] and d.degraded
    # At floors of 0 the model never overrules.
    never = RiskLexicon.from_dict(shipped | {"model_floor": 0.0, "strong_floor": 0.0})
    [e] = Analyzer(enc, never, ContactRecognizer()).analyze([bare], "client")
    assert "suicidal" in e.flags


def test_thresholds_can_be_chosen_on_the_exported_int8_scores(trained, tmp_path):
    """With thresholds.scores = "int8" the export re-runs temperature scaling and the threshold
    choice on the int8 graph's dev logits (one message per call, as the runtime scores them) and
    ships those; the fp32 calibration stays beside it for the int8-vs-fp32 comparison."""
    from copilot.onnx_encoder import OnnxEncoder
    from training.classifier.evaluate import onnx_probs
    from training.classifier.export_model import export_classifier

    cfg = json.loads(json.dumps(trained))
    cfg["thresholds"] = dict(cfg["thresholds"], scores="int8")
    export_classifier(Path(cfg["output"]["dir"]), tmp_path, cfg)
    ckpt = Path(cfg["output"]["dir"])
    cal8 = json.loads((ckpt / "calibration_int8.json").read_text())
    assert cal8["scores"] == "int8"
    enc = OnnxEncoder(tmp_path, threads=1)
    for head in ("risk", "flags"):
        spec = enc.manifest.heads[head]
        assert spec.temperature == pytest.approx(cal8[head]["temperature"])
        for lab, th in spec.thresholds.items():
            assert th == pytest.approx(cal8[head]["thresholds"][lab]["threshold"], abs=1e-6)
    # the shipped suicidal threshold keeps the dev recall it was chosen for, on the runtime's scores
    dev = [r for r in _rows() if r["split"] == "dev" and r["role"] == "client"]
    probs = onnx_probs(enc, [r["text"] for r in dev])["risk"][:, CLIENT_RISK.index("suicidal")]
    y = np.array([r["targets"]["risk"]["suicidal"] for r in dev])
    assert (probs[y == 1] >= enc.manifest.heads["risk"].thresholds["suicidal"]).mean() >= 0.95
    assert json.loads((ckpt / "calibration.json").read_text()).get("scores") is None
