"""The multi-task model: one encoder pass, mean pooling, one linear head per task.

Heads are linear on the mean-pooled states on purpose: a label's logit then decomposes exactly
into per-token contributions (W·h_t / n), which the runtime shows as evidence.
"""

from __future__ import annotations

import torch
from torch import nn

from training.classifier.tasks import HEADS


class MultiTaskModel(nn.Module):
    def __init__(self, encoder: nn.Module, hidden: int, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({h.name: nn.Linear(hidden, len(h.labels)) for h in HEADS})

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> dict[str, torch.Tensor]:
        p = self.dropout(self.pooled(input_ids, attention_mask))
        return {name: head(p) for name, head in self.heads.items()}


def multitask_loss(
    logits: dict[str, torch.Tensor],
    multilabel: dict[str, torch.Tensor],
    multiclass: dict[str, torch.Tensor],
    weights: torch.Tensor,
    pos_weight: dict[str, torch.Tensor],
    head_weight: dict[str, float],
) -> tuple[torch.Tensor, dict[str, float]]:
    """Masked BCE for multi-label heads, CE for multi-class heads; unknown targets are ignored."""
    total = logits[next(iter(logits))].new_zeros(())
    parts: dict[str, float] = {}
    for name, y in multilabel.items():
        known = ~torch.isnan(y)
        if not known.any():
            continue
        bce = nn.functional.binary_cross_entropy_with_logits(
            logits[name], torch.nan_to_num(y), reduction="none", pos_weight=pos_weight.get(name)
        )
        w = weights.unsqueeze(1).expand_as(bce)
        loss = (bce * w * known).sum() / (w * known).sum().clamp(min=1e-6)
        total = total + head_weight.get(name, 1.0) * loss
        parts[name] = float(loss.detach())
    for name, y in multiclass.items():
        known = y >= 0
        if not known.any():
            continue
        ce = nn.functional.cross_entropy(logits[name][known], y[known], reduction="none")
        w = weights[known]
        loss = (ce * w).sum() / w.sum().clamp(min=1e-6)
        total = total + head_weight.get(name, 1.0) * loss
        parts[name] = float(loss.detach())
    return total, parts
