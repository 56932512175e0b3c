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


def read_csv_checked(entry, columns: Iterable[str], **options) -> pl.DataFrame:
    """A headed CSV read as strings, with its 1-based data-row number in `row`, after
    checking that the columns the loader needs are there."""
    frame = pl.read_csv(entry.local, infer_schema=False, **options)
    frame = frame.with_row_index("row", offset=1)
    require_columns(frame, columns, entry.path)
    return frame


def reject_duplicates(
    frame: pl.DataFrame, column: str, where: str, row_column: str = "row"
) -> None:
    """An id that appears more than once is an error naming the first such row."""
    dupes = frame.filter(pl.col(column).is_duplicated())
    if dupes.height:
        raise SourceError(
            f"{where} row {dupes[row_column][0]}, field {column}: "
            f"{dupes[column][0]} appears more than once"
        )


def require_values(
    frame: pl.DataFrame, column: str, allowed: Iterable[str], where: str, row_column: str = "row"
) -> None:
    """A value outside `allowed` (nulls pass) is an error naming the first such row."""
    allowed = sorted(allowed)
    bad = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(allowed))
    if bad.height:
        raise SourceError(
            f"{where} row {bad[row_column][0]}, field {column}: expected one of "
            f"{allowed}, found {bad[column][0]!r}"
        )
