"""Runtime settings, read from the environment (and a .env file) by pydantic-settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

TASK_QUEUE = "arshjul"
BUNDLED_CONFIG = Path(__file__).parent / "calendar" / "examples" / "hedemora.yaml"
# The placeholder a process must never sign with (`arshjul web` and `worker` refuse to start).
DEFAULT_SECRET = "change-me-in-production"
MIN_SECRET_LENGTH = 16
SECRET_HOWTO = (
    "Set SECRET_KEY to a long random value, the same on every web and worker process, "
    "e.g. export SECRET_KEY=$(openssl rand -base64 32) (or in .env). "
    "`arshjul up` generates its own in <data-dir>/run/secret_key."
)


class Settings(BaseSettings):
    """Every knob an operator may turn; names match the README's operations section."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    temporal_address: str = Field("localhost:7233", alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field("default", alias="TEMPORAL_NAMESPACE")
    temporal_task_queue: str = Field(TASK_QUEUE, alias="TEMPORAL_TASK_QUEUE")
    database_url: str = Field("sqlite:///var/arshjul.sqlite", alias="DATABASE_URL")
    smtp_host: str = Field("localhost", alias="SMTP_HOST")
    smtp_port: int = Field(1025, alias="SMTP_PORT")
    smtp_username: str | None = Field(None, alias="SMTP_USERNAME")
    smtp_password: str | None = Field(None, alias="SMTP_PASSWORD")
    # "none", "starttls" or "tls" (implicit TLS, usually port 465).
    smtp_tls: str = Field("none", alias="SMTP_TLS")
    mail_from: str = Field("arshjul <arshjul@example.org>", alias="MAIL_FROM")
    secret_key: str = Field(DEFAULT_SECRET, alias="SECRET_KEY")
    base_url: str = Field("http://127.0.0.1:8000", alias="BASE_URL")
    arshjul_config: Path = Field(BUNDLED_CONFIG, alias="ARSHJUL_CONFIG")
    # The folder of the local SMTP sink (`arshjul up`); when set, the web app shows it at /dev/mail.
    dev_maildir: Path | None = Field(None, alias="ARSHJUL_DEV_MAILDIR")
    # The e-arkiv's drop folder: when set, each protocol's archive package (METS/PREMIS) is
    # written there as soon as its anslag is recorded (`arshjul archive export` does it by hand).
    archive_dir: Path | None = Field(None, alias="ARSHJUL_ARCHIVE_DIR")
    # The kommun's seal (PKCS#12: key and certificate, with its chain) that signs each protocol's
    # archive copy (PAdES); unset: the copy is stored unsigned. `arshjul up` makes a demo seal.
    signing_p12: Path | None = Field(None, alias="ARSHJUL_SIGNING_P12")
    signing_passphrase: SecretStr | None = Field(None, alias="ARSHJUL_SIGNING_PASSPHRASE")
    # Or the seal's key in an HSM or on a smart card (PKCS#11): the vendor's module, the token's
    # label, the label of the key and its certificate on it, and the user PIN. Not with the P12.
    signing_pkcs11_lib: Path | None = Field(None, alias="ARSHJUL_SIGNING_PKCS11_LIB")
    signing_pkcs11_token: str | None = Field(None, alias="ARSHJUL_SIGNING_PKCS11_TOKEN")
    signing_pkcs11_key: str | None = Field(None, alias="ARSHJUL_SIGNING_PKCS11_KEY")
    signing_pkcs11_pin: SecretStr | None = Field(None, alias="ARSHJUL_SIGNING_PKCS11_PIN")
    # How often the web app resends submissions Temporal did not take in time (seconds; 0 = never).
    redelivery_seconds: float = Field(30.0, ge=0, alias="ARSHJUL_REDELIVERY_SECONDS")
    # Database connections per web process, and as many threads doing database work at once.
    db_pool_size: int = Field(10, ge=1, le=200, alias="ARSHJUL_DB_POOL_SIZE")
    # /metrics answers only requests with "Authorization: Bearer <token>" when this is set.
    metrics_token: str | None = Field(None, alias="ARSHJUL_METRICS_TOKEN")
    # Sign-in through the municipality's OpenID Connect provider (Entra ID, Keycloak, …): on when
    # the issuer and client id are set. Roles come from the claim named in the YAML's sign_in.
    oidc_issuer: str | None = Field(None, alias="OIDC_ISSUER")
    oidc_client_id: str | None = Field(None, alias="OIDC_CLIENT_ID")
    oidc_client_secret: str | None = Field(None, alias="OIDC_CLIENT_SECRET")
    oidc_scopes: str = Field("openid email profile", alias="OIDC_SCOPES")
    # host:port where `arshjul worker` serves the Temporal SDK's Prometheus metrics (unset: off).
    worker_metrics_address: str | None = Field(None, alias="ARSHJUL_WORKER_METRICS_ADDRESS")
    # Set by `arshjul up` when it listens beyond loopback: /dev/mail then needs a login.
    dev_mail_login: bool = Field(False, alias="ARSHJUL_DEV_MAIL_LOGIN")

    def secret_problem(self) -> str | None:
        """Says why SECRET_KEY cannot sign links and sessions (unset, the default, too short)."""
        key = self.secret_key.strip()
        if not key or key == DEFAULT_SECRET:
            return "SECRET_KEY is not set"
        if len(key) < MIN_SECRET_LENGTH:
            return f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters"
        return None

    def seal_source(self) -> SealSource:
        """Where the seal's key is, as `arshjul.protocol.seal` loads it."""
        return SealSource(
            p12=self.signing_p12,
            passphrase=_secret(self.signing_passphrase),
            pkcs11_lib=self.signing_pkcs11_lib,
            pkcs11_token=self.signing_pkcs11_token or None,
            pkcs11_key=self.signing_pkcs11_key or None,
            pkcs11_pin=_secret(self.signing_pkcs11_pin),
        )


@dataclass(frozen=True)
class SealSource:
    """The seal's key: a PKCS#12 file, or a key and certificate on a PKCS#11 token, or neither."""

    p12: Path | None = None
    passphrase: str | None = None
    pkcs11_lib: Path | None = None
    pkcs11_token: str | None = None
    pkcs11_key: str | None = None
    pkcs11_pin: str | None = None

    @property
    def pkcs11(self) -> bool:
        """True when any PKCS#11 setting is given (module, token and key are then all needed)."""
        return any((self.pkcs11_lib, self.pkcs11_token, self.pkcs11_key, self.pkcs11_pin))


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value else None


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings."""
    return Settings()
