"""The decorator every chat view wears: Stream's operation name (for error messages), server
auth, and Stream's success status (201 for POST, 200 otherwise, as Stream's spec lists)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import g, request

from .common import require_server_auth


def chat_operation(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            g.operation = name
            require_server_auth()
            out = view(*args, **kwargs)
            if isinstance(out, tuple):
                return out
            return out, 201 if request.method == "POST" else 200
        return run
    return wrap
