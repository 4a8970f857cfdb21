"""Errors as JSON bodies (``schemas.ErrorBody``), never tracebacks, for every way a request fails."""

from __future__ import annotations

import logging
from typing import Any

import duckdb

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.answers import QueryTimeout
from api.cursors import CursorError
from api.schemas import ErrorBody, FieldProblem
from api.snapshots import NoSnapshotError
from api.vocabulary import ALLOWED_VALUES

log = logging.getLogger("api")

HTTP_CODES = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 422: "invalid_request",
              429: "rate_limited", 503: "no_data"}
QUERY_TIMEOUT_RETRY_SECONDS = 30


class ApiError(Exception):
    """An answer that is an error: status, stable code, message and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 fields: list[FieldProblem] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers, self.fields = status, message, headers or {}, fields or []


def error_response(status: int, message: str, headers: dict[str, str] | None = None,
                   fields: list[FieldProblem] | None = None, code: str | None = None) -> JSONResponse:
    body = ErrorBody(status=status, error=code or HTTP_CODES.get(status, "error"), message=message, fields=fields or [])
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _problem(error: dict[str, Any]) -> FieldProblem:
    loc = [str(part) for part in error.get("loc", ())]
    location = loc[0] if loc else "query"
    field = loc[1] if len(loc) > 1 else location
    message = error.get("msg", "invalid")
    if error.get("type") == "extra_forbidden":
        message = "unknown parameter for this route"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return FieldProblem(field=field, location=location, message=message, allowed=ALLOWED_VALUES.get(field))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into an ErrorBody."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.message, error.headers, error.fields)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [_problem(e) for e in error.errors()]
        named = ", ".join(dict.fromkeys(p.field for p in problems))
        return error_response(422, f"invalid parameter(s): {named}", fields=problems)

    @app.exception_handler(CursorError)
    async def _bad_cursor(request: Request, error: CursorError) -> JSONResponse:
        return error_response(422, str(error), fields=[FieldProblem(field="cursor", location="query", message=str(error))])

    @app.exception_handler(NoSnapshotError)
    async def _no_data(request: Request, error: NoSnapshotError) -> JSONResponse:
        return error_response(503, str(error), headers={"Retry-After": "60"})

    @app.exception_handler(duckdb.CatalogException)
    async def _mart_missing(request: Request, error: duckdb.CatalogException) -> JSONResponse:
        # A snapshot published before a mart was first built (or while its model fails) lacks it.
        detail = str(error).splitlines()[0].removeprefix("Catalog Error: ")
        log.warning("%s %s: %s", request.method, request.url.path, detail)
        return error_response(503, f"the published snapshot lacks a mart this answer reads ({detail}): build the "
                                   "marts (make demo, or dbt build) and publish again", headers={"Retry-After": "60"})

    @app.exception_handler(QueryTimeout)
    async def _too_slow(request: Request, error: QueryTimeout) -> JSONResponse:
        log.warning("%s %s: stopped after %g s", request.method, request.url.path, error.seconds)
        return error_response(503, str(error), headers={"Retry-After": str(QUERY_TIMEOUT_RETRY_SECONDS)},
                              code="query_timeout")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        message = error.detail if isinstance(error.detail, str) else "request refused"
        if error.status_code == 404:
            message = f"no such route: {request.url.path} (see /docs)"
        return error_response(error.status_code, message, headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error answering %s", request.url.path)
        return error_response(500, "internal error: the server logged it")
