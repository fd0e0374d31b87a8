"""The dashboard at /dashboard: Stream's "Webhook & Event Configuration" flow, offline.

Server-rendered pages; views parse the form, call the backend, render. Sign-in with the
app's API key and secret (session cookie); CSRF checked on every POST of this blueprint
only, so the JSON API is unaffected.
"""

from __future__ import annotations

from flask import Flask, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from ...errors import StreamError
from . import auth, deliveries, hooks, overview, webhook_form  # noqa: F401  (views register on import)
from .auth import signed_in
from .blueprint import DRAFTS, dashboard
from .hook_form import SecretDrafts

PUBLIC_ENDPOINTS = frozenset({"dashboard.login"})


def register_dashboard(app: Flask) -> None:
    """Blueprint + CSRF, scoped to the dashboard (the Stream API keeps its own auth)."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked in _guard, not app-wide
    CSRFProtect(app)
    app.extensions[DRAFTS] = SecretDrafts()
    app.register_blueprint(dashboard, url_prefix="/dashboard")


@dashboard.before_request
def _guard():
    g.operation = None  # errors here are pages, not "<Operation> failed" API bodies
    config = current_app.config
    if config["WTF_CSRF_ENABLED"] and request.method in config["WTF_CSRF_METHODS"]:
        current_app.extensions["csrf"].protect()
    if request.endpoint not in PUBLIC_ENDPOINTS and not signed_in():
        return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
    return None


@dashboard.context_processor
def _template_values() -> dict:
    return {"signed_in": signed_in()}


@dashboard.after_request
def _headers(response):
    # Pages carry masked secrets and forms: no caching, no framing, only our own assets.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    return response


@dashboard.errorhandler(CSRFError)
def _csrf_error(error: CSRFError):
    message = (f"The form was rejected ({error.description}). Reload the page and try "
               "again; forms are only accepted from this dashboard.")
    return render_template("dashboard/error.html", message=message), 400


@dashboard.errorhandler(StreamError)
def _stream_error(error: StreamError):
    return render_template("dashboard/error.html", message=error.detail), error.status
