"""Can a configured port be bound? Asked before binding, so a taken default port (8000, 9324)
or one this user may not bind is one clear error naming the setting, never werkzeug's
generic message (which, for the embedded moto server's thread, left `run` hanging, deaf to
Ctrl-C). The servers then bind in the caller's thread (`bound_server`), so a port taken
after the check is the same error."""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass
from typing import Any

IN_USE = "in use by another program"


@dataclass(frozen=True)
class Taken:
    """A configured port that cannot be bound, why, and the flag and env var that move it."""

    host: str
    port: int
    what: str
    flag: str
    env: str
    problem: str = IN_USE


class PortInUse(OSError):
    """One or more configured ports cannot be bound: all named in one line (fixing one and
    then meeting the next would be two failed starts)."""

    def __init__(self, taken: list[Taken]):
        self.taken = taken
        plural = len(taken) > 1
        moves = " and ".join(f"{t.flag} N or {t.env}=N" for t in taken)
        if all(t.problem == IN_USE for t in taken):
            ports = " and ".join(f"{t.port} ({t.what})" for t in taken)
            why = f"port{'s' if plural else ''} {ports} {'are' if plural else 'is'} {IN_USE}: stop it, or"
        else:  # e.g. a port below 1024 without the right, an address not on this machine
            why = "cannot bind " + " and ".join(f"{t.host}:{t.port} ({t.what}: {t.problem})"
                                               for t in taken) + ";"
            moves += " (or another --host)" if any(t.flag == "--port" for t in taken) else ""
        super().__init__(
            f"{why} pick {'other ports' if plural else 'another port'} with {moves} "
            "(0 = a free one; the export lines name it)")


def bind_problem(host: str, port: int) -> str | None:
    """None when `port` can be bound on `host` now (port 0 always can), else why not. The
    probe sets SO_REUSEADDR as werkzeug's server does, so a port in TIME_WAIT is free."""
    if port == 0:
        return None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError:
        return None  # an unresolvable host fails at bind time with its own error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return bind_error_problem(exc)
    return None


def bind_error_problem(exc: OSError) -> str:
    """Why a bind failed, as Taken.problem says it."""
    return IN_USE if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))


def bound_server(host: str, port: int, app: Any, **options: Any) -> Any:
    """werkzeug's threaded WSGI server on host:port, bound here, so a failed bind raises
    OSError to the caller. werkzeug's own bind prints two lines and raises SystemExit(1)
    instead, which in moto's ThreadedMotoServer thread left its start() waiting forever."""
    from werkzeug.serving import LISTEN_QUEUE, get_sockaddr, make_server, select_address_family

    family = select_address_family(host, port)
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug's server
        sock.bind(get_sockaddr(host, port, family))
        sock.listen(LISTEN_QUEUE)
        # werkzeug serves a duplicate of this descriptor; ours is closed on leaving
        return make_server(host, port, app, threaded=True, fd=sock.fileno(), **options)
