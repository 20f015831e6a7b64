import json
import shutil

import numpy as np
import pytest

from copilot.model_dir import ModelDirError, load_manifest
from copilot.onnx_encoder import OnnxEncoder


def test_missing_directory(tmp_path):
    with pytest.raises(ModelDirError, match="E301"):
        load_manifest(tmp_path / "nope")


def test_missing_manifest(tmp_path):
    with pytest.raises(ModelDirError, match="E302"):
        load_manifest(tmp_path)


def test_incomplete_directory(tiny_onnx_dir, tmp_path):
    d = tmp_path / "m"
    shutil.copytree(tiny_onnx_dir, d)
    (d / "tokenizer.json").unlink()
    with pytest.raises(ModelDirError, match="E305"):
        load_manifest(d)


def test_checksum_failure(tiny_onnx_dir, tmp_path):
    d = tmp_path / "m"
    shutil.copytree(tiny_onnx_dir, d)
    data = bytearray((d / "model.onnx").read_bytes())
    data[-10] ^= 0xFF
    (d / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelDirError, match="E307"):
        OnnxEncoder(d)


def test_malformed_manifest(tiny_onnx_dir, tmp_path):
    d = tmp_path / "m"
    shutil.copytree(tiny_onnx_dir, d)
    m = json.loads((d / "manifest.json").read_text())
    m["max_length"] = "long"
    (d / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ModelDirError, match="E303"):
        load_manifest(d)


def test_encoder_runs_and_normalises(tiny_onnx_dir):
    enc = OnnxEncoder(tiny_onnx_dir, threads=1)
    e = enc.embed(["aku capek banget", "halo", "kamu mau cerita"])
    assert e.shape == (3, 32)
    np.testing.assert_allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    # batched rows equal single-message rows: padding does not leak into the result
    single = enc.embed(["halo"])[0]
    assert float(single @ e[1]) > 0.999
