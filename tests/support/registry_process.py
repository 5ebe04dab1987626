"""The reference registry as a real process on loopback (gunicorn), which a
test can stop and start again on the same port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import httpx

from portal.registry.server import create_app
from portal.registry.server.auth import SCOPES, create_client
from portal.registry.server.db import make_engine, migrate


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_registry(database_url: str, instance_path) -> dict[str, str]:
    """Migrate the registry's database and create a client; its credentials."""
    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()
    app = create_app(
        {
            "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_AUTO_MIGRATE": False,
            "INSTANCE_PATH": str(instance_path),
        }
    )
    with app.extensions["registry.sessions"]() as session:
        credentials = create_client(session, f"portal-{uuid.uuid4().hex[:8]}", list(SCOPES))
    app.extensions["registry.engine"].dispose()
    return credentials


class RegistryProcess:
    """gunicorn serving `portal.registry.server:create_app()` on a fixed port."""

    def __init__(self, database_url: str, instance_path) -> None:
        self.database_url = database_url
        self.instance_path = instance_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "REGISTRY_DATABASE_URL": self.database_url,
            "PYTHONUNBUFFERED": "1",
        }
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--chdir",
                str(self.instance_path),
                "portal.registry.server:create_app()",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self._process.poll() is not None:
                raise RuntimeError("the registry process ended at start")
            time.sleep(0.2)
        raise RuntimeError("the registry did not start within 60 s")

    def stop(self) -> None:
        """Stop it: afterwards its port refuses connections."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None
