"""The SQS and SNS hook forms: parse one into a PATCH /app hook object, map errors back onto
fields. Both hook types have the same shape (target, region, auth type, key, secret, role
ARN), so one form serves both; `FormKind` names the fields of each.

Pure logic (no Flask request here) so the views stay thin and this is testable on its own.
Secrets never go back to the browser in full: fields show `mask(secret)`, and a submitted
value equal to the mask means "unchanged" (the stored secret, or a draft typed earlier).
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...app_settings import AppSettings, EventHook

MASK = "•" * 8
ROLE_LABEL = "IAM role (Stream's account assumes the role below)"
# PATCH /app errors name `event_hooks[<index>].<field>…`: which hook, which field.
_ERROR_PATH = re.compile(r"^event_hooks\[(\d+)\]\.([a-z_]+)")
_SERVER_FIELDS = ("created_at", "updated_at")


@dataclass(frozen=True)
class FormKind:
    """One hook type the form edits: its field names and the words the page uses."""

    hook_type: str  # sqs | sns
    target: str  # the hook field naming where events go
    label: str  # "SQS" | "SNS"
    target_label: str
    placeholder: str
    resource_label: str  # what `resource` auth means for this type

    def field(self, name: str) -> str:
        """`region` → `sqs_region` / `sns_region`."""
        return f"{self.hook_type}_{name}"

    @property
    def fields(self) -> tuple[str, ...]:
        """Stored hook fields the form edits; anything else on a hook is kept as it is."""
        names = ("region", "auth_type", "key", "secret", "role_arn")
        return (self.target, *(self.field(n) for n in names), "event_types", "enabled")


SQS = FormKind("sqs", "sqs_queue_url", "SQS", "SQS queue URL",
               "https://sqs.us-east-1.amazonaws.com/123456789012/stream-events",
               "Resource (queue policy allows Stream's account)")
SNS = FormKind("sns", "sns_topic_arn", "SNS", "SNS topic ARN",
               "arn:aws:sns:us-east-1:123456789012:stream-events",
               "Resource (topic policy allows Stream's account SNS:Publish)")
KINDS = {kind.hook_type: kind for kind in (SQS, SNS)}
FORM_FIELDS = SQS.fields  # the SQS form's fields (kept for callers of the SQS-only form)


def _blank(kind: FormKind) -> dict[str, Any]:
    return {kind.target: "", kind.field("region"): "us-east-1", kind.field("auth_type"): "keys",
            kind.field("key"): "", kind.field("secret"): "", kind.field("role_arn"): "",
            "event_types": [], "enabled": True}


def mask(secret: str) -> str:
    """All but the last 4 characters hidden; short secrets (≤ 8) hidden entirely."""
    if not secret:
        return ""
    return MASK if len(secret) <= 8 else MASK + secret[-4:]


@dataclass
class HookForm:
    """What the form shows and what a submit carries (secret kept server-side only)."""

    kind: FormKind = SQS
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general_error: str = ""
    draft: str = ""  # token of a typed secret kept in SecretDrafts across re-renders

    def __post_init__(self) -> None:
        self.values = {**_blank(self.kind), **self.values}

    @property
    def secret(self) -> str:
        return self.values[self.kind.field("secret")]

    @classmethod
    def from_hook(cls, hook: EventHook) -> HookForm:
        form = cls(KINDS.get(hook.hook_type, SQS))
        for name in form.kind.fields:
            value = hook.get(name)
            form.values[name] = list(value) if isinstance(value, tuple) else value
        return form

    @property
    def secret_shown(self) -> str:
        return mask(self.secret)

    def hook_body(self, previous: EventHook | None) -> dict[str, Any]:
        """The hook object for PATCH /app: the stored hook's other fields kept as they are."""
        body = _wire(previous) if previous else {"hook_type": self.kind.hook_type}
        body.update(self.values)
        return body

    def apply_error(self, detail: str, index: int) -> None:
        """Put a PATCH /app error next to the field it names, else above the form."""
        match = _ERROR_PATH.match(detail)
        if match and int(match.group(1)) == index and match.group(2) in self.kind.fields:
            self.errors[match.group(2)] = detail
        else:
            self.general_error = detail


def parse_form(form: Mapping[str, Any], previous: EventHook | None,
               drafts: SecretDrafts, kind: FormKind = SQS) -> HookForm:
    """Read a submitted form; an untouched masked secret keeps the secret it stands for."""
    result = HookForm(kind)
    for name in (kind.target, *(kind.field(n) for n in ("region", "auth_type", "key", "role_arn"))):
        result.values[name] = (form.get(name) or "").strip()
    getlist = getattr(form, "getlist", None)
    result.values["event_types"] = list(getlist("event_types")) if getlist else []
    result.values["enabled"] = form.get("enabled") == "on"
    secret = kind.field("secret")
    typed = form.get(secret) or ""
    drafted = drafts.get(form.get("secret_draft") or "")
    if drafted is not None and typed == mask(drafted):
        result.values[secret] = drafted
    elif previous is not None and typed == mask(previous.get(secret)):
        result.values[secret] = previous.get(secret)
    else:
        result.values[secret] = typed
    return result


def keep_secret_for_rerender(form: HookForm, previous: EventHook | None,
                             drafts: SecretDrafts) -> None:
    """A newly typed secret survives a re-render as a draft token, never as page text."""
    secret = form.secret
    if secret and not (previous and secret == previous.get(form.kind.field("secret"))):
        form.draft = drafts.put(secret)


def hooks_wire(app: AppSettings) -> list[dict[str, Any]]:
    """Every current hook as a PATCH /app hook object (ids kept, so hooks update in place)."""
    return [_wire(h) for h in app.event_hooks]


def _wire(hook: EventHook) -> dict[str, Any]:
    wire = hook.to_wire("v1")
    for name in _SERVER_FIELDS:
        wire.pop(name, None)
    return wire


class SecretDrafts:
    """Typed secrets waiting for the next submit of the same form; bounded, per process."""

    def __init__(self, capacity: int = 256):
        self._items: OrderedDict[str, str] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def put(self, secret: str) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items[token] = secret
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> str | None:
        with self._lock:
            return self._items.get(token) if token else None
