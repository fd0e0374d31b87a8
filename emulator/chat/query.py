"""Stream's filter language (the subset server-side integrations use) over flat documents.

A filter is `{field: value}` (equality, or membership when the document's value is a list)
or `{field: {"$op": value}}`, combined with `$and` / `$or` / `$nor`. Unknown operators are an
input error, never a silent match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import InputError

Doc = dict[str, Any]
_MISSING = object()


def _cmp(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def check(have: Any, want: Any) -> bool:
        try:
            return have is not _MISSING and op(have, want)
        except TypeError:  # e.g. a string against a number: no match, as a database would
            return False
    return check


def _eq(have: Any, want: Any) -> bool:
    if isinstance(have, list) and not isinstance(want, list):
        return want in have
    return have == want


def _in(have: Any, want: Any) -> bool:
    if not isinstance(want, list):
        raise InputError(f"$in expects an array, received {type(want).__name__}")
    if isinstance(have, list):
        return any(item in want for item in have)
    return have in want


def _autocomplete(have: Any, want: Any) -> bool:
    return isinstance(have, str) and isinstance(want, str) and want.lower() in have.lower()


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": _eq,
    "$ne": lambda have, want: not _eq(have, want),
    "$in": _in,
    "$nin": lambda have, want: not _in(have, want),
    "$gt": _cmp(lambda a, b: a > b), "$gte": _cmp(lambda a, b: a >= b),
    "$lt": _cmp(lambda a, b: a < b), "$lte": _cmp(lambda a, b: a <= b),
    "$exists": lambda have, want: (have is not _MISSING) == bool(want),
    "$contains": lambda have, want: isinstance(have, list) and want in have,
    "$autocomplete": _autocomplete,
}


def matches(doc: Doc, conditions: Any, path: str = "filter_conditions") -> bool:
    if not isinstance(conditions, dict):
        raise InputError(f"{path}: expected object, received {type(conditions).__name__}")
    for key, want in conditions.items():
        if key in ("$and", "$or", "$nor"):
            if not isinstance(want, list) or not want:
                raise InputError(f"{path}.{key}: expected a non-empty array of filters")
            hits = [matches(doc, part, f"{path}.{key}[{i}]") for i, part in enumerate(want)]
            ok = all(hits) if key == "$and" else any(hits) if key == "$or" else not any(hits)
        elif key.startswith("$"):
            raise InputError(f"{path}: unknown operator {key}")
        else:
            ok = _field_matches(doc.get(key, _MISSING), want, f"{path}.{key}")
        if not ok:
            return False
    return True


def _field_matches(have: Any, want: Any, path: str) -> bool:
    if isinstance(want, dict) and want and all(k.startswith("$") for k in want):
        for op, value in want.items():
            check = OPERATORS.get(op)
            if check is None:
                raise InputError(f"{path}: unsupported operator {op}; the emulator knows "
                                 f"{', '.join(OPERATORS)}")
            if not check(have, value):
                return False
        return True
    return have is not _MISSING and _eq(have, want)


def sort_docs(items: list[Any], docs: list[Doc], sort: list[tuple[str, int]],
              default: str) -> list[Any]:
    """Stable multi-key sort; documents lacking a key sort last either way."""
    order = list(range(len(items)))
    for name, direction in reversed(sort or [(default, -1)]):
        present = [i for i in order if docs[i].get(name) is not None]
        absent = [i for i in order if docs[i].get(name) is None]
        try:
            present.sort(key=lambda i: docs[i][name], reverse=direction < 0)
        except TypeError:
            present.sort(key=lambda i: str(docs[i][name]), reverse=direction < 0)
        order = present + absent
    return [items[i] for i in order]
