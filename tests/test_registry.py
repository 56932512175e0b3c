"""The raw-file registry and the verified fetch."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from belarus_repression import paths, registry
from belarus_repression.sources import viasna
from tests.helpers import tree_digest

SMALL = "zubr/judge_tag.csv"  # a small real raw file


@pytest.fixture(scope="module")
def entries():
    return registry.load()


def test_registry_describes_every_file_with_hash_size_and_licence(entries):
    assert len(entries) >= 40
    for entry in entries.values():
        assert len(entry.sha256) == 64 and entry.bytes > 0, entry.path
        assert entry.licence and entry.publisher and entry.description, entry.path
        assert entry.url.startswith("https://") or entry.source == "curated", entry.path


def test_registry_agrees_with_the_mirror_sources_when_one_is_given(entries):
    mirror = paths.data_mirror()
    if mirror is None or not (mirror / "SOURCES.toml").is_file():
        pytest.skip("DATA_MIRROR not set")
    sources = tomllib.loads((mirror / "SOURCES.toml").read_text(encoding="utf-8"))["file"]
    for src in sources:
        entry = entries[src["path"]]
        assert (entry.url, entry.sha256, entry.bytes) == (src["url"], src["sha256"], src["bytes"])


def test_every_fetched_file_matches_its_pinned_hash(entries):
    for entry in entries.values():
        assert registry.sha256_of(entry.local) == entry.sha256, entry.path


def test_a_file_already_present_is_not_copied_again(entries, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "zubr").mkdir(parents=True)
    shutil.copyfile(entries[SMALL].local, mirror / SMALL)
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    entry = registry.load()[SMALL]
    assert registry.fetch_one(entry, mirror) == "fetched"
    before = entry.local.stat().st_mtime_ns
    assert registry.fetch_one(entry, mirror) == "present"
    assert entry.local.stat().st_mtime_ns == before


def _mirror_with(tmp_path: Path, entries, damage) -> Path:
    """A mirror of links to the verified raw files, with one real file damaged."""
    mirror = tmp_path / "mirror"
    for entry in entries.values():
        target = mirror / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(entry.local)
    damaged = mirror / SMALL
    damaged.unlink()
    damaged.write_bytes(damage(entries[SMALL].local.read_bytes()))
    return mirror


def _make_all(tmp_path: Path, mirror: Path) -> tuple[subprocess.CompletedProcess, Path]:
    processed = tmp_path / "processed"
    processed.mkdir()
    shutil.copyfile(paths.MANIFEST, processed / "manifest.json")
    env = dict(
        os.environ,
        DATA_MIRROR=str(mirror),
        BELREP_RAW_DIR=str(tmp_path / "raw"),
        BELREP_PROCESSED_DIR=str(processed),
        BELREP_REPORTS_DIR=str(tmp_path / "rep"),
        BELREP_BUILD_DIR=str(tmp_path / "build"),
    )
    env.pop("MAKEFLAGS", None)
    result = subprocess.run(
        ["make", "--no-print-directory", "all"],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result, processed


def test_one_changed_byte_stops_make_all_and_leaves_processed_untouched(entries, tmp_path):
    def flip(data: bytes) -> bytes:
        return data[:10] + bytes([data[10] ^ 0x01]) + data[11:]

    mirror = _mirror_with(tmp_path, entries, flip)
    actual = hashlib.sha256((mirror / SMALL).read_bytes()).hexdigest()
    before = tree_digest(tmp_path / "processed") if (tmp_path / "processed").exists() else None
    result, processed = _make_all(tmp_path, mirror)
    assert before is None
    assert result.returncode != 0
    message = result.stderr
    assert SMALL in message
    assert entries[SMALL].sha256 in message and actual in message
    assert tree_digest(processed) == {
        "manifest.json": (
            (processed / "manifest.json").stat().st_mtime_ns,
            paths.MANIFEST.read_bytes(),
        )
    }
    assert not (tmp_path / "raw" / SMALL).exists()  # the bad file was not put in place
    assert not (tmp_path / "rep").exists()


def test_a_truncated_file_is_refused_with_both_sizes(entries, tmp_path):
    mirror = _mirror_with(tmp_path, entries, lambda data: data[:-100])
    result, _ = _make_all(tmp_path, mirror)
    assert result.returncode != 0
    expected = entries[SMALL].bytes
    assert f"{expected - 100} bytes in the mirror, expected {expected}" in result.stderr


def test_a_curated_table_needs_the_mirror(entries, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW", tmp_path)
    entry = registry.load()["curated/events.csv"]
    with pytest.raises(registry.RawFileError, match=r"curated/events\.csv: has no upstream URL"):
        registry.fetch_one(entry, None)


def test_registry_rejects_a_duplicate_path(tmp_path):
    text = paths.REGISTRY.read_text(encoding="utf-8").split("[[file]]")[1]
    bad = tmp_path / "registry.toml"
    bad.write_text(f"[[file]]{text}[[file]]{text}", encoding="utf-8")
    with pytest.raises(registry.RawFileError, match="is listed twice"):
        registry.load(bad)


def _upstream_like(extract: Path) -> list[dict]:
    """Upstream-shaped records rebuilt from the extract: flattened keys, flags, photos,
    addresses and full birthdays (made up here) that the derivation must drop."""
    out = []
    for line in extract.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        up = {
            "photo": "/img/p.jpg",
            "articles": "1",
            "prison": "1",
            "prison/address": "1 Example Street",
        }
        for key in viasna.KEPT:
            if key == "birth_year":
                up["birthday"] = f"{r['birth_year']}-05-17" if "birth_year" in r else ""
            elif key == "articles":
                items = r.get("articles", [])
                up.update({f"articles/{i}": items[i] if i < len(items) else "" for i in range(13)})
            elif key == "prison":
                up["prison/title"] = r.get("prison", "")
            else:
                up[key] = r.get(key, "")
        out.append(up)
    return out


def test_the_viasna_extract_is_derived_byte_for_byte_from_upstream_records(
    entries, tmp_path, monkeypatch
):
    entry = entries["viasna/prisoners_en_2023.jsonl"]
    upstream = tmp_path / "prisoners.json"
    upstream.write_text(
        json.dumps(_upstream_like(entry.local), ensure_ascii=False), encoding="utf-8"
    )
    assert hashlib.sha256(viasna.viasna_extract(upstream)).hexdigest() == entry.sha256

    def copy(url, output_file, pooch_obj):
        shutil.copyfile(upstream, output_file)

    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    assert registry.derive_from_upstream(entry, copy) == "derived"
    assert registry.sha256_of(entry.local) == entry.sha256


def test_a_derivation_that_does_not_match_the_pin_writes_nothing(entries, tmp_path, monkeypatch):
    entry = entries["viasna/prisoners_en_2023.jsonl"]
    records = _upstream_like(entry.local)
    records[0]["name"] = records[0]["name"] + " (changed)"
    upstream = tmp_path / "prisoners.json"
    upstream.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")

    def copy(url, output_file, pooch_obj):
        shutil.copyfile(upstream, output_file)

    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    with pytest.raises(registry.RawFileError, match=r"does not match the pin"):
        registry.derive_from_upstream(entry, copy)
    assert not (tmp_path / "raw" / entry.path).exists()
