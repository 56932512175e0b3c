"""EU: the Financial Sanctions File of 2022-09-13 (merged with the travel-ban list upstream).

Programme BLR is the Belarus regime. A target's listing date is the publication date of the
act that introduced its name (the best proxy for the round); 2021/339 is an amending act whose
names date from the rounds of October-December 2020, so those dates are widened to that span.
`nameAlias` holds every spelling (Latin and Cyrillic) as a Python-literal list of records.
"""

from __future__ import annotations

import ast
from datetime import date

import polars as pl

from belarus_repression.registry import RawFile
from belarus_repression.sources import (
    SourceError,
    expect_count,
    parse_date_column,
    reject_duplicates,
    require_columns,
    require_values,
)

PROGRAMME = "BLR"
AMENDING_ACT = "2021/339"
AMENDED_SPAN = (date(2020, 10, 2), date(2020, 12, 17))  # the 2020 rounds it re-published
KINDS = {"P": "person", "E": "organisation"}
ID = "Entity_logical_id...2"


def aliases(text: str | None, where: str) -> list[dict]:
    if not text:
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise SourceError(f"{where}, field nameAlias: not a list of name records") from None
    return value if isinstance(value, list) else [value]


def load(entry: RawFile) -> pl.DataFrame:
    frame = pl.read_csv(entry.local, infer_schema=False, null_values=["NA"])
    frame = frame.with_row_index("row", offset=1)
    require_columns(
        frame,
        [
            ID,
            "Subject_type",
            "Programme",
            "Naal_leba_numtitle",
            "Naal_leba_publication_date",
            "Naal_wholename",
            "Naal_function",
            "birthdate.year",
            "nameAlias",
        ],
        entry.path,
    )
    blr = frame.filter(pl.col("Programme") == PROGRAMME)
    expect_count(blr.height, entry.expect_in_scope, "BLR targets", entry.path)
    reject_duplicates(blr, ID, entry.path)
    require_values(blr, "Subject_type", KINDS, entry.path)
    published = parse_date_column(blr, "Naal_leba_publication_date", "%Y-%m-%d", entry.path)
    bad = blr.filter(
        pl.col("birthdate.year").is_not_null()
        & ~pl.col("birthdate.year").str.contains(r"^(19|20)\d{2}$")
    )
    if bad.height:
        raise SourceError(
            f"{entry.path} row {bad['row'][0]}, field birthdate.year: expected a "
            f"year, found {bad['birthdate.year'][0]!r}"
        )
    return blr.with_columns(published=published)


def designations(entry: RawFile) -> pl.DataFrame:
    blr = load(entry)
    functions = []
    for row in blr.iter_rows(named=True):
        stated = [
            a.get("function") for a in aliases(row["nameAlias"], f"{entry.path} row {row['row']}")
        ]
        stated = [f.strip() for f in [row["Naal_function"], *stated] if f and f.strip()]
        functions.append(stated[0] if stated else None)
    amended = pl.col("Naal_leba_numtitle").str.starts_with(AMENDING_ACT)
    return blr.with_columns(function=pl.Series(functions, dtype=pl.String)).select(
        jurisdiction=pl.lit("EU"),
        source_id=pl.col(ID),
        target_kind=pl.col("Subject_type").replace_strict(KINDS),
        name=pl.col("Naal_wholename").str.strip_chars(),
        programme=pl.lit(PROGRAMME),
        function="function",
        listed_from=pl.when(amended).then(pl.lit(AMENDED_SPAN[0])).otherwise("published"),
        listed_to=pl.when(amended).then(pl.lit(AMENDED_SPAN[1])).otherwise("published"),
        listing_date_basis=pl.when(amended)
        .then(pl.lit("amending_act"))
        .otherwise(pl.lit("act_publication")),
        delisted_from=pl.lit(None, pl.Date),
        delisted_to=pl.lit(None, pl.Date),
        raw_file=pl.lit(entry.path),
        listed_birth_date=pl.col("birthdate.year"),  # the file states years only
        act=pl.col("Naal_leba_numtitle"),
    )


def names(entry: RawFile) -> pl.DataFrame:
    blr = load(entry)
    rows = []
    for row in blr.iter_rows(named=True):
        rows.append((row[ID], row["Naal_wholename"].strip(), "primary"))
        for alias in aliases(row["nameAlias"], f"{entry.path} row {row['row']}"):
            if alias.get("wholeName"):
                rows.append((row[ID], alias["wholeName"].strip(), "alias"))
    frame = pl.DataFrame(rows, schema=["source_id", "name", "name_kind"], orient="row")
    return frame.unique(["source_id", "name"], keep="first", maintain_order=True).select(
        jurisdiction=pl.lit("EU"), source_id="source_id", name="name", name_kind="name_kind"
    )
