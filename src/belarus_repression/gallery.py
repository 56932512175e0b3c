"""The figure gallery, `reports/index.html`, built from the exported Vega-Lite specs alone.

Each figure's caption, alt text and provenance live in its spec's `usermeta`, so the page can
be rebuilt without re-running anything (and without importing Altair).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from belarus_repression import paths
from belarus_repression.frames import atomic_write_bytes


def _gallery_entry(spec_path: Path, root: Path) -> str:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    meta = spec.get("usermeta", {})
    prov = meta.get("provenance", {})
    title = spec.get("title", {})
    title_text = title.get("text", "") if isinstance(title, dict) else str(title)
    stem = spec_path.name.removesuffix(".vl.json")
    rel = spec_path.parent.relative_to(root).as_posix()
    links = " · ".join(
        f'<a href="{rel}/{stem}.{ext}">{ext}</a>' for ext in ("svg", "png", "pdf", "vl.json")
    )
    sources = ", ".join(
        f"{html.escape(s['path'])} (sha256 {s['sha256'][:12]}…)" for s in prov.get("raw_inputs", [])
    )
    params = ", ".join(f"{k} = {v}" for k, v in prov.get("parameters", {}).items())
    task = prov.get("task", "")
    return f"""<figure id="{html.escape(task)}-{html.escape(stem)}">
  <img src="{rel}/{stem}.svg" alt="{html.escape(meta.get("alt", ""), quote=True)}">
  <figcaption><strong>{html.escape(title_text)}</strong> {html.escape(meta.get("caption", ""))}
  <br><small>Made by <a href="notebooks/{html.escape(task)}.html">{
        html.escape(prov.get("notebook", ""))
    }</a> with {html.escape(params) or "no parameters"};
  as of {html.escape(str(prov.get("as_of", "")))}. Files: {links}
  <details><summary>Inputs: {len(prov.get("raw_inputs", []))} raw files (sha256)</summary>{
        sources
    }</details></small>
  </figcaption>
</figure>"""


def build_gallery(reports: Path | None = None) -> Path:
    """Write `reports/index.html`: every exported figure with caption, provenance and files."""
    reports = reports or paths.REPORTS
    specs = sorted((reports / "figures").glob("*/*.vl.json"))
    notebooks = sorted((reports / "notebooks").glob("*.html"))
    items = "\n".join(_gallery_entry(p, reports) for p in specs)
    nb_links = "\n".join(f'<li><a href="notebooks/{p.name}">{p.stem}</a></li>' for p in notebooks)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Belarus: repression and sanctions — figures</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; }}
figure {{ margin: 2rem 0; border-top: 1px solid #ddd; padding-top: 1rem; }}
img {{ max-width: 100%; }} figcaption {{ line-height: 1.4; }}
</style></head>
<body>
<h1>Belarus: repression and sanctions — figures</h1>
<p>{len(specs)} figures, each rebuilt by <code>make all</code> from pinned raw files. Every
figure's Vega-Lite spec carries its provenance in <code>usermeta</code>.</p>
<h2>Executed notebooks</h2>
<ul>
{nb_links}
</ul>
<h2>Figures</h2>
{items}
</body></html>
"""
    target = reports / "index.html"
    atomic_write_bytes(target, page.encode("utf-8"))
    return target
