"""A plain BERT forward, written in the classic operator pattern, used only for ONNX export.

Recent `transformers` builds attention masks and scaled attention with operators that
onnxruntime's transformer optimiser does not recognise, so no Attention node gets fused. This
module carries the very same weights as the trained `BertModel` and computes the same function
(the export parity check proves it), in the pattern the optimiser fuses.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, eps: float):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.inter = nn.Linear(hidden, 4 * hidden)
        self.out = nn.Linear(4 * hidden, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=eps)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        new_shape = x.size()[:-1] + (self.heads, self.head_dim)
        return x.view(new_shape).permute(0, 2, 1, 3)

    def forward(self, x: torch.Tensor, ext_mask: torch.Tensor) -> torch.Tensor:
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        probs = nn.functional.softmax(scores + ext_mask, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        ctx = ctx.view(ctx.size()[:-2] + (self.heads * self.head_dim,))
        x = self.attn_norm(self.attn_out(ctx) + x)
        return self.out_norm(self.out(nn.functional.gelu(self.inter(x))) + x)


class ExportBert(nn.Module):
    """BERT encoder without pooler; `from_hf` copies a `transformers` BertModel's weights."""

    def __init__(self, vocab: int, hidden: int, layers: int, heads: int, max_pos: int, types: int, eps: float):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(max_pos, hidden)
        self.token_type = nn.Embedding(types, hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(_Layer(hidden, heads, eps) for _ in range(layers))

    @classmethod
    def from_hf(cls, model) -> "ExportBert":
        c = model.config
        if c.intermediate_size != 4 * c.hidden_size or c.hidden_act != "gelu":
            raise ValueError("ExportBert expects intermediate = 4 × hidden and erf GELU")
        m = cls(c.vocab_size, c.hidden_size, c.num_hidden_layers, c.num_attention_heads,
                c.max_position_embeddings, c.type_vocab_size, c.layer_norm_eps)
        sd = model.state_dict()
        e = "embeddings."
        own = {
            "word.weight": sd[e + "word_embeddings.weight"],
            "pos.weight": sd[e + "position_embeddings.weight"],
            "token_type.weight": sd[e + "token_type_embeddings.weight"],
            "norm.weight": sd[e + "LayerNorm.weight"],
            "norm.bias": sd[e + "LayerNorm.bias"],
        }
        names = {
            "query": "attention.self.query", "key": "attention.self.key",
            "value": "attention.self.value", "attn_out": "attention.output.dense",
            "attn_norm": "attention.output.LayerNorm", "inter": "intermediate.dense",
            "out": "output.dense", "out_norm": "output.LayerNorm",
        }
        for i in range(c.num_hidden_layers):
            for mine, theirs in names.items():
                for p in ("weight", "bias"):
                    own[f"layers.{i}.{mine}.{p}"] = sd[f"encoder.layer.{i}.{theirs}.{p}"]
        m.load_state_dict(own)
        return m.eval()

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        seq = input_ids.size(1)
        positions = torch.arange(seq, dtype=torch.long, device=input_ids.device).unsqueeze(0)
        x = self.word(input_ids) + self.pos(positions) + self.token_type(torch.zeros_like(input_ids))
        x = self.norm(x)
        ext = attention_mask[:, None, None, :].to(x.dtype)
        ext = (1.0 - ext) * -10000.0
        for layer in self.layers:
            x = layer(x, ext)
        return x
