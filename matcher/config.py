"""Settings, read from the environment once when the app is created.

Names: DATABASE_URL, SECRET_KEY (or MATCHER_SECRET_KEY), MATCHER_ENV, MATCHER_* for the rest.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from matcher import limits

# Keys that must never protect a production site: placeholders people copy from examples.
WEAK_SECRET_KEYS = frozenset({"", "dev", "changeme", "secret", "development", "test"})
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The environment does not describe a safe, working configuration."""


def instance_dir() -> Path:
    """Where local state lives: the demo database and the generated demo secret."""
    path = Path(os.environ.get("MATCHER_INSTANCE_DIR", Path.cwd() / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return f"sqlite:///{instance_dir() / 'cultuurmatch.db'}"


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _local_secret_key() -> str:
    """A random key kept in the instance folder, so local sessions survive a restart."""
    path = instance_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _local_pupil_data_key() -> str:
    """A Fernet key kept in the instance folder, so local pupil data stays readable."""
    path = instance_dir() / "pupil_data_key"
    if not path.exists():
        path.write_text(Fernet.generate_key().decode("ascii"))
        path.chmod(0o600)
    return path.read_text().strip()


def _local_password_pepper() -> str:
    """A random pepper kept in the instance folder, so local logins survive a restart."""
    path = instance_dir() / "password_pepper"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def parse_pupil_data_keys(value: str | None) -> list[str]:
    """The comma-separated PUPIL_DATA_KEY list (newest first); each must be a Fernet key."""
    keys = [key.strip() for key in (value or "").split(",") if key.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError as error:
            raise ConfigError("MATCHER_PUPIL_DATA_KEY must be a comma-separated list of "
                              "Fernet keys (32 url-safe base64-encoded bytes each).") from error
    return keys


@dataclass(frozen=True)
class Environment:
    name: str
    secret_key: str
    database_url: str
    pupil_data_key: str = ""
    password_pepper: str = ""


def read_environment(env: dict[str, str] | None = None) -> Environment:
    """Read and check the settings; refuse production without a real secret key."""
    env = dict(os.environ if env is None else env)
    name = env.get("MATCHER_ENV", "development")
    secret = env.get("SECRET_KEY") or env.get("MATCHER_SECRET_KEY") or ""
    pupil_data_key = env.get("MATCHER_PUPIL_DATA_KEY", "")
    password_pepper = env.get("MATCHER_PASSWORD_PEPPER", "")
    if name == "production":
        if secret.lower() in WEAK_SECRET_KEYS or len(secret) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters in production."
            )
        if not env.get("DATABASE_URL"):
            raise ConfigError("DATABASE_URL must be set in production.")
        if not parse_pupil_data_keys(pupil_data_key):
            raise ConfigError("MATCHER_PUPIL_DATA_KEY must be set in production: pupil data "
                              "is encrypted at rest with it.")
        peppers = [pepper.strip() for pepper in password_pepper.split(",") if pepper.strip()]
        if not peppers or any(pepper.lower() in WEAK_SECRET_KEYS
                              or len(pepper) < MIN_SECRET_KEY_LENGTH for pepper in peppers):
            raise ConfigError(
                "MATCHER_PASSWORD_PEPPER must be set in production to a random value of at "
                f"least {MIN_SECRET_KEY_LENGTH} characters (comma-separated, newest first, "
                "while an old one is being replaced); keep it outside the database.")
    else:
        secret = secret or _local_secret_key()
        pupil_data_key = pupil_data_key or _local_pupil_data_key()
        password_pepper = password_pepper or _local_password_pepper()
    parse_pupil_data_keys(pupil_data_key)
    url = normalise_database_url(env.get("DATABASE_URL") or default_database_url())
    return Environment(name=name, secret_key=secret, database_url=url,
                       pupil_data_key=pupil_data_key, password_pepper=password_pepper)


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from error


def build_config(overrides: dict | None = None) -> dict:
    """The Flask config mapping for create_app; `overrides` wins (tests pass theirs here)."""
    overrides = dict(overrides or {})
    if "SQLALCHEMY_DATABASE_URI" in overrides and "SECRET_KEY" in overrides:
        environment = Environment("testing", overrides["SECRET_KEY"],
                                  overrides["SQLALCHEMY_DATABASE_URI"])
    else:
        environment = read_environment()
    production = environment.name == "production"
    config = {
        "ENV_NAME": environment.name,
        "SECRET_KEY": environment.secret_key,
        "SQLALCHEMY_DATABASE_URI": environment.database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        # __Host-: the browser only takes it over HTTPS, for this host, for every path
        # (ASVS 3.4.4); plain HTTP in development cannot carry that prefix.
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # The largest body of any request; each endpoint's own limit is in matcher/limits.
        "MAX_CONTENT_LENGTH": limits.MAX_CONTENT_LENGTH,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "RATELIMIT_STORAGE_URI": os.environ.get("MATCHER_RATELIMIT_STORAGE", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Sessions (matcher/accounts/sessions.py): idle and absolute timeouts (ASVS 3.3.2).
        "SESSION_IDLE_MINUTES": _int_env("MATCHER_SESSION_IDLE_MINUTES", 30),
        "SESSION_ABSOLUTE_HOURS": _int_env("MATCHER_SESSION_ABSOLUTE_HOURS", 12),
        # Login throttling (matcher/accounts/throttle.py): failures before the first delay per
        # account from one address, per address, and per account from unknown addresses.
        "LOGIN_FREE_FAILURES": _int_env("MATCHER_LOGIN_FREE_FAILURES", 5),
        "LOGIN_FREE_FAILURES_PER_ADDRESS": _int_env("MATCHER_LOGIN_FREE_FAILURES_PER_ADDRESS",
                                                    30),
        "LOGIN_FREE_FAILURES_PER_ACCOUNT": _int_env("MATCHER_LOGIN_FREE_FAILURES_PER_ACCOUNT",
                                                    50),
        "LOGIN_DELAY_SECONDS": _int_env("MATCHER_LOGIN_DELAY_SECONDS", 15),
        "LOGIN_NOTIFY_AFTER_FAILURES": _int_env("MATCHER_LOGIN_NOTIFY_AFTER_FAILURES", 10),
        # An administrator re-authenticates before changing another account once this long
        # has passed since the login or the last confirmation (accounts/reauth.py).
        "REAUTH_MINUTES": _int_env("MATCHER_REAUTH_MINUTES", 10),
        # Password reset by mail: link lifetime, and requests before the form waits.
        "PASSWORD_RESET_MINUTES": _int_env("MATCHER_PASSWORD_RESET_MINUTES", 60),
        # A password an administrator chose for a new account logs in for this long, once,
        # to the page where the user chooses their own (ASVS 2.3.1).
        "TEMPORARY_PASSWORD_HOURS": _int_env("MATCHER_TEMPORARY_PASSWORD_HOURS", 72),
        "RESET_FREE_PER_ADDRESS": 10,
        "RESET_FREE_PER_ACCOUNT": 3,
        "MAIL_BACKEND": os.environ.get("MATCHER_MAIL_BACKEND", "outbox"),
        "MAIL_SENDER": os.environ.get("MATCHER_MAIL_SENDER",
                                      "Cultuurmatch <noreply@cultuurmatch.nl>"),
        "PUBLIC_URL": os.environ.get("MATCHER_PUBLIC_URL", "http://127.0.0.1:5000"),
        # Security keys (accounts/security_keys.py): the WebAuthn relying-party ID and origin;
        # by default the host and origin of PUBLIC_URL.
        "WEBAUTHN_RP_ID": os.environ.get("MATCHER_WEBAUTHN_RP_ID"),
        "WEBAUTHN_ORIGIN": os.environ.get("MATCHER_WEBAUTHN_ORIGIN"),
        "MAIL_FILE": os.environ.get("MATCHER_MAIL_FILE"),
        "MAIL_SMTP_HOST": os.environ.get("MATCHER_SMTP_HOST"),
        "MAIL_SMTP_PORT": int(os.environ.get("MATCHER_SMTP_PORT") or 587),
        "MAIL_SMTP_USER": os.environ.get("MATCHER_SMTP_USER"),
        "MAIL_SMTP_PASSWORD": os.environ.get("MATCHER_SMTP_PASSWORD"),
        "MAIL_SMTP_STARTTLS": os.environ.get("MATCHER_SMTP_STARTTLS", "1").lower()
        not in ("0", "false", "nee", "no"),
        # Tests without a key get a fresh one per app: nothing outlives the test database.
        "PUPIL_DATA_KEY": (environment.pupil_data_key
                           or os.environ.get("MATCHER_PUPIL_DATA_KEY")
                           or Fernet.generate_key().decode("ascii")),
        # HMAC key applied before Argon2 (accounts/passwords.py); comma-separated, newest
        # first. Tests without one get a fresh one per app.
        "PASSWORD_PEPPER": (environment.password_pepper
                            or os.environ.get("MATCHER_PASSWORD_PEPPER")
                            or secrets.token_hex(32)),
        "OBSERVATION_INVITATION_DAYS": 14,
        "AUTO_UPGRADE_SQLITE": True,
        # Sent e-mail (with invitation links) is deleted by `cultuurmatch purge` after this.
        "MAIL_KEEP_DAYS": int(os.environ.get("MATCHER_MAIL_KEEP_DAYS", "30")),
        # The account audit trail (account_events) is deleted by `cultuurmatch purge` after
        # this many days; 0 keeps it for ever.
        "ACCOUNT_EVENTS_KEEP_DAYS": _int_env("MATCHER_ACCOUNT_EVENTS_KEEP_DAYS", 365),
        # How often a web worker asks the database whether the offer changed (seconds).
        "CATALOGUE_CHECK_SECONDS": float(os.environ.get("MATCHER_CATALOGUE_CHECK_SECONDS", "1")),
        # Rows committed up to this long after their updated_at (an import stamps all its rows
        # with its start) are still found; must exceed the longest write transaction.
        "CATALOGUE_OVERLAP_SECONDS": float(
            os.environ.get("MATCHER_CATALOGUE_OVERLAP_SECONDS", "300")),
        # Build and refresh the match index in a background thread; until it is built, what
        # needs it answers 503 with Retry-After. Off: the caller builds (commands, tests).
        "CATALOGUE_BACKGROUND": os.environ.get("MATCHER_CATALOGUE_BACKGROUND", "1").lower()
        not in ("0", "false", "nee", "no"),
        # `cultuurmatch serve` on SIGTERM: requests in progress get this long to finish.
        "SHUTDOWN_GRACE_SECONDS": float(os.environ.get("MATCHER_SHUTDOWN_GRACE_SECONDS", "30")),
    }
    config.update(overrides)
    return config
