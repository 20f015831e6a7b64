import json

import numpy as np
import pytest

from training.encoder.export import ExportParityError


def test_export_report_and_manifest(tiny_onnx_dir):
    rep = json.loads((tiny_onnx_dir / "export_report.json").read_text())
    assert rep["fused_attention"] == 2  # one fused Attention node per layer
    assert all(p["max_abs_diff"] < 1e-4 for p in rep["fp32"])
    man = json.loads((tiny_onnx_dir / "manifest.json").read_text())
    assert set(man["files"]) >= {"model.onnx", "tokenizer.json", "normalization.json"}
    assert man["prefix"] == "query: "


def test_dynamic_axes(tiny_onnx_dir):
    import onnxruntime as ort

    s = ort.InferenceSession(str(tiny_onnx_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    shapes = {i.name: i.shape for i in s.get_inputs()}
    assert shapes["input_ids"] == ["batch", "sequence"]
    for b, n in ((1, 3), (5, 17)):
        out = s.run(["sentence_embedding"], {"input_ids": np.full((b, n), 7, np.int64),
                                             "attention_mask": np.ones((b, n), np.int64)})[0]
        assert out.shape == (b, 32)


def test_export_graph_matches_transformers(tiny_hf_dir):
    import torch
    from transformers import BertModel

    from training.encoder.export_graph import ExportBert

    hf = BertModel.from_pretrained(tiny_hf_dir, add_pooling_layer=False).eval()
    mine = ExportBert.from_hf(hf)
    ids = torch.randint(4, hf.config.vocab_size, (3, 11))
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    with torch.no_grad():
        a = hf(input_ids=ids, attention_mask=mask).last_hidden_state
        b = mine(ids, mask)
    assert torch.allclose(a[mask.bool()], b[mask.bool()], atol=1e-5)


def test_parity_failure_is_loud(tiny_hf_dir, tmp_path):
    """A module that is not what was exported must fail the export, and nothing is kept."""
    import torch
    from transformers import BertModel

    from copilot.tokenizer import ChatTokenizer
    from training.encoder.export import PooledEncoder, export_encoder
    from training.encoder.export_graph import ExportBert

    hf = BertModel.from_pretrained(tiny_hf_dir, add_pooling_layer=False).eval()
    module = PooledEncoder.build(ExportBert.from_hf(hf))
    tok = ChatTokenizer.from_dir(tiny_hf_dir, max_length=64)

    class Drifting(torch.nn.Module):
        """Exports like `module` but answers differently at parity time."""

        def __init__(self):
            super().__init__()
            self.inner = module

        def forward(self, ids, mask):
            out = self.inner(ids, mask)
            if torch.jit.is_tracing():
                return out
            return (out[0] * -1.0, *out[1:])

    with pytest.raises(ExportParityError, match="E121"):
        export_encoder(Drifting(), tok, tmp_path / "o", ["sentence_embedding", "last_hidden_state"],
                       num_heads=2, hidden=32, vocab_size=hf.config.vocab_size)
    assert not (tmp_path / "o" / "model.onnx").exists()
