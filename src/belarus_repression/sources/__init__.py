"""One module per raw source: read it, check it against what the source states, and return
polars frames with documented columns. A check that fails names the file, row and field."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl


class SourceError(ValueError):
    """A raw file does not have the shape or the counts its source states."""


def require_columns(frame: pl.DataFrame, columns: Iterable[str], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{where}: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(frame.columns[:15])})"
        )


def parse_date_column(
    frame: pl.DataFrame, column: str, fmt: str, where: str, row_column: str = "row"
) -> pl.Series:
    """Parse `column` with `fmt`; the first non-empty value that does not parse is an error
    naming the file, the row (from `row_column`, 1-based data rows) and the field."""
    parsed = frame[column].str.strptime(pl.Date, fmt, strict=False)
    bad = frame.filter(
        parsed.is_null() & frame[column].is_not_null() & (frame[column].str.strip_chars() != "")
    )
    if bad.height:
        first = bad.row(0, named=True)
        raise SourceError(
            f"{where} row {first[row_column]}, field {column}: expected a date "
            f"like {fmt}, found {first[column]!r} ({bad.height} such rows)"
        )
    return parsed


def expect_count(found: int, expected: int | None, what: str, where: str) -> None:
    if expected is not None and found != expected:
        raise SourceError(f"{where}: {found} {what}, but the source states {expected}")
