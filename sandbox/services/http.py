"""The tiny request/response model the service handlers share with the router."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs


@dataclass
class Request:
    method: str
    path: str  # below the service prefix, e.g. "/channels"
    query: dict[str, str]  # last value wins, blanks kept
    headers: dict[str, str]  # lower-cased names
    body: bytes
    base_url: str  # http://127.0.0.1:<port>, to build absolute `next` links
    day: date  # the day to answer as of (see sandbox.state)

    @classmethod
    def parse_query(cls, raw: str) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json.dumps(payload, indent=1).encode(), headers=headers or {})


def raw_json(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON body kept byte for byte as the real service wrote it."""
    return Response(status, text.encode(), headers=headers or {})


def html_response(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status, text.encode(), "text/html; charset=utf-8", headers or {})


def text_response(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status, text.encode(), "text/plain; charset=utf-8", headers or {})
