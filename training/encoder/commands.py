"""`copilot-train encoder ...` commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from training.config import load_config


def register(sub: argparse._SubParsersAction) -> None:
    enc = sub.add_parser("encoder", help="base encoder: convert, check, trim, export").add_subparsers(
        dest="encoder_command", required=True
    )
    b = enc.add_parser("build", help="obtain, verify, trim and export the base encoder")
    b.add_argument("--config", default="training/configs/encoder.toml")
    b.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override")
    b.set_defaults(func=_build)


def _build(args) -> int:
    from training.encoder.pipeline import build_encoder  # noqa: PLC0415

    out = build_encoder(load_config(args.config, args.set))
    print(Path(out))
    return 0
