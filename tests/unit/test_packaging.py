"""A clean build of the wheel prints no packaging warning and carries the whole package.

Built with the test environment's setuptools (the `test` extra pins the range the build
system requires) and no build isolation, so the test needs no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
from check_wheel import check_wheel  # noqa: E402  (examples/ is not a package)


def source_copy(folder: Path) -> Path:
    """The sources a build reads, apart from the checkout: pip builds in the tree, and a
    stale build/ there would put deleted files into later wheels."""
    source = folder / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("emulator", "schemas", "fixtures"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    return source


def test_wheel_builds_without_warnings_and_holds_every_file(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v",
         "--no-deps", "--no-build-isolation", "--disable-pip-version-check",
         "-w", str(tmp_path), str(source_copy(tmp_path))],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        # a byte-compile opt-out of the caller's would add "byte-compiling is disabled" lines
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    assert build.returncode == 0, build.stdout + build.stderr
    output = build.stdout + build.stderr
    backend = [line for line in output.splitlines()
               if "warning" in line.lower() and "running pip as the 'root' user" not in line.lower()]
    assert backend == [], "\n".join(backend)
    [wheel] = tmp_path.glob("stream_sqs_emulator-*.whl")
    assert check_wheel(str(wheel)) == []
