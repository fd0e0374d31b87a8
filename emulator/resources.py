"""Where the packaged data lives: an installed wheel, an editable install, or a checkout.

The wheel maps the top-level ``schemas/`` and ``fixtures/`` folders to the packages
``emulator.schemas`` and ``emulator.fixtures``; a plain checkout has no such packages, so we
fall back to the folders next to ``emulator/``.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def _package_dir(package: str, folder: str) -> Path:
    try:
        traversable = importlib.resources.files(package)
    except ModuleNotFoundError:
        return _CHECKOUT_ROOT / folder
    path = Path(str(traversable))
    # A zipped install cannot give a real folder; the checkout is the only other source.
    return path if path.is_dir() else _CHECKOUT_ROOT / folder


def schemas_dir() -> Path:
    """Folder holding ``events/``, ``defs/`` and ``dialects/`` schema files."""
    return _package_dir("emulator.schemas", "schemas")


def fixtures_dir() -> Path:
    """Folder holding ``events/`` (canonical payloads) and ``policies/``."""
    return _package_dir("emulator.fixtures", "fixtures")
