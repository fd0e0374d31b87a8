"""The app's wire switches a test can flip at run time.

Stream's real body without compression (plain JSON per getstream-go, base64 per the
stream-chat parsers) and its timestamps (RFC 3339 in the docs, Unix ns in the getstream
SDKs) are uncertain, so a consumer test runs against each form; `Backend.reset()` puts the
settings' values back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..config import DIALECTS
from ..errors import InputError


@dataclass(frozen=True)
class WireOptions:
    sqs_body_base64: bool  # base64 the body even with compression off
    dialect: str  # payloads of events that name none: v1 or v2

    def __post_init__(self) -> None:
        if self.dialect not in DIALECTS:
            raise InputError(f"dialect must be one of {list(DIALECTS)}, got {self.dialect!r}")

    def to_wire(self) -> dict[str, Any]:
        return asdict(self)
