"""Exceptions the registry client raises, one per kind of answer the caller handles."""

from __future__ import annotations


class RegistryError(Exception):
    """Base class: the registry said no, or could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        errors: list[dict] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or []
        self.request_id = request_id

    @property
    def code(self) -> str | None:
        return self.errors[0].get("code") if self.errors else None


class RegistryNotFound(RegistryError):
    """404: no such record."""


class RegistryConflict(RegistryError):
    """409: the id is taken, or the national ID belongs to ``existing_spid``."""

    @property
    def existing_spid(self) -> str | None:
        return next((e["existing_spid"] for e in self.errors if "existing_spid" in e), None)

    @property
    def existing_id(self) -> str | None:
        return next((e["existing_id"] for e in self.errors if "existing_id" in e), None)


class RegistryValidationError(RegistryError):
    """400/413/415/422: the request broke the contract; ``field_errors`` says where."""

    @property
    def field_errors(self) -> dict[str, str]:
        return {e.get("field", "request"): e.get("message", "") for e in self.errors}


class RegistryPreconditionFailed(RegistryError):
    """412: the record changed since it was read (stale If-Match)."""


class RegistryUnavailable(RegistryError):
    """The registry could not be reached, timed out, or answered 5xx."""


class RegistryUnauthorized(RegistryError):
    """401: the client's credentials or token were refused."""


class RegistryForbidden(RegistryUnauthorized):
    """403: the client's token lacks the scope the operation needs."""


_BY_STATUS: dict[int, type[RegistryError]] = {
    400: RegistryValidationError,
    401: RegistryUnauthorized,
    403: RegistryForbidden,
    404: RegistryNotFound,
    409: RegistryConflict,
    412: RegistryPreconditionFailed,
    413: RegistryValidationError,
    415: RegistryValidationError,
    422: RegistryValidationError,
}


def error_for_status(status: int) -> type[RegistryError]:
    if status >= 500:
        return RegistryUnavailable
    return _BY_STATUS.get(status, RegistryError)
