"""`copilot`: the runtime command line. It parses arguments and calls one function."""

from __future__ import annotations

import argparse
import logging
import sys

from copilot.settings import Settings


def _serve(args) -> int:
    import uvicorn  # noqa: PLC0415

    from copilot.api.main import create_app  # noqa: PLC0415
    from copilot.logging_setup import configure  # noqa: PLC0415

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port),
                                   ("model_dir", args.model_dir), ("data_dir", args.data_dir),
                                   ("database_url", args.database_url)) if v}
    settings = Settings(**overrides)
    configure("DEBUG" if args.verbose else settings.log_level, settings.log_json)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_config=None, access_log=False, ws_max_size=settings.max_body_bytes,
                proxy_headers=False)
    return 0


def _db_upgrade(args) -> int:
    from copilot.services.bootstrap import upgrade_database  # noqa: PLC0415

    rev = upgrade_database(_storage_settings(args))
    print(f"database at revision {rev}")
    return 0


def _admin_create(args) -> int:
    import getpass  # noqa: PLC0415

    from copilot.services.bootstrap import create_account  # noqa: PLC0415
    from copilot.services.errors import ServiceError  # noqa: PLC0415

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if password != getpass.getpass("again: "):
            print("passwords differ", file=sys.stderr)
            return 2
    if len(password) < 12:
        print("the password needs at least 12 characters", file=sys.stderr)
        return 2
    try:
        user = create_account(_storage_settings(args), args.username, password, args.role)
    except ServiceError as exc:
        print(f"{exc.code} {exc.message}", file=sys.stderr)
        return 1
    print(f"created {user.role} {user.username} ({user.id})")
    return 0


def _storage_settings(args) -> Settings:
    overrides = {k: v for k, v in (("data_dir", args.data_dir),
                                   ("database_url", args.database_url)) if v}
    return Settings(**overrides)


def _analyze(args) -> int:
    from copilot.analyzer import Analyzer  # noqa: PLC0415
    from copilot.batch_analyze import analyze_stream  # noqa: PLC0415

    overrides = {"model_dir": args.model_dir} if args.model_dir else {}
    analyzer = Analyzer.from_settings(Settings(**overrides))
    src = open(args.file, encoding="utf-8") if args.file and args.file != "-" else sys.stdin
    with src:
        errors = analyze_stream(analyzer, args.role, src, sys.stdout)
    return 2 if errors else 0


def _replay(args) -> int:
    from copilot.analyzer import Analyzer  # noqa: PLC0415
    from copilot.replay import replay_stream  # noqa: PLC0415
    from copilot.suggest import SuggestionBank, Suggester  # noqa: PLC0415

    overrides = {"model_dir": args.model_dir} if args.model_dir else {}
    analyzer = Analyzer.from_settings(Settings(**overrides))
    suggester = None
    if not args.no_suggestions:
        bank = SuggestionBank.load(args.bank) if args.bank else SuggestionBank.load()
        suggester = Suggester(analyzer, bank.prepare(analyzer))
    src = open(args.file, encoding="utf-8") if args.file and args.file != "-" else sys.stdin
    with src:
        errors = replay_stream(src, sys.stdout, analyzer, suggester)
    return 2 if errors else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="copilot", description="Konselor Copilot runtime")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the HTTP service (embedded defaults)")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--model-dir")
    s.add_argument("--data-dir", help="where the embedded SQLite database and secret key live")
    s.add_argument("--database-url", help="e.g. postgresql+psycopg://user@host/db")
    s.set_defaults(func=_serve)
    d = sub.add_parser("db", help="storage maintenance")
    dsub = d.add_subparsers(dest="db_command", required=True)
    du = dsub.add_parser("upgrade", help="apply every pending migration")
    du.add_argument("--data-dir")
    du.add_argument("--database-url")
    du.set_defaults(func=_db_upgrade)
    ad = sub.add_parser("admin", help="account administration")
    asub = ad.add_subparsers(dest="admin_command", required=True)
    ac = asub.add_parser("create", help="create an account (the first admin) directly in storage")
    ac.add_argument("username")
    ac.add_argument("--role", choices=("admin", "supervisor", "counselor"), default="admin")
    ac.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    ac.add_argument("--data-dir")
    ac.add_argument("--database-url")
    ac.set_defaults(func=_admin_create)
    a = sub.add_parser("analyze", help="analyse JSON Lines {id, text} from FILE or stdin")
    a.add_argument("--role", choices=("client", "counselor"), required=True)
    a.add_argument("--model-dir")
    a.add_argument("file", nargs="?", help="JSON Lines file; stdin when absent or '-'")
    a.set_defaults(func=_analyze)
    r = sub.add_parser("replay", help="replay JSON Lines sessions {id, turns} from FILE or stdin: "
                                      "alerts, suggestions, summary and review per session")
    r.add_argument("--model-dir")
    r.add_argument("--bank", help="suggestion bank JSON Lines (default: the shipped bank)")
    r.add_argument("--no-suggestions", action="store_true", help="skip suggestions (faster scoring)")
    r.add_argument("file", nargs="?", help="JSON Lines file; stdin when absent or '-'")
    r.set_defaults(func=_replay)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
