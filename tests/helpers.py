"""Shared helpers for tests that run the project's commands in scratch folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from belarus_repression import paths


def scratch_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Environment that sends every output of a run into `tmp` (raw files stay shared)."""
    env = dict(os.environ)
    env.pop("BELREP_RUN_LOG_DIR", None)
    env.update(
        BELREP_PROCESSED_DIR=str(tmp / "processed"),
        BELREP_REPORTS_DIR=str(tmp / "reports"),
        BELREP_BUILD_DIR=str(tmp / "build"),
        TZ="UTC",
        PYTHONHASHSEED="0",
    )
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "belarus_repression", *args],
        env=env,
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


def tree_digest(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file below `folder` with its mtime and bytes, to show nothing was touched."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
