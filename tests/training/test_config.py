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
