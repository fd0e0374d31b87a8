"""Helpers every view uses: the backend, the operation decorator (name + server auth +
rate limit), JSON bodies, Stream's `duration` field."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

import jsonschema_rs
from flask import Response, current_app, g, request

from ..auth import authenticate_server
from ..backend import Backend
from ..errors import InputError, RateLimitError
from . import jsonio

View = TypeVar("View", bound=Callable[..., Any])

# Event payloads nest about 6 levels; overrides and hook bodies less. 32 leaves room.
MAX_JSON_DEPTH = 32


def backend() -> Backend:
    return current_app.extensions["stream_backend"]


def require_server_auth() -> None:
    settings = backend().settings
    authenticate_server(
        request.args.get("api_key"), request.headers, settings.api_key, settings.api_secret
    )


def operation(name: str | None, *, auth: bool = True,
              rate_limited: bool = True) -> Callable[[View], View]:
    """This view is Stream operation `name` (errors read `<name> failed with error: …`), needs
    server auth unless `auth=False`, and counts against `name`'s rate limit when
    `rate_limited` (Stream API views; the control API is not Stream's and is not limited)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.operation = name
            if auth:
                require_server_auth()
            if rate_limited and name:
                _count_request(name)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def _count_request(name: str) -> None:
    state = backend().count_request(name)
    g.rate_limit = state
    if not state.allowed:
        raise RateLimitError("Too many requests, check response headers for more information.")


def rate_limit_headers(response: Response) -> Response:
    """After every request: the rate-limit headers of a counted Stream API call. Lower-case
    names: Stream answers over HTTP/2, and stream-chat's Python SDK looks them up that way."""
    state = g.get("rate_limit")
    if state is not None:
        response.headers["x-ratelimit-limit"] = str(state.limit)
        response.headers["x-ratelimit-remaining"] = str(state.remaining)
        response.headers["x-ratelimit-reset"] = str(state.reset)
        if not state.allowed:
            response.headers["Retry-After"] = str(state.retry_after(backend().now()))
    return response


def json_body(default: Any = None) -> Any:
    """The parsed body; empty → `default`; malformed → Stream input error (400, code 4)."""
    raw = request.get_data(cache=True)
    if not raw or raw.isspace():  # not raw.strip(): that copies a 1 MiB body to look at it
        return {} if default is None else default
    body = jsonio.parse(raw)
    if not _depth_check().is_valid(body):  # the exact depth only for the message
        raise InputError(f"JSON body is nested {nesting_depth(body)} levels deep; at most "
                         f"{MAX_JSON_DEPTH} are accepted")
    return body


@functools.cache
def _depth_check() -> Any:
    """A JSON Schema that holds for a value nested at most MAX_JSON_DEPTH levels: level k
    takes any object or array whose members satisfy level k+1, and the last level takes
    scalars only. jsonschema-rs walks it in Rust, ~2.5× faster than `nesting_depth` on a
    batch of events, and stops at the last level however deep a hostile body goes."""
    scalar = {"type": ["string", "number", "boolean", "null"]}
    levels = {f"d{k}": {"additionalProperties": {"$ref": f"#/$defs/d{k + 1}"},
                        "items": {"$ref": f"#/$defs/d{k + 1}"}} for k in range(MAX_JSON_DEPTH)}
    levels[f"d{MAX_JSON_DEPTH}"] = scalar
    return jsonschema_rs.Draft202012Validator({"$ref": "#/$defs/d0", "$defs": levels})


def nesting_depth(value: Any) -> int:
    """Depth of arrays/objects, without recursion (a hostile body must not blow the stack).
    Level by level, keeping only containers. For the error message: `_depth_check` gives the
    verdict on every body, faster."""
    depth, level = 0, [value] if isinstance(value, (dict, list)) else []
    while level:
        depth += 1
        below = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                kind = type(child)
                if kind is dict or kind is list:
                    below.append(child)
        level = below
    return depth


def duration() -> str:
    started = getattr(g, "started", None)
    elapsed = (time.perf_counter() - started) * 1000 if started else 0.0
    return f"{elapsed:.2f}ms"


def with_duration(body: dict[str, Any]) -> dict[str, Any]:
    body["duration"] = duration()
    return body
