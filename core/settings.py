"""All configuration, read once from `REDRESS_*` environment variables (or `.env`)."""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.customer_contact import CustomerChannelSetting
from domain.evidence import EVIDENCE_TYPES, EvidenceLimits


class WorkerQueue(StrEnum):
    """The task queues a worker process can poll (see `worker.py`)."""

    # Complaint, return and survey workflows, with their store and notification activities.
    WORKFLOWS = "workflows"
    # Payment and fulfilment provider calls: `<complaint queue>.providers`.
    PROVIDERS = "providers"
    # Courier calls: `<complaint queue>.couriers`.
    COURIERS = "couriers"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REDRESS_", env_file=".env", extra="ignore")

    # Where the embedded stack keeps its files (Temporal's and the app's SQLite databases).
    data_dir: Path = Path("var")
    database_url: str = ""

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    # How long the worker and the API wait at start-up for a Temporal server that is not
    # answering yet (it starts beside them, or restarts), retrying with backoff, before
    # they give up; 0 tries once.
    temporal_connect_timeout_seconds: float = Field(default=180.0, ge=0)
    temporal_ui_port: int = 8233
    # Where people open the Temporal Web UI (the console links each workflow there); empty
    # means the dev server's UI on the Temporal host and `temporal_ui_port`.
    temporal_ui_url: str = ""
    complaint_task_queue: str = "redress-complaints"
    # Payload encryption key ring, `id:base64key,...`, active key first; empty means no
    # encryption (`make run` keeps a local key in the data dir). New key:
    # `python -m core.codec new-key`.
    codec_keys: str = ""

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # One log line per request from uvicorn (`make run`); off under load.
    api_access_log: bool = True
    # Seconds a verified API key is remembered; a revoked key stops working within this.
    api_key_cache_seconds: float = Field(default=5.0, ge=0, le=300)
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
    # `outbox` writes messages to the store only; `smtp` writes them there too, then
    # e-mails each customer who has an address through `smtp_url` (`make run` does, to its
    # local mail catcher).
    notifications_provider: str = "outbox"
    # Where messages to customers go: `email` (through the provider above), `platform`
    # (a `notification.requested` event to the platform's webhook subscription, which
    # pushes it in its app or by SMS), or `auto`, each customer by their contact data
    # (`domain.customer_contact.customer_channel`). Staff messages are never affected.
    customer_channel: CustomerChannelSetting = CustomerChannelSetting.EMAIL
    # The mail server, `smtp://[user:password@]host[:port][?starttls=1]`, or `smtps://`
    # for TLS from the first byte (port 465).
    smtp_url: str = ""
    # The sender, `Name <address>` or an address; empty means `support@{mail_domain}`
    # named in the message's language.
    mail_from: str = ""
    # The domain of Message-IDs and of each case's reply address (`case+<ref>@...`).
    mail_domain: str = "redress.localhost"
    # How long a message the mail server cannot take yet (unreachable, 4xx) is retried
    # before it is marked failed.
    mail_retry_hours: float = Field(default=24.0, gt=0)
    # The inbound mail gateway (`redress mail-gateway`, which `make run` starts): mail to
    # the support address opens a complaint, mail to a case's reply address or answering
    # its messages continues it. Empty means `support@{mail_domain}`.
    mail_support_address: str = ""
    # Where the gateway listens for SMTP (or LMTP, `redress mail-gateway --lmtp`).
    mail_gateway_host: str = "127.0.0.1"
    mail_gateway_port: int = Field(default=2525, ge=1, le=65535)
    # Larger mail is refused at SMTP time (552), before its bytes are taken.
    mail_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    # Where the raw bytes of each mail taken in are kept, one file per SHA-256; empty
    # means `<data_dir>/mail-in`. Every gateway of a deployment must see the same one.
    mail_inbound_dir: str = ""

    # Evidence: files customers send with a complaint (mail attachments, photos from their
    # case page, uploads through the API), kept once per SHA-256 under `evidence_dir`
    # (empty means `<data_dir>/evidence`; every API replica and gateway must see the same
    # one). A file over `evidence_max_file_bytes`, one that would take a case past
    # `evidence_max_case_bytes`, or one whose bytes are none of `evidence_types` is refused.
    evidence_dir: str = ""
    evidence_max_file_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024)
    evidence_max_case_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    evidence_types: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(EVIDENCE_TYPES), min_length=1
    )

    # Events for platforms (webhook subscriptions): how long a delivery is retried before
    # it is dead, the first retry's delay (doubling, with jitter, up to six hours), how
    # long an endpoint has to answer, and how often the worker looks for due deliveries.
    webhook_retry_hours: float = Field(default=72.0, gt=0)
    webhook_retry_base_seconds: float = Field(default=5.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)

    # Labelled posts (a CSV with `text` and `is_complaint`) to train the mention detector
    # on at first use; unset (or missing), `POST /mentions` decides by rules. No model or
    # training data ships with Redress: the public sets may not be redistributed.
    mention_training_data: Path | None = None

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

    # Worker processes: which queues one polls (`workflows,providers,couriers`, comma
    # separated), so each kind of work scales on its own; and per queue, how many
    # activities one process runs at once. The `*_activities_per_second` limits hold for
    # the whole queue across every worker (the Temporal server enforces them), which is
    # what keeps a provider's rate limit; 0 means none.
    worker_queues: Annotated[list[WorkerQueue], NoDecode] = Field(
        default_factory=lambda: list(WorkerQueue), min_length=1
    )
    workflows_activity_slots: int = Field(default=32, ge=1)
    # Processes `make run` starts for the worker and for the API. One Python process runs
    # on one core at a time (the GIL): on a machine with more cores, more processes take
    # more complaints per second (docs/performance.md has the figures). Deployments scale
    # the containers instead (`docker compose up --scale worker=4`).
    worker_processes: int = Field(default=1, ge=1, le=64)
    api_processes: int = Field(default=1, ge=1, le=64)
    # Workflows kept in memory between their tasks (the sticky cache): a cached workflow
    # takes its next task, or answers a query, without replaying its history. Each one
    # costs memory; `benchmarks.waiting` measures how much (see docs/operations.md).
    workflow_cache_size: int = Field(default=2000, ge=0)
    # Workflow tasks one worker process runs at once.
    workflow_task_slots: int = Field(default=64, ge=1)
    providers_activity_slots: int = Field(default=16, ge=1)
    couriers_activity_slots: int = Field(default=16, ge=1)
    providers_activities_per_second: float = Field(default=0.0, ge=0)
    couriers_activities_per_second: float = Field(default=0.0, ge=0)
    # Where the worker serves the Temporal SDK's Prometheus metrics, `host:port`; empty
    # turns them off (the default, so tests and `make run` bind nothing).
    worker_metrics_address: str = ""
    # A file the worker touches while its pollers run; `python -m core.probe worker`
    # (the container's health check) reads its age. Empty turns it off.
    worker_heartbeat_file: str = ""
    # After SIGTERM, how long a worker lets in-flight activities finish before it cancels
    # them (a rolling deploy, a scale-down). Keep it shorter than what the process is given
    # before SIGKILL: docker-compose.yml's `stop_grace_period` for the worker services is
    # 30 s, which leaves 5 s to report the cancellations and exit.
    worker_shutdown_grace_seconds: float = Field(default=25.0, ge=0)
    # OpenTelemetry traces go to this OTLP/HTTP endpoint (the collector's base URL, as
    # in OTEL_EXPORTER_OTLP_ENDPOINT, which also works); empty and unset means no tracing.
    otel_exporter_otlp_endpoint: str = ""

    @field_validator("worker_queues", mode="before")
    @classmethod
    def _split_queue_names(cls, value: Any) -> Any:
        # `REDRESS_WORKER_QUEUES=workflows,providers` reads better than a JSON list.
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    @field_validator("evidence_types", mode="before")
    @classmethod
    def _split_evidence_types(cls, value: Any) -> Any:
        # `REDRESS_EVIDENCE_TYPES=image/jpeg,image/png`, as the worker queues are written.
        if isinstance(value, str):
            return [name.strip().lower() for name in value.split(",") if name.strip()]
        return value

    @field_validator("evidence_types")
    @classmethod
    def _known_evidence_types(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(EVIDENCE_TYPES))
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: not one of {', '.join(EVIDENCE_TYPES)}")
        return value

    @property
    def effective_evidence_dir(self) -> Path:
        """Returns where evidence files are kept."""
        return Path(self.evidence_dir) if self.evidence_dir else self.data_dir / "evidence"

    @property
    def evidence_limits(self) -> EvidenceLimits:
        """Returns the evidence limits and types in force."""
        return EvidenceLimits(
            max_file_bytes=self.evidence_max_file_bytes,
            max_case_bytes=self.evidence_max_case_bytes,
            accepted_types=frozenset(self.evidence_types),
        )

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
    def effective_temporal_ui_url(self) -> str:
        """Returns the base URL of the Temporal Web UI, without a trailing slash."""
        if self.temporal_ui_url:
            return self.temporal_ui_url.rstrip("/")
        host = self.temporal_address.rpartition(":")[0] or "127.0.0.1"
        # A server listening on every interface is reached on this machine at loopback.
        if host in ("0.0.0.0", "::", "[::]"):
            host = "127.0.0.1"
        return f"http://{host}:{self.temporal_ui_port}"

    @property
    def effective_codec_cors_origins(self) -> list[str]:
        """Returns the browser origins the codec endpoint answers."""
        return self.codec_cors_origins or [
            f"http://localhost:{self.temporal_ui_port}",
            f"http://127.0.0.1:{self.temporal_ui_port}",
        ]

    @property
    def effective_mail_support_address(self) -> str:
        """Returns the address whose mail opens complaints, lower-cased."""
        return (self.mail_support_address or f"support@{self.mail_domain}").strip().lower()

    @property
    def effective_mail_inbound_dir(self) -> Path:
        """Returns where the raw bytes of inbound mail are kept."""
        return Path(self.mail_inbound_dir) if self.mail_inbound_dir else self.data_dir / "mail-in"

    @property
    def effective_database_url(self) -> str:
        """Returns the configured database URL, or the SQLite file under `data_dir`."""
        return self.database_url or f"sqlite:///{self.data_dir / 'redress.db'}"


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings."""
    return Settings()
