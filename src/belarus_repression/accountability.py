"""Accountability: the judges and prosecutors named in Viasna's records, matched against the
persons on the US, UK and EU sanctions lists.

A candidate is a name as spelt in a source record (a Viasna prisoner record's `judge` or
`councel`, or an administrative case's judge with its register name); a pair is scored on the
names (every variant the lists give, folded by `belarus_repression.names`) and judged with the
role the lists state: a sanctioned person whose function (or, for the UK, the same person's
function on another list) says judge or prosecutor.
"""

from __future__ import annotations

import re

import polars as pl

from belarus_repression import names as namelib

ROLE_CATEGORY = {"judge": "judiciary", "prosecutor": "prosecution and investigation"}
ROLE_WORDS = {
    "judge": re.compile(r"\bjudge|\bcourt\b|judicial", re.IGNORECASE),
    "prosecutor": re.compile(r"prosecut", re.IGNORECASE),
}


def candidates(
    prisoner_judges: pl.DataFrame, prisoner_prosecutors: pl.DataFrame, admin_judges: pl.DataFrame
) -> pl.DataFrame:
    """One row per name as spelt, role and source, with how many people it sentenced or
    prosecuted; admin judges linked to the register also carry the register's Russian name."""
    frames = [
        prisoner_judges.group_by(judge_name="judge_name")
        .agg(cases=pl.col("person_id").n_unique())
        .with_columns(
            role=pl.lit("judge"), judge_source=pl.lit("prisoners"), name_ru=pl.lit(None, pl.String)
        ),
        prisoner_prosecutors.group_by(judge_name="prosecutor_name")
        .agg(cases=pl.col("person_id").n_unique())
        .with_columns(
            role=pl.lit("prosecutor"),
            judge_source=pl.lit("prisoners"),
            name_ru=pl.lit(None, pl.String),
        ),
        admin_judges.select(
            judge_name=pl.col("name_be").str.split(" | ").list.first(),
            cases=pl.col("n_admin_cases").cast(pl.UInt32),
            role=pl.lit("judge"),
            judge_source=pl.lit("admin_cases"),
            # the register writes "Surname First Patronymic": mark the surname with a comma
            name_ru=pl.col("name_ru").str.replace(" ", ", ", literal=True, n=1),
        ),
    ]
    cols = ["judge_name", "role", "judge_source", "name_ru", "cases"]
    return pl.concat([f.select(cols) for f in frames]).sort("judge_source", "role", "judge_name")


def match(
    cands: pl.DataFrame,
    designations: pl.DataFrame,
    all_names: pl.DataFrame,
    targets: pl.DataFrame,
    given: dict[str, str],
) -> pl.DataFrame:
    """Score every candidate against every sanctioned person; keep pairs scoring 75 or more.

    status: accepted — names agree (90+; a clearly different patronymic excepted) and the
    list states the role; review — names agree but the list states no function for the
    person, or the names only nearly agree (80-90) with the role stated; rejected — the list
    states another function, or the names agree too little.
    """
    from rapidfuzz import fuzz, process

    persons = designations.filter(pl.col("target_kind") == "person")
    variants = (
        all_names.join(
            persons.select("jurisdiction", "source_id"), on=["jurisdiction", "source_id"]
        )
        .with_columns(key=pl.col("name").map_elements(namelib.short_key, return_dtype=pl.String))
        .filter(pl.col("key").str.len_chars() > 2)
    )
    spellings = (
        cands.with_columns(spelling=pl.col("judge_name"))
        .vstack(cands.drop_nulls("name_ru").with_columns(spelling=pl.col("name_ru")))
        .with_columns(
            key=pl.col("spelling").map_elements(namelib.short_key, return_dtype=pl.String)
        )
        .filter(pl.col("key").str.contains(" "))
    )
    matrix = process.cdist(
        spellings["key"].to_list(),
        variants["key"].to_list(),
        scorer=fuzz.token_sort_ratio,
        score_cutoff=60,
        workers=1,
    )
    rows = []
    for x, y in zip(*matrix.nonzero(), strict=True):
        spelling, variant = spellings["spelling"][int(x)], variants["name"][int(y)]
        score, patronymic = namelib.person_similarity(spelling, variant, given)
        if score < 75:
            continue
        c = spellings.row(int(x), named=True)
        rows.append(
            {
                "judge_name": c["judge_name"],
                "role": c["role"],
                "judge_source": c["judge_source"],
                "cases": c["cases"],
                "jurisdiction": variants["jurisdiction"][int(y)],
                "list_id": variants["source_id"][int(y)],
                "spelling": spelling,
                "variant": variant,
                "score": score,
                "patronymic_score": patronymic,
            }
        )
    schema = {
        "judge_name": pl.String,
        "role": pl.String,
        "judge_source": pl.String,
        "cases": pl.UInt32,
        "jurisdiction": pl.String,
        "list_id": pl.String,
        "spelling": pl.String,
        "variant": pl.String,
        "score": pl.Float64,
        "patronymic_score": pl.Float64,
    }
    pairs = pl.DataFrame(rows, schema=schema)
    key = ["judge_name", "role", "judge_source", "jurisdiction", "list_id"]
    best = (
        pairs.sort(["score", "spelling", "variant"], descending=[True, False, False])
        .group_by(key, maintain_order=True)
        .first()
    )
    # The UK states no functions: take the function the same person has on another list.
    clustered = persons.join(
        targets.select("jurisdiction", "source_id", "cluster", "category", "category_source"),
        on=["jurisdiction", "source_id"],
        how="left",
    )
    stated = (
        clustered.drop_nulls("function")
        .sort("jurisdiction", "source_id")
        .group_by("cluster")
        .agg(cluster_function=pl.col("function").first())
    )
    facts = clustered.join(stated, on="cluster", how="left").select(
        "jurisdiction",
        "category",
        "category_source",
        list_id="source_id",
        list_name="name",
        function=pl.coalesce("function", "cluster_function"),
    )
    best = best.join(facts, on=["jurisdiction", "list_id"], how="left")
    return decide(best).sort(key)


def decide(pairs: pl.DataFrame) -> pl.DataFrame:
    """Status and evidence of scored pairs (see `match`)."""
    stated = pl.col("category").is_not_null() & ~pl.col("category").is_in(["not stated", "other"])
    role_fits = pl.col("category") == pl.col("role").replace_strict(ROLE_CATEGORY)
    words_fit = pl.struct("role", "function").map_elements(
        lambda r: bool(r["function"]) and bool(ROLE_WORDS[r["role"]].search(r["function"])),
        return_dtype=pl.Boolean,
    )
    role = role_fits | words_fit
    other_patronymic = pl.col("patronymic_score").is_not_null() & (pl.col("patronymic_score") < 70)
    strong = (pl.col("score") >= 90) & ~other_patronymic
    status = (
        pl.when(stated & ~role)
        .then(pl.lit("rejected"))
        .when(strong & role)
        .then(pl.lit("accepted"))
        .when(strong | (role & (pl.col("score") >= 80)))
        .then(pl.lit("review"))
        .otherwise(pl.lit("rejected"))
    )
    evidence = pl.concat_str(
        pl.lit("names '"),
        pl.col("spelling"),
        pl.lit("' ~ '"),
        pl.col("variant"),
        pl.lit("' score "),
        pl.col("score").round(0).cast(pl.Int64).cast(pl.String),
        pl.when(other_patronymic).then(pl.lit("; patronymics differ")).otherwise(pl.lit("")),
        pl.lit("; list function: "),
        pl.col("function").fill_null("none stated"),
        pl.lit("; category: "),
        pl.col("category").fill_null("none"),
        pl.when(pl.col("category_source") == "same target on another list")
        .then(pl.lit(" (from the same person on another list)"))
        .otherwise(pl.lit("")),
    )
    return pairs.with_columns(status=status, evidence=evidence).select(
        "judge_name",
        "role",
        "judge_source",
        "cases",
        "jurisdiction",
        "list_id",
        "list_name",
        "score",
        "status",
        "evidence",
        "function",
        "category",
    )


def evaluate(matches: pl.DataFrame, gold: pl.DataFrame) -> dict[str, float | int]:
    """Precision and recall of the accepted pairs on the hand-labelled gold set.

    A gold pair labelled `match` that the matcher accepts is a true positive; accepted but
    labelled `no_match` a false positive; labelled `match` but not accepted (review,
    rejected or not kept) a false negative."""
    key = ["judge_name", "role", "judge_source", "jurisdiction", "list_id"]
    joined = gold.join(matches.select(*key, "status"), on=key, how="left").with_columns(
        accepted=pl.col("status") == "accepted"
    )
    tp = joined.filter(pl.col("label") == "match", pl.col("accepted")).height
    fp = joined.filter(pl.col("label") == "no_match", pl.col("accepted")).height
    fn = joined.filter(pl.col("label") == "match", ~pl.col("accepted").fill_null(False)).height
    return {
        "pairs": gold.height,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
    }


def load_gold(path=None) -> pl.DataFrame:
    from belarus_repression import paths

    path = path or paths.PACKAGE / "hand" / "judge_sanctions_gold.csv"
    gold = pl.read_csv(path, infer_schema=False)
    bad = gold.filter(~pl.col("label").is_in(["match", "no_match", "undecided"]))
    if bad.height:
        raise ValueError(
            f"{path.name}: label must be match, no_match or undecided, found "
            f"{bad['label'][0]!r} for {bad['judge_name'][0]!r}"
        )
    return gold.filter(pl.col("label") != "undecided")


def sanctioned(
    matches: pl.DataFrame, designations: pl.DataFrame, jurisdictions: list[str]
) -> pl.DataFrame:
    """One row per record name (and role, source) with an accepted match: which lists name
    the person and the first day each is known to list them."""
    accepted = matches.filter(
        pl.col("status") == "accepted", pl.col("jurisdiction").is_in(jurisdictions)
    )
    dated = accepted.join(
        designations.select("jurisdiction", list_id="source_id", listed_to="listed_to"),
        on=["jurisdiction", "list_id"],
        how="left",
    )
    return (
        dated.group_by("judge_name", "role", "judge_source")
        .agg(
            lists=pl.col("jurisdiction").unique().sort().str.join("+"),
            first_listed=pl.col("listed_to").min(),
            **{
                f"listed_{j}": pl.col("listed_to").filter(pl.col("jurisdiction") == j).min()
                for j in jurisdictions
            },
        )
        .sort("judge_source", "role", "judge_name")
    )


def _list_filters(jurisdictions: list[str]) -> list[tuple[str, pl.Expr]]:
    """(label, test on the `lists` column) for each list, and for any list."""
    return [
        *[(j, pl.col("lists").str.contains(j)) for j in jurisdictions],
        ("any", pl.col("lists") != ""),
    ]


def prisoner_shares(
    named: pl.DataFrame,
    people: pl.DataFrame,
    listed: pl.DataFrame,
    role: str,
    jurisdictions: list[str],
) -> pl.DataFrame:
    """Of the political prisoners whose record names a judge (or prosecutor), how many —
    and how many years of custodial terms — were handed down where one of the named is
    sanctioned by each list, or by any."""
    from belarus_repression.prisoners import CUSTODIAL

    column = f"{role}_name"
    on_lists = listed.filter(pl.col("role") == role, pl.col("judge_source") == "prisoners")
    cases = (
        named.join(
            on_lists.select(pl.col("judge_name").alias(column), "lists"), on=column, how="left"
        )
        .group_by("person_id")
        .agg(lists=pl.col("lists").drop_nulls().str.join("+"))
    )
    cases = cases.join(
        people.select("person_id", "sentence_months", "sentence_kind", "regime", "status"),
        on="person_id",
    )
    cases = cases.filter(pl.col("status").is_in(["held", "released"]))
    years = (
        pl.when(pl.col("regime").is_in(sorted(CUSTODIAL)) & (pl.col("sentence_kind") == "term"))
        .then(pl.col("sentence_months") / 12)
        .otherwise(0.0)
    )
    total_people, total_years = cases.height, cases.select(years.sum()).item()
    rows = []
    for label, test in _list_filters(jurisdictions):
        hit = cases.filter(test)
        rows.append(
            {
                "sanctioned_by": label,
                "prisoners": hit.height,
                "share_of_prisoners": round(hit.height / total_people, 4),
                "custodial_years": round(hit.select(years.sum()).item(), 1),
                "share_of_years": round(hit.select(years.sum()).item() / total_years, 4),
            }
        )
    return pl.DataFrame(rows).with_columns(role=pl.lit(role), prisoners_with_a_name=total_people)


def admin_shares(
    cases: pl.DataFrame, links_by_text: pl.DataFrame, listed: pl.DataFrame, jurisdictions: list[str]
) -> pl.DataFrame:
    """The same for the 2020 administrative cases: cases and days of arrest decided by
    judges on each list."""
    on_lists = listed.filter(pl.col("judge_source") == "admin_cases")
    judged = (
        cases.drop_nulls("judge_text")
        .join(links_by_text, left_on="judge_text", right_on="spelling", how="left")
        .join(on_lists.select("judge_name", "lists"), on="judge_name", how="left")
        .with_columns(pl.col("lists").fill_null(""))
    )
    total, days = judged.height, judged["arrest_days"].sum()
    rows = []
    for label, test in _list_filters(jurisdictions):
        hit = judged.filter(test)
        rows.append(
            {
                "sanctioned_by": label,
                "cases": hit.height,
                "share_of_cases": round(hit.height / total, 4),
                "arrest_days": int(hit["arrest_days"].sum()),
                "share_of_arrest_days": round(hit["arrest_days"].sum() / days, 4),
            }
        )
    return pl.DataFrame(rows).with_columns(cases_with_a_judge=total)


def ranking_chart(ranked: pl.DataFrame, jurisdictions: list[str]):
    """Judges ranked by political prisoners sentenced, coloured by the lists naming them."""
    import altair as alt

    order = ranked["judge"].to_list()
    combos = sorted(set(ranked["lists"].to_list()) - {"not listed"}, key=lambda c: (len(c), c))
    palette = ["#E69F00", "#009E73", "#0072B2", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]
    return (
        alt.Chart(ranked)
        .mark_bar()
        .encode(
            y=alt.Y("judge:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("prisoners:Q", title="Political prisoners sentenced"),
            color=alt.Color(
                "lists:N",
                title="Sanctioned by",
                scale=alt.Scale(
                    domain=[*combos, "not listed"], range=[*palette[: len(combos)], "#BBBBBB"]
                ),
            ),
            tooltip=["judge", "prisoners", "custodial_years", "lists", "first_listed:T"],
        )
        .properties(width=460, height=alt.Step(16))
    )


def admin_spellings(judges: pl.DataFrame) -> pl.DataFrame:
    """Each spelling of an administrative-case judge -> the name the candidates use."""
    return judges.select(
        spelling=pl.col("name_be").str.split(" | "),
        judge_name=pl.col("name_be").str.split(" | ").list.first(),
    ).explode("spelling")
