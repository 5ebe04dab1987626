"""Security baseline: headers, cookies, CSRF and production settings."""

import pytest

from portal import create_app
from portal.config import DEFAULT_SECRET_KEY, ConfigurationError
from portal.database import make_engine, migrate
from tests.conftest import make_test_config


def test_strict_headers_on_every_page(client):
    for path in ("/", "/about/data", "/no-such-page", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "http" not in csp  # no third-party origins
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # only in production


def test_pages_are_not_cached(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_a_page_names_each_header_once_and_varies_by_language_session_and_encoding(client):
    response = client.get("/eligibility", headers={"Accept-Encoding": "gzip"})
    for name in ("Content-Security-Policy", "X-Frame-Options", "Cache-Control", "Vary"):
        assert len(response.headers.getlist(name)) == 1, name
    assert response.headers["Content-Encoding"] == "gzip"
    varies = [name.strip() for name in response.headers["Vary"].split(",")]
    assert varies == ["Accept-Language", "Cookie", "Accept-Encoding"]


def test_static_files_are_cached_long_and_versioned(client):
    body = client.get("/").get_data(as_text=True)
    assert "/static/css/portal.css?v=" in body
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


PRODUCTION = {
    "PORTAL_ENV": "production",
    "REGISTRY_URL": "https://registry.example.gov.kh",
    "REGISTRY_CLIENT_SECRET": "registry-client-secret",
    "SMS_GATEWAY": "http",
    "SMS_URL": "http://127.0.0.1:9/sms",
}


def test_production_adds_hsts_and_secure_cookies(tmp_path):
    config = make_test_config(tmp_path, **PRODUCTION)
    migrate(make_engine(config["DATABASE_URL"]))  # production never migrates by itself
    app = create_app(config)
    response = app.test_client().get("/?lang=en")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_httponly_and_lax_in_development(client):
    cookie = client.get("/?lang=en").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("secret", [DEFAULT_SECRET_KEY, "", "short"])
def test_production_refuses_a_default_or_weak_secret(tmp_path, secret):
    with pytest.raises(ConfigurationError, match="PORTAL_SECRET_KEY"):
        create_app(make_test_config(tmp_path, **PRODUCTION, SECRET_KEY=secret))


def test_production_refuses_the_console_text_message_gateway(tmp_path):
    with pytest.raises(ConfigurationError, match="PORTAL_SMS_GATEWAY"):
        create_app(make_test_config(tmp_path, **{**PRODUCTION, "SMS_GATEWAY": "console"}))


def test_production_refuses_the_embedded_registry(tmp_path):
    with pytest.raises(ConfigurationError, match="PORTAL_REGISTRY_URL"):
        create_app(make_test_config(tmp_path, **{**PRODUCTION, "REGISTRY_URL": ""}))


def test_production_does_not_create_the_instance_folder(tmp_path):
    instance = tmp_path / "prod-instance"
    create_app(
        make_test_config(
            tmp_path,
            **PRODUCTION,
            INSTANCE_PATH=str(instance),
            DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        )
    )
    assert not instance.exists()


def test_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigurationError):
        create_app(make_test_config(tmp_path, PORTAL_ENV="prod"))
