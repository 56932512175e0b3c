"""Write data/raw/registry.toml from the mirror's SOURCES.toml plus the curated tables.

Run once when the mirror gains a file:
    .venv/bin/python scripts/import_sources.py ../shared/data/raw
The curated tables have no upstream URL; their hashes are those of the mirror's copies.
Expected row counts come from the data README (the sources' own statements), not from the files.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

EXPECT_ROWS = {  # stated in shared/data/README.md; asserted when the inventory loads the file
    "zubr/decisions.json": 6616,
    "zubr/court.csv": 158,
    "zubr/judge.csv": 1832,
    "viasna/prisoners_en_2023.jsonl": 3084,
    "curated/sanctions_actions.csv": 66,
    "curated/events.csv": 36,
    "curated/viasna_news_ids.csv": 71,
}
EXPECT_IN_SCOPE = {  # Belarus rows stated in shared/data/README.md, asserted on load
    "ofac/sdn_2021-08-18T0939Z.csv": 103,
    "ofac/sdn_2021-12-02T1850Z.csv": 138,
    "ofac/sdn_2022-02-25T0150Z.csv": 162,
    "ofac/sdn_2024-05-03T1843Z.csv": 232,
    "ofac/sdn_2026-08-20.json": 258,
    "uk/subjects.csv": 167,
    "eu/fsf_merged_2022-09-13.csv": 229,
}
CURATED = {
    "curated/sanctions_actions.csv": "Official sanctions actions (designations, sectoral "
    "measures, delistings) of the US, EU, UK, Canada and Switzerland, one row per action, each "
    "with its source URL and the quote stating the figure.",
    "curated/events.csv": "Dated events for annotating timelines, each with its source.",
    "curated/viasna_counts_public.csv": "Viasna's published counts of political prisoners "
    "held (and recognised/released totals where stated), each with its source and quote.",
    "curated/viasna_news_ids.csv": "Viasna news ids with their publication dates: anchors "
    "for dating recognition statements by news id.",
}
ORDER = [
    "path",
    "source",
    "url",
    "sha256",
    "bytes",
    "licence",
    "publisher",
    "snapshot_taken",
    "repo",
    "commit",
    "upstream_path",
    "upstream_chars",
    "derive",
    "expect_rows",
    "description",
]


def toml_value(value) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def main(mirror: Path) -> None:
    sources = tomllib.loads((mirror / "SOURCES.toml").read_text(encoding="utf-8"))["file"]
    entries = []
    for src in sources:
        entry = dict(src, source=src["path"].split("/")[0])
        entries.append(entry)
    for rel, description in CURATED.items():
        data = (mirror / rel).read_bytes()
        entries.append(
            {
                "path": rel,
                "source": "curated",
                "url": "",
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "licence": "facts with their sources (each row cites its source URL)",
                "publisher": "compiled for this project from official statements, press releases "
                "and Viasna reports",
                "snapshot_taken": "curated",
                "description": description,
            }
        )
    for entry in entries:
        if entry["path"] in EXPECT_ROWS:
            entry["expect_rows"] = EXPECT_ROWS[entry["path"]]
        if entry["path"] in EXPECT_IN_SCOPE:
            entry["expect_in_scope"] = EXPECT_IN_SCOPE[entry["path"]]
    lines = [
        "# Raw-file registry: one entry per file fetched into data/raw/ (never edited there).",
        "# Made by scripts/import_sources.py from the mirror's SOURCES.toml; `make data` fetches",
        "# each file from $DATA_MIRROR or else from its pinned URL and checks sha256 and bytes.",
        "",
    ]
    for entry in sorted(entries, key=lambda e: e["path"]):
        lines.append("[[file]]")
        for key in ORDER + sorted(set(entry) - set(ORDER)):
            if key in entry:
                lines.append(f"{key} = {toml_value(entry[key])}")
        lines.append("")
    out = Path(__file__).resolve().parents[1] / "data" / "raw" / "registry.toml"
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {len(entries)} entries to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/raw").resolve())
