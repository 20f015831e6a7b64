"""Fill the build-generated section of the data cards from a finished build.

Each card in data_cards/ has a block between ``<!-- build:start -->`` and ``<!-- build:end -->``;
only that block is rewritten, the hand-written rest of the card is left alone. Run with
``copilot-train data build --update-cards`` so the counts in the cards are always a real build's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from training.data.authored import AUTHORED_SOURCES
from training.data.diversity_render import render_diversity

START, END = "<!-- build:start -->", "<!-- build:end -->"
_BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
AUTHORED_CARD = "authored_id.md"


class CardError(ValueError):
    """A card is missing or lacks the build block markers."""


def _split_table(title: str, entries: dict[str, dict[str, int]]) -> list[str]:
    lines = [f"| {title} | train | dev | test | total |", "|---|---|---|---|---|"]
    for name, c in entries.items():
        lines.append(f"| {name} | {c['train']} | {c['dev']} | {c['test']} | {c['total']} |")
    return lines + [""]


def counts_markdown(counts: dict[str, Any]) -> str:
    """Rows, labels and classes of one source per split, as Markdown tables."""
    out = _split_table("rows", {"rows": counts["rows"]})
    for group in ("risk", "flags"):
        if group in counts:
            entries = {f"`{label}` {k}": v[k] for label, v in counts[group].items()
                       for k in ("pos", "neg")}
            out += _split_table(group, entries)
    for group in ("skill", "emotion"):
        if group in counts:
            out += _split_table(group, {f"`{k}`": v for k, v in counts[group].items()})
    extra = {k: counts[k] for k in ("hard_negative", "proxy", "augmented_copies") if k in counts}
    if extra:
        out += _split_table("marked rows", extra)
    return "\n".join(out)


def _dedupe_line(manifest: dict[str, Any], source: str) -> str:
    """What de-duplication removed from one source, in words."""
    dedupe = manifest["dedupe"]
    parts = [f"{dedupe[k][source]} {k}" for k in ("duplicate", "outvoted", "conflict")
             if dedupe[k].get(source)]
    parts += [f"{n} also in {pair.split('<')[1]} (kept there)"
              for pair, n in dedupe["cross_source"].items() if pair.startswith(source + "<")]
    return ", ".join(parts) or "nothing dropped"


def _replace_block(path: Path, body: str) -> None:
    if not path.is_file():
        raise CardError(f"E401 data card not found: {path}")
    text = path.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise CardError(f"E402 {path} has no {START} ... {END} block")
    block = f"{START}\n{body.strip()}\n{END}"
    path.write_text(_BLOCK.sub(lambda _: block, text), encoding="utf-8")


def update_cards(
    cards_dir: Path, manifest: dict[str, Any], diversity: dict[str, Any]
) -> list[Path]:
    """Rewrite the build block of every card this build has numbers for; return the cards."""
    header = (f"From build `{manifest['version']}` "
              f"(fingerprint `{manifest['fingerprint'][:16]}`).\n\n")
    by_source = manifest["counts"]["by_source"]
    written = []
    for src in manifest["inputs"]["sources"]:
        if src["status"] != "loaded" or src["name"] not in by_source:
            continue
        path = cards_dir / Path(src["card"]).name
        stats = ", ".join(f"{k}: {v}" for k, v in src["load_stats"].items())
        body = (header + f"Loader: {stats}. De-duplication: {_dedupe_line(manifest, src['name'])}."
                + "\n\n" + counts_markdown(by_source[src["name"]]))
        if src["name"] == "mi_strategy_en" and "mi_strategy_en_weak" in by_source:
            body += "\n\n`mi_strategy_en_weak` (optional source):\n\n"
            body += counts_markdown(by_source["mi_strategy_en_weak"])
        _replace_block(path, body)
        written.append(path)
    parts = [header.strip(), ""]
    for name in AUTHORED_SOURCES:
        if name in by_source:
            parts += [f"### `{name}` rows after de-duplication "
                      f"({_dedupe_line(manifest, name)})\n", counts_markdown(by_source[name]), ""]
    # The diversity Markdown starts with its own H1; demote it inside the card.
    div = render_diversity(diversity, diversity["requirements"], compact=True)
    div = div.replace("# Authored", "### Authored")
    parts.append(div.replace("\n## ", "\n#### "))
    parts.append("\nPer-file label counts, paraphrase twins and closest pairs: `diversity.md` of "
                 "the build.")
    path = cards_dir / AUTHORED_CARD
    _replace_block(path, "\n".join(parts))
    written.append(path)
    return written
