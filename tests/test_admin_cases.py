"""Administrative cases: sentence texts, article codes, the duplicate rule, courts and the
linking of judges to the register, on real examples from the data."""

from __future__ import annotations

import polars as pl
import pytest

from belarus_repression import admin_cases, registry
from belarus_repression.sources import zubr


@pytest.fixture(scope="module")
def entries():
    return registry.load()


@pytest.fixture(scope="module")
def cases(entries):
    return admin_cases.clean_cases(
        zubr.decisions(entries["zubr/decisions.json"]),
        zubr.mapping(entries["zubr/articles_translations.json"]),
        zubr.mapping(entries["zubr/courts_translated.json"]),
        zubr.courts(entries["zubr/court.csv"]),
    )


@pytest.fixture(scope="module")
def links(entries, cases):
    return admin_cases.link_judges(
        cases["judge_text"].drop_nulls().unique().sort().to_list(),
        zubr.judge_register(entries["zubr/judge.csv"]),
        zubr.name_maps(entries["zubr/names.json"]),
    )


@pytest.mark.parametrize(
    ("text", "days"),
    [("15 сут.", 15), ("9 сут.", 9), ("", None), (None, None), ("810,00 руб.", None)],
)
def test_arrest_texts(text, days):
    assert admin_cases.parse_arrest(text) == days


@pytest.mark.parametrize(
    ("text", "units", "rubles"),
    [
        ("20 б.в.540,00 руб.", 20, 540.0),
        ("50 б.в.1 350,00 руб.", 50, 1350.0),
        ("810,00 руб.", None, None),
        (None, None, None),
    ],
)
def test_fine_texts(text, units, rubles):
    assert admin_cases.parse_fine(text) == (units, rubles)


def test_article_codes_from_the_map_or_the_text():
    known = {"9.3 КаАП – «Абраза»": "9.3"}
    assert admin_cases.article_codes("9.3 КаАП – «Абраза»", known) == ["9.3"]
    text = (
        "23.4 КаАП – «непадпарадкаваньне законным патрабаваньням службовай асобы», "
        "23.34 ч.1 КаАП – «парушэньне парадку»"
    )
    assert admin_cases.article_codes(text, known) == ["23.4", "23.34_1"]


def test_nearly_every_sentence_parses_and_every_case_has_an_article(cases):
    assert cases.height == 6616
    assert cases.filter(pl.col("sentence") == "unparsed").height <= 5
    assert cases["article_code"].null_count() == 0
    assert cases["court_code"].is_not_null().mean() > 0.95


def test_the_duplicate_rule_keeps_the_first_record(cases):
    kept, removed = admin_cases.deduplicate(cases)
    assert kept.height + removed.height == cases.height
    assert removed.height > 0
    assert (removed["case_id"] > removed["kept_case_id"]).all()
    key = ["person_key", "event_date", "court_date"]
    dated = kept.filter(pl.col("person_key") != "").drop_nulls(key)  # unknown days never match
    assert dated.select(key).is_duplicated().sum() == 0


def test_a_made_up_duplicate_is_removed():
    frame = pl.DataFrame(
        {
            "case_id": [1, 2, 3],
            "person_key": ["a b", "a b", "a b"],
            "event_date": ["2020-08-10", "2020-08-10", "2020-08-11"],
            "court_date": ["2020-08-11"] * 3,
            "arrest_days": [10, 15, 10],
            "fine_base_units": [None, None, None],
        },
        schema_overrides={"fine_base_units": pl.Int64},
    )
    kept, removed = admin_cases.deduplicate(frame)
    assert kept["case_id"].to_list() == [1, 3]
    assert removed.select("case_id", "kept_case_id", "sentence_differs").rows() == [(2, 1, True)]


@pytest.mark.parametrize(
    ("text", "surname", "first", "initials"),
    [
        ("Трусевіч М.Л.", "Трусевіч", None, ["М", "Л"]),
        ("Рудэнка АА", "Рудэнка", None, ["А", "А"]),
        ("Шабуня Вікторыя", "Шабуня", "Вікторыя", ["В"]),
        ("Валодзькін", "Валодзькін", None, []),
    ],
)
def test_judge_names_parse(text, surname, first, initials):
    assert admin_cases.parse_judge(text) == {
        "surname": surname,
        "first_name": first,
        "initials": initials,
    }


def test_judges_link_to_the_register_with_evidence(links):
    by_name = {row["name_be"]: row for row in links.iter_rows(named=True)}
    assert by_name["Трусевіч М.Л."]["name_ru"] == "Трусевич Максим Леонидович"
    assert by_name["Трусевіч М.Л."]["register_match"] == "via_name_map"
    assert by_name["Шабуня Вікторыя"]["register_match"] == "exact"
    assert "ambiguous" in by_name["Казак Віктар"]["match_evidence"]
    assert by_name["Казак Віктар"]["register_id"] is None
    assert set(links["register_match"]) <= {"exact", "via_name_map", "fuzzy", "none"}
    assert (links["register_match"] != "none").mean() > 0.8


def test_initials_follow_belarusian_to_russian_letters():
    assert admin_cases._initials_agree(["Я", "А"], "Иванов Евгений Александрович")
    assert admin_cases._initials_agree(["І"], "Иванов Игорь Петрович")
    assert not admin_cases._initials_agree(["М"], "Иванов Игорь Петрович")
