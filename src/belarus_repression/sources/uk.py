"""UK: the UK Sanctions List in normalised tables (as of about 2026-04-29); regime prefix BEL.

`date_designated` is DD/MM/YYYY. 31/12/2020 is the day the UK's own post-Brexit regime took
over the listings made from 29 September 2020 on, not their original listing date; those
rows are flagged. The date-of-birth table is misaligned upstream and is not used; the
Belarusian personal numbers in the identifiers table encode the date of birth instead.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from belarus_repression.registry import RawFile
from belarus_repression.sources import (
    SourceError,
    expect_count,
    parse_date_column,
    read_csv_checked,
    reject_duplicates,
    require_values,
)

PREFIX = "BEL"
CARRY_OVER = date(2020, 12, 31)
KINDS = {"individual": "person", "entity": "organisation", "ship": "vessel"}


def _read(entry: RawFile, columns: list[str]) -> pl.DataFrame:
    return read_csv_checked(entry, columns).filter(pl.col("unique_id").str.starts_with(PREFIX))


def subjects(entry: RawFile) -> pl.DataFrame:
    frame = _read(entry, ["unique_id", "subject_type", "date_designated"])
    expect_count(frame.height, entry.expect_in_scope, "Belarus-regime subjects", entry.path)
    reject_duplicates(frame, "unique_id", entry.path)
    require_values(frame, "subject_type", KINDS, entry.path)
    designated = parse_date_column(frame, "date_designated", "%d/%m/%Y", entry.path)
    return frame.with_columns(date_designated=designated)


def names(entry: RawFile) -> pl.DataFrame:
    frame = _read(entry, ["unique_id", "name_type", "full_name"])
    return frame.select("unique_id", "name_type", name=pl.col("full_name").str.strip_chars())


def personal_number_birth_date(number: str | None) -> str | None:
    """A Belarusian personal number encodes the date of birth as DDMMYY in digits 2-7; its
    first digit gives the century (3/4: 1900s, 5/6: 2000s). Returns ISO or None."""
    if not number:
        return None
    digits = number.replace(" ", "")
    if len(digits) < 7 or not digits[:7].isdigit() or digits[0] not in "3456":
        return None
    century = 1900 if digits[0] in "34" else 2000
    try:
        return date(century + int(digits[5:7]), int(digits[3:5]), int(digits[1:3])).isoformat()
    except ValueError:
        return None


def birth_dates(entry: RawFile) -> pl.DataFrame:
    """Dates of birth decoded from national personal numbers, one per subject where they
    agree (a subject whose numbers disagree gets none)."""
    frame = _read(entry, ["unique_id", "raw_value", "identifier_type"])
    decoded = (
        frame.filter(pl.col("identifier_type") == "national")
        .with_columns(
            listed_birth_date=pl.col("raw_value").map_elements(
                personal_number_birth_date, return_dtype=pl.String
            )
        )
        .drop_nulls("listed_birth_date")
    )
    return (
        decoded.group_by("unique_id")
        .agg(pl.col("listed_birth_date").unique())
        .filter(pl.col("listed_birth_date").list.len() == 1)
        .with_columns(pl.col("listed_birth_date").list.first())
    )


def designations(
    subject_file: RawFile, name_file: RawFile, identifier_file: RawFile
) -> pl.DataFrame:
    subj = subjects(subject_file)
    primary = (
        names(name_file)
        .filter(pl.col("name_type") == "primary")
        .group_by("unique_id", maintain_order=True)
        .first()
    )
    missing = subj.join(primary, on="unique_id", how="anti")
    if missing.height:
        raise SourceError(f"{name_file.path}: no primary name for {missing['unique_id'][0]}")
    carried = pl.col("date_designated") == CARRY_OVER
    return (
        subj.join(primary.select("unique_id", "name"), on="unique_id", how="left")
        .join(birth_dates(identifier_file), on="unique_id", how="left")
        .select(
            jurisdiction=pl.lit("UK"),
            source_id="unique_id",
            target_kind=pl.col("subject_type").replace_strict(KINDS),
            name="name",
            programme=pl.lit("UK Belarus regime (BEL)"),
            function=pl.lit(None, pl.String),
            listed_from=pl.when(carried).then(None).otherwise(pl.col("date_designated")),
            listed_to="date_designated",
            listing_date_basis=pl.when(carried)
            .then(pl.lit("uk_carry_over"))
            .otherwise(pl.lit("stated")),
            delisted_from=pl.lit(None, pl.Date),
            delisted_to=pl.lit(None, pl.Date),
            raw_file=pl.lit(subject_file.path),
            listed_birth_date="listed_birth_date",
        )
    )


def all_names(name_file: RawFile) -> pl.DataFrame:
    return (
        names(name_file)
        .unique(["unique_id", "name"], keep="first", maintain_order=True)
        .select(
            jurisdiction=pl.lit("UK"), source_id="unique_id", name="name", name_kind="name_type"
        )
    )


def stated_birth_dates(entry: RawFile) -> pl.DataFrame:
    """The UK's date-of-birth table for the Belarus regime, as it stands. It is misaligned
    upstream (dates sit under the wrong subjects), so it is only read to show that."""
    frame = _read(entry, ["unique_id", "year", "month", "day"])
    return frame.select(
        "unique_id",
        stated=pl.concat_str(
            "year",
            pl.lit("-"),
            pl.col("month").fill_null("??"),
            pl.lit("-"),
            pl.col("day").fill_null("??"),
        ),
        year="year",
    )
