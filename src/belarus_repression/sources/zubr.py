"""Viasna's administrative prosecutions 2016-2020 as copied by ZUBR, with ZUBR's court and
judge registers and its Belarusian -> Russian name maps.

These are administrative cases (fines, arrests of up to 30 days), not political prisoners.
Text is Belarusian Cyrillic; the judge register is in Russian. The record `id` is not unique
(the same id recurs), so a case is identified by its line in the file (`case_id`).
"""

from __future__ import annotations

import json

import polars as pl

from belarus_repression.registry import RawFile
from belarus_repression.sources import (
    SourceError,
    expect_count,
    parse_date_column,
    read_csv_checked,
    require_values,
)

SEX = {"м": "male", "ж": "female"}
FIELDS = [
    "id",
    "event_date",
    "full_name",
    "sex",
    "article",
    "court_date",
    "judge",
    "court",
    "arrest",
    "fine",
    "extra",
]


def decisions(entry: RawFile) -> pl.DataFrame:
    data = json.loads(entry.local.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise SourceError(f"{entry.path}: expected a JSON list of cases")
    for i, item in enumerate(data, start=1):
        missing = [f for f in FIELDS if f not in item]
        if missing:
            raise SourceError(f"{entry.path} case {i}: missing field(s) {', '.join(missing)}")
    frame = pl.DataFrame(data, schema=dict.fromkeys(FIELDS, pl.String)).with_row_index(
        "case_id", offset=1
    )
    expect_count(frame.height, entry.expect_rows, "cases", entry.path)
    frame = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in FIELDS)
    require_values(frame, "sex", SEX, f"{entry.path} (case)", row_column="case_id")
    return frame.with_columns(
        case_id=pl.col("case_id").cast(pl.Int64),
        event_date=parse_date_column(frame, "event_date", "%Y-%m-%d", entry.path, "case_id"),
        court_date=parse_date_column(frame, "court_date", "%Y-%m-%d", entry.path, "case_id"),
        sex=pl.col("sex").replace_strict(SEX, default=None),
    )


def courts(entry: RawFile) -> pl.DataFrame:
    frame = read_csv_checked(entry, ["Код суда", "название", "месторасположение", "комментарий"])
    expect_count(frame.height, entry.expect_rows, "courts", entry.path)
    coords = frame["месторасположение"].str.extract_groups(
        r"^\s*(?P<lat>-?\d+\.\d+)\s*,\s*(?P<lon>-?\d+\.\d+)\s*$"
    )
    bad = frame.filter(
        coords.struct.field("lat").is_null() & frame["месторасположение"].is_not_null()
    )
    if bad.height:
        raise SourceError(
            f"{entry.path} row {bad['row'][0]}, field месторасположение: expected "
            f"'lat, lon', found {bad['месторасположение'][0]!r}"
        )
    return frame.select(
        court_code="Код суда",
        court_name_ru="название",
        lat=coords.struct.field("lat").cast(pl.Float64),
        lon=coords.struct.field("lon").cast(pl.Float64),
        court_text_be="комментарий",
    )


def mapping(entry: RawFile) -> dict[str, str]:
    """A JSON object of text -> code (court or article maps)."""
    data = json.loads(entry.local.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise SourceError(f"{entry.path}: expected a JSON object of text -> code")
    return {k.strip(): v for k, v in data.items()}


def judge_register(entry: RawFile) -> pl.DataFrame:
    frame = read_csv_checked(entry, ["Номер", "Полное имя"])
    expect_count(frame.height, entry.expect_rows, "judges", entry.path)
    return frame.select(
        register_id=pl.col("Номер").cast(pl.Int64), name_ru=pl.col("Полное имя").str.strip_chars()
    )


def name_maps(entry: RawFile) -> dict[str, dict[str, str]]:
    """Belarusian -> Russian spellings of first names, surnames and patronymics."""
    data = json.loads(entry.local.read_text(encoding="utf-8"))
    for key in ("first_name", "last_name"):
        if key not in data:
            raise SourceError(f"{entry.path}: no {key!r} map")
    return {k: {b.strip(): r.strip() for b, r in v.items()} for k, v in data.items()}
