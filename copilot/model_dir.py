"""A shipped model directory: its manifest, and the checks that it is complete and intact."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MANIFEST = "manifest.json"


class ModelDirError(RuntimeError):
    """The model directory is missing, incomplete, or fails its checksums."""


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)


class HeadSpec(BaseModel):
    """One output head: which ONNX output holds its logits and how to read them."""

    model_config = ConfigDict(extra="forbid")
    output: str
    type: Literal["multilabel", "multiclass"]
    labels: list[str]
    thresholds: dict[str, float] = Field(default_factory=dict)
    temperature: float = 1.0
    role: Literal["client", "counselor", "any"] = "any"


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: int = 1
    name: str
    version: str
    kind: Literal["encoder", "classifier"]
    max_length: int = Field(gt=2, le=512)
    prefix: str = ""
    embedding_output: str = "sentence_embedding"
    token_output: str | None = "last_hidden_state"
    heads: dict[str, HeadSpec] = Field(default_factory=dict)
    files: dict[str, FileEntry]
    versions: dict[str, str] = Field(default_factory=dict)
    data_cards: list[str] = Field(default_factory=list)
    base_model: dict = Field(default_factory=dict)
    metrics: dict = Field(default_factory=dict)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_manifest(model_dir: str | Path, verify: bool = True) -> Manifest:
    """Read manifest.json and, unless told otherwise, check every listed file's size and sha256."""
    d = Path(model_dir)
    if not d.is_dir():
        raise ModelDirError(f"E301 model directory {d} does not exist")
    path = d / MANIFEST
    if not path.is_file():
        raise ModelDirError(f"E302 {path} is missing: not a model directory")
    try:
        manifest = Manifest.model_validate(json.loads(path.read_text()))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ModelDirError(f"E303 {path} is malformed: {exc}") from exc
    if "model.onnx" not in manifest.files or "tokenizer.json" not in manifest.files:
        raise ModelDirError(f"E304 {path} must list model.onnx and tokenizer.json")
    if verify:
        for name, entry in manifest.files.items():
            f = d / name
            if not f.is_file():
                raise ModelDirError(f"E305 {f} is listed in the manifest but missing")
            if f.stat().st_size != entry.bytes:
                raise ModelDirError(f"E306 {f} has {f.stat().st_size} bytes, manifest says {entry.bytes}")
            if sha256_of(f) != entry.sha256:
                raise ModelDirError(f"E307 {f} fails its sha256 check (corrupt or replaced)")
    return manifest


def file_entries(model_dir: Path, names: list[str]) -> dict[str, FileEntry]:
    """Size and sha256 of each named file, for writing a manifest."""
    return {n: FileEntry(sha256=sha256_of(model_dir / n), bytes=(model_dir / n).stat().st_size) for n in names}
