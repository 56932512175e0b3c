"""Processed tables: one atomic, sorted, deterministic Parquet writer.

Two runs of the pipeline must give byte-identical files, so every table is sorted by a key
that is unique (checked), every Parquet option is passed explicitly, no metadata with times
is written, and the file appears under its final name only when complete (temporary file in
the same folder, then `os.replace`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from belarus_repression import paths

PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 3,
    "statistics": True,
    "row_group_size": 262_144,
    "data_page_size": 1_048_576,
}
RUN_LOG_ENV = "BELREP_RUN_LOG_DIR"  # set by the runner; one log per task inside it


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # what a plain open() would give; mkstemp's 0600 is too strict


class TableError(ValueError):
    """A table cannot be written as declared (e.g. its key is not unique)."""


@contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it becomes `target`, on any error
    it is removed, so a reader never sees a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(FILE_MODE)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> Path:
    with atomic_target(target) as tmp:
        tmp.write_bytes(data)
    return target


def canonical(frame: pl.DataFrame, key: Sequence[str], name: str = "table") -> pl.DataFrame:
    """Sort by `key` after checking that it identifies rows; Categoricals become strings."""
    missing = [k for k in key if k not in frame.columns]
    if missing:
        raise TableError(f"{name}: key column(s) {missing} not in {frame.columns}")
    dupes = frame.select(key).filter(pl.struct(key).is_duplicated())
    if dupes.height:
        raise TableError(f"{name}: key {list(key)} is not unique, e.g. {dupes.row(0)}")
    frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))
    return frame.sort(key, maintain_order=True, nulls_last=True)


def write_table(
    frame: pl.DataFrame,
    name: str,
    key: Sequence[str],
    folder: Path | None = None,
    task: str | None = None,
) -> Path:
    """Write `data/processed/<name>.parquet` atomically and deterministically."""
    folder = folder or paths.PROCESSED
    target = folder / f"{name}.parquet"
    frame = canonical(frame, key, name)
    with atomic_target(target) as tmp:
        frame.write_parquet(tmp, **PARQUET_OPTIONS)
    if task:
        record_output(task, "table", target)
    return target


def read_table(name: str, folder: Path | None = None) -> pl.DataFrame:
    path = (folder or paths.PROCESSED) / f"{name}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{paths.relative(path)}: not built yet (run `make all`)")
    return pl.read_parquet(path)


def record_output(task: str, kind: str, path: Path) -> None:
    """Tell the pipeline runner what a task's notebook wrote (no-op outside a pipeline run)."""
    folder = os.environ.get(RUN_LOG_ENV)
    if folder:
        with (Path(folder) / f"{task}.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": kind, "path": str(Path(path).resolve())}) + "\n")
