"""`build_dataset`: public sets + authored data -> one versioned, reproducible dataset folder.

Stages (each logged with its counts): authored data (missing or invalid is an error) ->
public sources (missing ones are reported, listed in the manifest and skipped) -> duplicates
-> hashed splits -> augmentation of training rows -> examples.jsonl / sessions.jsonl ->
diversity report -> augmentation experiment -> manifest.json (written last: a folder without
it is an interrupted build).

The folder name is ``<version>-<fingerprint>``, the fingerprint hashing the config (less its
paths), every input file and the pipeline code. Nothing in the output depends on time, machine,
output folder or embedding cache: two builds of the same inputs give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.data import authored as authored_data
from training.data.augment import ChatStyler, augment, row_rng
from training.data.augmentation_eval import evaluate_augmentation
from training.data.build_settings import REPO_ROOT, BuildSettings, from_config
from training.data.dedupe import drop_duplicates
from training.data.diversity import diversity_report
from training.data.diversity_render import render_diversity
from training.data.example import Example
from training.data.manifest import dataset_counts, file_entry, sha256_file
from training.data.requirements import check_requirements
from training.data.slang_lexicon import DICTIONARIES, load_lexicon
from training.data.sources import PUBLIC_SOURCES
from training.data.split_leakage import cross_split_twins
from training.data.split_leakage import summary as leakage_summary
from training.data.splits import assign_splits
from training.data.text_encoders import get_encoder

log = logging.getLogger(__name__)

# Bump when a change of meaning is not visible in the code hash (it always is, today).
PIPELINE_VERSION = "1"
OUTPUTS = ("examples.jsonl", "sessions.jsonl", "diversity.json", "diversity.md",
           "augmentation_eval.json", "manifest.json")
# The code whose behaviour shapes the rows: part of the fingerprint.
CODE_PATHS = ("training/data", "copilot/pii.py", "copilot/labels.py")


class BuildError(RuntimeError):
    """The build cannot proceed (unsafe output folder, nothing to build)."""


@dataclass(frozen=True)
class BuildResult:
    """Where the dataset was written and what it holds."""

    out_dir: Path
    version: str
    rows: int
    augmented_rows: int
    sessions: int
    inputs_missing: list[str]
    manifest: dict[str, Any]
    seconds: float


def _code_hash() -> str:
    h = hashlib.sha256()
    for rel in CODE_PATHS:
        path = REPO_ROOT / rel
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            if "authored" in f.relative_to(REPO_ROOT).parts:
                continue
            h.update(f.relative_to(REPO_ROOT).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _dump_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _dump_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _prepare_out(out_dir: Path) -> None:
    """Create the folder; refuse to write into one that holds anything but our outputs."""
    if out_dir.exists():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in OUTPUTS)
        if foreign:
            raise BuildError(f"E301 output folder {out_dir} holds other files {foreign[:5]}; "
                             "choose an empty or previous build folder")
        for name in OUTPUTS:  # a stale manifest must never describe new files
            (out_dir / name).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)


def _load_public(s: BuildSettings) -> tuple[list[Example], list[dict[str, Any]], list[str]]:
    rows: list[Example] = []
    entries: list[dict[str, Any]] = []
    missing_all: list[str] = []
    for name in s.public_sources:
        src = PUBLIC_SOURCES[name]
        entry: dict[str, Any] = {"name": name, "repository": src.repository,
                                 "licence": src.licence, "lang": src.lang, "proxy": src.proxy,
                                 "card": f"data_cards/{src.card}"}
        missing = src.missing(s.public_root)
        if missing:
            log.warning("public source %s MISSING (%s) under %s: skipped", name,
                        ", ".join(missing), s.public_root)
            entries.append({**entry, "status": "missing", "missing": missing})
            missing_all += missing
            continue
        stats: Counter[str] = Counter()
        loaded = src.load(s.public_root / src.folder, stats)
        log.info("  %-26s %6d rows (read %d; %s)", name, len(loaded), stats["rows_read"],
                 ", ".join(f"{k}={v}" for k, v in sorted(stats.items()) if k != "rows_read")
                 or "nothing dropped")
        entries.append({**entry, "status": "loaded",
                        "files": [file_entry(p, s.public_root) for p in src.paths(s.public_root)],
                        "rows_loaded": len(loaded), "load_stats": dict(sorted(stats.items()))})
        rows += loaded
    return rows, entries, missing_all


def _recorded_config(raw: dict[str, Any]) -> dict[str, Any]:
    """The config as the manifest records it: without the output and cache locations."""
    paths = {k: v for k, v in raw.get("paths", {}).items() if k not in ("out", "cache")}
    return {**raw, "paths": paths}


def _fingerprint(s: BuildSettings, input_hashes: list[str]) -> str:
    # Paths are left out: inputs count by content, and where the output or the embedding cache
    # lives changes nothing in the files.
    config = {k: v for k, v in s.raw.items() if k != "paths"}
    blob = json.dumps({"pipeline": PIPELINE_VERSION, "code": _code_hash(), "config": config,
                       "inputs": sorted(input_hashes)}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def build_dataset(cfg: dict[str, Any], out: str | Path | None = None) -> BuildResult:
    """Build the dataset described by ``cfg`` (see training/configs/data.toml)."""
    started = time.monotonic()
    s = from_config(cfg, out)

    log.info("stage 1/8 authored data: %s", s.authored_dir)
    authored = authored_data.read_authored(s.authored_dir, *s.session_turns)
    for kind, recs in authored.records.items():
        log.info("  %-9s %5d records in %d file(s)", kind, len(recs),
                 len({r.file for r in recs}))
    for w in authored.warnings:
        log.warning("  authored: %s", w)

    log.info("stage 2/8 public sources under %s", s.public_root)
    lexicon, missing_dicts = load_lexicon(s.public_root)
    for rel in missing_dicts:
        log.warning("slang dictionary MISSING: %s (augmentation and slang share use the rest)", rel)
    public_rows, source_entries, missing_public = _load_public(s)

    log.info("stage 3/8 duplicates")
    priority = {name: i for i, name in enumerate(s.sources)}
    authored_rows = [r for r in authored_data.to_examples(authored) if r.source in priority]
    ordered = sorted(authored_rows + public_rows, key=lambda r: priority[r.source])  # stable
    rows, dedupe = drop_duplicates(ordered)
    log.info("  kept %d of %d rows; dropped: %s", len(rows), len(ordered), dedupe.to_json())

    log.info("stage 4/8 splits %s", s.ratios)
    assign_splits(rows, s.ratios)
    sessions = authored_data.to_session_rows(authored, s.ratios)
    log.info("  %s", dict(sorted(Counter(r.split for r in rows).items())))

    log.info("stage 5/8 augmentation of training rows from %s", list(s.augment.sources))
    copies = augment(rows, lexicon, s.augment)
    all_rows = rows + copies
    log.info("  %d chat-style copies", len(copies))

    input_files = [e for src in source_entries for e in src.get("files", [])]
    authored_files = [file_entry(p, s.authored_dir) for p in authored.files]
    dict_files = [file_entry(s.public_root / rel, s.public_root)
                  for rel, _ in DICTIONARIES if (s.public_root / rel).is_file()]
    fingerprint = _fingerprint(s, [e["sha256"] for e in input_files + authored_files + dict_files])
    version = f"{s.version}-{fingerprint[:10]}"
    out_dir = s.out_dir or s.out_root / version
    _prepare_out(out_dir)

    log.info("stage 6/8 writing %s", out_dir)
    _dump_jsonl(out_dir / "examples.jsonl", [r.to_json() for r in all_rows])
    _dump_jsonl(out_dir / "sessions.jsonl", sessions)

    log.info("stage 7/8 diversity report (encoder %s)", s.measure.encoder)
    encoder = get_encoder(s.measure.encoder, s.cache_dir)
    diversity = diversity_report(authored, encoder, lexicon if lexicon.size else None,
                                 s.measure.near_duplicate_cosine, s.measure.distinct_sample,
                                 s.augment.seed)
    diversity["cross_split_twins"] = cross_split_twins(rows, encoder, s.measure.leakage_cosine)
    requirements = check_requirements(diversity["by_kind"], s.requirements)
    _dump_json(out_dir / "diversity.json", {**diversity, "requirements": requirements})
    (out_dir / "diversity.md").write_text(render_diversity(diversity, requirements) + "\n",
                                          encoding="utf-8")
    for split in ("dev", "test"):
        twins = diversity["cross_split_twins"].get(split, {})
        if twins.get("with_train_twin"):
            log.warning("  %d of %d authored %s rows have a train twin at cosine >= %s "
                        "(listed in diversity.json)", twins["with_train_twin"], twins["rows"],
                        split, s.measure.leakage_cosine)
    if not requirements["all_met"]:
        unmet = [k for k, v in requirements["items"].items() if not v["met"]]
        log.warning("  authored requirements not met: %s", ", ".join(unmet))

    log.info("stage 8/8 augmentation experiment")
    if s.measure.eval_enabled:
        styler = ChatStyler(lexicon, s.augment)

        def stylise(row: Example) -> str:
            return styler.stylise(row.text, row_rng(s.augment.seed + 1, row.id, 0))

        evaluation = evaluate_augmentation(all_rows, encoder, s.measure, s.augment.seed, stylise)
    else:
        evaluation = {"skipped": "measure.eval_enabled is false"}
    _dump_json(out_dir / "augmentation_eval.json", evaluation)

    missing = missing_public + missing_dicts
    manifest = {
        "name": s.name,
        "version": version,
        "fingerprint": fingerprint,
        "pipeline_version": PIPELINE_VERSION,
        "config": _recorded_config(s.raw),
        "splits": {"method": "sha256(group) % 100 cut at train/dev/test percentages",
                   "ratios": s.ratios},
        "inputs": {
            "public_root": cfg.get("paths", {}).get("public", "../shared/datasets"),
            "sources": source_entries,
            "slang_dictionaries": dict_files,
            "authored": {"files": authored_files,
                         "records": {k: len(v) for k, v in authored.records.items()},
                         "warnings": authored.warnings},
        },
        "inputs_missing": missing,
        "dedupe": dedupe.to_json(),
        "counts": dataset_counts(all_rows, s.sources),
        "sessions": {"total": len(sessions),
                     "by_split": dict(sorted(Counter(x["split"] for x in sessions).items()))},
        "authored_requirements": requirements,
        "near_duplicate_leakage": leakage_summary(diversity["cross_split_twins"]),
        "outputs": {name: {"sha256": sha256_file(out_dir / name)} for name in OUTPUTS[:-1]},
    }
    manifest["outputs"]["examples.jsonl"]["rows"] = len(all_rows)
    manifest["outputs"]["sessions.jsonl"]["rows"] = len(sessions)
    _dump_json(out_dir / "manifest.json", manifest)
    seconds = time.monotonic() - started
    if missing:
        log.warning("built WITHOUT these missing inputs: %s", ", ".join(missing))
    log.info("done: %d rows (+%d augmented), %d sessions -> %s in %.0fs", len(rows), len(copies),
             len(sessions), out_dir, seconds)
    return BuildResult(out_dir=out_dir, version=version, rows=len(all_rows),
                       augmented_rows=len(copies), sessions=len(sessions),
                       inputs_missing=missing, manifest=manifest, seconds=seconds)
