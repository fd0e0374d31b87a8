"""Sign-in with the app's API key and secret; the session cookie remembers it."""

from __future__ import annotations

import hmac

from flask import redirect, render_template, request, session, url_for

from ..common import backend
from .blueprint import dashboard, notify

SESSION_KEY = "dashboard_api_key"


def signed_in() -> bool:
    key = session.get(SESSION_KEY)
    return isinstance(key, str) and hmac.compare_digest(key, backend().settings.api_key)


def credentials_match(api_key: str, api_secret: str) -> bool:
    settings = backend().settings
    # Compare both, always: the answer's timing must not tell which one was wrong.
    key_ok = hmac.compare_digest(api_key.encode(), settings.api_key.encode())
    secret_ok = hmac.compare_digest(api_secret.encode(), settings.api_secret.encode())
    return key_ok and secret_ok


def safe_next(target: str | None) -> str:
    """Only our own pages: an absolute or scheme-relative `next` would be an open redirect."""
    if target and target.startswith("/dashboard") and not target.startswith("//"):
        return target
    return url_for("dashboard.overview")


@dashboard.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("dashboard/login.html", next=request.args.get("next", ""))
    api_key = request.form.get("api_key", "")
    if credentials_match(api_key, request.form.get("api_secret", "")):
        session.clear()  # a fresh session (and CSRF token) at every sign-in
        session[SESSION_KEY] = api_key
        return redirect(safe_next(request.form.get("next")))
    return render_template(
        "dashboard/login.html", next=request.form.get("next", ""), api_key=api_key,
        error="Wrong API key or secret.",
    ), 401


@dashboard.post("/logout")
def logout():
    session.clear()
    notify("Signed out.")
    return redirect(url_for("dashboard.login"))
