"""Helpers every view uses: the backend, auth, JSON bodies, Stream's `duration` field."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from flask import current_app, g, request

from ..auth import authenticate_server
from ..backend import Backend
from ..errors import InputError

# Event payloads nest about 6 levels; overrides and hook bodies less. 32 leaves room.
MAX_JSON_DEPTH = 32


def backend() -> Backend:
    return current_app.extensions["stream_backend"]


def require_server_auth() -> None:
    settings = backend().settings
    authenticate_server(
        request.args.get("api_key"), request.headers, settings.api_key, settings.api_secret
    )


def json_body(default: Any = None) -> Any:
    """The parsed body; empty → `default`; malformed → Stream input error (400, code 4)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {} if default is None else default
    try:
        body = json.loads(raw, parse_constant=_not_json, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"invalid JSON body: {exc}") from None
    depth = nesting_depth(body)
    if depth > MAX_JSON_DEPTH:
        raise InputError(
            f"JSON body is nested {depth} levels deep; at most {MAX_JSON_DEPTH} are accepted"
        )
    return body


def _not_json(constant: str) -> float:
    # Python's json accepts NaN and Infinity; JSON does not, and echoing them back (e.g. a
    # fault's seconds_left) would make our own answers invalid JSON.
    raise InputError(f"invalid JSON body: {constant} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 parses to inf
        raise InputError(f"invalid JSON body: number {text[:40]} is out of range")
    return value


def nesting_depth(value: Any) -> int:
    """Depth of arrays/objects, without recursion (a hostile body must not blow the stack).
    Level by level, keeping only containers: a batch of 1,000 events has ~100,000 values, and
    this is the one walk over all of them before the schemas look."""
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
