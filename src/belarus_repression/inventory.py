"""Profiles of the raw files: rows, rows in scope (Belarus) and the dates they cover.

One small reader per file format, each returning a `Profile`. The data inventory notebook
(task 00) runs them over every registered file; nothing here is specific to one snapshot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from belarus_repression.registry import RawFile
from belarus_repression.sources import SourceError, ofac, require_columns


class InventoryError(SourceError):
    """A raw file does not have the shape its profile reader expects."""


@dataclass(frozen=True)
class Profile:
    rows: int
    rows_in_scope: int
    scope: str
    coverage_field: str | None
    coverage_from: date | None
    coverage_to: date | None


def snapshot_date(entry: RawFile) -> date | None:
    """The day a snapshot was taken, from `snapshot_taken` or else the file name."""
    for text in (entry.snapshot_taken, entry.path):
        found = re.search(r"(\d{4}-\d{2}-\d{2})", text)
        if found:
            return date.fromisoformat(found.group(1))
    return None


def _date_range(values: pl.Series) -> tuple[date | None, date | None]:
    values = values.drop_nulls()
    if values.is_empty():
        return None, None
    return values.min(), values.max()


def _parse_dates(column: pl.Series, fmt: str) -> pl.Series:
    return column.str.strptime(pl.Date, fmt, strict=False)


def ofac_csv(path: Path, entry: RawFile) -> Profile:
    frame = ofac.read_csv(path, entry.path)
    in_scope = frame.filter(pl.col("Program").str.contains(ofac.BELARUS)).height
    day = snapshot_date(entry)
    return Profile(frame.height, in_scope, "Program contains BELARUS", "snapshot", day, day)


def ofac_json(path: Path, entry: RawFile) -> Profile:
    data = json.loads(path.read_text(encoding="utf-8"))
    if "entries" not in data:  # the metadata file that accompanies the export
        day = date.fromisoformat(data["published"]) if "published" in data else None
        return Profile(1, 0, "metadata record", "published", day, day)
    frame = pl.DataFrame(data["entries"], infer_schema_length=None)
    require_columns(frame, ["uid", "programs"], entry.path)
    in_scope = frame.filter(
        pl.col("programs").list.eval(pl.element().str.contains("BELARUS")).list.any()
    ).height
    day = date.fromisoformat(data["published"])
    return Profile(frame.height, in_scope, "a programme contains BELARUS", "published", day, day)


def uk_csv(path: Path, entry: RawFile) -> Profile:
    frame = pl.read_csv(path, infer_schema=False)
    require_columns(frame, ["unique_id"], entry.path)
    in_scope = frame.filter(pl.col("unique_id").str.starts_with("BEL")).height
    if "date_designated" in frame.columns:
        first, last = _date_range(_parse_dates(frame["date_designated"], "%d/%m/%Y"))
        field = "date_designated"
    else:
        first = last = None
        field = None
    return Profile(frame.height, in_scope, "unique_id starts with BEL", field, first, last)


def eu_fsf(path: Path, entry: RawFile) -> Profile:
    frame = pl.read_csv(path, infer_schema=False, null_values=["NA"])
    require_columns(frame, ["Programme", "Naal_leba_publication_date"], entry.path)
    in_scope = frame.filter(pl.col("Programme") == "BLR").height
    first, last = _date_range(_parse_dates(frame["Naal_leba_publication_date"], "%Y-%m-%d"))
    return Profile(
        frame.height, in_scope, "Programme = BLR", "Naal_leba_publication_date", first, last
    )


def eu_travel_bans(path: Path, entry: RawFile) -> Profile:
    frame = pl.read_csv(path, infer_schema=False)
    require_columns(frame, ["regulation.numberTitle"], entry.path)
    in_scope = frame.filter(
        pl.col("regulation.numberTitle").str.contains("(?i)belarus")
        | pl.col("regulation.numberTitle").str.contains("765/2006")
    ).height
    return Profile(
        frame.height, in_scope, "regulation mentions Belarus or 765/2006", None, None, None
    )


def zubr_decisions(path: Path, entry: RawFile) -> Profile:
    frame = pl.read_json(path, infer_schema_length=None)
    require_columns(frame, ["event_date", "court_date"], entry.path)
    first, last = _date_range(_parse_dates(frame["event_date"], "%Y-%m-%d"))
    return Profile(frame.height, frame.height, "all (Belarus)", "event_date", first, last)


def csv_table(path: Path, entry: RawFile) -> Profile:
    """A headed CSV; if it has a `date` column, that is its coverage."""
    has_header = not entry.path.endswith("judge_tag.csv")  # judge_tag.csv has no header row
    frame = pl.read_csv(path, infer_schema=False, has_header=has_header)
    if "date" in frame.columns:
        first, last = _date_range(_parse_dates(frame["date"], "%Y-%m-%d"))
        return Profile(frame.height, frame.height, "all", "date", first, last)
    return Profile(frame.height, frame.height, "all", None, None, None)


def json_mapping(path: Path, entry: RawFile) -> Profile:
    """A JSON object of lookups (possibly grouped one level deep): rows = mapped keys."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise InventoryError(f"{entry.path}: expected a JSON object, found {type(data).__name__}")
    rows = sum(len(v) if isinstance(v, dict) else 1 for v in data.values())
    return Profile(rows, rows, "all", None, None, None)


def viasna_jsonl(path: Path, entry: RawFile) -> Profile:
    frame = pl.read_ndjson(path, infer_schema_length=None)
    require_columns(frame, ["id", "status", "arrested"], entry.path)
    first, last = _date_range(_parse_dates(frame["arrested"], "%Y-%m-%d"))
    return Profile(frame.height, frame.height, "all (Belarus)", "arrested", first, last)


READERS = [  # first matching pattern wins
    (r"^ofac/.*\.csv$", ofac_csv),
    (r"^ofac/.*\.json$", ofac_json),
    (r"^uk/.*\.csv$", uk_csv),
    (r"^eu/fsf_.*\.csv$", eu_fsf),
    (r"^eu/travel_bans_.*\.csv$", eu_travel_bans),
    (r"^zubr/decisions\.json$", zubr_decisions),
    (r"^zubr/.*\.json$", json_mapping),
    (r"^viasna/.*\.jsonl$", viasna_jsonl),
    (r"\.csv$", csv_table),
]


def reader_for(entry: RawFile):
    for pattern, reader in READERS:
        if re.search(pattern, entry.path):
            return reader
    raise InventoryError(f"{entry.path}: no profile reader for this file")


def profile(entry: RawFile, path: Path | None = None) -> Profile:
    """Profile one raw file and check the row count its source states, if it states one."""
    result = reader_for(entry)(path or entry.local, entry)
    if entry.expect_rows is not None and result.rows != entry.expect_rows:
        raise InventoryError(
            f"{entry.path}: {result.rows} rows, but the source states {entry.expect_rows}"
        )
    if entry.expect_in_scope is not None and result.rows_in_scope != entry.expect_in_scope:
        raise InventoryError(
            f"{entry.path}: {result.rows_in_scope} rows about Belarus, but "
            f"the source states {entry.expect_in_scope}"
        )
    return result


def inventory(entries: list[RawFile]) -> pl.DataFrame:
    """One row per raw file: provenance from the registry and the measured profile."""
    rows = []
    for entry in entries:
        p = profile(entry)
        rows.append(
            {
                "path": entry.path,
                "source": entry.source,
                "publisher": entry.publisher,
                "licence": entry.licence,
                "snapshot_date": snapshot_date(entry),
                "snapshot_taken": entry.snapshot_taken,
                "bytes": entry.bytes,
                "sha256": entry.sha256,
                "rows": p.rows,
                "rows_in_scope": p.rows_in_scope,
                "scope": p.scope,
                "coverage_field": p.coverage_field,
                "coverage_from": p.coverage_from,
                "coverage_to": p.coverage_to,
            }
        )
    schema = {
        "path": pl.String,
        "source": pl.String,
        "publisher": pl.String,
        "licence": pl.String,
        "snapshot_date": pl.Date,
        "snapshot_taken": pl.String,
        "bytes": pl.Int64,
        "sha256": pl.String,
        "rows": pl.Int64,
        "rows_in_scope": pl.Int64,
        "scope": pl.String,
        "coverage_field": pl.String,
        "coverage_from": pl.Date,
        "coverage_to": pl.Date,
    }
    return pl.DataFrame(rows, schema=schema).sort("path")


def with_availability(frame: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Mark files published by `as_of`; null where the snapshot day is not known."""
    return frame.with_columns(
        published_by_as_of=pl.when(pl.col("snapshot_date").is_not_null())
        .then(pl.col("snapshot_date") <= as_of)
        .otherwise(None)
    )


def summary(frame: pl.DataFrame) -> dict:
    """The figures the inventory notebook states in prose, computed from the table."""
    by_source = (
        frame.group_by("source", maintain_order=True)
        .agg(files=pl.len(), bytes=pl.col("bytes").sum(), rows=pl.col("rows").sum())
        .sort("source")
    )
    ofac = frame.filter(
        pl.col("path").str.starts_with("ofac/sdn_"),
        pl.col("coverage_field").is_in(["snapshot", "published"]),
        pl.col("rows") > 1,
    ).sort("snapshot_date")
    dated = frame.filter(pl.col("coverage_from").is_not_null())
    return {
        "files": frame.height,
        "bytes": int(frame["bytes"].sum()),
        "sources": by_source.height,
        "by_source": by_source,
        "ofac_first": ofac.row(0, named=True) if ofac.height else None,
        "ofac_last": ofac.row(-1, named=True) if ofac.height else None,
        "ofac_snapshots": ofac.height,
        "partial_scope": frame.filter(
            pl.col("rows_in_scope") != pl.col("rows"), ~pl.col("path").str.starts_with("ofac/")
        ),
        "undated_files": frame.height - dated.height,
        "earliest": dated["coverage_from"].min(),
        "latest": dated["coverage_to"].max(),
        "unpublished_by_as_of": frame.filter(pl.col("published_by_as_of") == False).height  # noqa: E712
        if "published_by_as_of" in frame.columns
        else None,
    }


def coverage_chart(frame: pl.DataFrame, as_of: date):
    """Per raw file: the span of dates its rows cover (bar), the day it was taken (dot),
    and the analysis date `as_of` (rule)."""
    import altair as alt

    data = frame.select(
        "path",
        "source",
        "snapshot_date",
        "coverage_from",
        "coverage_to",
        "coverage_field",
        "rows",
        "rows_in_scope",
    )
    y = alt.Y(
        "path:N",
        sort=data["path"].to_list(),
        title=None,
        axis=alt.Axis(labelLimit=260, labelFontSize=10),
    )
    colour = alt.Color("source:N", title="Source")
    base = alt.Chart(data).encode(y=y, color=colour)
    tooltip = [
        "path",
        "source",
        "coverage_field",
        "coverage_from",
        "coverage_to",
        "snapshot_date",
        "rows",
        "rows_in_scope",
    ]
    spans = (
        base.transform_filter("datum.coverage_from != null")
        .mark_bar(height=7, opacity=0.55)
        .encode(
            x=alt.X("coverage_from:T", title="Date", axis=alt.Axis(format="%Y")),
            x2="coverage_to:T",
            tooltip=tooltip,
        )
    )
    taken = (
        base.transform_filter("datum.snapshot_date != null")
        .mark_point(filled=True, size=28, shape="diamond")
        .encode(x="snapshot_date:T", tooltip=tooltip)
    )
    rule = alt.Chart(pl.DataFrame({"as_of": [as_of], "label": [f"as of {as_of.isoformat()}"]}))
    as_of_rule = rule.mark_rule(strokeDash=[4, 3], color="#444444").encode(x="as_of:T")
    as_of_text = rule.mark_text(align="right", dx=-4, dy=-6, fontSize=10, color="#444444").encode(
        x="as_of:T", y=alt.value(0), text="label:N"
    )
    return (spans + taken + as_of_rule + as_of_text).properties(width=560, height=alt.Step(13))
