"""HTTP layer: Flask application factory. Views parse, call the backend, serialize."""

from __future__ import annotations

import time

from flask import Flask, g

from ..backend import Backend
from .control import control
from .errors import register_error_handlers
from .stream import stream_v1, stream_v2

MAX_BODY_BYTES = 1024 * 1024  # Stream: payloads over 1 MiB → 413, code 22


def create_app(backend: Backend) -> Flask:
    app = Flask("emulator")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False  # keep Stream's field order readable
    app.extensions["stream_backend"] = backend
    app.before_request(_start_clock)
    app.register_blueprint(stream_v1)
    app.register_blueprint(stream_v2, url_prefix="/api/v2")
    app.register_blueprint(control, url_prefix="/_emulator")
    register_error_handlers(app)
    return app


def _start_clock() -> None:
    g.started = time.perf_counter()
