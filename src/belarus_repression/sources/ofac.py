"""US: OFAC's SDN list — the legacy `sdn.csv` snapshots (2021-2024) and the 2026 JSON.

The list states no designation dates. The snapshots kept in the registry are the pairs that
bracket every change of the set of Belarus-programme entries, so an entry's listing day is
known as an interval: after the last snapshot without it, no later than the first with it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import polars as pl

from belarus_repression.registry import RawFile
from belarus_repression.sources import (
    SourceError,
    expect_count,
    reject_duplicates,
)

COLUMNS = [
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
]
EMPTY = "-0-"  # the legacy format's empty value (with a trailing space)
KINDS = {
    "individual": "person",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "entity": "organisation",
    None: "organisation",
}
BELARUS = "BELARUS"

SNAPSHOT_SCHEMA = {
    "snapshot": pl.Datetime("us", "UTC"),
    "raw_file": pl.String,
    "ent_num": pl.Int64,
    "name": pl.String,
    "sdn_type": pl.String,
    "programmes": pl.List(pl.String),
    "title": pl.String,
    "remarks": pl.String,
    "alt_names": pl.List(pl.String),
}


def snapshot_time(entry: RawFile) -> datetime:
    """When a snapshot was taken: `snapshot_taken` (ISO time or a leading date), in UTC."""
    text = entry.snapshot_taken
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        found = re.match(r"(\d{4}-\d{2}-\d{2})", text)
        if not found:
            raise SourceError(f"{entry.path}: snapshot_taken {text!r} has no date") from None
        moment = datetime.fromisoformat(found.group(1) + "T00:00:00+00:00")
    return moment


def read_csv(path: Path, where: str) -> pl.DataFrame:
    """One legacy snapshot, every entry, with `-0-` read as null and checked ids."""
    frame = pl.read_csv(path, has_header=False, infer_schema=False, encoding="utf8")
    if frame.width != len(COLUMNS):
        raise SourceError(
            f"{where}: {frame.width} columns, expected {len(COLUMNS)} ({', '.join(COLUMNS)})"
        )
    frame = frame.rename(dict(zip(frame.columns, COLUMNS, strict=True)))
    frame = frame.with_row_index("row", offset=1)
    frame = frame.filter(pl.col("ent_num") != "\x1a")  # DOS end-of-file byte on the last line
    frame = frame.with_columns(
        pl.when(pl.col(c).str.strip_chars() == EMPTY).then(None).otherwise(pl.col(c)).alias(c)
        for c in COLUMNS
    )
    bad = frame.filter(~pl.col("ent_num").str.contains(r"^\d+$") | pl.col("ent_num").is_null())
    if bad.height:
        row = bad.row(0, named=True)
        raise SourceError(
            f"{where} row {row['row']}, field ent_num: expected a whole number, "
            f"found {row['ent_num']!r}"
        )
    frame = frame.with_columns(pl.col("ent_num").cast(pl.Int64))
    reject_duplicates(frame, "ent_num", where)
    return frame


def read_json(path: Path, where: str, programme: str | None = None) -> tuple[pl.DataFrame, date]:
    """The 2026 JSON export (uid = ent_num) and the publication day; every entry is checked,
    only those with a programme containing `programme` (all if None) become rows."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("entries", "published"):
        if key not in data:
            raise SourceError(f"{where}: no {key!r} in the JSON export")
    rows, seen = [], {}
    for i, item in enumerate(data["entries"], start=1):
        for field in ("uid", "name", "type", "programs"):
            if field not in item:
                raise SourceError(f"{where} entry {i}, field {field}: missing")
        uid = int(item["uid"])
        if uid in seen:
            raise SourceError(
                f"{where} entry {i}, field uid: {uid} appears more than once "
                f"(first in entry {seen[uid]})"
            )
        seen[uid] = i
        if programme is None or any(programme in p for p in item["programs"]):
            rows.append(
                {
                    "row": i,
                    "ent_num": uid,
                    "name": item["name"],
                    "sdn_type": item["type"],
                    "programmes": item["programs"],
                    "alt_names": item.get("alternateNames") or [],
                }
            )
    frame = pl.DataFrame(
        rows,
        schema={
            "row": pl.Int64,
            "ent_num": pl.Int64,
            "name": pl.String,
            "sdn_type": pl.String,
            "programmes": pl.List(pl.String),
            "alt_names": pl.List(pl.String),
        },
    )
    return frame, date.fromisoformat(data["published"])


def belarus_entries(entry: RawFile) -> pl.DataFrame:
    """The Belarus-programme entries of one snapshot (CSV or JSON), in SNAPSHOT_SCHEMA,
    checked against the count the source states for that snapshot."""
    where = entry.path
    moment = snapshot_time(entry)
    if entry.path.endswith(".json"):
        frame, _ = read_json(entry.local, where, BELARUS)
        frame = frame.with_columns(title=pl.lit(None, pl.String), remarks=pl.lit(None, pl.String))
    else:  # "RUSSIA-EO14024] [BELARUS-EO14038" -> tags, for the few Belarus rows only
        frame = (
            read_csv(entry.local, where)
            .filter(pl.col("Program").str.contains(BELARUS))
            .select(
                "ent_num",
                name="SDN_Name",
                sdn_type="SDN_Type",
                programmes=pl.col("Program")
                .str.split("] [")
                .list.eval(pl.element().str.strip_chars(" []")),
                title="Title",
                remarks="Remarks",
                alt_names=pl.lit([], pl.List(pl.String)),
            )
        )
    frame = frame.filter(
        pl.col("programmes").list.eval(pl.element().str.contains(BELARUS)).list.any()
    )
    expect_count(frame.height, entry.expect_in_scope, "Belarus-programme entries", where)
    return frame.select(
        snapshot=pl.lit(moment).cast(pl.Datetime("us", "UTC")),
        raw_file=pl.lit(entry.path),
        ent_num="ent_num",
        name="name",
        sdn_type="sdn_type",
        programmes="programmes",
        title="title",
        remarks="remarks",
        alt_names="alt_names",
    )


def load(entries: list[RawFile]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All snapshots' Belarus entries (long), and the list of snapshots (one row each)."""
    snapshots = sorted(entries, key=snapshot_time)
    if not snapshots:
        raise SourceError("no OFAC snapshot given")
    long = pl.concat([belarus_entries(e) for e in snapshots], how="vertical")
    index = pl.DataFrame(
        {
            "snapshot": [snapshot_time(e) for e in snapshots],
            "raw_file": [e.path for e in snapshots],
        },
        schema={"snapshot": pl.Datetime("us", "UTC"), "raw_file": pl.String},
    ).with_row_index("i")
    return long.join(index.select("snapshot", "i"), on="snapshot", how="left"), index


DOB = re.compile(r"\bDOB (?:circa )?((?:\d{2} )?(?:[A-Z][a-z]{2} )?\d{4})")
AKA = re.compile(r"a\.k\.a\. '([^']+)'")


def birth_date(remarks: str | None) -> str | None:
    """'DOB 08 Oct 1977' -> '1977-10-08'; 'DOB 1980' -> '1980' (as precise as stated)."""
    if not remarks:
        return None
    found = DOB.search(remarks)
    if not found:
        return None
    text = found.group(1)
    for fmt, out in (("%d %b %Y", "%Y-%m-%d"), ("%b %Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return datetime.strptime(text, fmt).strftime(out)
        except ValueError:
            continue
    return None


def designations(long: pl.DataFrame, index: pl.DataFrame) -> pl.DataFrame:
    """One row per Belarus-programme entry ever seen: listing and delisting intervals from
    the snapshots that bracket them, and the state at the last snapshot that shows it."""
    last_i = index.height - 1
    days = index.with_columns(day=pl.col("snapshot").dt.date()).select("i", "day", "raw_file")
    spells = long.group_by("ent_num").agg(
        first_i=pl.col("i").min(), last_i=pl.col("i").max(), seen=pl.col("i").n_unique()
    )
    gaps = spells.filter(pl.col("seen") != pl.col("last_i") - pl.col("first_i") + 1)
    if gaps.height:
        raise SourceError(
            f"OFAC: entries {gaps['ent_num'].to_list()[:5]} leave and re-enter "
            "the Belarus programme; one row per target cannot describe them"
        )
    latest = long.sort("i").group_by("ent_num").last()
    out = (
        spells.join(latest, on="ent_num")
        .join(
            days.rename({"i": "first_i", "day": "first_day", "raw_file": "first_file"}),
            on="first_i",
        )
        .join(
            days.with_columns(pl.col("i") + 1).rename(
                {"i": "first_i", "day": "before_day", "raw_file": "_b"}
            ),
            on="first_i",
            how="left",
        )
        .join(days.rename({"i": "last_i", "day": "last_day", "raw_file": "_l"}), on="last_i")
        .join(
            days.with_columns(pl.col("i") - 1).rename(
                {"i": "last_i", "day": "after_day", "raw_file": "_a"}
            ),
            on="last_i",
            how="left",
        )
    )
    titles = (
        long.filter(pl.col("remarks").is_not_null())
        .sort("i")
        .group_by("ent_num")
        .agg(remarks_any=pl.col("remarks").last())
    )
    out = out.join(titles, on="ent_num", how="left")
    return out.select(
        jurisdiction=pl.lit("US"),
        source_id=pl.col("ent_num").cast(pl.String),
        target_kind=pl.col("sdn_type").replace_strict(KINDS, default="organisation"),
        name="name",
        programme=pl.col("programmes").list.join("; "),
        function="title",
        listed_from=pl.when(pl.col("first_i") > 0).then(pl.col("before_day")),
        listed_to="first_day",
        listing_date_basis=pl.when(pl.col("first_i") > 0)
        .then(pl.lit("bracketed_by_snapshots"))
        .otherwise(pl.lit("before_first_snapshot")),
        delisted_from=pl.when(pl.col("last_i") < last_i).then(pl.col("last_day")),
        delisted_to=pl.when(pl.col("last_i") < last_i).then(pl.col("after_day")),
        raw_file="first_file",
        listed_birth_date=pl.col("remarks_any").map_elements(birth_date, return_dtype=pl.String),
    )


def programme_history(long: pl.DataFrame, index: pl.DataFrame) -> pl.DataFrame:
    """Each entry's programme tags over time: one row per (entry, tags) with the first and
    last snapshot showing them (the BELARUS -> BELARUS-EO14038 re-tagging of August 2021)."""
    days = index.with_columns(day=pl.col("snapshot").dt.date()).select("i", "day")
    tagged = long.with_columns(programme=pl.col("programmes").list.join("; "))
    return (
        tagged.group_by("ent_num", "programme")
        .agg(first_i=pl.col("i").min(), last_i=pl.col("i").max())
        .join(days.rename({"i": "first_i", "day": "first_seen"}), on="first_i")
        .join(days.rename({"i": "last_i", "day": "last_seen"}), on="last_i")
        .select(
            jurisdiction=pl.lit("US"),
            source_id=pl.col("ent_num").cast(pl.String),
            programme="programme",
            first_seen="first_seen",
            last_seen="last_seen",
        )
    )


def names(long: pl.DataFrame) -> pl.DataFrame:
    """Every name an entry carried: primary names, a.k.a.s in the remarks, JSON aliases."""
    primary = long.select("ent_num", name="name", name_kind=pl.lit("primary"))
    aka = (
        long.select("ent_num", name=pl.col("remarks").str.extract_all(AKA.pattern))
        .explode("name")
        .drop_nulls("name")
        .with_columns(pl.col("name").str.extract(AKA.pattern, 1), name_kind=pl.lit("aka"))
    )
    alias = (
        long.select("ent_num", name="alt_names")
        .explode("name")
        .drop_nulls("name")
        .with_columns(name_kind=pl.lit("alias"))
    )
    every = pl.concat([primary, aka, alias]).unique(
        ["ent_num", "name"], keep="first", maintain_order=True
    )
    return every.select(
        jurisdiction=pl.lit("US"),
        source_id=pl.col("ent_num").cast(pl.String),
        name="name",
        name_kind="name_kind",
    )
