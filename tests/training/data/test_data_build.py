"""End to end on the fixtures: one command, a reproducible folder, honest about missing inputs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from training.cli import main
from training.data.authored import AuthoredDataError
from training.data.build import OUTPUTS, BuildError, build_dataset
from training.data.splits import split_of

MakeConfig = Callable[..., dict[str, Any]]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_tiny_build(make_config: MakeConfig, tmp_path: Path) -> None:
    result = build_dataset(make_config())
    assert result.out_dir == tmp_path / "build" / result.version
    assert sorted(p.name for p in result.out_dir.iterdir()) == sorted(OUTPUTS)
    rows = read_jsonl(result.out_dir / "examples.jsonl")
    assert len(rows) == result.rows and result.inputs_missing == []
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    assert manifest["outputs"]["examples.jsonl"]["rows"] == len(rows)
    assert {s["name"] for s in manifest["inputs"]["sources"]} >= {"apricitea_suicide_id",
                                                                   "epitome_en"}
    client = manifest["counts"]["by_source"]["authored_client"]
    assert client["risk"]["suicidal"]["pos"]["total"] == 1

    splits_of_group: dict[str, set[str]] = {}
    for r in rows:
        assert set(r) == {"id", "source", "lang", "role", "text", "group", "split", "targets",
                          "proxy", "hard_negative", "register", "augmented"}
        assert r["split"] == split_of(r["group"])
        splits_of_group.setdefault(r["group"], set()).add(r["split"])
        if r["augmented"]:
            assert r["split"] == "train" and r["lang"] == "id"
    assert all(len(s) == 1 for s in splits_of_group.values())  # no group leaks across splits
    assert any(r["augmented"] for r in rows)
    sessions = read_jsonl(result.out_dir / "sessions.jsonl")
    assert [s["id"] for s in sessions] == ["s-t-001", "s-t-002"]
    diversity = json.loads((result.out_dir / "diversity.json").read_text())
    assert diversity["overall"]["texts"] == 20 and "requirements" in diversity
    assert "# Authored data: diversity report" in (result.out_dir / "diversity.md").read_text()
    assert set(json.loads((result.out_dir / "augmentation_eval.json").read_text())["tasks"]) == {
        "suicidal", "emotion"}


def test_two_builds_are_identical(make_config: MakeConfig, tmp_path: Path) -> None:
    a = build_dataset(make_config(), out=tmp_path / "a")
    b = build_dataset(make_config(), out=tmp_path / "b")
    assert a.version == b.version
    for name in OUTPUTS:
        assert (a.out_dir / name).read_bytes() == (b.out_dir / name).read_bytes(), name


def test_locations_do_not_change_the_version(make_config: MakeConfig, tmp_path: Path,
                                             public_dir: Path, authored_dir: Path) -> None:
    a = build_dataset(make_config(), out=tmp_path / "a")
    b = build_dataset(make_config(public_dir, authored_dir, f"paths.cache={tmp_path / 'c'}",
                                  f"paths.out={tmp_path / 'elsewhere'}"), out=tmp_path / "b")
    assert a.version == b.version
    assert (a.out_dir / "manifest.json").read_bytes() == (b.out_dir / "manifest.json").read_bytes()


def test_config_changes_give_a_new_version(make_config: MakeConfig, tmp_path: Path,
                                           public_dir: Path, authored_dir: Path) -> None:
    a = build_dataset(make_config(), out=tmp_path / "a")
    b = build_dataset(make_config(public_dir, authored_dir, "augment.p_typo=0.5"),
                      out=tmp_path / "b")
    assert a.version != b.version


def test_missing_public_inputs_are_listed_and_skipped(make_config: MakeConfig, tmp_path: Path,
                                                      public_dir: Path) -> None:
    public = tmp_path / "public"
    shutil.copytree(public_dir, public)
    shutil.rmtree(public / "epitome_en")
    (public / "riccosan_emotion_opinion" / "SadData.csv").unlink()
    result = build_dataset(make_config(public))
    assert "epitome_en/emotional-reactions-reddit.csv" in result.inputs_missing
    assert result.inputs_missing.count("riccosan_emotion_opinion/SadData.csv") == 1
    status = {s["name"]: s["status"] for s in result.manifest["inputs"]["sources"]}
    assert status["epitome_en"] == "missing" and status["apricitea_suicide_id"] == "loaded"
    assert "epitome_en" not in result.manifest["counts"]["by_source"]


def test_no_public_data_at_all_still_builds(make_config: MakeConfig, tmp_path: Path) -> None:
    result = build_dataset(make_config(tmp_path / "absent"))
    assert result.rows > 0 and len(result.inputs_missing) > 10


def test_missing_authored_data_is_an_error(make_config: MakeConfig, tmp_path: Path,
                                           public_dir: Path) -> None:
    with pytest.raises(AuthoredDataError, match="E201"):
        build_dataset(make_config(public_dir, tmp_path / "none"))


def test_refuses_to_write_into_a_foreign_folder(make_config: MakeConfig, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("x")
    with pytest.raises(BuildError, match="E301"):
        build_dataset(make_config(), out=out)


def test_cli_build(tmp_path: Path, capsys: pytest.CaptureFixture[str], repo_config: Path,
                   public_dir: Path, authored_dir: Path) -> None:
    args = ["data", "build", "--config", str(repo_config), "--out", str(tmp_path / "cli"),
            "--set", f"paths.public={public_dir}", "--set", f"paths.authored={authored_dir}",
            "--set", "paths.cache=", "--set", "measure.encoder=hashing",
            "--set", "measure.eval_enabled=false"]
    assert main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["out_dir"] == str(tmp_path / "cli") and printed["rows"] > 0
    assert main([*args[:-2], "--set", "measure.encoder=bert"]) == 2
    assert "E107" in capsys.readouterr().err
