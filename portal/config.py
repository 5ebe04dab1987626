"""Settings from PORTAL_* environment variables. Defaults give the embedded mode:
SQLite files under the instance folder, the in-process reference registry, the
console SMS gateway and in-memory rate limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

DEFAULT_SECRET_KEY = "development-only-secret-key-change-me"  # noqa: S105 (refused in production)


class ConfigurationError(RuntimeError):
    """The settings cannot run the portal safely."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


# Every setting the portal reads, with its default: README.md lists the same.
SETTINGS: tuple[Setting, ...] = (
    Setting("PORTAL_ENV", "development", "development, testing or production"),
    Setting("PORTAL_SECRET_KEY", DEFAULT_SECRET_KEY, "signs sessions and CSRF tokens"),
    Setting("PORTAL_INSTANCE_PATH", "./instance", "folder for the SQLite files"),
    Setting("PORTAL_DATABASE_URL", "", "portal's operational database; empty: instance/portal.db"),
    Setting("PORTAL_REGISTRY_URL", "", "registry base URL; empty: the in-process registry"),
    Setting("PORTAL_REGISTRY_CLIENT_ID", "portal", "OAuth2 client id at the registry"),
    Setting("PORTAL_REGISTRY_CLIENT_SECRET", "", "OAuth2 client secret at the registry"),
    Setting("PORTAL_REGISTRY_DATABASE_URL", "", "embedded registry's database; empty: SQLite"),
    Setting("PORTAL_REGISTRY_DEADLINE", "5", "seconds all registry calls of one request may take"),
    Setting("PORTAL_REDIS_URL", "", "Redis for rate limits; empty: in memory"),
    Setting("PORTAL_LOG_LEVEL", "INFO", "logging level"),
    Setting("PORTAL_SMS_GATEWAY", "console", "console (development) or http"),
    Setting("PORTAL_SMS_URL", "", "SMS provider endpoint, with PORTAL_SMS_GATEWAY=http"),
    Setting("PORTAL_SMS_TOKEN", "", "bearer token for the SMS provider"),
    Setting("PORTAL_SMS_SENDER", "SocialProt", "sender name shown on the phone"),
    Setting("PORTAL_SMS_RATE", "10/second", "the SMS provider's sending rate"),
    Setting("PORTAL_OUTBOX_KEY", "", "key for outbox payloads; empty: from the secret key"),
    Setting("PORTAL_DIGITAL_ID_ISSUER", "", "national digital ID (OIDC) issuer; empty: off"),
    Setting("PORTAL_DIGITAL_ID_CLIENT_ID", "", "OIDC client id at the digital ID provider"),
    Setting("PORTAL_DIGITAL_ID_CLIENT_SECRET", "", "OIDC client secret"),
    Setting("PORTAL_DIGITAL_ID_SCOPES", "openid profile national_id", "scopes asked for"),
    Setting("PORTAL_DIGITAL_ID_NIN_CLAIM", "national_id", "claim holding the national ID number"),
    Setting(
        "PORTAL_STAFF_OIDC_ISSUER", "", "ministry staff identity provider; empty: local accounts"
    ),
    Setting("PORTAL_STAFF_OIDC_CLIENT_ID", "", "OIDC client id at the staff identity provider"),
    Setting("PORTAL_STAFF_OIDC_CLIENT_SECRET", "", "OIDC client secret there"),
    Setting("PORTAL_STAFF_OIDC_SCOPES", "openid profile staff", "scopes (roles, commune_codes)"),
    Setting("PORTAL_HELP_PHONE", "", "hotline shown in the footer; empty: none shown"),
    Setting(
        "PORTAL_GRIEVANCE_ESCALATION_MINUTES",
        "15",
        "how often the outbox worker escalates grievances past their deadline",
    ),
    Setting(
        "PORTAL_FORWARDED_ALLOW_IPS",
        "127.0.0.1",
        "proxies (addresses or networks) whose X-Forwarded-For is trusted",
    ),
)


def _env(name: str) -> str:
    default = next(s.default for s in SETTINGS if s.name == name)
    return os.environ.get(name, default)


def from_environment() -> dict:
    """Build the Flask configuration mapping from the environment."""
    env = _env("PORTAL_ENV")
    instance_path = Path(_env("PORTAL_INSTANCE_PATH")).resolve()
    database_url = _env("PORTAL_DATABASE_URL") or f"sqlite:///{instance_path / 'portal.db'}"
    registry_db = _env("PORTAL_REGISTRY_DATABASE_URL") or (
        f"sqlite:///{instance_path / 'registry.db'}"
    )
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": _env("PORTAL_SECRET_KEY"),
        "INSTANCE_PATH": str(instance_path),
        "DATABASE_URL": database_url,
        "REGISTRY_URL": _env("PORTAL_REGISTRY_URL"),
        "REGISTRY_CLIENT_ID": _env("PORTAL_REGISTRY_CLIENT_ID"),
        "REGISTRY_CLIENT_SECRET": _env("PORTAL_REGISTRY_CLIENT_SECRET"),
        "REGISTRY_DATABASE_URL": registry_db,
        "REGISTRY_DEADLINE": float(_env("PORTAL_REGISTRY_DEADLINE")),
        "REDIS_URL": _env("PORTAL_REDIS_URL"),
        "LOG_LEVEL": _env("PORTAL_LOG_LEVEL"),
        "HELP_PHONE": _env("PORTAL_HELP_PHONE"),
        "GRIEVANCE_ESCALATION_MINUTES": int(_env("PORTAL_GRIEVANCE_ESCALATION_MINUTES")),
        "SMS_GATEWAY": _env("PORTAL_SMS_GATEWAY"),
        "SMS_URL": _env("PORTAL_SMS_URL"),
        "SMS_TOKEN": _env("PORTAL_SMS_TOKEN"),
        "SMS_SENDER": _env("PORTAL_SMS_SENDER"),
        "SMS_RATE": _env("PORTAL_SMS_RATE"),
        "OUTBOX_KEY": _env("PORTAL_OUTBOX_KEY"),
        "DIGITAL_ID_ISSUER": _env("PORTAL_DIGITAL_ID_ISSUER"),
        "DIGITAL_ID_CLIENT_ID": _env("PORTAL_DIGITAL_ID_CLIENT_ID"),
        "DIGITAL_ID_CLIENT_SECRET": _env("PORTAL_DIGITAL_ID_CLIENT_SECRET"),
        "DIGITAL_ID_SCOPES": _env("PORTAL_DIGITAL_ID_SCOPES"),
        "DIGITAL_ID_NIN_CLAIM": _env("PORTAL_DIGITAL_ID_NIN_CLAIM"),
        "STAFF_OIDC_ISSUER": _env("PORTAL_STAFF_OIDC_ISSUER"),
        "STAFF_OIDC_CLIENT_ID": _env("PORTAL_STAFF_OIDC_CLIENT_ID"),
        "STAFF_OIDC_CLIENT_SECRET": _env("PORTAL_STAFF_OIDC_CLIENT_SECRET"),
        "STAFF_OIDC_SCOPES": _env("PORTAL_STAFF_OIDC_SCOPES"),
        "FORWARDED_ALLOW_IPS": _env("PORTAL_FORWARDED_ALLOW_IPS"),
        # Language and time
        "BABEL_DEFAULT_LOCALE": "km",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Phnom_Penh",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent.parent / "translations"),
        # Sessions and cookies
        "SESSION_COOKIE_NAME": "portal_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_IDLE_MINUTES": 30,
        # A commune officer acting for someone on a shared computer stops sooner.
        "ASSISTED_IDLE_MINUTES": 15,
        "WTF_CSRF_TIME_LIMIT": 3600,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # A Redis outage must not lock people out: limits fall back to memory.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Static files carry a content hash in their URL, so they can be cached long.
        "SEND_FILE_MAX_AGE_DEFAULT": timedelta(days=365),
    }


def apply_environment_rules(config: dict) -> None:
    """Settings that follow from PORTAL_ENV once all overrides are in."""
    production = config["PORTAL_ENV"] == "production"
    config["SESSION_COOKIE_SECURE"] = production
    config["PREFERRED_URL_SCHEME"] = "https" if production else "http"


def check(config: dict) -> None:
    """Refuse settings that would be unsafe in production."""
    if config["PORTAL_ENV"] not in {"development", "testing", "production"}:
        raise ConfigurationError(
            f"PORTAL_ENV must be development, testing or production, not {config['PORTAL_ENV']!r}"
        )
    weak_secret = config["SECRET_KEY"] in ("", DEFAULT_SECRET_KEY) or len(config["SECRET_KEY"]) < 32
    if config["PORTAL_ENV"] == "production" and not config["REGISTRY_URL"]:
        raise ConfigurationError(
            "production uses the national registry: set PORTAL_REGISTRY_URL "
            "(the embedded reference registry is for development)"
        )
    if config["PORTAL_ENV"] == "production" and config["SMS_GATEWAY"] != "http":
        raise ConfigurationError("production sends real text messages: set PORTAL_SMS_GATEWAY=http")
    if config["PORTAL_ENV"] == "production" and weak_secret:
        raise ConfigurationError(
            "PORTAL_SECRET_KEY must be a random value of at least 32 characters in production"
        )
