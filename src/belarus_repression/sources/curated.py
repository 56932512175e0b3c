"""Curated facts: small tables compiled from official statements and Viasna's reports, each
row with its source URL and the quote that states the figure. Used as they are."""

from __future__ import annotations

import polars as pl

from belarus_repression.registry import RawFile
from belarus_repression.sources import (
    SourceError,
    expect_count,
    parse_date_column,
    read_csv_checked,
    require_values,
)

ACTION_COLUMNS = [
    "date",
    "jurisdiction",
    "action",
    "legal_basis",
    "individuals",
    "entities",
    "description",
    "source",
    "quote",
]
ACTIONS = {"designation", "sectoral", "delisting"}


def sanctions_actions(entry: RawFile) -> pl.DataFrame:
    frame = read_csv_checked(entry, ACTION_COLUMNS)
    expect_count(frame.height, entry.expect_rows, "rows", entry.path)
    require_values(frame, "action", ACTIONS, entry.path)
    for column in ("individuals", "entities"):
        wrong = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).str.contains(r"^\d+$"))
        if wrong.height:
            raise SourceError(
                f"{entry.path} row {wrong['row'][0]}, field {column}: expected a "
                f"whole number, found {wrong[column][0]!r}"
            )
    return frame.with_columns(
        date=parse_date_column(frame, "date", "%Y-%m-%d", entry.path),
        individuals=pl.col("individuals").cast(pl.Int64),
        entities=pl.col("entities").cast(pl.Int64),
    ).drop("row")


def viasna_counts(entry: RawFile) -> pl.DataFrame:
    """Viasna's published counts of political prisoners held, by the day they refer to."""
    frame = read_csv_checked(entry, ["date", "political_prisoners", "source", "quote"])
    expect_count(frame.height, entry.expect_rows, "rows", entry.path)
    return frame.with_columns(
        date=parse_date_column(frame, "date", "%Y-%m-%d", entry.path),
        political_prisoners=pl.col("political_prisoners").cast(pl.Int64, strict=False),
    ).drop("row")


def news_ids(entry: RawFile) -> pl.DataFrame:
    """Viasna news ids with their publication dates: anchors for dating statements by id."""
    frame = read_csv_checked(entry, ["news_id", "date", "date_kind", "url"])
    expect_count(frame.height, entry.expect_rows, "rows", entry.path)
    bad = frame.filter(~pl.col("news_id").str.contains(r"^\d+$"))
    if bad.height:
        raise SourceError(
            f"{entry.path} row {bad['row'][0]}, field news_id: expected a whole "
            f"number, found {bad['news_id'][0]!r}"
        )
    return frame.with_columns(
        news_id=pl.col("news_id").cast(pl.Int64),
        date=parse_date_column(frame, "date", "%Y-%m-%d", entry.path),
    ).drop("row")


def events(entry: RawFile) -> pl.DataFrame:
    """Dated events for annotating timelines, each with its source."""
    frame = read_csv_checked(entry, ["date", "event", "description", "source"])
    expect_count(frame.height, entry.expect_rows, "rows", entry.path)
    return frame.with_columns(date=parse_date_column(frame, "date", "%Y-%m-%d", entry.path)).drop(
        "row"
    )
