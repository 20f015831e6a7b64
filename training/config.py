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


def load_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read a TOML config and apply ``section.key=value`` overrides in order."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"E003 config file not found: {p}")
    with p.open("rb") as fh:
        try:
            cfg = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"E004 {p}: {exc}") from exc
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
