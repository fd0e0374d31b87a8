"""Webhook & Event Configuration: list hooks; add, edit, enable/disable, delete, Test SQS/SNS.

Every save sends the full `event_hooks` list through `backend.update_app` (the PATCH /app
code path), so the dashboard accepts and rejects exactly what the API does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for

from ...app_settings import EventHook
from ...catalog.types import EVENT_TYPES
from ...errors import InputError
from ...fields import AUTH_TYPES
from ..common import backend
from .blueprint import dashboard, drafts, notify, update_app
from .hook_form import (
    KINDS,
    ROLE_LABEL,
    SQS,
    FormKind,
    HookForm,
    hooks_wire,
    keep_secret_for_rerender,
    mask,
    parse_form,
)

_TARGET_FIELD = {"sqs": "sqs_queue_url", "sns": "sns_topic_arn"}


# The top-level fields Stream still delivers to (set through PATCH /app only): shown, so
# that the page accounts for every target the deliveries name.
_LEGACY = (("sqs", "sqs_url", "sqs_key"), ("sns", "sns_topic_arn", "sns_key"),
           ("webhook", "webhook_url", ""))


@dashboard.get("/hooks")
def hooks():
    app = backend().app
    rows = [_row(h) for h in app.event_hooks]
    legacy = [{"type": kind, "field": name, "target": app.get(name),
               "key": app.get(key) if key else "", "event_types": app.get("webhook_events")}
              for kind, name, key in _LEGACY if app.get(name)]
    return render_template("dashboard/hooks.html", hooks=rows, legacy=legacy)


@dashboard.route("/hooks/new", methods=["GET", "POST"])
def new_hook():
    """`?type=sqs` (default) or `?type=sns`: the form of that hook type."""
    kind = KINDS.get(request.args.get("type", "sqs"))
    if kind is None:
        notify(f"Unknown integration type {request.args.get('type')!r}.", "error")
        return redirect(url_for("dashboard.hooks"))
    return _form_view(None, kind)


@dashboard.route("/hooks/<hook_id>/edit", methods=["GET", "POST"])
def edit_hook(hook_id: str):
    hook = backend().app.hook(hook_id)
    if hook is None or hook.hook_type not in KINDS:
        notify(f"No SQS or SNS hook with id {hook_id}.", "error")
        return redirect(url_for("dashboard.hooks"))
    return _form_view(hook, KINDS[hook.hook_type])


@dashboard.post("/hooks/<hook_id>/toggle")
def toggle_hook(hook_id: str):
    def flip(hooks: list[dict], index: int) -> str:
        hooks[index]["enabled"] = not hooks[index].get("enabled")
        return "enabled" if hooks[index]["enabled"] else "disabled"

    return _change_hook(hook_id, flip)


@dashboard.post("/hooks/<hook_id>/delete")
def delete_hook(hook_id: str):
    def remove(hooks: list[dict], index: int) -> str:
        del hooks[index]
        return "deleted"

    return _change_hook(hook_id, remove)


@dashboard.post("/hooks/<hook_id>/test")
def test_hook(hook_id: str):
    hook = backend().app.hook(hook_id)
    if hook is None or hook.hook_type not in KINDS:
        notify(f"No SQS or SNS hook with id {hook_id}.", "error")
    else:
        form = HookForm.from_hook(hook)
        target = form.values[form.kind.target]
        result = _check(form)
        if result["status"] == "ok":
            notify(f"Test {form.kind.label}: ok ({target})")
        else:
            notify(f"Test {form.kind.label} failed: {result['error']}", "error")
    return redirect(url_for("dashboard.hooks"))


def _form_view(previous: EventHook | None, kind: FormKind = SQS):
    if request.method == "GET":
        form = HookForm.from_hook(previous) if previous else _new_form(kind)
        return _render_form(form, previous)
    form = parse_form(request.form, previous, drafts(), kind)
    if request.form.get("action") == "test":
        result = _check(form)
        keep_secret_for_rerender(form, previous, drafts())
        return _render_form(form, previous, result)
    hooks, index = _hooks_with(form, previous)
    try:
        backend().update_app({"event_hooks": hooks})
    except InputError as exc:
        form.apply_error(exc.detail, index)
        keep_secret_for_rerender(form, previous, drafts())
        return _render_form(form, previous), 400
    notify(f"Saved the {kind.label} integration for {form.values[kind.target]}.")
    return redirect(url_for("dashboard.hooks"))


def _new_form(kind: FormKind) -> HookForm:
    form = HookForm(kind)
    form.values[kind.field("region")] = backend().settings.region  # the emulator's default
    return form


def _render_form(form: HookForm, previous: EventHook | None,
                 check: dict[str, Any] | None = None) -> str:
    return render_template(
        "dashboard/hook_form.html", form=form, hook=previous, check=check,
        event_types=EVENT_TYPES, auth_types=AUTH_TYPES, role_label=ROLE_LABEL,
    )


def _hooks_with(form: HookForm, previous: EventHook | None) -> tuple[list[dict], int]:
    """All current hooks with this one added or replaced; its index names it in errors."""
    hooks = hooks_wire(backend().app)
    ids = [h["id"] for h in hooks]
    body = form.hook_body(previous)
    if previous is not None and previous.id in ids:
        index = ids.index(previous.id)
        hooks[index] = body
    else:  # new, or deleted meanwhile by someone else: (re)added at the end
        index = len(hooks)
        hooks.append(body)
    return hooks, index


def _change_hook(hook_id: str, change: Callable[[list[dict], int], str]):
    hooks = hooks_wire(backend().app)
    index = next((i for i, h in enumerate(hooks) if h["id"] == hook_id), None)
    if index is None:
        notify(f"No hook with id {hook_id}.", "error")
        return redirect(url_for("dashboard.hooks"))
    done = change(hooks, index)
    update_app({"event_hooks": hooks}, f"Hook {hook_id[:8]} {done}.")
    return redirect(url_for("dashboard.hooks"))


def _check(form: HookForm) -> dict[str, Any]:
    """The POST /check_sqs or /check_sns check, on the values of a hook or of the form."""
    v, kind = form.values, form.kind
    if kind.hook_type == "sns":
        return backend().check_sns(v["sns_topic_arn"], v["sns_key"], v["sns_secret"],
                                   auth_type=v["sns_auth_type"], role_arn=v["sns_role_arn"])
    # The form's values only: a new hook's blank keys must not borrow another hook's.
    return backend().check_sqs(v["sqs_queue_url"], v["sqs_key"], v["sqs_secret"],
                               stored=False)


def _row(hook: EventHook) -> dict[str, Any]:
    prefix = "sns" if hook.hook_type == "sns" else "sqs"
    has_keys = hook.hook_type in ("sqs", "sns")
    return {
        "id": hook.id,
        "type": hook.hook_type,
        "target": hook.get(_TARGET_FIELD.get(hook.hook_type, "webhook_url")),
        "auth_type": hook.get(f"{prefix}_auth_type") if has_keys else "",
        "key": hook.get(f"{prefix}_key") if has_keys else "",
        "secret": mask(hook.get(f"{prefix}_secret")) if has_keys else "",
        "event_types": hook.event_types,
        "enabled": hook.enabled,
        "sqs": hook.hook_type == "sqs",
        "form_kind": KINDS[hook.hook_type].label if hook.hook_type in KINDS else "",
    }
