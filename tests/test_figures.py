"""Figure export: every format, alt text and provenance in the spec, and the gallery."""

import json

import altair as alt
import polars as pl

from belarus_repression import figures, gallery


def test_export_writes_every_format_with_metadata(tmp_path):
    chart = alt.Chart(pl.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")
    provenance = {
        "task": "99_test",
        "notebook": "notebooks/99_test.ipynb",
        "parameters": {"as_of": "2022-01-27"},
        "as_of": "2022-01-27",
        "raw_inputs": [{"path": "zubr/court.csv", "sha256": "ab" * 32, "publisher": "ZUBR"}],
    }
    fig = figures.export(
        chart,
        task="99_test",
        name="line",
        title="A line",
        caption="Two points.",
        description="A rising line.",
        provenance=provenance,
        folder=tmp_path / "figures",
    )
    folder = tmp_path / "figures" / "99_test"
    assert sorted(p.name for p in folder.iterdir()) == [
        "line.pdf",
        "line.png",
        "line.svg",
        "line.vl.json",
    ]
    spec = json.loads((folder / "line.vl.json").read_text())
    assert spec["title"] == {"text": "A line"} and spec["description"] == "A rising line."
    assert spec["usermeta"]["provenance"] == provenance
    assert spec["config"]["font"] == figures.FONT
    svg = (folder / "line.svg").read_text()
    assert "<title>A line</title><desc>A rising line.</desc>" in svg
    assert (folder / "line.png").read_bytes()[:4] == b"\x89PNG"
    assert (folder / "line.pdf").read_bytes()[:4] == b"%PDF"
    bundle = fig._repr_mimebundle_()
    assert bundle[figures.VEGALITE_MIME] == spec
    assert "Two points." in bundle["text/plain"]

    page = gallery.build_gallery(tmp_path).read_text()
    assert 'alt="A rising line."' in page and "99_test/line.pdf" in page
    assert "zubr/court.csv" in page and "as_of = 2022-01-27" in page


def test_exports_are_deterministic(tmp_path):
    chart = alt.Chart(pl.DataFrame({"x": ["a", "b"], "y": [1, 2]})).mark_bar().encode(x="x", y="y")
    kwargs = {
        "task": "t",
        "name": "bars",
        "title": "Bars",
        "caption": "c",
        "description": "d",
        "provenance": {},
    }
    figures.export(chart, folder=tmp_path / "a", **kwargs)
    figures.export(chart, folder=tmp_path / "b", **kwargs)
    for ext in ("vl.json", "svg", "png", "pdf"):
        assert (tmp_path / "a" / "t" / f"bars.{ext}").read_bytes() == (
            tmp_path / "b" / "t" / f"bars.{ext}"
        ).read_bytes(), ext


def _xref_offsets_valid(pdf: bytes) -> bool:
    """Every object the cross-reference table points at starts where it says."""
    import re

    start = int(re.search(rb"startxref\s+(\d+)", pdf).group(1))
    lines = pdf[start:].split(b"trailer")[0].split(b"\n")
    first = int(lines[1].split()[0])
    entries = [line.split() for line in lines[2:] if line.strip()]
    return all(
        pdf[int(off) :].startswith(f"{first + i} 0 obj".encode())
        for i, (off, _gen, kind) in enumerate(entries)
        if kind == b"n"
    )


def test_canonical_pdf_sorts_resources_and_keeps_offsets(tmp_path):
    import vl_convert

    figures.setup()
    layers = [
        alt.Chart(pl.DataFrame({"x": [i, i + 1], "y": [1, 2]}))
        .mark_area(opacity=0.3)
        .encode(x="x", y="y")
        for i in range(12)
    ]
    raw = vl_convert.vegalite_to_pdf(alt.layer(*layers).to_dict())
    fixed = figures.canonical_pdf(raw)
    assert len(fixed) == len(raw) and _xref_offsets_valid(fixed)
    entries = [m.group(3) for m in figures._RESOURCE_DICT.finditer(fixed)]
    assert entries and all(e.splitlines() == sorted(e.splitlines()) for e in entries)
