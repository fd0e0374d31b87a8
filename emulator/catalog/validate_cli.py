"""The logic of ``stream-sqs-emulator validate`` and ``stream-sqs-emulator schemas``.

Plain functions taking parsed arguments and an output stream; emulator/cli/ wires them to
argparse. Exit status: 0 all valid, 1 violations, 2 usage errors or unreadable files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from ..errors import InputError
from ..resources import schemas_dir
from .dialects import DIALECTS, dialect_problem
from .payload_files import Payload, PayloadFileError, read_payloads
from .registry import SchemaRegistry, get_registry
from .report import WRITERS, Result
from .store import BASE_URI
from .types import EVENT_TYPES, schema_file_name
from .violations import Violation

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2


def _usage(message: str) -> int:
    sys.stderr.write(f"stream-sqs-emulator: error: {message}\n")
    return EXIT_USAGE


def _check(registry: SchemaRegistry, payload: Payload, event_type: str | None,
           dialect: str) -> Result:
    event = payload.event
    if event_type and event_type != "*" and isinstance(event, dict) and "type" not in event:
        # --type is for payloads saved without their `type` (docs/ci-contract-check.md): the
        # schema's own `type` requirement would fail every one of them otherwise.
        event = {"type": event_type, **event}
    shown = event_type or (event.get("type") if isinstance(event, dict) else None)
    result = Result(payload.file, payload.label, payload.index,
                    shown if isinstance(shown, str) else None, dialect)
    try:
        result.violations = registry.violations(event, dialect, event_type)
    except InputError as exc:  # an unknown type inside a payload is a finding, not a usage error
        result.violations = [Violation("$.type", exc.detail.split(": ", 1)[-1],
                                       "a webhook event type", json.dumps(shown))]
    return result


def run_validate(paths: list[str], event_type: str | None, dialect: str, fmt: str,
                 out: TextIO) -> int:
    """Validate every payload in ``paths``; write a report in ``fmt`` to ``out``."""
    if fmt not in WRITERS:
        return _usage(f"--format: expected one of {', '.join(WRITERS)}, got {fmt!r}")
    if dialect not in DIALECTS:
        return _usage(dialect_problem(dialect, "--dialect"))
    if event_type is not None and event_type not in EVENT_TYPES:
        return _usage(f"--type: unknown event type {event_type!r} "
                      "(run `stream-sqs-emulator schemas` to list them)")
    if not paths:
        return _usage("no files given")
    registry = get_registry()
    results: list[Result] = []
    errors: list[str] = []
    invalid: list[Payload] = []
    for path in paths:
        try:
            payloads = read_payloads(path)
        except PayloadFileError as exc:
            errors.append(str(exc))
            continue
        for payload in payloads:
            results.append(_check(registry, payload, event_type, dialect))
            if not results[-1].valid:
                invalid.append(payload)
    WRITERS[fmt](results, errors, out)
    hint = dialect_hint(registry, invalid, event_type, dialect)
    if hint:
        sys.stderr.write(hint + "\n")
    if errors:
        return EXIT_USAGE
    return EXIT_OK if all(r.valid for r in results) else EXIT_VIOLATIONS


_DIALECT_LOOKS = {"v1": "RFC 3339 timestamps, custom data inline",
                  "v2": "integer Unix-nanosecond timestamps, `custom` maps"}


def dialect_hint(registry: SchemaRegistry, invalid: list[Payload], event_type: str | None,
                 dialect: str) -> str | None:
    """When payloads that break `dialect` pass in the other one (v2's integer timestamps
    checked as v1, or the reverse), say which --dialect fits."""
    if not invalid:
        return None
    other = next(d for d in DIALECTS if d != dialect)
    fits = sum(1 for p in invalid if _check(registry, p, event_type, other).valid)
    if not fits:
        return None
    return (f"hint: {fits} of the {len(invalid)} invalid payload(s) are valid in dialect "
            f"{other} ({_DIALECT_LOOKS[other]}): run with --dialect {other}")


def _relative(uri: str) -> str:
    return uri.removeprefix(BASE_URI)


def _write_tree(registry: SchemaRegistry, dialect: str, folder: Path) -> int:
    # Files go where their $id points, so relative $refs also resolve by file path.
    count = 0
    for uri, document in registry.resources(dialect).items():
        target = folder / _relative(uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
        count += 1
    return count


def run_schemas(out_dir: str | None, out: TextIO, dialect: str | None = None) -> int:
    """List event types and their schema files, or write every schema under ``out_dir``.

    Written layout: ``<out_dir>/<dialect>/{events,defs,dialect}/…`` for both dialects, or
    just ``<out_dir>/{events,defs,dialect}/…`` when one ``dialect`` is asked for.
    """
    if dialect is not None and dialect not in DIALECTS:
        return _usage(dialect_problem(dialect, "--dialect"))
    registry = get_registry()
    if out_dir is None:  # the bundled files, wherever this install keeps them (a wheel too)
        events = schemas_dir() / "events"
        out.writelines(f"{t}\t{events / schema_file_name(t)}\n" for t in registry.types())
        return EXIT_OK
    root = Path(out_dir)
    try:
        for name in [dialect] if dialect else list(DIALECTS):
            folder = root if dialect else root / name
            count = _write_tree(registry, name, folder)
            out.write(f"wrote {count} schema files for dialect {name} to {folder}\n")
    except OSError as exc:
        return _usage(f"--out: cannot write to {out_dir}: {exc}")
    return EXIT_OK


