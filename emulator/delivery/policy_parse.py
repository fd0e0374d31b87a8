"""Parsing IAM policy documents into normalised statements, and IAM wildcard matching.

Pure functions, no I/O. `policy.py` evaluates what this module parses. A document that AWS
would reject raises `MalformedPolicy` with a sentence naming the offending element; callers
turn that into a denial, never into an exception of their own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

EFFECTS = ("Allow", "Deny")


class MalformedPolicy(ValueError):
    """A policy document AWS would refuse to store; the message says why."""


@dataclass(frozen=True)
class Statement:
    label: str  # 'statement "Sid"' or 'statement #n' (1-based), for reasons
    effect: str  # "Allow" or "Deny"
    actions: tuple[str, ...]
    not_action: bool  # True: `actions` came from NotAction
    resources: tuple[str, ...] | None  # None: no Resource/NotResource element
    not_resource: bool
    principals: tuple[str, ...] | None  # AWS principal values; None: no Principal element
    not_principal: bool
    conditions: tuple[str, ...]  # "Operator key" pairs; non-empty = has a Condition block


@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM wildcards: `*` any run of characters, `?` exactly one; nothing else is special
    # (unlike fnmatch, `[` is literal).
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: str, value: str, *, ignore_case: bool) -> bool:
    """IAM wildcard match: actions compare case-insensitively, resources case-sensitively."""
    return _glob(pattern, ignore_case).fullmatch(value) is not None


def load_document(policy: dict[str, Any] | str) -> dict[str, Any]:
    """A policy as a dict; strings may be JSON or URL-encoded JSON (IAM's wire form)."""
    if isinstance(policy, str):
        text = policy.strip()
        if text.startswith("%7B") or text.startswith("%7b"):
            text = unquote(text)
        try:
            policy = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedPolicy(f"it is not valid JSON ({exc})") from None
    if not isinstance(policy, dict):
        raise MalformedPolicy(f"it must be a JSON object, got {type(policy).__name__}")
    return policy


def parse_statements(policy: dict[str, Any] | str, *, resource_policy: bool) -> list[Statement]:
    doc = load_document(policy)
    if "Statement" not in doc:
        raise MalformedPolicy("it has no Statement element")
    raw = doc["Statement"]
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise MalformedPolicy(f"Statement must be an object or a list, got {_kind(raw)}")
    return [_statement(item, i + 1, resource_policy) for i, item in enumerate(items)]


def _statement(raw: Any, index: int, resource_policy: bool) -> Statement:
    if not isinstance(raw, dict):
        raise MalformedPolicy(f"statement #{index} must be an object, got {_kind(raw)}")
    sid = raw.get("Sid")
    label = f'statement "{sid}"' if isinstance(sid, str) and sid else f"statement #{index}"
    effect = raw.get("Effect")
    if effect not in EFFECTS:
        raise MalformedPolicy(f"{label} has Effect {effect!r}; expected 'Allow' or 'Deny'")
    actions, not_action = _pair(raw, "Action", "NotAction", label, required=True)
    resources, not_resource = _pair(raw, "Resource", "NotResource", label, required=False)
    if resources is None and not resource_policy:
        raise MalformedPolicy(f"{label} has no Resource or NotResource")
    principals, not_principal = _principals(raw, label, resource_policy)
    return Statement(
        label=label,
        effect=effect,
        actions=actions or (),
        not_action=not_action,
        resources=resources,
        not_resource=not_resource,
        principals=principals,
        not_principal=not_principal,
        conditions=_conditions(raw.get("Condition"), label),
    )


def _pair(
    raw: dict[str, Any], name: str, not_name: str, label: str, *, required: bool
) -> tuple[tuple[str, ...] | None, bool]:
    if name in raw and not_name in raw:
        raise MalformedPolicy(f"{label} has both {name} and {not_name}")
    if name in raw:
        return _strings(raw[name], name, label), False
    if not_name in raw:
        return _strings(raw[not_name], not_name, label), True
    if required:
        raise MalformedPolicy(f"{label} has no {name} or {not_name}")
    return None, False


def _strings(value: Any, name: str, label: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MalformedPolicy(f"{label}: {name} must be a string or a list of strings")


def _principals(
    raw: dict[str, Any], label: str, resource_policy: bool
) -> tuple[tuple[str, ...] | None, bool]:
    if not resource_policy:
        return None, False  # identity policies apply to their own identity
    if "Principal" in raw and "NotPrincipal" in raw:
        raise MalformedPolicy(f"{label} has both Principal and NotPrincipal")
    key = "Principal" if "Principal" in raw else "NotPrincipal" if "NotPrincipal" in raw else ""
    if not key:
        raise MalformedPolicy(f"{label} has no Principal or NotPrincipal")
    return _principal_values(raw[key], key, label), key == "NotPrincipal"


def _principal_values(value: Any, key: str, label: str) -> tuple[str, ...]:
    # "*" and {"AWS": ...} are what matter for Stream; a bare string is taken as an AWS
    # principal (lenient). Service/Federated/CanonicalUser principals never match Stream.
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, dict):
        raise MalformedPolicy(f'{label}: {key} must be "*" or an object like {{"AWS": …}}')
    values: list[str] = []
    for kind, members in value.items():
        found = _strings(members, f"{key}.{kind}", label)
        values.extend(found if kind == "AWS" else (f"{kind}:{m}" for m in found))
    return tuple(values)


def _conditions(value: Any, label: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise MalformedPolicy(f"{label}: Condition must be an object")
    pairs: list[str] = []
    for operator, block in value.items():
        keys = block.keys() if isinstance(block, dict) else ["?"]
        pairs.extend(f"{operator} {key}" for key in keys)
    return tuple(pairs)  # an empty Condition block constrains nothing


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string"}.get(
        type(value), type(value).__name__
    )
