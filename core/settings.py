"""All configuration, read once from `REDRESS_*` environment variables (or `.env`)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REDRESS_", env_file=".env", extra="ignore")

    # Where the embedded stack keeps its files (Temporal's and the app's SQLite databases).
    data_dir: Path = Path("var")
    database_url: str = ""

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_ui_port: int = 8233
    complaint_task_queue: str = "redress-complaints"
    # Payload encryption key ring, `id:base64key,...`, active key first; empty means no
    # encryption (`make run` keeps a local key in the data dir). New key:
    # `python -m core.codec new-key`.
    codec_keys: str = ""

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    # Providers: `sandbox` is the built-in, store-backed implementation.
    payments_provider: str = "sandbox"
    notifications_provider: str = "outbox"

    # Failure injection for the sandbox payments provider (0 turns it off).
    sandbox_payments_transient_failure_rate: float = Field(default=0.0, ge=0, le=1)
    sandbox_payments_decline: list[str] = Field(default_factory=list)

    # Couriers: `sandbox` keeps parcels in the store and moves them on its own, calling the
    # API's webhook like a real courier; `http` talks to a courier's REST API.
    courier_provider: str = "sandbox"
    courier_base_url: str = ""
    courier_webhook_secret: str = "dev-courier-secret"
    # Where the sandbox courier posts tracking events; empty means this stack's API.
    courier_webhook_url: str = ""
    sandbox_courier_step_seconds: float = Field(default=30, gt=0)
    sandbox_courier_loss_rate: float = Field(default=0.0, ge=0, le=1)
    sandbox_courier_exception_rate: float = Field(default=0.0, ge=0, le=1)

    @property
    def effective_courier_webhook_url(self) -> str:
        """Returns where courier tracking events are posted."""
        return self.courier_webhook_url or (
            f"http://{self.api_host}:{self.api_port}/webhooks/courier"
        )

    @property
    def effective_database_url(self) -> str:
        """Returns the configured database URL, or the SQLite file under `data_dir`."""
        return self.database_url or f"sqlite:///{self.data_dir / 'redress.db'}"


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings."""
    return Settings()
