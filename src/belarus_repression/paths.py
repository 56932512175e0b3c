"""Every path the project uses, defined once.

Paths are absolute, derived from this file, so notebooks run from any working directory.
Environment variables move the working folders so that `make verify`, the benchmark and the
tests can rebuild into a scratch folder without touching the real ones: ``BELREP_RAW_DIR``
(fetched raw files), ``BELREP_PROCESSED_DIR``, ``BELREP_REPORTS_DIR`` and ``BELREP_BUILD_DIR``.
Importing this module has no side effects.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "data"
REGISTRY = DATA / "raw" / "registry.toml"  # committed; always read from the checkout
RAW = Path(os.environ.get("BELREP_RAW_DIR") or DATA / "raw").resolve()
PROCESSED = Path(os.environ.get("BELREP_PROCESSED_DIR") or DATA / "processed").resolve()
MANIFEST = PROCESSED / "manifest.json"

NOTEBOOKS = ROOT / "notebooks"
PARAMS = ROOT / "params.yaml"
PIPELINE = ROOT / "pipeline.toml"

REPORTS = Path(os.environ.get("BELREP_REPORTS_DIR") or ROOT / "reports").resolve()
FIGURES = REPORTS / "figures"
RENDERED_NOTEBOOKS = REPORTS / "notebooks"
GALLERY = REPORTS / "index.html"

# Executed copies of the notebooks (papermill output), never the committed sources.
BUILD = Path(os.environ.get("BELREP_BUILD_DIR") or ROOT / "build").resolve()
EXECUTED = BUILD / "notebooks"

PACKAGE = Path(__file__).resolve().parent
FONTS = PACKAGE / "fonts"

DATA_MIRROR_ENV = "DATA_MIRROR"


def data_mirror() -> Path | None:
    """The offline mirror of the raw files named by ``DATA_MIRROR``, if set.

    A relative value is taken relative to the project root, so ``../shared/data/raw``
    means the same folder wherever make is called from.
    """
    value = os.environ.get(DATA_MIRROR_ENV, "").strip()
    if not value:
        return None
    path = Path(value)
    return (path if path.is_absolute() else ROOT / path).resolve()


def relative(path: Path) -> str:
    """A path as shown to people and stored in outputs: relative to the root, never absolute."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name
