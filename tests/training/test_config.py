import pytest

from training.config import ConfigError, load_config


def test_overrides(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[a]\nx = 1\nname = "n"\n')
    cfg = load_config(p, ["a.x=3", "a.name=other", "b.flag=true"])
    assert cfg["a"] == {"x": 3, "name": "other"} and cfg["b"]["flag"] is True


def test_bad_override(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[a]\nx = 1\n")
    with pytest.raises(ConfigError, match="E001"):
        load_config(p, ["nonsense"])
    with pytest.raises(ConfigError, match="E003"):
        load_config(tmp_path / "missing.toml")


def test_a_config_extends_another_and_names_only_what_differs(tmp_path):
    (tmp_path / "base.toml").write_text('[a]\nx = 1\nname = "n"\n[b]\nlist = [1, 2]\n')
    (tmp_path / "sub").mkdir()
    child = tmp_path / "sub" / "child.toml"
    child.write_text('extends = "../base.toml"\n[a]\nx = 2\n[c]\ny = true\n')
    cfg = load_config(child, ["b.list=[3]"])
    assert cfg["a"] == {"x": 2, "name": "n"} and cfg["b"] == {"list": [3]} and cfg["c"] == {"y": True}
    assert "extends" not in cfg and cfg["_meta"]["config_path"] == str(child)

    (tmp_path / "loop.toml").write_text('extends = "loop.toml"\n')
    with pytest.raises(ConfigError, match="E006"):
        load_config(tmp_path / "loop.toml")
    (tmp_path / "gone.toml").write_text('extends = "missing.toml"\n')
    with pytest.raises(ConfigError, match="E003"):
        load_config(tmp_path / "gone.toml")
