"""One settings class for the runtime; every field can be set as COPILOT_<NAME> in the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
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
    log_json: bool = True  # structured one-line JSON logs; False for human-readable lines

    # Storage. None = SQLite in data_dir (no set-up); PostgreSQL: postgresql+psycopg://...
    database_url: str | None = None
    migrate_on_start: bool = True  # `copilot serve` brings the schema to head before serving

    # Auth. None = generated on first run and persisted in data_dir/secret_key (mode 0600).
    secret_key: SecretStr | None = None
    access_token_ttl_s: int = Field(900, ge=30)
    refresh_token_ttl_s: int = Field(14 * 24 * 3600, ge=60)
    # Guideline 1.2-1.3: an account with this many failed log-ins inside the window refuses
    # every log-in (the right password too) until the oldest of those failures leaves the window.
    login_max_failures: int = Field(5, ge=1)
    login_lockout_window_s: int = Field(900, ge=1)

    # Real-time alerts.
    escalation_timeout_s: float = Field(120.0, gt=0)  # unacknowledged this long -> supervisor
    escalation_scan_interval_s: float = Field(5.0, gt=0)
    ws_resync_interval_s: float = Field(5.0, gt=0)  # each socket re-reads stored open alerts

    # Limits.
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    max_message_chars: int = Field(4000, ge=1)
    analysis_workers: int = Field(2, ge=1)  # concurrent analyses (CPU-bound, off the event loop)

    # Suggestions and summaries (issue 7).
    suggestion_bank: Path | None = None  # None = the shipped copilot/suggestion_bank/bank_id.jsonl
    # Guideline 7: fields that must be filled before a summary can be approved (JSON list in the env).
    summary_mandatory_fields: list[str] = Field(default_factory=lambda: [
        "nama_panggilan", "bahasa", "topik", "keluhan_utama", "kondisi_emosi", "risiko",
        "tindakan_rujukan", "rencana_tindak_lanjut"])

    @field_validator("summary_mandatory_fields")
    @classmethod
    def _known_summary_fields(cls, v: list[str]) -> list[str]:
        from copilot.session_summary import check_mandatory_config  # noqa: PLC0415

        return list(check_mandatory_config(v))

    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file inside ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'copilot.db').resolve()}"
