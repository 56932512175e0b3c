"""Political prisoners: Viasna's per-person records cleaned into tables, the date each person
was recognised, the number held on each day, and a report of odd records.

Pure functions over polars frames. Nothing is silently fixed: a value that cannot be parsed
stays null beside its raw text and is counted in the quality report.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl

from belarus_repression import names as namelib
from belarus_repression.sources.viasna import DATE_FIELDS, STATUSES

# --- sentences -----------------------------------------------------------------------------
WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# Typos seen in the data, read as the word they stand for.
UNIT_TYPOS = {
    "tear": "year",
    "yers": "years",
    "minths": "months",
    "месяца": "months",
    "месяцев": "months",
    "adn": "and",
}
TERM = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)(?:\s+(?P<frac>\d)\s*[/\\](?P<den>\d))?\s*(?P<unit>years?|months?|days?)\b"
)
FINE = re.compile(
    r"(?P<n>[\d.,]+)\s*(base rates?|basic values?|base values?|rubles?|"
    r"belarusian rubles)",
    re.IGNORECASE,
)
NON_TERMS = [  # (pattern, kind): decisions that are not a term of deprivation of liberty
    (r"treatment", "compulsory_treatment"),
    (r"community[- ]service", "community_service"),
    (r"dismissed|statute of limitations", "no_penalty"),
    (r"\bunknown\b", "unknown"),
]


def parse_sentence(text: str | None) -> tuple[float | None, str]:
    """A decision text -> (months, kind).

    "6 years" -> (72, "term"); "4 1/2 years" -> (54, "term"); "2 years 6 months" -> (30,
    "term"); "18 months" -> (18, "term"); "150 base rates" -> (None, "fine"); a term with a fine
    stays a term. Unreadable text gives (None, "unparsed"); no text (None, "missing").
    """
    if text is None or not text.strip():
        return None, "missing"
    clean = text.lower().strip()
    for typo, word in UNIT_TYPOS.items():
        clean = re.sub(rf"\b{typo}\b", word, clean)
    for word, number in WORD_NUMBERS.items():
        clean = re.sub(rf"\b{word}\b", str(number), clean)
    months = 0.0
    found = False
    for match in TERM.finditer(clean):
        value = float(match.group("n").replace(",", "."))
        if match.group("frac"):
            value += int(match.group("frac")) / int(match.group("den"))
        unit = match.group("unit")
        months += value * (
            12 if unit.startswith("year") else 1 if unit.startswith("month") else 1 / 30.4375
        )
        found = True
    if found:
        return round(months, 2), "term"
    if re.fullmatch(r"\d+\s+\d\s*[/\\]\s*\d", clean):  # "4 1/2": a term without its unit
        return None, "unparsed"
    if FINE.search(clean):
        return None, "fine"
    for pattern, kind in NON_TERMS:
        if re.search(pattern, clean):
            return None, kind
    return None, "unparsed"


REGIMES = [  # (pattern on the penalty text, short category); first match wins
    (r"juvenile", "juvenile_colony"),
    (r"general-security", "colony_general"),
    (r"medium-security", "colony_medium"),
    (r"maximum-security penal colony", "colony_maximum"),
    (r"security prison", "prison"),
    (r"home confinement", "home_confinement"),
    (r"open penal facility", "open_facility"),
    (r"^arrest$", "arrest"),
    (r"^fine$", "fine"),
    (r"suspended", "suspended"),
    (r"psychiatric", "psychiatric_treatment"),
    (r"educational", "educational_measures"),
]
CUSTODIAL = {
    "juvenile_colony",
    "colony_general",
    "colony_medium",
    "colony_maximum",
    "prison",
    "open_facility",
    "arrest",
}


def regime(penalty: str | None) -> str | None:
    if not penalty:
        return None
    for pattern, name in REGIMES:
        if re.search(pattern, penalty, re.IGNORECASE):
            return name
    return "other"


# --- articles ------------------------------------------------------------------------------
ARTICLE = re.compile(
    r"(?:(?:part|p\.)\s*(?P<part>\d+)\s+of\s+)?(?:art\.?|article)\s*"
    r"(?P<art>\d+(?:-\d+)?)",
    re.IGNORECASE,
)


def parse_article(text: str) -> dict:
    """ "Part 2 of Art. 293 of the Criminal Code — Participation in riots" ->
    code "293", part 2, label "Participation in riots". Preparation (Art. 13) and attempt
    (Art. 14) combine with the article they qualify: "Part 1 of Article 13 and Article 293"
    -> code "13-293". Article numbers with a superscript keep it: "361-1"."""
    head, label = text, None
    for separator in (" \u2014 ", " \u2013 ", " - ", ": "):  # em dash, en dash, hyphen, colon
        if separator in text:
            head, _, label = text.partition(separator)
            break
    found = list(ARTICLE.finditer(head))
    if not found:
        return {"code": None, "part": None, "label": label}
    first = found[0]
    if first.group("art") in {"13", "14"} and len(found) > 1:
        main = found[1]
        code = f"{first.group('art')}-{main.group('art')}"
    else:
        main = first
        code = main.group("art")
    part = int(main.group("part")) if main.group("part") else None
    return {"code": code, "part": part, "label": label.strip() if label else None}


# --- recognition dates ---------------------------------------------------------------------
NEWS_ID = re.compile(r"spring96\.org/(?:en|be|ru)/news/(\d+)")
MIN_RELIABLE_ID = 15000  # the data README: ids below about 15000 are not reliable anchors


def news_id(url: str | None) -> int | None:
    if not url:
        return None
    found = NEWS_ID.search(url)
    return int(found.group(1)) if found else None


def date_news_ids(ids: pl.Series, anchors: pl.DataFrame) -> pl.DataFrame:
    """Estimate the publication day of news ids by linear interpolation between the dated
    anchors around them; keep the anchors' days as the interval it must lie in. Ids outside
    the anchors' range get no date."""
    anchors = (
        anchors.filter(pl.col("news_id") >= MIN_RELIABLE_ID)
        .group_by("news_id")
        .agg(pl.col("date").min())
        .sort("news_id")
    )
    a_ids, a_days = anchors["news_id"].to_list(), anchors["date"].to_list()
    out = []
    for value in ids.to_list():
        row = {
            "news_id": value,
            "recognised_on": None,
            "recognised_from": None,
            "recognised_to": None,
        }
        if value is not None and a_ids and a_ids[0] <= value <= a_ids[-1]:
            i = max(k for k in range(len(a_ids)) if a_ids[k] <= value)
            if a_ids[i] == value:
                row.update(
                    recognised_on=a_days[i], recognised_from=a_days[i], recognised_to=a_days[i]
                )
            else:
                lo, hi = a_ids[i], a_ids[i + 1]
                span = (a_days[i + 1] - a_days[i]).days
                offset = round(span * (value - lo) / (hi - lo))
                row.update(
                    recognised_on=a_days[i] + timedelta(days=offset),
                    recognised_from=a_days[i],
                    recognised_to=a_days[i + 1],
                )
        out.append(row)
    return pl.DataFrame(
        out,
        schema={
            "news_id": pl.Int64,
            "recognised_on": pl.Date,
            "recognised_from": pl.Date,
            "recognised_to": pl.Date,
        },
    )


# --- the people table ----------------------------------------------------------------------
def snapshot_day(records: pl.DataFrame) -> date:
    """The last day the copy can speak for: the latest arrest or release it records."""
    return max(records["arrested"].max(), records["release_date"].max())


def clean(records: pl.DataFrame, anchors: pl.DataFrame) -> pl.DataFrame:
    """One row per person, the columns of `data/processed/prisoners.parquet`."""
    sentences = [parse_sentence(t) for t in records["decision"].to_list()]
    ids = records["declaration"].map_elements(news_id, return_dtype=pl.Int64)
    dated = date_news_ids(ids, anchors)
    year = pl.col("birth_year")
    plausible = year.is_between(1900, 2010)
    return (
        records.with_columns(
            person_id=pl.col("id"),
            status=pl.col("status").replace_strict(STATUSES),
            sentence_months=pl.Series([s[0] for s in sentences], dtype=pl.Float64),
            sentence_kind=pl.Series([s[1] for s in sentences], dtype=pl.String),
            regime=pl.col("penalty").map_elements(regime, return_dtype=pl.String),
            declaration_news_id=ids,
            recognised_on=dated["recognised_on"],
            recognised_from=dated["recognised_from"],
            recognised_to=dated["recognised_to"],
            birth_year=pl.when(plausible).then(year),
            birth_year_raw=year,
            age_at_arrest=pl.when(plausible & pl.col("arrested").is_not_null()).then(
                pl.col("arrested").dt.year() - year
            ),
        )
        .select(
            "person_id",
            "name",
            "status",
            "gender",
            "birth_year",
            "birth_year_raw",
            "age_at_arrest",
            *DATE_FIELDS,
            "decision",
            "sentence_months",
            "sentence_kind",
            "penalty",
            "regime",
            "prison",
            "declaration",
            "declaration_news_id",
            "recognised_on",
            "recognised_from",
            "recognised_to",
            "url",
            "description",
        )
        .sort("person_id")
    )


def articles(records: pl.DataFrame) -> pl.DataFrame:
    """One row per person and charge: normalised code, part, English label, raw text."""
    rows = []
    for person, texts in records.select("id", "articles").iter_rows():
        for position, text in enumerate(texts or [], start=1):
            rows.append(
                {
                    "person_id": person,
                    "position": position,
                    **parse_article(text),
                    "article_text": text,
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "person_id": pl.Int64,
            "position": pl.Int64,
            "code": pl.String,
            "part": pl.Int64,
            "label": pl.String,
            "article_text": pl.String,
        },
    )


def split_people(records: pl.DataFrame, field: str, role: str) -> pl.DataFrame:
    """A field that may name several people ("A, B") -> one row per person and name, with
    the name as written and its folded key for matching."""
    rows = []
    for person, text in records.select("id", field).iter_rows():
        if not text:
            continue
        for position, name in enumerate(
            [n.strip() for n in re.split(r",|;| and ", text) if n.strip()], start=1
        ):
            rows.append(
                {
                    "person_id": person,
                    "position": position,
                    f"{role}_name": name,
                    "name_key": namelib.short_key(name),
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "person_id": pl.Int64,
            "position": pl.Int64,
            f"{role}_name": pl.String,
            "name_key": pl.String,
        },
    )


# --- people held over time -----------------------------------------------------------------
def custody_spells(people: pl.DataFrame, snapshot: date) -> pl.DataFrame:
    """For each recognised person (held or released): when custody began (arrest), when
    recognition came, and when it ended — known, or bounded where a released person has no
    release date: at the earliest the last date the record knows, at the latest the snapshot;
    the central estimate is arrest plus the sentence for a custodial term, within the bounds.
    """
    recognised = people.filter(pl.col("status").is_in(["held", "released"]))
    last_known = pl.max_horizontal(*[pl.col(c) for c in DATE_FIELDS if c != "release_date"])
    served = pl.col("arrested") + pl.duration(
        days=(pl.col("sentence_months") * 30.4375).cast(pl.Int64)
    )
    custodial = pl.col("regime").is_in(sorted(CUSTODIAL)) & (pl.col("sentence_kind") == "term")
    snap = pl.lit(snapshot + timedelta(days=1))  # ends are exclusive: held through the snapshot
    end_low = (
        pl.when(pl.col("status") == "held")
        .then(snap)
        .when(pl.col("release_date").is_not_null())
        .then(pl.col("release_date"))
        .otherwise(pl.min_horizontal(last_known, snap))
    )
    end_high = (
        pl.when(pl.col("release_date").is_not_null()).then(pl.col("release_date")).otherwise(snap)
    )
    end_mid = (
        pl.when(pl.col("status") == "held")
        .then(snap)
        .when(pl.col("release_date").is_not_null())
        .then(pl.col("release_date"))
        .when(custodial & served.is_not_null())
        .then(pl.min_horizontal(pl.max_horizontal(served, end_low), snap))
        .otherwise(end_low)
    )
    return recognised.select(
        "person_id",
        "status",
        "arrested",
        "recognised_on",
        "recognised_from",
        "recognised_to",
        end_low=end_low,
        end=end_mid,
        end_high=end_high,
        release_known=(pl.col("status") == "held") | pl.col("release_date").is_not_null(),
    )


def _count_daily(days: pl.Series, start: pl.Series, end: pl.Series) -> list[int]:
    """People whose spell covers each day: start <= day < end (released on the end day)."""
    frame = (
        pl.DataFrame({"start": start, "end": end})
        .drop_nulls("start")
        .with_columns(pl.col("end").fill_null(pl.col("start")))
    )
    frame = frame.filter(pl.col("end") > pl.col("start"))
    events = pl.concat(
        [frame.select(day="start", change=pl.lit(1)), frame.select(day="end", change=pl.lit(-1))]
    )
    deltas = events.group_by("day").agg(pl.col("change").sum())
    base = (
        pl.DataFrame({"day": days})
        .join(deltas, on="day", how="left")
        .sort("day")
        .with_columns(pl.col("change").fill_null(0))
    )
    before = int(deltas.filter(pl.col("day") < days.min())["change"].sum())
    return (base["change"].cum_sum() + before).to_list()


def held_daily(spells: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """One row per day: people in custody counted from arrest, and counted only once
    recognised, each with a lower and upper bound for unknown release (and recognition)
    dates. A person without an arrest date is only in the `held_recognised` counts and the
    upper bound of `held_from_arrest` (from the day they were recognised)."""
    days = pl.date_range(start, end, "1d", eager=True).alias("day")
    from_arrest_high_start = pl.coalesce("arrested", "recognised_on")
    s = spells.with_columns(high_start=from_arrest_high_start)
    return pl.DataFrame(
        {
            "date": days,
            "held_from_arrest": _count_daily(days, s["arrested"], s["end"]),
            "held_from_arrest_low": _count_daily(days, s["arrested"], s["end_low"]),
            "held_from_arrest_high": _count_daily(days, s["high_start"], s["end_high"]),
            "held_recognised": _count_daily(days, s["recognised_on"], s["end"]),
            "held_recognised_low": _count_daily(days, s["recognised_to"], s["end_low"]),
            "held_recognised_high": _count_daily(days, s["recognised_from"], s["end_high"]),
        }
    )


# --- quality -------------------------------------------------------------------------------
def quality_report(people: pl.DataFrame, snapshot: date) -> pl.DataFrame:
    """Odd records, one row per check: how many, and up to five person ids to look at."""
    checks: list[tuple[str, str, pl.Expr]] = [
        ("missing", field, pl.col(field).is_null())
        for field in [
            "name",
            "arrested",
            "verdict_date",
            "release_date",
            "decision",
            "declaration",
            "prison",
        ]
    ]
    checks += [
        ("release before arrest", "release_date", pl.col("release_date") < pl.col("arrested")),
        ("verdict before arrest", "verdict_date", pl.col("verdict_date") < pl.col("arrested")),
        ("appeal before verdict", "appeal_date", pl.col("appeal_date") < pl.col("verdict_date")),
        (
            "after the snapshot",
            "any date",
            pl.any_horizontal(*[pl.col(c) > snapshot for c in DATE_FIELDS]),
        ),
        (
            "impossible birth year",
            "birth_year",
            ~pl.col("birth_year_raw").is_between(1900, 2010)
            & pl.col("birth_year_raw").is_not_null(),
        ),
        ("unparsed sentence", "decision", pl.col("sentence_kind") == "unparsed"),
        (
            "released without a release date",
            "release_date",
            (pl.col("status") == "released") & pl.col("release_date").is_null(),
        ),
        (
            "held with a release date",
            "release_date",
            (pl.col("status") == "held") & pl.col("release_date").is_not_null(),
        ),
        (
            "Cyrillic letters inside a Latin name",
            "name",
            pl.col("name").map_elements(
                lambda n: namelib.script(n) == "mixed", return_dtype=pl.Boolean
            ),
        ),
        (
            "placeholder name",
            "name",
            pl.col("name").str.contains(r"^(Citizen|Defendant|Resident|Unknown)\b"),
        ),
        ("url shared with another record", "url", pl.col("url").is_duplicated()),
        (
            "possibly mis-gendered: marked male, female name ending",
            "gender",
            (pl.col("gender") == "male") & pl.col("name").str.contains(r"(?i)(ava|aya|ina|ia)$"),
        ),
    ]
    key = pl.col("name").map_elements(namelib.short_key, return_dtype=pl.String)
    with_key = people.with_columns(name_key=key)
    duplicate = (
        pl.struct("name_key", "birth_year").is_duplicated()
        & pl.col("birth_year").is_not_null()
        & (pl.col("name_key").str.count_matches(" ") >= 1)
    )
    checks.append(("likely duplicate person (same folded name and birth year)", "name", duplicate))
    rows = []
    for check, field, expr in checks:
        hit = with_key.filter(expr.fill_null(False))
        rows.append(
            {
                "check": check,
                "field": field,
                "records": hit.height,
                "share": round(hit.height / people.height, 4),
                "examples": ", ".join(str(i) for i in hit["person_id"].head(5)),
            }
        )
    return pl.DataFrame(rows)


def people_ranking(named: pl.DataFrame, people: pl.DataFrame, role: str) -> pl.DataFrame:
    """Judges (or prosecutors) by the political prisoners whose cases name them, with the
    years of custodial terms handed down in those cases (a case naming several judges counts
    for each)."""
    column = f"{role}_name"
    joined = named.join(
        people.select(
            "person_id", "status", "sentence_months", "sentence_kind", "regime", "verdict_date"
        ),
        on="person_id",
        how="left",
    )
    custodial = pl.col("regime").is_in(sorted(CUSTODIAL)) & (pl.col("sentence_kind") == "term")
    return (
        joined.group_by("name_key")
        .agg(
            **{column: pl.col(column).mode().sort().first()},
            spellings=pl.col(column).unique().sort().str.join(" | "),
            prisoners=pl.col("person_id").n_unique(),
            custodial_years=(pl.when(custodial).then(pl.col("sentence_months")).otherwise(0.0) / 12)
            .sum()
            .round(1),
            first_verdict=pl.col("verdict_date").min(),
            last_verdict=pl.col("verdict_date").max(),
        )
        .filter(pl.col("name_key") != "")
        .sort(["prisoners", "custodial_years", "name_key"], descending=[True, True, False])
    )


def monthly_flows(people: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Arrests, recognitions and known releases per month (recognised people only)."""
    recognised = people.filter(pl.col("status").is_in(["held", "released"]))
    frames = []
    for event, column in (
        ("arrests", "arrested"),
        ("recognitions", "recognised_on"),
        ("releases (known dates)", "release_date"),
    ):
        frames.append(
            recognised.filter(pl.col(column).is_between(start, end))
            .group_by(month=pl.col(column).dt.truncate("1mo"))
            .len(name="people")
            .with_columns(event=pl.lit(event))
        )
    return pl.concat(frames).sort("event", "month")


# --- figures -------------------------------------------------------------------------------
SERIES = {"held_from_arrest": "counted from arrest", "held_recognised": "counted once recognised"}


def held_chart(daily: pl.DataFrame, published: pl.DataFrame):
    """The two reconstructed counts with their bands, and Viasna's published counts."""
    import altair as alt

    long = pl.concat(
        [
            daily.select(
                "date",
                count=pl.col(s),
                low=pl.col(f"{s}_low"),
                high=pl.col(f"{s}_high"),
                series=pl.lit(label),
            )
            for s, label in SERIES.items()
        ]
    )
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=[*SERIES.values(), "Viasna's published count"],
            range=["#0072B2", "#D55E00", "#000000"],
        ),
    )
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", tickCount="month"))
    band = (
        alt.Chart(long)
        .mark_area(opacity=0.18)
        .encode(x=x, y=alt.Y("low:Q", title="People in custody"), y2="high:Q", color=colour)
    )
    line = (
        alt.Chart(long)
        .mark_line(strokeWidth=1.8)
        .encode(
            x=x, y="count:Q", color=colour, tooltip=["series", "date:T", "count", "low", "high"]
        )
    )
    points = alt.Chart(published.with_columns(series=pl.lit("Viasna's published count")))
    dots = points.mark_point(filled=True, size=45).encode(
        x="date:T",
        y="political_prisoners:Q",
        color=colour,
        tooltip=["date:T", "political_prisoners", "source"],
    )
    return alt.layer(band, line, dots).properties(width=620, height=330)


def flows_chart(flows: pl.DataFrame):
    import altair as alt

    return (
        alt.Chart(flows)
        .mark_bar()
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y("people:Q", title="People per month"),
            color=alt.Color("event:N", title=None),
            row=alt.Row("event:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=["event", "month:T", "people"],
        )
        .properties(width=600, height=90)
        .resolve_scale(y="independent")
    )


def sentences_chart(people: pl.DataFrame):
    """Custodial and restricted-freedom terms by year of verdict."""
    import altair as alt

    data = people.filter(
        pl.col("sentence_kind") == "term",
        pl.col("verdict_date").is_not_null(),
        pl.col("verdict_date").dt.year() >= 2020,
    ).select(
        year=pl.col("verdict_date").dt.year().cast(pl.String),
        years=(pl.col("sentence_months") / 12).round(2),
    )
    return (
        alt.Chart(data)
        .mark_boxplot(extent="min-max", size=34)
        .encode(
            x=alt.X("year:O", title="Year of verdict"),
            y=alt.Y("years:Q", title="Sentence, years"),
        )
        .properties(width=360, height=300)
    )


def top_bar(
    frame: pl.DataFrame,
    label: str,
    value: str,
    title: str,
    colour: str | None = None,
    order: list[str] | None = None,
):
    """A ranking as horizontal bars, in the frame's order unless `order` is given."""
    import altair as alt

    encoding = {
        "y": alt.Y(f"{label}:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
        "x": alt.X(f"{value}:Q", title=title),
        "tooltip": [c for c in frame.columns],
    }
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", title=None)
    return alt.Chart(frame).mark_bar().encode(**encoding).properties(width=420, height=alt.Step(16))


def held_on(spells: pl.DataFrame, people: pl.DataFrame, day: date) -> dict[str, int]:
    """Who makes up the central 'once recognised' count on one day: how many are counted,
    how many of them have an estimated (not recorded) release, and how many were sentenced to
    restricted freedom at home rather than a custodial regime."""
    counted = spells.filter(pl.col("recognised_on") <= day, pl.col("end") > day).join(
        people.select("person_id", "regime"), on="person_id", how="left"
    )
    return {
        "counted": counted.height,
        "estimated_release": counted.filter(~pl.col("release_known")).height,
        "home_confinement": counted.filter(pl.col("regime") == "home_confinement").height,
        "no_regime_yet": counted.filter(pl.col("regime").is_null()).height,
    }
