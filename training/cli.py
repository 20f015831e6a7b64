"""`copilot-train`: the training command line. It parses arguments and calls one typed function."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# Each module exposes register(subparsers); keeping the list here avoids importing torch
# for commands that do not need it.
COMMAND_MODULES = (
    "training.data.commands",
    "training.encoder.commands",
    "training.classifier.commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copilot-train", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
