"""Install / uninstall the speed-ups on moto's SQS classes, after checking moto's source.

Scope: only the ``moto.sqs.models`` attributes listed in ``_patches()`` (Queue, SQSBackend and
the module's name-conversion helper and clock); nothing in site-packages is edited, and
``uninstall_speedups`` puts every original back. The patches are process-wide while installed,
so embedded engines take a lease (``acquire_speedups``): the first installs them, the last
release removes them, and moto after the emulator stopped is moto's own again.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import threading
from typing import Any

from moto.sqs import models as m

from . import clock, patches, send, tracking
from .errors import MotoVersionUnsupported
from .store import MessageStore
from .version import check_moto_version

# sha256[:16] of the source of each moto function we replace or whose semantics the store
# mirrors (moto 5.2.0-5.2.5 share these). See fingerprint().
EXPECTED_FINGERPRINTS: dict[str, str] = {
    "Queue.add_message": "da8d7c9dbcd1e2d4",
    "Queue.delete_message": "636fb315c91ee9f1",
    "Queue.wait_for_messages": "3688327c2e2e29f0",
    "Queue.approximate_number_of_messages": "fc9a1ffdf9250172",
    "Queue.approximate_number_of_messages_delayed": "1068fe85b526f383",
    "Queue.approximate_number_of_messages_not_visible": "387252cd3572cdd8",
    "Queue.messages": "8446f762e9f146e7",
    "SQSBackend.receive_message": "b1c796a9301aaf27",
    "SQSBackend.change_message_visibility": "e711863815589ec2",
    "SQSBackend.send_message": "b971cd9f7da92c20",
    "SQSBackend._validate_message": "954a58eb3d9f019b",
    "Message.visible": "de0d3512ec1a913c",
    "Message.delayed": "f33750c7c41004db",
    "Message.mark_received": "745606df72420440",
    "Message.change_visibility": "18ffb006a0304a98",
    "Message.all_receipt_handles": "fb043396efe68950",
    "Message.had_receipt_handle": "8caa7083e34e8008",
    "Message.mark_sent": "4efbf9410ffcb01e",
    "Message.delay": "370ce9f57fa47271",
    "Message.__init__": "e2ea9b18dc7ba5da",
    "Message.body_md5": "16405cd39dcea85d",
    "Message.attribute_md5": "987e97476b953b6d",
}

# Whole-file hashes of moto/sqs/models.py releases already checked function by function:
# a match skips the AST pass (~0.1 s of every start-up). Add one when a release checks out.
KNOWN_MODELS_FILES = {"c04224ad14c39581": "5.2.5"}

_MISSING = object()
_lock = threading.RLock()
_saved: dict[tuple[type, str], Any] = {}
_leases = 0
_lease_installed = False  # whether the first lease did the installing (else: leave it be)


def _patches() -> dict[tuple[type, str], Any]:
    return {
        (m.Queue, "_messages"): patches.messages_property,
        (m.Queue, "approximate_number_of_messages"): patches.approximate_number_of_messages,
        (m.Queue, "approximate_number_of_messages_delayed"): (
            patches.approximate_number_of_messages_delayed
        ),
        (m.Queue, "approximate_number_of_messages_not_visible"): (
            patches.approximate_number_of_messages_not_visible
        ),
        (m.Queue, "add_message"): patches.add_message,
        (m.Queue, "delete_message"): patches.delete_message,
        (m.Queue, "wait_for_messages"): patches.wait_for_messages,
        (m.SQSBackend, "receive_message"): patches.receive_message,
        (m.SQSBackend, "change_message_visibility"): patches.change_message_visibility,
        (m.SQSBackend, "send_message"): send.send_message,
        (m, "camelcase_to_underscores"): patches.cached_camelcase_to_underscores,
        (m.SQSBackend, "delete_queue"): patches.delete_queue,
        # moto's messages read the clock through this module attribute (clock.py)
        **({(m, "unix_time_millis"): clock.unix_time_millis} if clock.mirrors_moto() else {}),
    }


def fingerprint(source: str, qualname: str, tree: ast.Module | None = None) -> str:
    """Hash of every ``def`` named like ``qualname`` ("Class.method") in a module's source."""
    cls_name, func_name = qualname.split(".")
    tree = tree or ast.parse(source)
    parts = [
        ast.get_source_segment(source, node) or ""
        for cls in tree.body
        if isinstance(cls, ast.ClassDef) and cls.name == cls_name
        for node in cls.body
        if isinstance(node, ast.FunctionDef) and node.name == func_name
    ]
    if not parts:
        return "missing"
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def check_moto_source() -> None:
    """Refuse to patch a moto whose replaced / relied-on functions differ from what we know."""
    with open(m.__file__, "rb") as models_file:
        if hashlib.sha256(models_file.read()).hexdigest()[:16] in KNOWN_MODELS_FILES:
            return
    source = inspect.getsource(m)
    tree = ast.parse(source)  # once: parsing moto's models.py dominates start-up otherwise
    changed = [
        name
        for name, expected in EXPECTED_FINGERPRINTS.items()
        if fingerprint(source, name, tree) != expected
    ]
    if changed:
        raise MotoVersionUnsupported(
            "moto's SQS internals differ from the version the emulator's speed-ups mirror "
            f"(changed: {', '.join(changed)}); use a moto release in the supported range"
        )


def speedups_installed() -> bool:
    return bool(_saved)


def install_speedups() -> bool:
    """Patch moto's SQS queue internals (idempotent). Returns False when already installed.

    Raises ``MotoVersionUnsupported`` for a moto outside SUPPORTED_MOTO or with changed source.
    """
    with _lock:
        if _saved:
            return False
        check_moto_version()
        check_moto_source()
        for (cls, name), replacement in _patches().items():
            _saved[(cls, name)] = cls.__dict__.get(name, _MISSING)
            if name != "_messages":  # the one new attribute: there is no original
                patches.ORIGINALS[f"{cls.__name__}.{name}"] = getattr(cls, name)
            setattr(cls, name, replacement)
        for queue in _all_queues():
            queue._messages  # noqa: B018  # index pre-existing queues now, not mid-request
        return True


def uninstall_speedups() -> bool:
    """Put moto's originals back; queues keep their messages, as plain lists again."""
    with _lock:
        if not _saved:
            return False
        for (cls, name), original in _saved.items():
            if original is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, original)
        _saved.clear()
        patches.ORIGINALS.clear()
        for queue in _all_queues():
            with queue._messages_lock:
                store = queue.__dict__.get("_messages")
                if isinstance(store, MessageStore):
                    queue.__dict__["_messages"] = list(store._order)
        return True


def acquire_speedups() -> None:
    """What an embedded engine calls on start: installs the patches for the first lease."""
    global _leases, _lease_installed
    with _lock:
        if _leases == 0:
            _lease_installed = install_speedups()
        _leases += 1


def release_speedups() -> None:
    """What an embedded engine calls on stop: the last lease puts moto's originals back
    (unless they were installed by someone else before the first lease)."""
    global _leases, _lease_installed
    with _lock:
        if _leases == 0:
            return
        _leases -= 1
        if _leases == 0 and _lease_installed:
            uninstall_speedups()
            _lease_installed = False


def _all_queues() -> list[Any]:
    return tracking.all_queues()
