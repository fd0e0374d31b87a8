"""Checks for `make example`: the wheel carries the whole package, and an install finds its data.

    python examples/check_wheel.py dist/stream_sqs_emulator-*.whl   # from the checkout
    python examples/check_wheel.py --installed                       # in the example venv
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def expected_files() -> set[str]:
    """Every file of emulator/ (modules, templates, static, data) and every schema and
    fixture file, as wheel paths."""
    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "emulator").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    for folder in ("schemas", "fixtures"):
        files |= {f"emulator/{p.relative_to(ROOT).as_posix()}"
                  for p in (ROOT / folder).rglob("*.json")}
    return files


def check_wheel(wheel: str) -> list[str]:
    names = set(zipfile.ZipFile(wheel).namelist())
    problems = [f"missing from the wheel: {name}" for name in sorted(expected_files() - names)]
    entry_points = next((n for n in names if n.endswith(".dist-info/entry_points.txt")), None)
    if entry_points is None:
        problems.append("the wheel has no entry_points.txt (pytest11 plugin, console script)")
    else:
        text = zipfile.ZipFile(wheel).read(entry_points).decode()
        for needed in ("[pytest11]", "emulator.testing.plugin", "stream-sqs-emulator"):
            if needed not in text:
                problems.append(f"entry_points.txt lacks {needed!r}")
    return problems


def check_installed() -> list[str]:
    import emulator
    from emulator.catalog.registry import get_registry
    from emulator.resources import fixtures_dir, schemas_dir

    problems = []
    package = Path(emulator.__file__).resolve().parent
    if "site-packages" not in package.parts:
        problems.append(f"emulator imported from {package}, not from an installed wheel")
    for found in (schemas_dir(), fixtures_dir()):
        if not found.resolve().is_relative_to(package):
            problems.append(f"{found} is not inside the installed package {package}")
        elif not any(found.rglob("*.json")):
            problems.append(f"{found} holds no JSON files")
    if len(get_registry().types()) < 60:
        problems.append("the schema registry did not load the event types")
    return problems


def main(argv: list[str]) -> int:
    if argv == ["--installed"]:
        problems = check_installed()
    elif len(argv) == 1:
        problems = check_wheel(argv[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(f"check_wheel: {problem}", file=sys.stderr)
    print(f"check_wheel: {'FAILED' if problems else 'ok'} ({argv[0]})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
