"""Check the catalogue against Stream's OpenAPI spec files: `make spec-check SPEC_V1=… SPEC_V2=…`.

The spec is Stream's (GetStream/protocol, proprietary): give the paths of your own copies of
`openapi/chat-openapi.json` (v1) and `openapi/v2/chat-serverside-api.json` (v2); nothing is
downloaded. Prints each type's result and one summary line per dialect; exit status 0 when
every type of each given spec is covered and every payload is valid, 1 otherwise, 2 on usage.
"""

from __future__ import annotations

import argparse
import sys

from emulator.catalog.registry import get_registry
from emulator.catalog.spec_check import Spec, SpecError, SpecReport, check
from emulator.events.samples import samples


def run(path: str, dialect: str, seeds: int, verbose: bool) -> SpecReport:
    spec = Spec.load(path, dialect)
    ours = get_registry().types(dialect)
    report = check(spec, ours, samples([t for t in ours if t in spec.union], dialect,
                                       range(seeds)))
    lines = report.lines()
    print("\n".join(lines if verbose or not report.ok else lines[-1:]))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--v1", metavar="PATH", help="Stream's chat-openapi.json")
    parser.add_argument("--v2", metavar="PATH", help="Stream's v2/chat-serverside-api.json")
    parser.add_argument("--seeds", type=int, default=8, help="generator seeds per type (8)")
    parser.add_argument("-v", "--verbose", action="store_true", help="every type's line")
    args = parser.parse_args(argv)
    given = [(d, p) for d, p in (("v1", args.v1), ("v2", args.v2)) if p]
    if not given:
        print("spec-check: give --v1 PATH and/or --v2 PATH (make spec-check SPEC_V1=… "
              "SPEC_V2=…): copies of Stream's OpenAPI files from GetStream/protocol",
              file=sys.stderr)
        return 2
    try:
        reports = [run(path, dialect, args.seeds, args.verbose) for dialect, path in given]
    except SpecError as exc:
        print(f"spec-check: {exc}", file=sys.stderr)
        return 2
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
