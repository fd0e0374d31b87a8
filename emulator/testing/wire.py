"""`stream_wire_variant`: one consumer test against every form Stream may send.

Stream's body with compression off is plain JSON per getstream-go (the emulator's default)
but base64 per the stream-chat-js / stream-chat-python parsers; with
`enable_hook_payload_compression` it is base64(gzip(JSON)). Timestamps are RFC 3339 in the
docs (dialect v1) and Unix nanoseconds in the getstream SDK models (v2).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import DIALECTS

if TYPE_CHECKING:
    from .emulator import StreamEmulator

BODIES = ("plain", "base64", "gzip")


@dataclass(frozen=True)
class WireVariant:
    body: str  # plain | base64 | gzip
    dialect: str  # v1 | v2

    @property
    def id(self) -> str:
        return f"{self.body}-{self.dialect}"

    def __str__(self) -> str:
        return self.id

    @property
    def compressed(self) -> bool:
        return self.body == "gzip"

    @property
    def base64(self) -> bool:
        """The body on the queue is base64 text (base64 and gzip), not JSON."""
        return self.body != "plain"

    @contextlib.contextmanager
    def applied(self, emulator: StreamEmulator, *helpers: Any) -> Iterator[WireVariant]:
        """The app compresses (or not) and the emulator encodes and generates in this form;
        `helpers` (stream_events, stream_schemas) take the dialect too. The wire options and
        dialects are put back afterwards; the app's compression goes with the queue
        fixture's reset."""
        before = emulator.wire_options()
        emulator.update_app(enable_hook_payload_compression=self.compressed)
        emulator.set_wire_options(sqs_body_base64=self.body == "base64", dialect=self.dialect)
        saved = [(target, target.dialect) for target in (emulator, *helpers)]
        for target, _ in saved:
            target.dialect = self.dialect
        try:
            yield self
        finally:
            for target, dialect in saved:
                target.dialect = dialect
            emulator.set_wire_options(before["sqs_body_base64"], before["dialect"])


WIRE_VARIANTS = tuple(WireVariant(body, dialect) for body in BODIES for dialect in DIALECTS)
