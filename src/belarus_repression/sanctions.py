"""Sanctions on Belarus: one designations table for the US, UK and EU lists, and the
analyses over it (listings over time, rounds against official actions, overlap between the
lists, who is targeted, delistings). Pure functions over polars frames.

Listing dates are intervals (`listed_from`, `listed_to`): equal where the list states the
day, the bracketing snapshots for OFAC, null `listed_from` where only an upper bound is known.
`listed_to` is therefore the day by which a target is known to be listed; counts over time use
it, never a guessed day inside the interval.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import dataframely as dy
import polars as pl

from belarus_repression import names as namelib
from belarus_repression import paths
from belarus_repression.registry import RawFile
from belarus_repression.sources import eu as eu_source
from belarus_repression.sources import ofac, uk

JURISDICTIONS = ["US", "UK", "EU"]
# The US statement of 27 January 2022: "since August 2020 ... five rounds of sanctions".
CLAIM_START, CLAIM_END = date(2020, 8, 9), date(2022, 1, 27)
KINDS = ["person", "organisation", "vessel", "aircraft"]
BASES = [
    "stated",
    "act_publication",
    "amending_act",
    "uk_carry_over",
    "bracketed_by_snapshots",
    "before_first_snapshot",
]


class Designations(dy.Schema):
    """One row per (jurisdiction, listed target)."""

    jurisdiction = dy.Enum(JURISDICTIONS, primary_key=True)
    source_id = dy.String(primary_key=True, min_length=1)
    target_kind = dy.Enum(KINDS)
    name = dy.String(min_length=1)
    programme = dy.String()
    function = dy.String(nullable=True)
    listed_from = dy.Date(nullable=True)
    listed_to = dy.Date()
    listing_date_basis = dy.Enum(BASES)
    delisted_from = dy.Date(nullable=True)
    delisted_to = dy.Date(nullable=True)
    raw_file = dy.String()
    listed_birth_date = dy.String(nullable=True, regex=r"^\d{4}(-\d{2}(-\d{2})?)?$")

    @dy.rule()
    def listing_interval_is_ordered(cls) -> pl.Expr:
        return pl.col("listed_from").is_null() | (pl.col("listed_from") <= pl.col("listed_to"))

    @dy.rule()
    def delisting_follows_listing(cls) -> pl.Expr:
        return pl.col("delisted_to").is_null() | (
            (pl.col("delisted_from") <= pl.col("delisted_to"))
            & (pl.col("listed_to") <= pl.col("delisted_from"))
        )


class Names(dy.Schema):
    """Every name variant a list gives for a target."""

    jurisdiction = dy.Enum(JURISDICTIONS, primary_key=True)
    source_id = dy.String(primary_key=True)
    name = dy.String(primary_key=True, min_length=1)
    name_kind = dy.String()
    script = dy.Enum(["latin", "cyrillic", "mixed"], nullable=True)


def _validated(schema: type[dy.Schema], frame: pl.DataFrame, what: str) -> pl.DataFrame:
    try:
        valid = schema.validate(frame.select(schema.column_names()), cast=True)
    except dy.exc.ValidationError as err:
        raise ValueError(f"{what} fails its schema: {err}") from None
    return valid.with_columns(pl.col(pl.Enum).cast(pl.String))  # plain strings downstream


def build_tables(files: dict[str, RawFile]) -> dict[str, pl.DataFrame]:
    """Read the three lists; return the designations, names and OFAC programme history."""
    snapshots = [
        e
        for p, e in files.items()
        if p.startswith("ofac/sdn_") and not p.endswith(".metadata.json")
    ]
    long, index = ofac.load(snapshots)
    eu_file = files["eu/fsf_merged_2022-09-13.csv"]
    designations = pl.concat(
        [
            ofac.designations(long, index),
            uk.designations(
                files["uk/subjects.csv"],
                files["uk/subject_names.csv"],
                files["uk/subject_identifiers.csv"],
            ),
            eu_source.designations(eu_file).drop("act"),
        ],
        how="vertical",
    )
    all_names = pl.concat(
        [ofac.names(long), uk.all_names(files["uk/subject_names.csv"]), eu_source.names(eu_file)],
        how="vertical",
    )
    all_names = all_names.with_columns(
        script=pl.col("name").map_elements(namelib.script, return_dtype=pl.String)
    )
    # joins and group-bys leave rows in no fixed order: sort every frame by its key
    return {
        "sanctions_designations": _validated(Designations, designations, "designations").sort(
            "jurisdiction", "source_id"
        ),
        "sanctions_names": _validated(Names, all_names, "names").sort(
            "jurisdiction", "source_id", "name"
        ),
        "sanctions_programme_history": ofac.programme_history(long, index).sort(
            "jurisdiction", "source_id", "first_seen", "programme"
        ),
    }


def coverage_end(files: dict[str, RawFile]) -> dict[str, date]:
    """The last day each list is observed: after it, the data says nothing."""
    snapshots = [
        e
        for p, e in files.items()
        if p.startswith("ofac/sdn_") and not p.endswith(".metadata.json")
    ]
    return {
        "US": max(ofac.snapshot_time(e) for e in snapshots).date(),
        "UK": date(2026, 4, 29) if "uk/subjects.csv" in files else None,
        "EU": date(2022, 9, 13),
    }


# --- listings over time --------------------------------------------------------------------
def kind_group(kind: pl.Expr) -> pl.Expr:
    return (
        pl.when(kind == "person")
        .then(pl.lit("persons"))
        .otherwise(pl.lit("organisations, vessels, aircraft"))
    )


def cumulative(
    designations: pl.DataFrame, ends: dict[str, date], start: date, jurisdictions: list[str]
) -> pl.DataFrame:
    """Targets on each list by day (known listed by `listed_to`, known removed by
    `delisted_to`), per jurisdiction and kind, from `start` (or the first day the list is
    observed) to the end of its coverage. One row per change, plus the end point."""
    rows = []
    for jurisdiction in jurisdictions:
        d = designations.filter(pl.col("jurisdiction") == jurisdiction).with_columns(
            group=kind_group(pl.col("target_kind"))
        )
        for (group,), part in d.group_by("group", maintain_order=True):
            events = (
                pl.concat(
                    [
                        part.select(day="listed_to", change=pl.lit(1)),
                        part.drop_nulls("delisted_to").select(day="delisted_to", change=pl.lit(-1)),
                    ]
                )
                .group_by("day")
                .agg(pl.col("change").sum())
                .sort("day")
            )
            events = events.with_columns(count=pl.col("change").cum_sum())
            first_seen = events["day"].min()
            visible = events.filter(pl.col("day") >= max(start, first_seen))
            before = events.filter(pl.col("day") < max(start, first_seen))
            level = before["count"][-1] if before.height else 0
            points = [(max(start, first_seen), int(level))] if before.height else []
            points += list(zip(visible["day"], visible["count"], strict=True))
            points.append((ends[jurisdiction], int(points[-1][1]) if points else 0))
            rows += [
                {"jurisdiction": jurisdiction, "kind": group, "day": day, "count": count}
                for day, count in points
                if day <= ends[jurisdiction]
            ]
    return (
        pl.DataFrame(
            rows,
            schema={
                "jurisdiction": pl.String,
                "kind": pl.String,
                "day": pl.Date,
                "count": pl.Int64,
            },
        )
        .unique(["jurisdiction", "kind", "day"], keep="last", maintain_order=True)
        .sort("jurisdiction", "kind", "day")
    )


# --- rounds and official actions -----------------------------------------------------------
def rounds(designations: pl.DataFrame) -> pl.DataFrame:
    """Listings grouped into rounds: the same jurisdiction and the same dating interval."""
    return (
        designations.group_by("jurisdiction", "listed_from", "listed_to", "listing_date_basis")
        .agg(
            persons=(pl.col("target_kind") == "person").sum(),
            others=(pl.col("target_kind") != "person").sum(),
            targets=pl.len(),
        )
        .with_columns(width_days=(pl.col("listed_to") - pl.col("listed_from")).dt.total_days())
        .sort("jurisdiction", "listed_to", pl.col("listed_from"), nulls_last=False)
    )


def blocking_designations(actions: pl.DataFrame) -> pl.DataFrame:
    """Official actions that list new targets under asset-freezing powers: designations, not
    visa bans (proclamations) nor the re-imposition of earlier sanctions."""
    basis = pl.col("legal_basis")
    return actions.filter(
        pl.col("action") == "designation",
        ~basis.str.contains("(?i)proclamation|revocation of general licen"),
    )


# An act is published in the Official Journal up to a few days after the decision announced.
PUBLICATION_LAG = pl.duration(days=3)


def reconcile(
    round_table: pl.DataFrame, actions: pl.DataFrame, ends: dict[str, date]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Match rounds with official designation actions of the same jurisdiction whose date
    falls inside the round's interval, or up to three days before it (an act is published
    after the decision it carries); an open start counts from the beginning of time.

    Returns the rounds with the actions that explain them, and the actions with the round
    that shows them; an action inside the data's coverage that no round shows, or a round
    that no action explains, is what the notebook reports.
    """
    acts = (
        blocking_designations(actions)
        .filter(pl.col("jurisdiction").is_in(list(ends)))
        .with_row_index("action_id")
    )
    pairs = (
        round_table.with_row_index("round_id")
        .join(
            acts.select(
                "action_id",
                "jurisdiction",
                action_date="date",
                action_individuals="individuals",
                action_entities="entities",
            ),
            on="jurisdiction",
            how="inner",
        )
        .filter(
            (
                pl.col("listed_from").is_null()
                | (pl.col("action_date") >= pl.col("listed_from") - PUBLICATION_LAG)
            )
            & (pl.col("action_date") <= pl.col("listed_to"))
        )
    )
    explained = (
        round_table.with_row_index("round_id")
        .join(
            pairs.group_by("round_id").agg(
                actions=pl.col("action_date").sort().dt.to_string("%Y-%m-%d").str.join(", ")
            ),
            on="round_id",
            how="left",
        )
        .with_columns(
            status=pl.when(pl.col("actions").is_null())
            .then(pl.lit("no action explains it"))
            .when(pl.col("listed_from").is_null())
            .then(pl.lit("undated: before the first observation"))
            .otherwise(pl.lit("explained"))
        )
    )
    start = {j: None for j in ends}
    for row in (
        round_table.drop_nulls("listed_from")
        .group_by("jurisdiction")
        .agg(pl.col("listed_from").min())
        .iter_rows()
    ):
        start[row[0]] = row[1]
    shown = acts.join(
        pairs.group_by("action_id").agg(
            round_interval=pl.concat_str(
                pl.col("listed_from").dt.to_string("%Y-%m-%d").fill_null("…"),
                pl.lit(" to "),
                pl.col("listed_to").dt.to_string("%Y-%m-%d"),
            ).first(),
            round_targets=pl.col("targets").first(),
            undated=pl.col("listed_from").is_null().first(),
        ),
        on="action_id",
        how="left",
    )
    observed_from = pl.col("jurisdiction").replace_strict(start, return_dtype=pl.Date)
    observed_to = pl.col("jurisdiction").replace_strict(ends, return_dtype=pl.Date)
    shown = shown.with_columns(
        status=pl.when(pl.col("date") > observed_to)
        .then(pl.lit("after the data ends"))
        .when(pl.col("round_interval").is_null())
        .then(pl.lit("no round in the data"))
        .when(pl.col("undated"))
        .then(pl.lit("before the first observation"))
        .otherwise(pl.lit("shown")),
        observed_from=observed_from,
    ).drop("undated")
    return (
        explained.sort("round_id").drop("round_id"),
        shown.sort("action_id").drop("action_id"),
    )


def us_rounds_claim(
    actions: pl.DataFrame, round_table: pl.DataFrame, start: date, end: date
) -> dict:
    """The statement of January 2022: "since August 2020 the United States has imposed five
    rounds of sanctions". Counts the US blocking designation actions between `start` and
    `end` and says which of them the OFAC snapshots show."""
    us = (
        blocking_designations(actions)
        .filter(pl.col("jurisdiction") == "US", pl.col("date").is_between(start, end))
        .sort("date")
    )
    dated = round_table.filter(pl.col("jurisdiction") == "US", pl.col("listed_from").is_not_null())
    seen = []
    for act in us.iter_rows(named=True):
        hit = dated.filter(
            (pl.col("listed_from") <= act["date"]) & (pl.col("listed_to") >= act["date"])
        )
        seen.append(int(hit["targets"].sum()) if hit.height else None)
    first_snapshot = round_table.filter(
        pl.col("jurisdiction") == "US", pl.col("listed_from").is_null()
    )
    return {
        "rounds": us.with_columns(targets_in_data=pl.Series(seen, dtype=pl.Int64)),
        "count": us.height,
        "holds": us.height == 5,
        "undated_before": first_snapshot["listed_to"].min() if first_snapshot.height else None,
        "undated_targets": int(first_snapshot["targets"].sum()) if first_snapshot.height else 0,
    }


# --- the same target on several lists ------------------------------------------------------
# Legal forms and generic words in English and in Latin transliterations of Russian and
# Belarusian company names; they say nothing about which organisation it is.
LEGAL_WORDS = """
open closed joint stock company limited liability private public republican unitary
enterprise production association the of and oao ojsc jsc pjsc cjsc zao ooo sooo llc ltd
ue rue uep oo ao pao otkrytoe otkrytoye aktsionernoe aktsionernoye obshchestvo
obschestvo zakrytoe zakrytoye akcyianernae aktsyianernae adkrytae tavarystva
abmezhavanai adkaznasciu ogranichennoi ogranichennoy otvetstvennostiu otvetstvennostyu
respublikanskoe unitarnoe predpriiatie predpriyatie pradpryemstva respublikanskae
unitarnae
""".split()  # noqa: SIM905 (a word list reads best as text)
LEGAL = {namelib.fold_token(w) for w in LEGAL_WORDS}


def organisation_key(name: str) -> str:
    """Folded, sorted name tokens without legal forms (Latin or transliterated Cyrillic)."""
    return " ".join(sorted(t for t in namelib.tokens(name) if t not in LEGAL))


def match_targets(designations: pl.DataFrame, all_names: pl.DataFrame) -> pl.DataFrame:
    """Candidate pairs of targets on two different lists, scored on their names, with the
    evidence and a decision: accepted, review (a human should look) or rejected.

    Persons: every name variant either list gives (Latin or Cyrillic) is folded; a pair's
    score is its best variant pair, scored token by token by the weakest token (surname and
    given name must both agree). Birth years are evidence: different years reject the pair
    (one year apart with the same name goes to review), the same year accepts it from 80;
    otherwise 90 is needed, and a clearly different patronymic sends it to review.
    Organisations: their folded names without legal forms, accepted from 92. Pairs under 75
    (persons) or 85 (organisations) are not kept.
    """
    from rapidfuzz import fuzz, process

    person = pl.col("target_kind") == "person"
    keyed = (
        all_names.join(
            designations.select("jurisdiction", "source_id", "target_kind"),
            on=["jurisdiction", "source_id"],
            how="inner",
        )
        .with_columns(
            key=pl.when(person)
            .then(pl.col("name").map_elements(namelib.short_key, return_dtype=pl.String))
            .otherwise(pl.col("name").map_elements(organisation_key, return_dtype=pl.String))
        )
        .filter(pl.col("key").str.len_chars() > 2)
    )
    found = []
    juris = sorted(designations["jurisdiction"].unique().to_list())
    for i, a in enumerate(juris):
        for b in juris[i + 1 :]:
            for is_person in (True, False):
                kind = person if is_person else ~person
                left = keyed.filter(pl.col("jurisdiction") == a, kind)
                right = keyed.filter(pl.col("jurisdiction") == b, kind)
                if not left.height or not right.height:
                    continue
                matrix = process.cdist(
                    left["key"].to_list(),
                    right["key"].to_list(),
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=70 if is_person else 85,
                    workers=1,
                )
                for x, y in zip(*matrix.nonzero(), strict=True):
                    name_a, name_b = left["name"][int(x)], right["name"][int(y)]
                    if is_person:
                        score, patronymic = namelib.person_similarity(name_a, name_b)
                    else:
                        score, patronymic = float(matrix[x, y]), None
                    if score < (75 if is_person else 85):
                        continue
                    found.append(
                        (
                            a,
                            left["source_id"][int(x)],
                            name_a,
                            b,
                            right["source_id"][int(y)],
                            name_b,
                            is_person,
                            score,
                            patronymic,
                        )
                    )
    schema = {
        "jurisdiction_a": pl.String,
        "source_id_a": pl.String,
        "name_a": pl.String,
        "jurisdiction_b": pl.String,
        "source_id_b": pl.String,
        "name_b": pl.String,
        "person": pl.Boolean,
        "score": pl.Float64,
        "patronymic_score": pl.Float64,
    }
    pairs = pl.DataFrame(found, schema=schema, orient="row")
    best = (
        pairs.sort(["score", "name_a", "name_b"], descending=[True, False, False])
        .group_by(
            "jurisdiction_a", "source_id_a", "jurisdiction_b", "source_id_b", maintain_order=True
        )
        .first()
    )
    facts = designations.select(
        "jurisdiction", "source_id", "listed_birth_date", "listed_to", "name"
    )
    for side in ("a", "b"):
        best = best.join(
            facts.rename(
                {
                    "jurisdiction": f"jurisdiction_{side}",
                    "source_id": f"source_id_{side}",
                    "listed_birth_date": f"birth_{side}",
                    "listed_to": f"listed_{side}",
                    "name": f"primary_{side}",
                }
            ),
            on=[f"jurisdiction_{side}", f"source_id_{side}"],
        )
    year_a, year_b = pl.col("birth_a").str.slice(0, 4), pl.col("birth_b").str.slice(0, 4)
    known = pl.col("birth_a").is_not_null() & pl.col("birth_b").is_not_null()
    same_year, other_year = known & (year_a == year_b), known & (year_a != year_b)
    other_patronymic = pl.col("patronymic_score").is_not_null() & (pl.col("patronymic_score") < 70)
    year_gap = (year_a.cast(pl.Int64) - year_b.cast(pl.Int64)).abs()
    status = (
        pl.when(other_year & (year_gap == 1) & (pl.col("score") >= 95))
        .then(pl.lit("review"))  # a year apart, same name: lists disagree often enough
        .when(other_year)
        .then(pl.lit("rejected"))
        .when(pl.col("person") & same_year & (pl.col("score") >= 80))
        .then(pl.lit("accepted"))
        .when(pl.col("person") & (pl.col("score") >= 90) & ~other_patronymic)
        .then(pl.lit("accepted"))
        .when(~pl.col("person") & (pl.col("score") >= 92))
        .then(pl.lit("accepted"))
        .otherwise(pl.lit("review"))
    )
    evidence = pl.concat_str(
        pl.lit("names '"),
        pl.col("name_a"),
        pl.lit("' ~ '"),
        pl.col("name_b"),
        pl.lit("' score "),
        pl.col("score").round(0).cast(pl.Int64).cast(pl.String),
        pl.when(other_patronymic).then(pl.lit("; patronymics differ")).otherwise(pl.lit("")),
        pl.when(same_year)
        .then(pl.lit("; same birth year ") + year_a)
        .when(other_year)
        .then(pl.lit("; birth years differ ") + year_a + pl.lit("/") + year_b)
        .when(pl.col("person"))
        .then(pl.lit("; birth year not on both lists"))
        .otherwise(pl.lit("")),
    )
    return (
        best.with_columns(status=status, evidence=evidence)
        .select(
            "jurisdiction_a",
            "source_id_a",
            "primary_a",
            "jurisdiction_b",
            "source_id_b",
            "primary_b",
            "person",
            "score",
            "status",
            "evidence",
            "listed_a",
            "listed_b",
        )
        .sort("jurisdiction_a", "source_id_a", "jurisdiction_b", "source_id_b")
    )


def clusters(designations: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """Group accepted matches into targets (union-find); one row per listed target with its
    cluster id (the smallest member key) and the jurisdictions that list the cluster."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    members = [f"{j}:{s}" for j, s in designations.select("jurisdiction", "source_id").iter_rows()]
    for m in members:
        find(m)
    if matches.height:
        for row in matches.filter(pl.col("status") == "accepted").iter_rows(named=True):
            a = find(f"{row['jurisdiction_a']}:{row['source_id_a']}")
            b = find(f"{row['jurisdiction_b']}:{row['source_id_b']}")
            if a != b:
                parent[max(a, b)] = min(a, b)
    frame = designations.with_columns(
        member=pl.concat_str("jurisdiction", pl.lit(":"), "source_id")
    )
    frame = frame.with_columns(cluster=pl.col("member").map_elements(find, return_dtype=pl.String))
    lists = frame.group_by("cluster").agg(
        jurisdictions=pl.col("jurisdiction").unique().sort().str.join("+"),
        n_jurisdictions=pl.col("jurisdiction").n_unique(),
    )
    return frame.join(lists, on="cluster").drop("member").sort("jurisdiction", "source_id")


def lags(clustered: pl.DataFrame) -> pl.DataFrame:
    """For targets on two lists, days between the two listing dates (by `listed_to`), only
    where both dates are precise to a week."""
    precise = clustered.filter(
        pl.col("listed_from").is_not_null(),
        (pl.col("listed_to") - pl.col("listed_from")).dt.total_days() <= 7,
        pl.col("listing_date_basis") != "amending_act",
    ).select("cluster", "jurisdiction", "listed_to", "target_kind", "name")
    pairs = precise.join(precise, on="cluster", suffix="_b").filter(
        pl.col("jurisdiction") < pl.col("jurisdiction_b")
    )
    return pairs.select(
        "cluster",
        "name",
        "target_kind",
        pair=pl.col("jurisdiction") + pl.lit(" → ") + pl.col("jurisdiction_b"),
        first=pl.col("jurisdiction"),
        second=pl.col("jurisdiction_b"),
        lag_days=(pl.col("listed_to_b") - pl.col("listed_to")).dt.total_days(),
    ).sort("pair", "cluster", "name", "lag_days")


# --- who is targeted -----------------------------------------------------------------------
def load_categories(path: Path | None = None) -> list[tuple[str, re.Pattern]]:
    path = path or paths.PACKAGE / "sanctions_categories.toml"
    spec = tomllib.loads(path.read_text(encoding="utf-8"))["category"]
    return [(c["name"], re.compile(c["pattern"], re.IGNORECASE)) for c in spec]


def categorise(text: str | None, categories: list[tuple[str, re.Pattern]]) -> str | None:
    if not text:
        return None
    for name, pattern in categories:
        if pattern.search(text):
            return name
    return "other"


def who(clustered: pl.DataFrame, categories: list[tuple[str, re.Pattern]]) -> pl.DataFrame:
    """A category per target from its stated function (persons) or name (organisations);
    a target with no text of its own (the UK states none) takes its cluster's category."""
    text = (
        pl.when(pl.col("target_kind") == "person")
        .then(pl.col("function"))
        .otherwise(pl.col("name"))
    )
    frame = clustered.with_columns(
        own=text.map_elements(lambda t: categorise(t, categories), return_dtype=pl.String)
    )
    borrowed = (
        frame.drop_nulls("own")
        .sort("jurisdiction")
        .group_by("cluster")
        .agg(cluster_category=pl.col("own").first())
    )
    return (
        frame.join(borrowed, on="cluster", how="left")
        .with_columns(
            category=pl.coalesce("own", "cluster_category", pl.lit("not stated")),
            category_source=pl.when(pl.col("own").is_not_null())
            .then(pl.lit("own text"))
            .when(pl.col("cluster_category").is_not_null())
            .then(pl.lit("same target on another list"))
            .otherwise(pl.lit("none")),
        )
        .drop("own", "cluster_category")
        .sort("jurisdiction", "source_id")
    )


# --- figures -------------------------------------------------------------------------------
def _colour(domain: list[str]):
    import altair as alt

    from belarus_repression.figures import JURISDICTION_COLOURS

    return alt.Color(
        "jurisdiction:N",
        title="List",
        scale=alt.Scale(domain=domain, range=[JURISDICTION_COLOURS[j] for j in domain]),
    )


def listings_chart(
    cum: pl.DataFrame, actions: pl.DataFrame, start: date, end: date, jurisdictions: list[str]
):
    """Cumulative step lines per list, persons above, other targets below; official
    designation actions as ticks along the bottom of each panel."""
    import altair as alt

    panels = []
    acts = (
        blocking_designations(actions)
        .filter(pl.col("jurisdiction").is_in(jurisdictions), pl.col("date").is_between(start, end))
        .select("date", "jurisdiction", "legal_basis", "description")
    )
    for kind in ("persons", "organisations, vessels, aircraft"):
        data = cum.filter(pl.col("kind") == kind, pl.col("day") <= end)
        x = alt.X(
            "day:T",
            title=None,
            axis=alt.Axis(format="%Y", tickCount="year"),
            scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]),
        )
        lines = (
            alt.Chart(data)
            .mark_line(interpolate="step-after", strokeWidth=2)
            .encode(
                x=x,
                y=alt.Y("count:Q", title=f"{kind} listed"),
                color=_colour(jurisdictions),
                tooltip=["jurisdiction", "day:T", "count"],
            )
        )
        ticks = (
            alt.Chart(acts)
            .mark_tick(thickness=2, size=10, opacity=0.8)
            .encode(
                x=alt.X("date:T"),
                y=alt.value(152),
                color=_colour(jurisdictions),
                tooltip=["date:T", "jurisdiction", "legal_basis", "description"],
            )
        )
        panels.append(alt.layer(lines, ticks).properties(width=600, height=160))
    return alt.vconcat(*panels, spacing=12)


def overlap_chart(clustered: pl.DataFrame):
    """How many targets each combination of lists names (a target = a cluster)."""
    import altair as alt

    per_cluster = (
        clustered.with_columns(group=kind_group(pl.col("target_kind")))
        .group_by("cluster")
        .agg(pl.col("jurisdictions").first(), pl.col("group").first())
    )
    counts = (
        per_cluster.group_by("jurisdictions", "group")
        .len(name="targets")
        .sort("jurisdictions", "group")
    )
    order = (
        counts.group_by("jurisdictions")
        .agg(pl.col("targets").sum())
        .sort(["targets", "jurisdictions"], descending=[True, False])["jurisdictions"]
        .to_list()
    )
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("jurisdictions:N", sort=order, title="Listed by"),
            x=alt.X("targets:Q", title="Targets", stack=True),
            color=alt.Color("group:N", title=None),
            tooltip=["jurisdictions", "group", "targets"],
        )
        .properties(width=520, height=alt.Step(22))
    )


def lag_chart(lag_table: pl.DataFrame):
    """Days from one list's listing to the other's, for the same target: one circle per
    distinct lag, sized by how many targets share it; black tick: the median."""
    import altair as alt

    counts = lag_table.group_by("pair", "lag_days").len(name="targets").sort("pair", "lag_days")
    x = alt.X(
        "lag_days:Q",
        title="Days from the first list's listing to the second's "
        "(negative: the second list was first)",
    )
    points = (
        alt.Chart(counts)
        .mark_circle(opacity=0.6)
        .encode(
            y=alt.Y("pair:N", title=None),
            x=x,
            size=alt.Size("targets:Q", title="Targets", scale=alt.Scale(range=[30, 600])),
            tooltip=["pair", "lag_days", "targets"],
        )
    )
    median = (
        alt.Chart(lag_table)
        .mark_tick(color="black", thickness=2, size=26)
        .encode(y="pair:N", x="median(lag_days):Q")
    )
    zero = alt.Chart(pl.DataFrame({"x": [0]})).mark_rule(color="#888888").encode(x="x:Q")
    return alt.layer(zero, points, median).properties(width=560, height=alt.Step(48))


def who_chart(categorised: pl.DataFrame, jurisdictions: list[str]):
    import altair as alt

    counts = (
        categorised.filter(pl.col("jurisdiction").is_in(jurisdictions))
        .group_by("jurisdiction", "category")
        .len(name="targets")
        .sort("jurisdiction", "category")
    )
    order = (
        counts.group_by("category")
        .agg(pl.col("targets").sum())
        .sort(["targets", "category"], descending=[True, False])["category"]
        .to_list()
    )
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("targets:Q", title="Targets"),
            yOffset=alt.YOffset("jurisdiction:N", sort=jurisdictions),
            color=_colour(jurisdictions),
            tooltip=["jurisdiction", "category", "targets"],
        )
        .properties(width=480, height=alt.Step(9))
    )


def named_in(designations: pl.DataFrame, text: str) -> pl.DataFrame:
    """Targets whose distinctive name words (legal forms left out) appear in `text`, e.g. the
    organisations an official announcement names."""
    words = set(namelib.tokens(text))
    hits = [
        n.upper() in text.upper()
        or any(t in words for t in organisation_key(n).split() if len(t) > 3)
        for n in designations["name"]
    ]
    return designations.filter(pl.Series(hits, dtype=pl.Boolean))


def uk_birth_date_check(stated: pl.DataFrame, clustered: pl.DataFrame) -> dict:
    """How the UK's stated dates of birth compare with the birth years the other lists (or the
    UK's own personal numbers) give for the same person; and how many subjects share a date."""
    uk = clustered.filter(pl.col("jurisdiction") == "UK").select(
        "source_id", "cluster", own="listed_birth_date"
    )
    others = (
        clustered.filter(pl.col("jurisdiction") != "UK")
        .drop_nulls("listed_birth_date")
        .group_by("cluster")
        .agg(other=pl.col("listed_birth_date").str.slice(0, 4).first())
    )
    compared = (
        stated.join(uk, left_on="unique_id", right_on="source_id", how="inner")
        .join(others, on="cluster", how="left")
        .with_columns(reference=pl.coalesce(pl.col("own").str.slice(0, 4), "other"))
        .drop_nulls("reference")
    )
    shared = (
        stated.group_by("stated")
        .agg(subjects=pl.col("unique_id").n_unique())
        .sort(["subjects", "stated"], descending=[True, False])
    )
    return {
        "rows": stated.height,
        "compared": compared.height,
        "agree": compared.filter(pl.col("year") == pl.col("reference")).height,
        "most_shared": shared.row(0, named=True) if shared.height else None,
    }
