"""Shared fixtures: tiny copies of every public file and of the authored folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from training.config import load_config

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"
PUBLIC = FIXTURES / "public"
AUTHORED = FIXTURES / "authored"
REPO_CONFIG = Path(__file__).resolve().parents[3] / "training" / "configs" / "data.toml"


@pytest.fixture
def public_dir() -> Path:
    """The read-only public fixture tree."""
    return PUBLIC


@pytest.fixture
def authored_dir() -> Path:
    """The read-only authored fixture folder."""
    return AUTHORED


@pytest.fixture
def repo_config() -> Path:
    """The shipped training/configs/data.toml."""
    return REPO_CONFIG


@pytest.fixture
def authored_copy(tmp_path: Path) -> Path:
    """A writable copy of the authored fixture folder."""
    dst = tmp_path / "authored"
    shutil.copytree(AUTHORED, dst)
    return dst


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., dict[str, Any]]:
    """The shipped data.toml pointed at fixtures, with the cheap encoder and no cache."""

    def _make(public: Path = PUBLIC, authored: Path = AUTHORED, *extra: str) -> dict[str, Any]:
        overrides = [
            f"paths.public={public}",
            f"paths.authored={authored}",
            f"paths.out={tmp_path / 'build'}",
            "paths.cache=",
            "measure.encoder=hashing",
            "measure.eval_bootstrap=50",
            "measure.eval_steps=50",
            "measure.distinct_sample=3",
            *extra,
        ]
        return load_config(REPO_CONFIG, overrides)

    return _make
