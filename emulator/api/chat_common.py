"""The decorator every chat view wears: the team's `operation` (Stream's operation name for
error messages, server auth, rate-limit counting) plus Stream's success status: 201 for POST,
200 otherwise, as Stream's spec lists them for the chat calls."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, request

from .common import operation


def chat_operation(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            out = view(*args, **kwargs)
            return out, 201 if request.method == "POST" else 200
        return operation(name)(run)
    return wrap


def refuse_stream_literals(blueprint: Blueprint, paths: tuple[str, ...]) -> None:
    """Stream's own routes that a `<user_id>` or `<message_id>` route of ours would take for
    an id (`POST /users/restore` as user "restore", `POST /messages/history` as an update of
    message "history"): not emulated, so 404 code 16 like any route the emulator lacks."""
    for path in paths:
        blueprint.add_url_rule(path, f"not_served_{path.strip('/').replace('/', '_')}",
                               _not_served, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])


def _not_served(dialect: str):
    abort(404)
