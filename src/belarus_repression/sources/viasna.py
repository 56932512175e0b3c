"""Viasna's political-prisoner database (English), as copied in early 2023: one JSON object
per line per person. Fields are as upstream, typos included; odd records are reported by the
quality checks in `prisoners`, never silently fixed here. Prisoners' birthdays, photos and
addresses are not in the extract (only the birth year is)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from belarus_repression.registry import RawFile
from belarus_repression.sources import (
    SourceError,
    expect_count,
    reject_duplicates,
)

STATUSES = {"active": "held", "former": "released", "np": "not_recognised"}
DATE_FIELDS = ["arrested", "verdict_date", "appeal_date", "penalty_start_date", "release_date"]
SCHEMA = {
    "id": pl.Int64,
    "url": pl.String,
    "name": pl.String,
    "status": pl.String,
    "gender": pl.String,
    "description": pl.String,
    "birth_year": pl.Int64,
    "arrested": pl.String,
    "articles": pl.List(pl.String),
    "prison": pl.String,
    "declaration": pl.String,
    "decision": pl.String,
    "penalty": pl.String,
    "judge": pl.String,
    "councel": pl.String,
    "penalty_start_date": pl.String,
    "release_date": pl.String,
    "verdict_date": pl.String,
    "appeal_date": pl.String,
}
FORBIDDEN = {"birthday", "photo", "address", "prison/address"}  # must never be in the extract


def load(entry: RawFile) -> pl.DataFrame:
    """Every record, typed, with dates parsed; a broken line or field names its line."""
    rows = []
    text = entry.local.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise SourceError(f"{entry.path} line {number}: not JSON ({err.msg})") from None
        extra = set(record) - set(SCHEMA)
        if extra & FORBIDDEN or any("/" in k for k in extra):
            raise SourceError(
                f"{entry.path} line {number}: unexpected field(s) "
                f"{sorted(extra)} (the extract keeps no birthdays, photos or "
                "addresses)"
            )
        if extra:
            raise SourceError(f"{entry.path} line {number}: unknown field(s) {sorted(extra)}")
        for field in ("id", "url", "status", "gender"):
            if field not in record:
                raise SourceError(f"{entry.path} line {number}, field {field}: missing")
        if record["status"] not in STATUSES:
            raise SourceError(
                f"{entry.path} line {number}, field status: expected one of "
                f"{sorted(STATUSES)}, found {record['status']!r}"
            )
        for field in DATE_FIELDS:
            value = record.get(field)
            if value is not None and (len(value) != 10 or value[4] != "-" or value[7] != "-"):
                raise SourceError(
                    f"{entry.path} line {number}, field {field}: expected an ISO "
                    f"date YYYY-MM-DD, found {value!r}"
                )
        rows.append({**record, "line": number})
    frame = pl.DataFrame(rows, schema={**SCHEMA, "line": pl.Int64})
    expect_count(frame.height, entry.expect_rows, "people", entry.path)
    reject_duplicates(frame, "id", f"{entry.path} (line)", row_column="line")
    parsed = frame.with_columns(
        pl.col(c).str.strptime(pl.Date, "%Y-%m-%d", strict=False) for c in DATE_FIELDS
    )
    for field in DATE_FIELDS:
        bad = frame.filter(parsed[field].is_null() & frame[field].is_not_null())
        if bad.height:
            raise SourceError(
                f"{entry.path} line {bad['line'][0]}, field {field}: not a "
                f"calendar date: {bad[field][0]!r}"
            )
    return parsed


KEPT = [
    "id",
    "url",
    "name",
    "status",
    "gender",
    "description",
    "birth_year",
    "arrested",
    "articles",
    "prison",
    "declaration",
    "decision",
    "penalty",
    "judge",
    "councel",
    "penalty_start_date",
    "release_date",
    "verdict_date",
    "appeal_date",
]


def extract_record(upstream: dict) -> dict:
    """One upstream record -> the extract's record (the rules of the data README): keep the
    listed keys in order; `birth_year` is the year of `birthday` only; `articles` the
    non-empty `articles/0` .. `articles/12`; `prison` is `prison/title`; photo, birthday,
    address and the flag keys are dropped; a key whose value is "" is left out."""
    out = {}
    for key in KEPT:
        if key == "birth_year":
            birthday = upstream.get("birthday") or ""
            value = int(birthday[:4]) if birthday[:4].isdigit() else None
        elif key == "articles":
            value = [
                upstream[f"articles/{i}"] for i in range(13) if upstream.get(f"articles/{i}")
            ] or None
        elif key == "prison":
            value = upstream.get("prison/title")
        else:
            value = upstream.get(key)
        if value is None or value == "":
            continue
        out[key] = value
    return out


def viasna_extract(upstream_path) -> bytes:
    """The bytes of `prisoners_en_2023.jsonl` made from the upstream `prisoners.json`."""
    data = json.loads(Path(upstream_path).read_text(encoding="utf-8"))
    if isinstance(data, dict):  # a list under a single key
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise SourceError(f"{upstream_path}: expected a list of people")
        data = lists[0]
    lines = [json.dumps(extract_record(r), ensure_ascii=False) for r in data]
    return ("\n".join(lines) + "\n").encode("utf-8")
