"""Political prisoners: parsing on real decision texts, recognition dates, daily counts,
quality checks, and no personal data beyond the birth year."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest

from belarus_repression import paths, prisoners, registry
from belarus_repression.sources import SourceError, curated, viasna


@pytest.fixture(scope="module")
def entries():
    return registry.load()


@pytest.fixture(scope="module")
def records(entries):
    return viasna.load(entries["viasna/prisoners_en_2023.jsonl"])


@pytest.fixture(scope="module")
def anchors(entries):
    return curated.news_ids(entries["curated/viasna_news_ids.csv"])


@pytest.fixture(scope="module")
def people(records, anchors):
    return prisoners.clean(records, anchors)


@pytest.mark.parametrize(
    ("text", "months", "kind"),
    [  # every one of these decision texts is in the data
        ("6 years", 72, "term"),
        ("4 1/2 years", 54, "term"),
        ("1 year and 6 months", 18, "term"),
        ("18 months", 18, "term"),
        ("3 месяца", 3, "term"),
        ("1 tear", 12, "term"),
        ("3 yers", 36, "term"),
        ("1,5 years", 18, "term"),
        ("2 2/3 years", 32, "term"),
        ("five years", 60, "term"),
        ("4 1\\2 years", 54, "term"),
        ("8 1/2 years, fine of 8,700 rubles", 102, "term"),
        ("140 base rates, 18 months", 18, "term"),
        ("150 base rates", None, "fine"),
        ("5.100 Belarusian rubles", None, "fine"),
        ("coercive mental treatment", None, "compulsory_treatment"),
        ("120 community-service hours", None, "community_service"),
        ("Charges dismissed", None, "no_penalty"),
        ("result unknown", None, "unknown"),
        ("4 1/2", None, "unparsed"),
        (None, None, "missing"),
    ],
)
def test_sentences_parse_as_stated(text, months, kind):
    parsed_months, parsed_kind = prisoners.parse_sentence(text)
    assert parsed_kind == kind
    assert parsed_months == (pytest.approx(months) if months is not None else None)


def test_every_decision_text_gets_a_kind_and_few_stay_unparsed(people):
    kinds = dict(people.group_by("sentence_kind").len().iter_rows())
    assert kinds.get("unparsed", 0) <= 5
    assert kinds["term"] > 2500


@pytest.mark.parametrize(
    ("text", "code", "part", "label"),
    [
        (
            "Art. 342 of the Criminal Code — Organization and preparation of actions",
            "342",
            None,
            "Organization and preparation of actions",
        ),
        (
            "Part 2 of Art. 293 of the Criminal Code — Participation in riots",
            "293",
            2,
            "Participation in riots",
        ),
        (
            "Part 1 of Article 13 and Article 293 of the Criminal Code"
            " — Preparation for mass riots",
            "13-293",
            None,
            "Preparation for mass riots",
        ),
        ("Part 1 of Art. 14 and Part 2 of Art. 357 of the Criminal Code", "14-357", 2, None),
        (
            "Art. 361-1 of the Criminal Code — Creation of an extremist formation",
            "361-1",
            None,
            "Creation of an extremist formation",
        ),
        ("p. 5 of Part 2 of Art. 147 of the Criminal Code", "147", 2, None),
        (
            "Art. 426 of the Criminal Code: Abuse of power or authority",
            "426",
            None,
            "Abuse of power or authority",
        ),
        ("Art. 411", "411", None, None),
    ],
)
def test_articles_normalise(text, code, part, label):
    assert prisoners.parse_article(text) == {"code": code, "part": part, "label": label}


def test_every_article_text_in_the_data_gets_a_code(records):
    table = prisoners.articles(records)
    assert table.height > 4000 and table["code"].null_count() == 0


def test_news_ids_are_dated_between_anchors(anchors):
    dated = prisoners.date_news_ids(pl.Series([106367, 106400, 106443, 99, None]), anchors)
    exact, between, upper, too_small, missing = dated.iter_rows(named=True)
    assert exact["recognised_on"] == date(2022, 1, 10) == exact["recognised_from"]
    assert between["recognised_from"] == date(2022, 1, 10)
    assert between["recognised_to"] == date(2022, 1, 17)
    assert date(2022, 1, 10) < between["recognised_on"] < date(2022, 1, 17)
    assert upper["recognised_on"] == date(2022, 1, 17)
    assert too_small["recognised_on"] is None and missing["recognised_on"] is None


def test_news_id_from_declaration_urls():
    assert prisoners.news_id("https://spring96.org/en/news/99936") == 99936
    assert prisoners.news_id("http://spring96.org/be/news/100321") == 100321
    assert prisoners.news_id("https://example.org/x") is None


def test_statuses_and_counts(people):
    counts = dict(people.group_by("status").len().iter_rows())
    assert counts == {"held": 1439, "released": 686, "not_recognised": 959}


def test_impossible_birth_years_are_kept_raw_and_not_used(people):
    odd = people.filter(~pl.col("birth_year_raw").is_between(1900, 2010))
    assert set(odd["birth_year_raw"]) == {1090, 2021}
    assert odd["birth_year"].null_count() == odd.height
    assert odd["age_at_arrest"].null_count() == odd.height


def test_daily_counts_stay_within_their_bands_and_near_the_published(records, people, entries):
    snapshot = prisoners.snapshot_day(records)
    daily = prisoners.held_daily(
        prisoners.custody_spells(people, snapshot), date(2020, 8, 1), snapshot
    )
    for series in ("held_from_arrest", "held_recognised"):
        assert (daily[f"{series}_low"] <= daily[series]).all()
        assert (daily[series] <= daily[f"{series}_high"]).all()
    assert daily["held_recognised"][-1] > 1000  # held through the copy's last day
    published = curated.viasna_counts(entries["curated/viasna_counts_public.csv"])
    day = daily.filter(pl.col("date") == date(2022, 1, 27)).row(0, named=True)
    assert published.filter(pl.col("date") == date(2022, 1, 27))["political_prisoners"][0] == 1007
    assert day["held_recognised_low"] <= 1007 <= day["held_recognised_high"]


def test_counting_a_spell():
    days = pl.date_range(date(2022, 1, 1), date(2022, 1, 5), "1d", eager=True)
    starts = pl.Series([date(2022, 1, 2), date(2021, 12, 1), None], dtype=pl.Date)
    ends = pl.Series([date(2022, 1, 4), date(2022, 1, 3), date(2022, 1, 5)], dtype=pl.Date)
    assert prisoners._count_daily(days, starts, ends) == [1, 2, 1, 0, 0]


def test_quality_report_finds_the_known_oddities(people, records):
    report = prisoners.quality_report(people, prisoners.snapshot_day(records))
    found = {row["check"]: row["records"] for row in report.iter_rows(named=True)}
    assert found["impossible birth year"] == 2
    assert found["verdict before arrest"] > 0
    assert found["placeholder name"] > 0
    assert found["url shared with another record"] > 0
    assert found["unparsed sentence"] == 1


def test_several_judges_in_one_field_are_split(records):
    judges = prisoners.split_people(
        records.filter(pl.col("judge").str.contains(",")), "judge", "judge"
    )
    assert judges.group_by("person_id").len()["len"].min() >= 2


def test_a_broken_line_names_the_file_line_and_field(entries, tmp_path, monkeypatch):
    entry = entries["viasna/prisoners_en_2023.jsonl"]
    original = entry.local.read_text(encoding="utf-8")
    lines = original.splitlines()
    lines[6] = lines[6].replace('"status": "', '"status": "x', 1)
    target = tmp_path / entry.path
    target.parent.mkdir(parents=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(paths, "RAW", tmp_path)
    with pytest.raises(SourceError, match=r"prisoners_en_2023\.jsonl line 7, field status"):
        viasna.load(entry)
    lines = original.splitlines()
    lines[2] = lines[2].replace('"status"', '"birthday": "1990-01-01", "status"', 1)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"line 3: unexpected field\(s\) \['birthday'\]"):
        viasna.load(entry)
    lines = original.splitlines()
    row = next(i for i, line in enumerate(lines) if '"arrested": "2021-' in line)
    lines[row] = re.sub(r'"arrested": "2021-\d\d-\d\d"', '"arrested": "2021-02-30"', lines[row])
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        SourceError,
        match=rf"line {row + 1}, field arrested: not a calendar "
        r"date: '2021-02-30'",
    ):
        viasna.load(entry)


def test_no_birthday_photo_or_address_in_processed_tables_or_reports():
    """Processed outputs and reports carry no prisoner's birthday, photo or address."""
    forbidden = ("birthday", "birth_date", "photo", "address")
    for table in sorted(paths.PROCESSED.glob("prison*.parquet")):
        columns = pl.read_parquet_schema(table)
        assert not [c for c in columns if any(f in c.lower() for f in forbidden)], table.name
    for report in sorted(paths.REPORTS.rglob("*")):
        if report.suffix in {".html", ".json", ".svg"} and "30_prisoners" in report.as_posix():
            text = report.read_text(encoding="utf-8").lower()
            assert '"birthday"' not in text and '"photo"' not in text, report.name
