"""Loaders for the public datasets in ``../shared/datasets``, one module per dataset.

Each module exposes ``SOURCE`` (a `PublicSource`): where its files live, its licence, and a
``load`` function that returns unified `Example` rows with only the targets it really knows.
"""

from __future__ import annotations

from training.data.sources import (
    annomi,
    apricitea,
    epitome,
    esconv,
    ibrohim,
    mi_strategy,
    riccosan,
    saputri,
)
from training.data.sources.public_source import PublicSource

PUBLIC_SOURCES: dict[str, PublicSource] = {
    s.name: s
    for s in (
        apricitea.SOURCE,
        ibrohim.SOURCE_2018,
        ibrohim.SOURCE_2019,
        saputri.SOURCE,
        riccosan.SOURCE,
        annomi.SOURCE,
        mi_strategy.SOURCE_GOLD,
        mi_strategy.SOURCE_WEAK,
        esconv.SOURCE,
        epitome.SOURCE,
    )
}

__all__ = ["PUBLIC_SOURCES", "PublicSource"]
