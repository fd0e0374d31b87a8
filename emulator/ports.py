"""Is a configured port free? Asked before binding, so a taken default port (8000, 9324) is
one clear error naming the setting, never werkzeug's generic message (which, for the
embedded moto server's thread, used to leave `run` hanging)."""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class Taken:
    """A configured port that is taken, and the flag and env var that move it."""

    port: int
    what: str
    flag: str
    env: str


class PortInUse(OSError):
    """One or more configured ports are taken: all named in one line (fixing one and then
    meeting the next would be two failed starts)."""

    def __init__(self, taken: list[Taken]):
        self.taken = taken
        ports = " and ".join(f"{t.port} ({t.what})" for t in taken)
        moves = " and ".join(f"{t.flag} N or {t.env}=N" for t in taken)
        plural = "s" if len(taken) > 1 else ""
        super().__init__(
            f"port{plural} {ports} {'are' if plural else 'is'} in use by another program: "
            f"stop it, or pick {'other ports' if plural else 'another port'} with {moves} "
            "(0 = a free one; the export lines name it)")


def is_port_free(host: str, port: int) -> bool:
    """True when `port` can be bound on `host` now (port 0 always can). The probe sets
    SO_REUSEADDR as werkzeug's server does, so a port in TIME_WAIT counts as free."""
    if port == 0:
        return True
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError:
        return True  # an unresolvable host fails at bind time with its own error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
    return True
