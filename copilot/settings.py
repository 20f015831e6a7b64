"""One settings class for the runtime; every field can be set as COPILOT_<NAME> in the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = REPO_ROOT / "models" / "konselor-id"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COPILOT_", extra="ignore")

    model_dir: Path = DEFAULT_MODEL_DIR
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8080
    threads: int | None = None  # onnxruntime intra-op threads; None = min(4, cores)
    verify_model: bool = True  # sha256 of every model file at start-up
    log_level: str = "INFO"
