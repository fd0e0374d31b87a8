"""Which moto the speed-ups were written against, and the start-up check for it.

Two guards: the version range (cheap, clear message), and in ``install.py`` a fingerprint of
the source of every moto function we replace or rely on, so a moto release inside the range
that changes one of them is refused instead of silently diverging.
"""

from __future__ import annotations

import re
from importlib import metadata

from .errors import MotoVersionUnsupported

# 5.2.0 .. 5.2.5 verified (the replaced/relied-on functions are identical in all of them; the
# differential test ran on 5.2.5). 5.1.x stores message attributes with other keys
# ("data_type" up to 5.1.10) and is not covered; 5.3 is unknown.
SUPPORTED_MOTO = ">=5.2.0,<5.3"

_CLAUSE = re.compile(r"^(>=|<|==)\s*(\d+(?:\.\d+)*)$")


def _release(version: str) -> tuple[int, ...]:
    """Numeric release part: "5.2.5" -> (5, 2, 5); "5.2.6.dev1" -> (5, 2, 6)."""
    match = re.match(r"^\s*(\d+(?:\.\d+)*)", version)
    if not match:
        raise MotoVersionUnsupported(f"cannot parse moto version {version!r}")
    parts = tuple(int(p) for p in match.group(1).split("."))
    return parts + (0,) * (3 - len(parts))


def version_in_range(version: str, spec: str = SUPPORTED_MOTO) -> bool:
    """True when ``version`` satisfies every clause of ``spec`` (>=, <, == only)."""
    have = _release(version)
    for clause in spec.split(","):
        match = _CLAUSE.match(clause.strip())
        if not match:
            raise ValueError(f"unsupported version clause {clause!r} in {spec!r}")
        op, bound = match.group(1), _release(match.group(2))
        ok = {">=": have >= bound, "<": have < bound, "==": have == bound}[op]
        if not ok:
            return False
    return True


def installed_moto_version() -> str:
    return metadata.version("moto")


def check_moto_version(version: str | None = None) -> str:
    """Raise ``MotoVersionUnsupported`` unless moto (or ``version``) is in ``SUPPORTED_MOTO``."""
    found = version if version is not None else installed_moto_version()
    if not version_in_range(found):
        raise MotoVersionUnsupported(
            f"stream-sqs-emulator's embedded SQS speed-ups support moto {SUPPORTED_MOTO}, "
            f"but moto {found} is installed; install a supported moto "
            f'(pip install "moto[server,sqs,sns,iam]{SUPPORTED_MOTO}") or use an external '
            "SQS endpoint (STREAM_EMULATOR_SQS_ENDPOINT)"
        )
    return found
