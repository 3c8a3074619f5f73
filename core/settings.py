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
    # Signs customer link tokens and console sessions (HS256). Empty is refused by the API;
    # `make run` keeps a local random one in the data dir. New one: `openssl rand -hex 32`.
    secret_key: str = ""
    # Where customers and staff reach the API from outside, for links in messages; empty
    # means `http://{api_host}:{api_port}`.
    public_base_url: str = ""
    # How long a customer's case link stays valid after it is issued.
    customer_link_days: int = Field(default=60, ge=1, le=365)
    # Origins allowed to call the codec endpoint from a browser (the Temporal UI); empty
    # means this stack's own UI on `temporal_ui_port`.
    codec_cors_origins: list[str] = Field(default_factory=list)

    # Providers: `sandbox` is the built-in, store-backed implementation.
    payments_provider: str = "sandbox"
    notifications_provider: str = "outbox"

    # Failure injection for the sandbox payments provider (0 turns it off): calls that fail
    # before doing anything, calls whose work is done but whose answer is lost, kinds that
    # are always refused, and how long a call that did its work takes to answer.
    sandbox_payments_transient_failure_rate: float = Field(default=0.0, ge=0, le=1)
    sandbox_payments_lost_response_rate: float = Field(default=0.0, ge=0, le=1)
    sandbox_payments_decline: list[str] = Field(default_factory=list)
    sandbox_payments_response_delay_seconds: float = Field(default=0.0, ge=0, le=60)

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
    def effective_public_base_url(self) -> str:
        """Returns the base URL that links sent to people start with."""
        return (self.public_base_url or f"http://{self.api_host}:{self.api_port}").rstrip("/")

    @property
    def effective_codec_cors_origins(self) -> list[str]:
        """Returns the browser origins the codec endpoint answers."""
        return self.codec_cors_origins or [
            f"http://localhost:{self.temporal_ui_port}",
            f"http://127.0.0.1:{self.temporal_ui_port}",
        ]

    @property
    def effective_database_url(self) -> str:
        """Returns the configured database URL, or the SQLite file under `data_dir`."""
        return self.database_url or f"sqlite:///{self.data_dir / 'redress.db'}"


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings."""
    return Settings()
