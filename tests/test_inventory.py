"""Profiles of the real raw files: counts the sources state, and clear errors on bad input."""

from dataclasses import replace
from datetime import date

import pytest

from belarus_repression import inventory, registry
from belarus_repression.sources import SourceError


@pytest.fixture(scope="module")
def entries():
    return registry.load()


@pytest.mark.parametrize(
    ("path", "belarus"),
    [  # counts stated in the data README for the OFAC snapshots, the UK and the EU lists
        ("ofac/sdn_2021-08-18T0939Z.csv", 103),
        ("ofac/sdn_2021-12-02T1850Z.csv", 138),
        ("ofac/sdn_2022-02-25T0150Z.csv", 162),
        ("ofac/sdn_2024-05-03T1843Z.csv", 232),
        ("ofac/sdn_2026-08-20.json", 258),
        ("uk/subjects.csv", 167),
        ("eu/fsf_merged_2022-09-13.csv", 229),
    ],
)
def test_belarus_rows_match_what_the_sources_state(entries, path, belarus):
    assert inventory.profile(entries[path]).rows_in_scope == belarus


def test_dates_are_parsed_per_source(entries):
    uk = inventory.profile(entries["uk/subjects.csv"])
    assert uk.coverage_field == "date_designated" and uk.coverage_to <= date(2026, 4, 29)
    cases = inventory.profile(entries["zubr/decisions.json"])
    assert cases.rows == 6616 and cases.coverage_to == date(2020, 11, 15)
    people = inventory.profile(entries["viasna/prisoners_en_2023.jsonl"])
    assert people.rows == 3084 and people.coverage_from.year >= 2009


def test_snapshot_day_comes_from_snapshot_taken_or_the_file_name(entries):
    assert inventory.snapshot_date(entries["ofac/sdn_2021-08-20T1850Z.csv"]) == date(2021, 8, 20)
    assert inventory.snapshot_date(entries["viasna/prisoners_en_2023.jsonl"]) is None


def test_a_row_count_other_than_the_stated_one_fails_naming_the_file(entries):
    entry = replace(entries["zubr/court.csv"], expect_rows=159)
    with pytest.raises(
        inventory.InventoryError, match=r"zubr/court\.csv: 158 rows, but the source states 159"
    ):
        inventory.profile(entry)


def test_a_file_without_an_expected_column_fails_naming_file_and_column(entries, tmp_path):
    bad = tmp_path / "subjects.csv"
    text = entries["uk/subjects.csv"].local.read_text(encoding="utf-8")
    bad.write_text(text.replace("unique_id,", "uid,", 1), encoding="utf-8")
    with pytest.raises(SourceError, match=r"uk/subjects.csv: missing column\(s\) unique_id"):
        inventory.profile(entries["uk/subjects.csv"], bad)


def test_availability_is_unknown_without_a_snapshot_day(entries):
    chosen = [
        entries["viasna/prisoners_en_2023.jsonl"],
        entries["ofac/sdn_2026-08-20.json"],
        entries["ofac/sdn_2021-08-18T0939Z.csv"],
    ]
    table = inventory.with_availability(inventory.inventory(chosen), date(2022, 1, 27))
    assert dict(zip(table["path"], table["published_by_as_of"], strict=True)) == {
        "ofac/sdn_2021-08-18T0939Z.csv": True,
        "ofac/sdn_2026-08-20.json": False,
        "viasna/prisoners_en_2023.jsonl": None,
    }
