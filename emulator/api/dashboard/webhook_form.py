"""The webhook hook form: URL, event types, enabled. Saved through the PATCH /app code path,
so a URL the emulator refuses (not http/https, or not loopback without --allow-remote) shows
the API's error next to the field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import redirect, render_template, request, url_for

from ...app_settings import EventHook
from ...catalog.types import EVENT_TYPES
from ...errors import InputError
from ..common import backend
from .blueprint import dashboard, notify
from .hook_form import hooks_wire

FIELDS = ("webhook_url", "event_types", "enabled")
_ERROR_PATH = re.compile(r"^event_hooks\[(\d+)\]\.([a-z_]+)")


@dataclass
class WebhookForm:
    values: dict[str, Any] = field(
        default_factory=lambda: {"webhook_url": "", "event_types": [], "enabled": True})
    errors: dict[str, str] = field(default_factory=dict)
    general_error: str = ""

    @classmethod
    def from_hook(cls, hook: EventHook) -> WebhookForm:
        return cls({"webhook_url": hook.get("webhook_url"),
                    "event_types": list(hook.event_types), "enabled": hook.enabled})

    @classmethod
    def parse(cls, form: Any) -> WebhookForm:
        return cls({"webhook_url": (form.get("webhook_url") or "").strip(),
                    "event_types": list(form.getlist("event_types")),
                    "enabled": form.get("enabled") == "on"})

    def apply_error(self, detail: str, index: int) -> None:
        match = _ERROR_PATH.match(detail)
        if match and int(match.group(1)) == index and match.group(2) in FIELDS:
            self.errors[match.group(2)] = detail
        else:
            self.general_error = detail


@dashboard.route("/hooks/new-webhook", methods=["GET", "POST"])
def new_webhook():
    return _view(None)


@dashboard.route("/hooks/<hook_id>/edit-webhook", methods=["GET", "POST"])
def edit_webhook(hook_id: str):
    hook = backend().app.hook(hook_id)
    if hook is None or hook.hook_type != "webhook":
        notify(f"No webhook hook with id {hook_id}.", "error")
        return redirect(url_for("dashboard.hooks"))
    return _view(hook)


def _view(previous: EventHook | None):
    if request.method == "GET":
        form = WebhookForm.from_hook(previous) if previous else WebhookForm()
        return _render(form, previous)
    form = WebhookForm.parse(request.form)
    hooks = hooks_wire(backend().app)
    ids = [h["id"] for h in hooks]
    if previous is not None and previous.id in ids:
        index = ids.index(previous.id)
        hooks[index].update(form.values)  # the hook's other fields kept as they are
    else:  # new, or deleted meanwhile by someone else: (re)added at the end
        index = len(hooks)
        hooks.append({"hook_type": "webhook", **form.values})
    try:
        backend().update_app({"event_hooks": hooks})
    except InputError as exc:
        form.apply_error(exc.detail, index)
        return _render(form, previous), 400
    notify(f"Saved the webhook integration for {form.values['webhook_url']}.")
    return redirect(url_for("dashboard.hooks"))


def _render(form: WebhookForm, previous: EventHook | None) -> str:
    return render_template("dashboard/webhook_form.html", form=form, hook=previous,
                           event_types=EVENT_TYPES)
