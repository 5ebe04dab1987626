"""The reference Social Protection Registry: ``flask --app portal.registry.server run``."""

from portal.registry.server.app import create_app

__all__ = ["create_app"]
