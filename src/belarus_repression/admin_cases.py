"""The 2020 crackdown in the courts: Viasna's administrative cases cleaned (sentences parsed,
courts resolved, duplicates removed) and their judges linked to ZUBR's judge register.

Pure functions over polars frames. What does not parse or resolve stays null beside its raw
text and is counted, never dropped.
"""

from __future__ import annotations

import re
from collections import Counter

import polars as pl
from anyascii import anyascii

from belarus_repression import names as namelib

ARREST = re.compile(r"^(\d+)\s*сут\.?$")
FINE = re.compile(r"^(\d+)\s*б\.\s*в\.?\s*(?:(\d[\d\s]*,\d{2})\s*руб\.?)?$")
ARTICLE_CODE = re.compile(r"(\d+\.\d+)(?:\s*ч\.\s*(\d+))?\s*КаАП")


def parse_arrest(text: str | None) -> int | None:
    """'15 сут.' -> 15 days of administrative arrest."""
    if not text:
        return None
    found = ARREST.match(text.strip())
    return int(found.group(1)) if found else None


def parse_fine(text: str | None) -> tuple[int | None, float | None]:
    """'20 б.в.540,00 руб.' -> (20 base units, 540.0 roubles)."""
    if not text:
        return None, None
    found = FINE.match(text.strip())
    if not found:
        return None, None
    rubles = found.group(2)
    return int(found.group(1)), (
        float(rubles.replace(" ", "").replace(",", ".")) if rubles else None
    )


def article_codes(text: str | None, known: dict[str, str]) -> list[str]:
    """Short article codes ('23.34_1', '23.4') of a case: the ZUBR map for a text it knows,
    else every 'NN.NN ч.N КаАП' the text cites, in order."""
    if not text:
        return []
    if text.strip() in known:
        return [known[text.strip()]]
    codes = []
    for article, part in ARTICLE_CODE.findall(text):
        code = f"{article}_{part}" if part else article
        if code not in codes:
            codes.append(code)
    return codes


def clean_cases(
    decisions: pl.DataFrame,
    article_map: dict[str, str],
    court_map: dict[str, str],
    courts: pl.DataFrame,
) -> pl.DataFrame:
    """One row per case as recorded, with parsed sentence, article and resolved court."""
    fines = [parse_fine(t) for t in decisions["fine"].to_list()]
    codes = [article_codes(t, article_map) for t in decisions["article"].to_list()]
    by_comment = {
        t: c for c, t in courts.select("court_code", "court_text_be").drop_nulls().iter_rows()
    }
    resolved = [
        court_map.get(t) or by_comment.get(t) if t else None for t in decisions["court"].to_list()
    ]
    frame = decisions.with_columns(
        arrest_days=pl.col("arrest").map_elements(parse_arrest, return_dtype=pl.Int64),
        fine_base_units=pl.Series([f[0] for f in fines], dtype=pl.Int64),
        fine_rubles=pl.Series([f[1] for f in fines], dtype=pl.Float64),
        article_code=pl.Series([c[0] if c else None for c in codes], dtype=pl.String),
        article_codes=pl.Series([", ".join(c) for c in codes], dtype=pl.String),
        court_code=pl.Series(resolved, dtype=pl.String),
        person_key=pl.col("full_name").map_elements(namelib.key, return_dtype=pl.String),
    )
    frame = frame.join(
        courts.select("court_code", "court_name_ru", "lat", "lon"), on="court_code", how="left"
    )
    sentence = (
        pl.when(pl.col("arrest_days").is_not_null())
        .then(pl.lit("arrest"))
        .when(pl.col("fine_base_units").is_not_null())
        .then(pl.lit("fine"))
        .when(pl.col("arrest").is_null() & pl.col("fine").is_null())
        .then(pl.lit("none"))
        .otherwise(pl.lit("unparsed"))
    )
    return (
        frame.with_columns(sentence=sentence)
        .select(
            "case_id",
            pl.col("id").alias("viasna_id"),
            pl.col("full_name").alias("person"),
            "person_key",
            "sex",
            "event_date",
            "court_date",
            "article",
            "article_code",
            "article_codes",
            "arrest",
            "arrest_days",
            "fine",
            "fine_base_units",
            "fine_rubles",
            "sentence",
            pl.col("court").alias("court_text"),
            "court_code",
            "court_name_ru",
            "lat",
            "lon",
            pl.col("judge").alias("judge_text"),
            "extra",
        )
        .sort("case_id")
    )


def deduplicate(cases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rule: the same person (folded name) with the same event day and the same court day is
    one case recorded twice; the first record (lowest case_id) is kept. Returns the kept cases
    and the removed ones, each removed row with the case it duplicates and whether its
    sentence differs."""
    key = ["person_key", "event_date", "court_date"]
    known = cases.filter(pl.col("person_key").is_not_null() & (pl.col("person_key") != ""))
    first = known.group_by(key).agg(kept_case_id=pl.col("case_id").min())
    marked = cases.join(first, on=key, how="left", nulls_equal=False)
    removed = marked.filter(
        pl.col("kept_case_id").is_not_null() & (pl.col("case_id") != pl.col("kept_case_id"))
    )
    kept_sentence = cases.select(
        kept_case_id="case_id", kept_arrest="arrest_days", kept_fine="fine_base_units"
    )
    removed = removed.join(kept_sentence, on="kept_case_id").with_columns(
        sentence_differs=(
            pl.col("arrest_days").ne_missing(pl.col("kept_arrest"))
            | pl.col("fine_base_units").ne_missing(pl.col("kept_fine"))
        )
    )
    kept = cases.filter(~pl.col("case_id").is_in(removed["case_id"].implode()))
    return kept.sort("case_id"), removed.drop("kept_arrest", "kept_fine").sort("case_id")


# --- judges --------------------------------------------------------------------------------
# A Belarusian initial and the Russian initials it may stand for (Алег = Олег, Яўген =
# Евгений, Ігар = Игорь, Эдуард = Эдуард).
INITIALS = {"І": "И", "Э": "ЭЕ", "Я": "ЯЕ", "Ё": "ЁЕ", "А": "АО", "Ў": "У"}


def parse_judge(text: str) -> dict:
    """'Трусевіч М.Л.' -> surname, initials ['М', 'Л']; 'Шабуня Вікторыя' -> surname and
    first name."""
    parts = [p for p in re.split(r"[\s.]+", text.strip()) if p]
    surname = parts[0] if parts else ""
    rest = []
    for part in parts[1:]:  # "АА" and "А.А." are both initials
        rest += list(part) if part.isupper() and len(part) <= 3 else [part]
    first = next((p for p in rest if len(p) > 1), None)
    initials = [p[0].upper() for p in rest]
    return {"surname": surname, "first_name": first, "initials": initials}


def _initials_agree(be: list[str], ru_name: str) -> bool:
    ru_parts = ru_name.split()[1:]
    for i, letter in enumerate(be[:2]):
        if i >= len(ru_parts):
            return False
        if ru_parts[i][0].upper() not in INITIALS.get(letter, letter):
            return False
    return True


def link_judges(
    texts: list[str], register: pl.DataFrame, maps: dict[str, dict[str, str]]
) -> pl.DataFrame:
    """Link each judge name as written (Belarusian) to the register's Russian full names.

    exact: the surname is spelt the same in both languages and the initials (or first name)
    agree; via_name_map: the same after the Belarusian -> Russian name maps; fuzzy: folded
    Latin surnames score 85 or more and the initials agree; none otherwise, or when several
    register judges fit (the evidence says which). A surname without initials links only when
    a single register judge has it.
    """
    from rapidfuzz.fuzz import ratio

    reg = register.with_columns(
        surname=pl.col("name_ru").str.split(" ").list.first(),
        first=pl.col("name_ru").str.split(" ").list.get(1, null_on_oob=True),
    )
    by_surname: dict[str, list[tuple[int, str]]] = {}
    for rid, name, surname in reg.select("register_id", "name_ru", "surname").iter_rows():
        by_surname.setdefault(surname.lower(), []).append((rid, name))
    reg_keys = [
        (rid, name, namelib.fold_token(namelib.ascii_name(surname)))
        for rid, name, surname in reg.select("register_id", "name_ru", "surname").iter_rows()
    ]
    rows = []
    for text in texts:
        parsed = parse_judge(text)
        surname, first = parsed["surname"], parsed["first_name"]
        initials = parsed["initials"]
        first_ru = maps["first_name"].get(first, first) if first else None
        if first_ru:
            initials = [first_ru[0].upper(), *initials[1:]]

        def fits(name: str, given: str | None = first_ru, letters: list[str] = initials) -> bool:
            if given and len(name.split()) > 1:
                return (
                    name.split()[1] == given
                    or ratio(namelib.ascii_name(name.split()[1]), namelib.ascii_name(given)) >= 85
                )
            return not letters or _initials_agree(letters, name)  # surname only: any fits

        status, evidence, found = "none", "no register judge with this surname fits", []
        exact = [c for c in by_surname.get(surname.lower(), []) if fits(c[1])]
        mapped_surname = maps["last_name"].get(surname)
        mapped = [c for c in by_surname.get((mapped_surname or "").lower(), []) if fits(c[1])]
        if exact:
            found, status = exact, "exact"
            evidence = f"surname '{surname}' spelt alike"
        elif mapped:
            found, status = mapped, "via_name_map"
            evidence = f"surname '{surname}' -> '{mapped_surname}' by the name map"
        else:
            key = namelib.fold_token(namelib.ascii_name(mapped_surname or surname))
            scored = [(ratio(key, k), rid, name) for rid, name, k in reg_keys]
            close = [(s, rid, name) for s, rid, name in scored if s >= 85 and fits(name)]
            if close:
                best = max(s for s, _, _ in close)
                found = [(rid, name) for s, rid, name in close if s == best]
                status = "fuzzy"
                evidence = f"folded surname '{key}' scores {best:.0f}"
        if len(found) > 1:
            evidence += f"; ambiguous: {len(found)} register judges fit"
            status, found = "none", found
            rows.append(
                {
                    "name_be": text,
                    "register_id": None,
                    "name_ru": None,
                    "register_match": status,
                    "match_evidence": evidence + " (" + "; ".join(n for _, n in found) + ")",
                }
            )
            continue
        if found:
            rid, name = found[0]
            if first:
                given = f"first name '{first}' -> '{first_ru}'"
            elif parsed["initials"]:
                given = "initials " + ".".join(parsed["initials"]) + "."
            else:
                given = "surname only; the one register judge who fits"
            rows.append(
                {
                    "name_be": text,
                    "register_id": rid,
                    "name_ru": name,
                    "register_match": status,
                    "match_evidence": f"{evidence}; {given}",
                }
            )
        else:
            rows.append(
                {
                    "name_be": text,
                    "register_id": None,
                    "name_ru": None,
                    "register_match": "none",
                    "match_evidence": evidence,
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "name_be": pl.String,
            "register_id": pl.Int64,
            "name_ru": pl.String,
            "register_match": pl.String,
            "match_evidence": pl.String,
        },
    )


def judges_table(cases: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """One row per judge: Belarusian and Russian spellings, Latin transliteration, the court
    most of their cases come from, case counts and days of arrest, the register link."""
    per_text = (
        cases.drop_nulls("judge_text")
        .group_by("judge_text")
        .agg(
            n_admin_cases=pl.len(),
            arrest_days_total=pl.col("arrest_days").sum(),
            courts=pl.col("court_code").drop_nulls(),
        )
    )
    joined = per_text.join(links, left_on="judge_text", right_on="name_be", how="left").sort(
        "judge_text"
    )  # group-bys and joins leave rows in no fixed order
    joined = joined.with_columns(
        judge_id=pl.when(pl.col("register_id").is_not_null())
        .then(pl.lit("register:") + pl.col("register_id").cast(pl.String))
        .otherwise(pl.lit("admin:") + pl.col("judge_text"))
    )
    rows = []
    for judge_id, group in joined.group_by("judge_id", maintain_order=True):
        courts = Counter(c for cs in group["courts"] for c in cs)
        name_ru = group["name_ru"][0]
        spellings = sorted(group["judge_text"].to_list())
        rows.append(
            {
                "judge_id": judge_id[0],
                "name_be": " | ".join(spellings),
                "name_ru": name_ru,
                "name_latin": anyascii(name_ru or spellings[0]),
                "court_code": min(courts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                if courts
                else None,
                "n_admin_cases": int(group["n_admin_cases"].sum()),
                "arrest_days_total": int(group["arrest_days_total"].sum()),
                "register_id": group["register_id"][0],
                "register_match": group["register_match"][0],
                "match_evidence": " | ".join(sorted(set(group["match_evidence"].to_list()))),
            }
        )
    return pl.DataFrame(rows).sort("judge_id")


# --- figures -------------------------------------------------------------------------------
def daily_chart(cases: pl.DataFrame, events: pl.DataFrame):
    import altair as alt

    daily = (
        cases.drop_nulls("court_date")
        .group_by("court_date", "sentence")
        .len(name="cases")
        .sort("court_date", "sentence")
    )
    bars = (
        alt.Chart(daily)
        .mark_bar()
        .encode(
            x=alt.X(
                "court_date:T",
                title="Day of the court decision",
                axis=alt.Axis(format="%d %b", tickCount="week"),
            ),
            y=alt.Y("cases:Q", title="Cases"),
            color=alt.Color(
                "sentence:N",
                title="Sentence",
                scale=alt.Scale(
                    domain=["arrest", "fine", "none", "unparsed"],
                    range=["#D55E00", "#0072B2", "#999999", "#CC79A7"],
                ),
            ),
            tooltip=["court_date:T", "sentence", "cases"],
        )
    )
    rules = (
        alt.Chart(events)
        .mark_rule(strokeDash=[3, 3], color="#444444")
        .encode(x="date:T", tooltip=["date:T", "event"])
    )
    labels = (
        alt.Chart(events)
        .mark_text(angle=270, align="right", dx=-4, dy=-4, fontSize=9, color="#444444")
        .encode(x="date:T", y=alt.value(0), text="event:N")
    )
    return alt.layer(bars, rules, labels).properties(width=640, height=300)


def courts_map(per_court: pl.DataFrame):
    """Courts on longitude/latitude, sized by cases (no borders: no map data is shipped)."""
    import altair as alt

    return (
        alt.Chart(per_court)
        .mark_circle(opacity=0.6, stroke="#333333", strokeWidth=0.5)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("cases:Q", title="Cases", scale=alt.Scale(range=[15, 1500])),
            color=alt.value("#D55E00"),
            tooltip=["court_name_ru", "cases", "arrest_days"],
        )
        .project(type="mercator")
        .properties(width=520, height=440)
    )


def sentence_chart(cases: pl.DataFrame, articles: list[str]):
    import altair as alt

    data = cases.filter(pl.col("article_code").is_in(articles), pl.col("arrest_days").is_not_null())
    return (
        alt.Chart(data)
        .mark_boxplot(extent="min-max")
        .encode(
            y=alt.Y("article_code:N", title="Article (КаАП)", sort=articles),
            x=alt.X("arrest_days:Q", title="Days of arrest"),
        )
        .properties(width=420, height=alt.Step(24))
    )


def top_judges_chart(ranked: pl.DataFrame):
    import altair as alt

    order = ranked["judge"].to_list()
    base = alt.Chart(ranked).encode(
        y=alt.Y("judge:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        tooltip=["judge", "cases", "arrest_days", "match"],
    )
    cases = base.mark_bar(color="#0072B2").encode(x=alt.X("cases:Q", title="Cases"))
    days = base.mark_bar(color="#D55E00").encode(
        x=alt.X("arrest_days:Q", title="Days of arrest"), y=alt.Y("judge:N", sort=order, axis=None)
    )
    return alt.hconcat(
        cases.properties(width=260, height=alt.Step(16)),
        days.properties(width=260, height=alt.Step(16)),
        spacing=6,
    )
