"""HTTP layer: Flask application factory. Views parse, call the backend, serialize."""

from __future__ import annotations

import secrets
import time

from flask import Flask, g

from ..backend import Backend
from ..config import MAX_BODY_BYTES
from .chat import chat
from .chat_messages import chat_messages
from .chat_users import chat_users
from .common import rate_limit_headers
from .control import control
from .dashboard import register_dashboard
from .errors import register_error_handlers
from .jsonio import FastJSONProvider
from .stream import stream


def create_app(backend: Backend) -> Flask:
    app = Flask("emulator")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json = FastJSONProvider(app)  # orjson: batches of events are 1 MiB each way
    app.json.sort_keys = False  # keep Stream's field order readable
    app.extensions["stream_backend"] = backend
    app.before_request(_start_clock)
    app.after_request(rate_limit_headers)
    # One blueprint, two path families: the views take the dialect from url_defaults.
    app.register_blueprint(stream, url_defaults={"dialect": "v1"})
    app.register_blueprint(stream, name="stream_v2", url_prefix="/api/v2",
                           url_defaults={"dialect": "v2"})
    app.register_blueprint(control, url_prefix="/_emulator")
    _register_chat(app)
    # Dashboard sessions: a random key per app instance (never derived from the API secret):
    # a restart signs everyone out; cookies HttpOnly and SameSite=Lax.
    app.secret_key = secrets.token_hex(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    register_dashboard(app)  # templates/ and static/ are Flask's defaults beside this package
    register_error_handlers(app)
    return app


def _start_clock() -> None:
    g.started = time.perf_counter()


def _register_chat(app: Flask) -> None:
    """Chat calls on their v1 paths and on the getstream SDK's /api/v2 twins."""
    for bp, v2_prefix in ((chat, "/api/v2/chat"), (chat_messages, "/api/v2/chat"),
                          (chat_users, "/api/v2")):
        app.register_blueprint(bp, url_defaults={"dialect": "v1"})
        app.register_blueprint(bp, name=f"{bp.name}_v2", url_prefix=v2_prefix,
                               url_defaults={"dialect": "v2"})
