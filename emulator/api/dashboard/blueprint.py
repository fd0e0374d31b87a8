"""The dashboard blueprint and what its views share (kept apart to avoid import cycles)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash

from ...errors import InputError
from ..common import backend
from .hook_form import SecretDrafts

dashboard = Blueprint("dashboard", __name__)
DRAFTS = "dashboard_secret_drafts"
MAX_FLASH_CHARS = 600  # flashes live in the session cookie (4 KB in all)


def drafts() -> SecretDrafts:
    return current_app.extensions[DRAFTS]


def notify(message: str, category: str = "ok") -> None:
    """A one-time message for the next page (category: ok | error)."""
    if len(message) > MAX_FLASH_CHARS:
        message = message[: MAX_FLASH_CHARS - 1] + "…"
    flash(message, category)


def update_app(patch: dict[str, Any], done: str) -> bool:
    """PATCH /app for a dashboard action, flashing `done` or the validation error."""
    try:
        backend().update_app(patch)
    except InputError as exc:
        notify(exc.detail, "error")
        return False
    notify(done)
    return True
