"""`copilot admin create` and `copilot db upgrade` on the embedded database."""

from __future__ import annotations

import io
import sys

from copilot import cli
from copilot.db.migrate import head_revision


def test_admin_create_and_db_upgrade(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("kata-sandi-admin-panjang\n"))
    assert cli.main(["admin", "create", "root", "--password-stdin", "--data-dir", str(tmp_path)]) == 0
    assert "created admin root" in capsys.readouterr().out
    assert (tmp_path / "copilot.db").is_file()
    assert cli.main(["db", "upgrade", "--data-dir", str(tmp_path)]) == 0
    assert f"revision {head_revision()}" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("kata-sandi-admin-panjang\n"))
    assert cli.main(["admin", "create", "root", "--password-stdin", "--data-dir", str(tmp_path)]) == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert cli.main(["admin", "create", "x", "--password-stdin", "--data-dir", str(tmp_path)]) == 2
