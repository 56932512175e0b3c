"""Sanctions: the loaders on the real lists, the designations table, matching and rounds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from belarus_repression import registry, sanctions
from belarus_repression.sources import SourceError, curated, eu, ofac, uk


@pytest.fixture(scope="module")
def entries():
    return registry.load()


@pytest.fixture(scope="module")
def tables(entries):
    return sanctions.build_tables(entries)


@pytest.fixture(scope="module")
def designations(tables):
    return tables["sanctions_designations"]


def test_counts_the_sources_state(designations):
    counts = dict(designations.group_by("jurisdiction").len().iter_rows())
    assert counts["UK"] == 167 and counts["EU"] == 229
    us = designations.filter(pl.col("jurisdiction") == "US")

    def on(day: date) -> int:
        listed = pl.col("listed_to") <= day
        still = pl.col("delisted_to").is_null() | (pl.col("delisted_to") > day)
        return us.filter(listed, still).height

    assert on(date(2021, 8, 18)) == 103
    assert on(date(2024, 5, 3)) == 232
    assert on(date(2026, 8, 20)) == 258


def test_us_listing_dates_are_bracketed_by_snapshots(designations):
    us = designations.filter(pl.col("jurisdiction") == "US")
    first = us.filter(pl.col("listing_date_basis") == "before_first_snapshot")
    assert first.height == 103 and first["listed_from"].null_count() == 103
    december = us.filter(
        pl.col("listed_from") == date(2021, 12, 2), pl.col("listed_to") == date(2021, 12, 2)
    )
    assert december.height == 138 - 103


def test_the_2025_relief_shows_as_removals_between_the_last_two_snapshots(designations):
    gone = designations.filter(pl.col("delisted_to").is_not_null())
    assert gone.height == 8
    assert set(gone["delisted_from"]) == {date(2024, 5, 3)}
    assert "BELARUSKALI OAO" in gone["name"].to_list()


def test_programme_history_keeps_the_august_2021_retagging(tables):
    history = tables["sanctions_programme_history"]
    moved = history.filter(pl.col("source_id").is_duplicated())
    assert (
        moved.filter(
            pl.col("programme") == "BELARUS-EO14038", pl.col("first_seen") == date(2021, 8, 20)
        ).height
        > 0
    )


def test_uk_carry_over_dates_are_only_an_upper_bound(designations):
    carried = designations.filter(pl.col("listing_date_basis") == "uk_carry_over")
    assert carried.height == 67
    assert carried["listed_from"].null_count() == 67
    assert set(carried["listed_to"]) == {date(2020, 12, 31)}


def test_eu_amending_act_names_get_the_2020_span(designations):
    amended = designations.filter(pl.col("listing_date_basis") == "amending_act")
    assert amended.height == 17
    assert set(amended["listed_from"]) == {date(2020, 10, 2)}


def test_personal_numbers_encode_birth_dates():
    assert uk.personal_number_birth_date("3081077M065PB7") == "1977-10-08"
    assert uk.personal_number_birth_date("4120172H018PB4") == "1972-01-12"
    assert uk.personal_number_birth_date("3999999X") is None
    assert uk.personal_number_birth_date(None) is None


def test_ofac_remarks_give_birth_dates_as_precise_as_stated():
    assert ofac.birth_date("DOB 08 Oct 1977; nationality Belarus") == "1977-10-08"
    assert ofac.birth_date("DOB 1980; nationality Belarus") == "1980"
    assert ofac.birth_date("Registration Number 100386629 (Belarus).") is None


def test_programme_tags_split(designations):
    combined = designations.filter(pl.col("jurisdiction") == "US", pl.col("source_id") == "34992")
    assert combined["programme"].to_list() == ["RUSSIA-EO14024; BELARUS-EO14038"]


def test_a_snapshot_with_a_missing_column_names_the_file(entries, tmp_path):
    entry = entries["ofac/sdn_2021-08-18T0939Z.csv"]
    lines = entry.local.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "sdn.csv"
    broken.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines[:50]), encoding="utf-8")
    with pytest.raises(SourceError, match=r"sdn_2021-08-18T0939Z\.csv: 11 columns, expected 12"):
        ofac.read_csv(broken, entry.path)


def test_a_bad_id_names_the_file_row_and_field(entries, tmp_path):
    entry = entries["ofac/sdn_2021-08-18T0939Z.csv"]
    lines = entry.local.read_text(encoding="utf-8").splitlines()
    lines[4] = "X" + lines[4]
    broken = tmp_path / "sdn.csv"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceError, match=r"row 5, field ent_num: expected a whole number"):
        ofac.read_csv(broken, entry.path)


def _copy_with(entry, tmp_path, monkeypatch, edit):
    """Put an edited copy of a real raw file where a loader will read it."""
    target = tmp_path / entry.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(edit(entry.local.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr("belarus_repression.paths.RAW", tmp_path)
    return entry


def test_an_unparsable_date_names_the_file_row_and_field(entries, tmp_path, monkeypatch):
    def edit(text: str) -> str:
        lines = text.splitlines()
        row = next(i for i, line in enumerate(lines) if line.startswith("BEL"))
        lines[row] = lines[row].replace("31/12/2020", "2020-12-31", 1)
        return "\n".join(lines) + "\n"

    entry = _copy_with(entries["uk/subjects.csv"], tmp_path, monkeypatch, edit)
    with pytest.raises(
        SourceError,
        match=r"uk/subjects\.csv row \d+, field date_designated: "
        r"expected a date like %d/%m/%Y, found '2020-12-31'",
    ):
        uk.subjects(entry)


def test_a_count_other_than_the_stated_one_fails(entries):
    entry = entries["eu/fsf_merged_2022-09-13.csv"]
    with pytest.raises(SourceError, match=r"229 BLR targets, but the source states 230"):
        eu.load(replace(entry, expect_in_scope=230))


def test_curated_actions_are_read_and_checked(entries, tmp_path, monkeypatch):
    entry = entries["curated/sanctions_actions.csv"]
    actions = curated.sanctions_actions(entry)
    assert actions.height == 66 and actions.schema["date"] == pl.Date
    entry = _copy_with(
        entry,
        tmp_path,
        monkeypatch,
        lambda text: text.replace(",US,delisting,", ",US,unlisting,", 1),
    )
    with pytest.raises(
        SourceError,
        match=r"sanctions_actions\.csv row \d+, field action: "
        r"expected one of .*found 'unlisting'",
    ):
        curated.sanctions_actions(entry)


def test_the_five_rounds_claim_is_computed(entries, designations):
    actions = curated.sanctions_actions(entries["curated/sanctions_actions.csv"])
    claim = sanctions.us_rounds_claim(
        actions, sanctions.rounds(designations), sanctions.CLAIM_START, sanctions.CLAIM_END
    )
    assert claim["count"] == 5 and claim["holds"]
    assert [str(d) for d in claim["rounds"]["date"]] == [
        "2020-10-02",
        "2020-12-23",
        "2021-06-21",
        "2021-08-09",
        "2021-12-02",
    ]
    assert claim["rounds"]["targets_in_data"].to_list()[-1] == 35


def test_matching_finds_the_same_person_across_scripts_and_keeps_namesakes_apart(
    designations, tables
):
    matches = sanctions.match_targets(designations, tables["sanctions_names"])
    accepted = matches.filter(pl.col("status") == "accepted")

    def pair(name_a: str, name_b: str) -> pl.DataFrame:
        return matches.filter(
            pl.col("primary_a").str.contains(name_a), pl.col("primary_b").str.contains(name_b)
        )

    assert (
        pair("ЛУКАШЕНКО", "LUKASHENKA, Alyaksandr").filter(pl.col("status") == "accepted").height
        == 1
    )
    # same first name and patronymic, other surname: not the same person
    assert pair("ВАСИЛЮК", "YUZHYK").height == 0
    assert pair("Raukou", "RYBAKOV")["status"].to_list() in ([], ["review"])
    assert accepted.height > 200
    assert set(matches["status"]) <= {"accepted", "review", "rejected"}


def test_names_fold_belarusian_russian_and_swedish_spellings():
    from belarus_repression import names

    assert names.short_key("Viktar Uladzimiravitj SJEJMAN") == names.short_key(
        "Віктар Уладзіміравіч ШЭЙМАН"
    )
    assert names.short_key("LUKASHENKA, Alyaksandr Ryhorovich") == names.short_key(
        "Аляксандр Рыгоравіч ЛУКАШЭНКА"
    )
    assert names.script("Андрэй") == "cyrillic" and names.script("Andrei") == "latin"
    assert names.script("K\u0430linin") == "mixed"  # a Cyrillic a inside a Latin word
    assert names.aligned_similarity(["aleksandr", "vasiliuk"], ["iuzhik", "aleksandr"]) < 60


def test_categories_follow_the_ordered_patterns():
    categories = sanctions.load_categories()
    assert (
        sanctions.categorise("Judge of the Leninski District Court of Minsk", categories)
        == "judiciary"
    )
    assert sanctions.categorise("Prosecutor of the Frunzenski district", categories) == (
        "prosecution and investigation"
    )
    assert sanctions.categorise("Commander of the Minsk OMON", categories) == (
        "security and law enforcement"
    )
    assert sanctions.categorise(None, categories) is None


def test_reconcile_finds_rounds_without_actions(entries, designations):
    actions = curated.sanctions_actions(entries["curated/sanctions_actions.csv"])
    explained, shown = sanctions.reconcile(
        sanctions.rounds(designations), actions, sanctions.coverage_end(entries)
    )
    us_dec = explained.filter(
        pl.col("jurisdiction") == "US", pl.col("listed_to") == date(2021, 12, 2)
    )
    assert us_dec["status"].to_list() == ["explained"]
    eu_june = shown.filter(pl.col("jurisdiction") == "EU", pl.col("date") == date(2021, 6, 21))
    assert eu_june["status"].to_list() == ["shown"]


def test_the_uk_birth_date_table_is_shown_to_be_misaligned(entries, designations, tables):
    stated = uk.stated_birth_dates(entries["uk/subject_dobs.csv"])
    clustered = sanctions.clusters(designations,
                                   sanctions.match_targets(designations, tables["sanctions_names"]))
    check = sanctions.uk_birth_date_check(stated, clustered)
    assert check["most_shared"] == {"stated": "1964-09-18", "subjects": 37}  # as the notes say
    assert check["compared"] > 100 and check["agree"] < check["compared"] / 10
