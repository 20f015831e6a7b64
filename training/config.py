"""Experiment configs are data: one TOML file per run, overridable from the command line."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A config file or override is malformed."""


def parse_override(item: str) -> tuple[list[str], Any]:
    """Parse ``section.key=value``; the value is read as JSON when it parses, else as a string."""
    if "=" not in item:
        raise ConfigError(f"E001 override {item!r} must look like section.key=value")
    key, raw = item.split("=", 1)
    path = [p for p in key.strip().split(".") if p]
    if not path:
        raise ConfigError(f"E002 override {item!r} has an empty key")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return path, value


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read(p: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """One TOML file; `extends = "other.toml"` (relative to it) reads that file first and lays
    this one's sections over it key by key, so a follow-up run names only what it changes (every
    key is inherited, a chain's `then` included)."""
    if not p.is_file():
        raise ConfigError(f"E003 config file not found: {p}")
    if p.resolve() in seen:
        raise ConfigError(f"E006 {p}: `extends` loops back to {p.name}")
    with p.open("rb") as fh:
        try:
            cfg = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"E004 {p}: {exc}") from exc
    parent = cfg.pop("extends", None)
    if parent is None:
        return cfg
    if not isinstance(parent, str):
        raise ConfigError(f"E006 {p}: `extends` must be a file name, not {parent!r}")
    return _merge(_read(p.parent / parent, (*seen, p.resolve())), cfg)


def load_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read a TOML config (following `extends`) and apply ``section.key=value`` overrides in order."""
    p = Path(path)
    cfg = _read(p)
    for item in overrides or []:
        keys, value = parse_override(item)
        node = cfg
        for k in keys[:-1]:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                raise ConfigError(f"E005 override {item!r}: {k!r} is not a section")
        node[keys[-1]] = value
    cfg.setdefault("_meta", {})["config_path"] = str(p)
    return cfg
