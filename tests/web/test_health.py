from tests.conftest import make_test_config
from tests.support.oidc import free_port

# The outbox's figures are shown, and never make the portal unready.
EMPTY_OUTBOX = {"waiting": 0, "oldest_waiting_seconds": None, "parked": 0}


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_checks_the_database_and_the_embedded_registry(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "registry": "ok"},
        "outbox": EMPTY_OUTBOX,
    }


def test_readyz_is_503_when_the_registry_cannot_be_reached(tmp_path):
    from portal import create_app

    closed_port = free_port()
    app = create_app(
        make_test_config(
            tmp_path,
            REGISTRY_URL=f"http://127.0.0.1:{closed_port}",
            REGISTRY_CLIENT_SECRET="secret-for-a-registry-that-is-down",
        )
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "checks": {"database": "ok", "registry": "unavailable"},
        "outbox": EMPTY_OUTBOX,
    }


def test_readyz_is_503_when_the_database_is_down(app, client):
    def broken():
        raise ConnectionError("down")

    app.extensions["readiness_checks"]["database"] = broken
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unavailable"
