"""`validate` and `schemas`: the parsers; the logic is emulator/catalog/validate_cli.py."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..config import DIALECTS

FORMATS = ("text", "json", "junit")
VALIDATE_EXIT_CODES = """exit status:
  0  every payload is valid
  1  at least one payload breaks its schema (each violation is listed)
  2  usage error: unreadable or non-JSON file, unknown --type, bad option"""


def add_catalog(commands: Any) -> None:
    validate = commands.add_parser(
        "validate", help="check event payload files against the schemas",
        description="Check Stream event payloads (a JSON object, an array of them, or JSON "
                    "lines per file) against the event schemas.",
        epilog=VALIDATE_EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("files", nargs="+", metavar="FILE", help="payload files to check")
    validate.add_argument("--type", dest="event_type",
                          help="check every payload against this event type's schema "
                               "(default: each payload's own `type`)")
    validate.add_argument("--dialect", choices=DIALECTS, default="v1",
                          help="v1 = Stream's docs (RFC 3339 timestamps, custom data inline), "
                               "v2 = getstream SDK models (integer Unix-ns timestamps, "
                               "`custom` maps); default v1")
    validate.add_argument("--format", choices=FORMATS, default="text",
                          help="report format: text (default), json, or junit (XML for CI)")
    validate.set_defaults(handler=_validate)

    schemas = commands.add_parser(
        "schemas", help="list the event schemas or write them out",
        description="List every event type with its schema file, or write the bundled "
                    "schemas of both dialects to a folder.")
    schemas.add_argument("--out", help="folder to write the schemas to")
    schemas.set_defaults(handler=_schemas)


def _validate(args: argparse.Namespace) -> int:
    from ..catalog.validate_cli import run_validate

    return run_validate(args.files, args.event_type, args.dialect, args.format, sys.stdout)


def _schemas(args: argparse.Namespace) -> int:
    from ..catalog.validate_cli import run_schemas

    return run_schemas(args.out, sys.stdout)
