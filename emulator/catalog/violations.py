"""Turning jsonschema errors into ``Violation``s: a JSON path, what was expected, what came."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported only when a payload is invalid (registry.py)
    from jsonschema.exceptions import ValidationError

from ..fields import json_type

__all__ = ["Violation", "collect", "json_path", "json_type", "show"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MISSING = "missing"


@dataclass(frozen=True)
class Violation:
    path: str  # JSON path, e.g. $.message.user.id
    message: str  # a sentence giving the expected and the received value
    expected: str
    received: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def json_path(parts: Iterable[str | int]) -> str:
    """``["message", "attachments", 0]`` → ``$.message.attachments[0]``."""
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            out.append(f"[{json.dumps(part)}]")
    return "".join(out)


def show(value: Any, limit: int = 80) -> str:
    """A short rendering of a received value, prefixed with its JSON type."""
    kind = json_type(value)
    text = json.dumps(value, ensure_ascii=False, default=repr)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "null" if value is None else f"{kind} {text}"


def _expected_types(types: str | Sequence[str]) -> str:
    return types if isinstance(types, str) else " or ".join(types)


def _missing_property(error: ValidationError) -> str:
    # jsonschema words it "'name' is a required property"; the name is a Python literal.
    literal = error.message.rsplit(" is a required property", 1)[0]
    try:
        return str(ast.literal_eval(literal))
    except (ValueError, SyntaxError):
        return literal


def _hint(error: ValidationError) -> str:
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    return f" ({description})" if description and len(description) < 80 else ""


def to_violation(error: ValidationError) -> Violation:
    keyword, value, instance = error.validator, error.validator_value, error.instance
    path = list(error.absolute_path)
    if keyword == "required":
        name = _missing_property(error)
        return Violation(json_path([*path, name]), f"required property {name!r} is missing",
                         f"property {name!r}", _MISSING)
    if keyword == "type":
        expected = _expected_types(value) + _hint(error)
    elif keyword == "const":
        expected = json.dumps(value)
    elif keyword == "enum":
        expected = "one of " + ", ".join(json.dumps(v) for v in value)
    elif keyword == "pattern":
        # The pattern itself is unreadable; the schema's description says what it means.
        expected = _hint(error).strip(" ()") or f"a string matching {value}"
    elif keyword == "not" and isinstance(value, dict) and "enum" in value:
        expected = "none of the other event types"
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        expected = f"{keyword} {value}"
    else:
        expected = f"{keyword} {json.dumps(value, default=repr)[:60]}"
    received = show(instance)
    message = f"expected {expected}, received {received}"
    return Violation(json_path(path), message, expected, received)


def collect(errors: Iterable[ValidationError]) -> list[Violation]:
    """Deduplicated violations, in document order of their paths."""
    seen: dict[tuple[str, str], Violation] = {}
    for error in errors:
        violation = to_violation(error)
        seen.setdefault((violation.path, violation.message), violation)
    return sorted(seen.values(), key=lambda v: v.path)
