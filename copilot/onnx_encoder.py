"""The encoder/classifier runtime: onnxruntime and tokenizers only, tuned for single messages."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from copilot.model_dir import Manifest, load_manifest
from copilot.tokenizer import Batch, ChatTokenizer

log = logging.getLogger(__name__)


@dataclass
class EncoderOutput:
    batch: Batch
    outputs: dict[str, np.ndarray]


def session_options(threads: int | None = None, spin: bool = True) -> ort.SessionOptions:
    """Options for low single-message latency: few threads, spinning, sequential execution."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Spinning trades idle CPU for latency: worker threads do not sleep between ops.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    opts.log_severity_level = 3
    return opts


class OnnxEncoder:
    """Loads a model directory described by its manifest and runs batches padded to the longest."""

    def __init__(self, model_dir: str | Path, threads: int | None = None, verify: bool = True,
                 model_file: str = "model.onnx"):
        self.model_dir = Path(model_dir)
        self.manifest: Manifest = load_manifest(self.model_dir, verify=verify)
        self.tokenizer = ChatTokenizer.from_dir(self.model_dir, max_length=self.manifest.max_length)
        self.session = ort.InferenceSession(
            str(self.model_dir / model_file), sess_options=session_options(threads),
            providers=["CPUExecutionProvider"],
        )
        self.output_names = [o.name for o in self.session.get_outputs()]
        log.info("loaded %s %s from %s (%s)", self.manifest.name, self.manifest.version,
                 self.model_dir, model_file)

    def run(self, texts: list[str], outputs: list[str] | None = None) -> EncoderOutput:
        """Tokenise and run; returns the requested outputs (all by default)."""
        batch = self.tokenizer.encode_batch(texts, prefix=self.manifest.prefix)
        names = outputs or self.output_names
        values = self.session.run(names, {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask})
        return EncoderOutput(batch, dict(zip(names, values)))

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised sentence embeddings."""
        return self.run(texts, [self.manifest.embedding_output]).outputs[self.manifest.embedding_output]
