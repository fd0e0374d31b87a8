"""The decorator every chat view wears: the team's `operation` (Stream's operation name for
error messages, server auth, rate-limit counting) plus Stream's success status: 201 for POST,
200 otherwise, as Stream's spec lists them for the chat calls."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import request

from .common import operation


def chat_operation(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            out = view(*args, **kwargs)
            return out, 201 if request.method == "POST" else 200
        return operation(name)(run)
    return wrap
