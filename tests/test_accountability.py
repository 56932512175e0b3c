"""Accountability matcher (work in progress for the accountability notebook): judges and
prosecutors of Viasna's records against the sanctions lists, on the real tables."""

from __future__ import annotations

import polars as pl
import pytest

from belarus_repression import accountability, admin_cases, names, prisoners, registry, sanctions
from belarus_repression.sources import viasna, zubr


@pytest.fixture(scope="module")
def matches():
    entries = registry.load()
    records = viasna.load(entries["viasna/prisoners_en_2023.jsonl"])
    cases = admin_cases.clean_cases(
        zubr.decisions(entries["zubr/decisions.json"]),
        zubr.mapping(entries["zubr/articles_translations.json"]),
        zubr.mapping(entries["zubr/courts_translated.json"]),
        zubr.courts(entries["zubr/court.csv"]),
    )
    maps = zubr.name_maps(entries["zubr/names.json"])
    links = admin_cases.link_judges(
        cases["judge_text"].drop_nulls().unique().sort().to_list(),
        zubr.judge_register(entries["zubr/judge.csv"]),
        maps,
    )
    cands = accountability.candidates(
        prisoners.split_people(records, "judge", "judge"),
        prisoners.split_people(records, "councel", "prosecutor"),
        admin_cases.judges_table(cases, links),
    )
    tables = sanctions.build_tables(entries)
    designations = tables["sanctions_designations"]
    clustered = sanctions.clusters(
        designations, sanctions.match_targets(designations, tables["sanctions_names"])
    )
    targets = sanctions.who(clustered, sanctions.load_categories())
    return accountability.match(
        cands, designations, tables["sanctions_names"], targets, names.given_name_map(maps)
    )


def status(matches, name, jurisdiction):
    return matches.filter(pl.col("judge_name") == name, pl.col("jurisdiction") == jurisdiction)[
        "status"
    ].to_list()


def test_named_judges_and_prosecutors_on_the_eu_list_are_accepted(matches):
    assert status(matches, "Alina Kasiyanchyk", "EU") == ["accepted"]  # prosecutor
    assert status(matches, "Siarhei Hirhel", "EU") == ["accepted"]
    assert status(matches, "Viktoryia Shabunia", "EU") == ["accepted"]  # judge
    assert status(matches, "Шабуня Вікторыя", "EU") == ["accepted"]  # the same, in Belarusian


def test_uk_entries_take_the_function_of_the_same_person_on_another_list(matches):
    assert status(matches, "Alina Kasiyanchyk", "UK") == ["accepted"]


def test_a_name_with_no_stated_function_goes_to_review_not_into_results(matches):
    assert status(matches, "Siarhei Khrypach", "UK") == ["review"]


def test_namesakes_with_other_functions_are_rejected(matches):
    # same given name and patronymic as a CEC member, other surname
    assert set(status(matches, "Volha Malashenka", "EU")) <= {"rejected"}


def test_evaluate_counts_against_a_gold_set():
    key = {"role": ["judge"] * 3, "judge_source": ["prisoners"] * 3, "jurisdiction": ["EU"] * 3}
    found = pl.DataFrame(
        {
            "judge_name": ["a", "b", "c"],
            "list_id": ["1", "2", "3"],
            **key,
            "status": ["accepted", "accepted", "review"],
        }
    )
    gold = pl.DataFrame(
        {
            "judge_name": ["a", "b", "c"],
            "list_id": ["1", "2", "3"],
            **key,
            "label": ["match", "no_match", "match"],
        }
    )
    result = accountability.evaluate(found, gold)
    assert (result["true_positives"], result["false_positives"], result["false_negatives"]) == (
        1,
        1,
        1,
    )
    assert result["precision"] == 0.5 and result["recall"] == 0.5


def test_given_names_meet_their_russian_forms():
    maps = {"first_name": {"Сяргей": "Сергей", "Аляксандр": "Александр"}}
    given = names.given_name_map(maps)
    assert given[names.tokens("Сяргей")[0]] == names.tokens("Сергей")[0]
    assert names.canonical_parts("Siarhei Khrypach", given)[0] == ["serhe", "hripach"]


def test_accepted_matches_reach_the_required_precision_on_the_gold_set(matches):
    gold = accountability.load_gold()
    assert gold.height >= 60
    result = accountability.evaluate(matches, gold)
    assert result["precision"] >= 0.95, result
    assert result["recall"] >= 0.9, result


def test_gold_labels_are_checked(tmp_path):
    bad = tmp_path / "gold.csv"
    bad.write_text(
        "judge_name,role,judge_source,jurisdiction,list_id,list_name,label\n"
        "a,judge,prisoners,EU,1,b,maybe\n"
    )
    with pytest.raises(
        ValueError,
        match=r"label must be match, no_match or undecided, found "
        r"'maybe'",
    ):
        accountability.load_gold(bad)
