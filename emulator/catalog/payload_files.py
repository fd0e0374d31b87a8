"""Reading event payloads from files: one JSON object, a JSON array, or JSON Lines."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any


class PayloadFileError(Exception):
    """The file cannot be read or parsed (the CLI's exit status 2)."""


@dataclass(frozen=True)
class Payload:
    file: str
    label: str  # file, file[3] (array item) or file:12 (JSON Lines line)
    index: int
    event: Any


def _read_text(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise PayloadFileError(f"{path}: cannot read: {exc}") from exc


def _json_lines(path: str, text: str) -> list[Payload]:
    payloads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError as exc:
            raise PayloadFileError(f"{path}:{number}: not JSON: {exc}") from exc
        payloads.append(Payload(path, f"{path}:{number}", len(payloads), event))
    return payloads


def read_payloads(path: str) -> list[Payload]:
    """Every payload in the file, in order; raises PayloadFileError when unreadable."""
    text = _read_text(path)
    if not text.strip():
        raise PayloadFileError(f"{path}: empty file, expected a JSON object, array or JSON Lines")
    try:
        document = json.loads(text)
    except ValueError as whole_error:
        # Not one JSON document: JSON Lines if every non-blank line parses on its own.
        if len([line for line in text.splitlines() if line.strip()]) < 2:
            raise PayloadFileError(f"{path}: not JSON: {whole_error}") from whole_error
        return _json_lines(path, text)
    if isinstance(document, list):
        return [Payload(path, f"{path}[{i}]", i, event) for i, event in enumerate(document)]
    return [Payload(path, path, 0, document)]
