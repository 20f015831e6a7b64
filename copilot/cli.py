"""`copilot`: the runtime command line. It parses arguments and calls one function."""

from __future__ import annotations

import argparse
import logging
import sys

from copilot.settings import Settings


def _serve(args) -> int:
    import uvicorn  # noqa: PLC0415

    from copilot.api.main import create_app  # noqa: PLC0415

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port), ("model_dir", args.model_dir)) if v}
    settings = Settings(**overrides)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="copilot", description="Konselor Copilot runtime")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the HTTP service (embedded defaults)")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--model-dir")
    s.set_defaults(func=_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
