"""The atomic, deterministic Parquet writer."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from belarus_repression import frames


def sample() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [3, 1, 2],
            "name": ["Ц", "a", None],
            "day": [date(2021, 8, 9), None, date(2020, 8, 9)],
        }
    ).with_columns(pl.col("name").cast(pl.Categorical))


def test_two_writes_give_identical_bytes_sorted_by_key(tmp_path):
    a = frames.write_table(sample(), "t", key=["id"], folder=tmp_path / "a")
    b = frames.write_table(sample().reverse(), "t", key=["id"], folder=tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
    back = pl.read_parquet(a)
    assert back["id"].to_list() == [1, 2, 3]
    assert back.schema["name"] == pl.String


def test_a_key_that_does_not_identify_rows_is_refused(tmp_path):
    frame = pl.DataFrame({"id": [1, 1], "x": [1, 2]})
    with pytest.raises(frames.TableError, match=r"t: key \['id'\] is not unique, e.g. \(1,\)"):
        frames.write_table(frame, "t", key=["id"], folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary(tmp_path, monkeypatch):
    frames.write_table(sample(), "t", key=["id"], folder=tmp_path)
    before = (tmp_path / "t.parquet").read_bytes()

    def broken(self, path, **kwargs):
        Path(path).write_bytes(b"PAR1 half")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        frames.write_table(sample().head(1), "t", key=["id"], folder=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]
    assert (tmp_path / "t.parquet").read_bytes() == before


def test_written_files_are_readable_by_others(tmp_path):
    path = frames.write_table(sample(), "t", key=["id"], folder=tmp_path)
    assert path.stat().st_mode & 0o044 == 0o044
