"""`copilot-train data ...`: argument parsing only; the work is in `build_dataset`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from training.config import ConfigError, load_config

log = logging.getLogger(__name__)
DEFAULT_CONFIG = "training/configs/data.toml"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `data` command group to the training CLI."""
    data = subparsers.add_parser("data", help="build the training and evaluation dataset")
    sub = data.add_subparsers(dest="data_command", required=True)
    build = sub.add_parser("build", help="build a versioned dataset folder from all sources")
    build.add_argument("--config", default=DEFAULT_CONFIG,
                       help="TOML config (default: %(default)s)")
    build.add_argument("--set", dest="overrides", action="append", default=[],
                       metavar="KEY=VALUE",
                       help="override a config value, e.g. measure.encoder=hashing")
    build.add_argument("--out", type=Path, default=None,
                       help="output folder (default: <paths.out>/<version>)")
    build.add_argument("--update-cards", type=Path, nargs="?", const=Path("data_cards"),
                       default=None, metavar="CARDS_DIR",
                       help="also rewrite the build block of the data cards "
                            "(default folder: data_cards)")
    build.set_defaults(func=run_build)


def run_build(args: argparse.Namespace) -> int:
    """Load the config, build, optionally update the cards; print the result as JSON."""
    # Imported here so `copilot-train --help` stays fast and free of numpy/ftfy imports.
    from training.data.authored import AuthoredDataError
    from training.data.build import BuildError, build_dataset
    from training.data.cards import CardError, update_cards

    try:
        cfg = load_config(args.config, args.overrides)
        result = build_dataset(cfg, out=args.out)
        if args.update_cards is not None:
            diversity = json.loads((result.out_dir / "diversity.json").read_text(encoding="utf-8"))
            for card in update_cards(args.update_cards, result.manifest, diversity):
                log.info("updated data card %s", card)
    except (ConfigError, AuthoredDataError, BuildError, CardError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"out_dir": str(result.out_dir), "version": result.version,
                      "rows": result.rows, "augmented_rows": result.augmented_rows,
                      "sessions": result.sessions, "inputs_missing": result.inputs_missing,
                      "seconds": round(result.seconds, 1)}, indent=2))
    return 0
