"""Figures: the house Altair theme, a reproducible notebook renderer, export and gallery.

Every published figure goes through `export`, which stamps title, caption, alt text and
provenance (task, notebook, parameters, the sha256 of every input) into the Vega-Lite spec's
`usermeta`, then writes `<name>.vl.json`, `.svg`, `.png` and `.pdf` under
`reports/figures/<task>/`; `gallery.build_gallery` turns those specs into `reports/index.html`.

Static output depends on fonts and time zone, so the fonts shipped in the package are
registered with vl-convert and TZ is UTC. In notebooks an exported figure is shown as its Vega-Lite
spec (which nbval compares exactly; JupyterLab renders it) plus the static SVG (for GitHub and
the HTML rendering; left out of nbval's comparison in tests/conftest.py). Altair's default HTML
renderer is avoided: it puts a random id into every output and loads JavaScript from a CDN.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt

from belarus_repression import paths
from belarus_repression.frames import atomic_write_bytes, record_output

FONT = "DejaVu Sans"
WIDTH = 640
# Colour-blind-safe categorical palette (Okabe & Ito), fixed order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
JURISDICTION_COLOURS = {
    "US": "#0072B2",
    "EU": "#E69F00",
    "UK": "#009E73",
    "CA": "#CC79A7",
    "CH": "#D55E00",
}
VEGALITE_MIME = "application/vnd.vegalite.v5+json"  # the type JupyterLab 4 renders

_ready = False


def theme() -> dict[str, Any]:
    """The house style: one font (shipped), one weight, a colour-blind-safe palette."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": 320, "stroke": None},
            "title": {
                "anchor": "start",
                "fontSize": 16,
                "fontWeight": "normal",
                "subtitleFontSize": 12,
                "subtitleColor": "#444444",
            },
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "gridColor": "#e6e6e6",
                "domainColor": "#888888",
                "tickColor": "#888888",
            },
            "header": {"titleFontWeight": "normal", "labelFontWeight": "normal"},
            "legend": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "orient": "bottom",
            },
            "range": {"category": PALETTE},
            "background": "white",
        }
    }


def _notebook_renderer(spec: dict, **kwargs: Any) -> dict[str, Any]:
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return {VEGALITE_MIME: spec, "text/plain": f"<chart: {text or 'untitled'}>"}


def setup() -> None:
    """Register fonts, theme and renderer once per process; fix the time zone to UTC."""
    global _ready
    if _ready:
        return
    os.environ["TZ"] = "UTC"
    time.tzset()
    import vl_convert

    vl_convert.register_font_directory(str(paths.FONTS))
    alt.theme.register("belarus_repression", enable=True)(theme)
    alt.renderers.register("belarus_repression", _notebook_renderer)
    alt.renderers.enable("belarus_repression")
    _ready = True


@dataclass(frozen=True)
class Figure:
    """An exported figure; shows in a notebook as its spec plus the static SVG."""

    spec: dict
    svg: str
    caption: str
    files: dict[str, Path]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {
            VEGALITE_MIME: self.spec,
            "image/svg+xml": self.svg,
            "text/plain": f"Figure: {self.spec['title']['text']}. {self.caption}",
        }


def _svg_with_text(svg: str, title: str, description: str) -> str:
    """Give the SVG root an accessible name and description (vl-convert sets neither)."""
    head, sep, rest = svg.partition(">")
    if not sep or not head.lstrip().startswith("<svg"):
        return svg
    attrs = f' role="img" aria-label="{html.escape(title, quote=True)}"'
    inner = f"<title>{html.escape(title)}</title><desc>{html.escape(description)}</desc>"
    return f"{head}{attrs}>{inner}{rest}"


_RESOURCE_DICT = re.compile(rb"(\n( +)/\w+ <<\n)((?:\2  /\w+ \d+ 0 R\n)+)(\2>>)")


def canonical_pdf(pdf: bytes) -> bytes:
    """Sort the entries of the PDF's resource dictionaries (fonts, XObjects, graphic states).

    vl-convert writes them in hash-map order, which changes from run to run. Sorting lines
    within a dictionary keeps every byte count, so the cross-reference offsets stay valid.
    """

    def sort_entries(match: re.Match) -> bytes:
        lines = match.group(3).splitlines(keepends=True)
        return match.group(1) + b"".join(sorted(lines)) + match.group(4)

    return _RESOURCE_DICT.sub(sort_entries, pdf)


def export(
    chart: alt.TopLevelMixin,
    *,
    task: str,
    name: str,
    title: str,
    caption: str,
    description: str,
    provenance: dict[str, Any],
    subtitle: str | None = None,
    folder: Path | None = None,
) -> Figure:
    """Stamp title, alt text and provenance into the spec and write every format."""
    import vl_convert

    setup()
    heading = alt.TitleParams(text=title, subtitle=subtitle) if subtitle else alt.TitleParams(title)
    chart = chart.properties(
        title=heading,
        description=description,
        usermeta={"caption": caption, "alt": description, "provenance": provenance},
    )
    spec = chart.to_dict()
    out = (folder or paths.FIGURES) / task
    files = {
        "vl.json": out / f"{name}.vl.json",
        "svg": out / f"{name}.svg",
        "png": out / f"{name}.png",
        "pdf": out / f"{name}.pdf",
    }
    drawn = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    # PNG and PDF from the drawn SVG: half the time of rendering the spec twice more
    png = vl_convert.svg_to_png(drawn, scale=2)
    pdf = canonical_pdf(vl_convert.svg_to_pdf(drawn))
    svg = _svg_with_text(drawn, title, description)
    contents = {
        "vl.json": (json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(
            "utf-8"
        ),
        "svg": svg.encode("utf-8"),
        "png": png,
        "pdf": pdf,
    }
    for kind, target in files.items():
        atomic_write_bytes(target, contents[kind])
        record_output(task, "figure", target)
    return Figure(spec=spec, svg=svg, caption=caption, files=files)
