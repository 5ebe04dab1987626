"""API errors and the DCI error body ``{"errors": [{"code", "message"}]}``."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "err.request.bad",
    401: "err.request.unauthorized",
    403: "err.request.forbidden",
    404: "err.request.not_found",
    405: "err.request.method_not_allowed",
    413: "err.request.too_large",
    415: "err.request.media_type",
}


class ApiError(Exception):
    """An error the registry answers with a DCI error body."""

    def __init__(self, status: int, code: str, message: str, **details: str) -> None:
        super().__init__(message)
        self.status = status
        self.errors = [{"code": code, "message": message, **details}]
        self.headers: dict[str, str] = {}


class ValidationFailed(ApiError):
    """422 with one entry per offending field."""

    def __init__(self, field_errors: list[tuple[str, str]]) -> None:
        super().__init__(422, "err.validation", "The request does not follow the contract.")
        self.errors = [
            {"code": "err.validation", "message": message, "field": field}
            for field, message in field_errors
        ]


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([(field, message)])


def not_found(what: str) -> ApiError:
    return ApiError(404, "err.record.not_found", f"No {what} matches the query.")


def error_response(status: int, errors: list[dict], headers: dict[str, str] | None = None):
    response = jsonify({"errors": errors})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.errors, error.headers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        code = _HTTP_CODES.get(status, f"err.http.{status}")
        # Keep the exception's own headers (e.g. Allow on 405), not its HTML content type.
        headers = {
            name: value for name, value in error.get_headers() if name.lower() != "content-type"
        }
        return error_response(status, [{"code": code, "message": error.name}], headers)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # The exception type only: messages may carry request data.
        log.error("unhandled %s", type(error).__name__, exc_info=app.debug)
        return error_response(500, [{"code": "err.internal", "message": "Internal error."}])
