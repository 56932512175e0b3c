"""The raw-file registry: what each raw file is, where it comes from, and its pinned hash.

`data/raw/registry.toml` is the project's own copy of the mirror's SOURCES.toml (plus the
curated tables, which have no upstream URL). Fetching goes through pooch, which downloads to
a temporary file, checks the sha256 and only then moves the file into place, so a file in
`data/raw/` is either complete and verified or absent. A file already present with the right
hash is left alone.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from belarus_repression import paths


class RawFileError(RuntimeError):
    """A raw file is missing, truncated or does not match its pinned sha256."""


@dataclass(frozen=True)
class RawFile:
    """One registry entry. ``path`` is relative to ``data/raw/`` (and to the mirror)."""

    path: str
    sha256: str
    bytes: int
    source: str
    publisher: str
    licence: str
    snapshot_taken: str
    description: str
    url: str = ""
    repo: str = ""
    commit: str = ""
    upstream_path: str = ""
    derive: str = ""
    expect_rows: int | None = None
    expect_in_scope: int | None = None  # rows about Belarus, as the source's notes state
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def local(self) -> Path:
        return paths.RAW / self.path


REQUIRED = (
    "path",
    "sha256",
    "bytes",
    "source",
    "publisher",
    "licence",
    "snapshot_taken",
    "description",
)


def load(registry: Path | None = None) -> dict[str, RawFile]:
    """Read the registry; every entry must carry the required fields, paths must be unique."""
    registry = registry or paths.REGISTRY
    with registry.open("rb") as fh:
        data = tomllib.load(fh)
    entries: dict[str, RawFile] = {}
    known = set(RawFile.__dataclass_fields__) - {"extra"}
    for i, raw in enumerate(data.get("file", []), start=1):
        missing = [k for k in REQUIRED if k not in raw]
        if missing:
            raise RawFileError(f"{paths.relative(registry)}: entry {i} lacks {', '.join(missing)}")
        if raw["path"] in entries:
            raise RawFileError(f"{paths.relative(registry)}: {raw['path']} is listed twice")
        if len(raw["sha256"]) != 64:
            raise RawFileError(f"{paths.relative(registry)}: {raw['path']}: sha256 is not 64 hex")
        entry = RawFile(
            **{k: v for k, v in raw.items() if k in known},
            extra={k: v for k, v in raw.items() if k not in known},
        )
        entries[entry.path] = entry
    return entries


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _mirror_copier(source: Path, expected_bytes: int):
    """A pooch downloader that copies from the offline mirror instead of the network."""

    def copy(url: str, output_file, pooch_obj) -> None:  # signature fixed by pooch
        if not source.is_file():
            raise RawFileError(f"{source}: not in the data mirror (DATA_MIRROR)")
        size = source.stat().st_size
        if size != expected_bytes:
            raise RawFileError(
                f"{source}: {size} bytes in the mirror, expected {expected_bytes} "
                "(truncated or replaced file)"
            )
        if isinstance(output_file, str | Path):
            shutil.copyfile(source, output_file)
        else:
            with source.open("rb") as fh:
                shutil.copyfileobj(fh, output_file)

    return copy


def fetch_one(entry: RawFile, mirror: Path | None) -> str:
    """Make ``data/raw/<path>`` hold the verified file; return what was done."""
    import pooch

    pooch.get_logger().setLevel(logging.WARNING)
    target = entry.local
    if (
        target.is_file()
        and target.stat().st_size == entry.bytes
        and sha256_of(target) == entry.sha256
    ):
        return "present"
    if mirror is not None:
        origin = mirror / entry.path
        downloader = _mirror_copier(origin, entry.bytes)
        url = origin.as_uri()
    elif entry.derive:
        return derive_from_upstream(entry, pooch.HTTPDownloader(progressbar=False, timeout=300))
    elif entry.url:
        downloader = pooch.HTTPDownloader(progressbar=False, timeout=120)
        url = entry.url
        origin = entry.url
    else:
        raise RawFileError(
            f"{entry.path}: has no upstream URL (a curated table); set DATA_MIRROR to the "
            "folder that holds it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(
            url=url,
            known_hash=f"sha256:{entry.sha256}",
            fname=target.name,
            path=target.parent,
            downloader=downloader,
            progressbar=False,
        )
    except ValueError as err:  # pooch's hash mismatch; the temporary file is already gone
        actual = str(err).split(" but got ")[-1].split(".")[0] if " but got " in str(err) else "?"
        raise RawFileError(
            f"{entry.path}: sha256 mismatch for the file from {origin}\n"
            f"  expected {entry.sha256}\n  actual   {actual}\n"
            "The raw file differs from the pinned version; it was not copied."
        ) from err
    return "fetched"


DERIVATIONS = {"viasna/prisoners_en_2023.jsonl": "viasna_extract"}


def derive_from_upstream(entry: RawFile, downloader) -> str:
    """Fetch the upstream file an extract is made from, make the extract, and keep it only if
    it has the pinned sha256 and size. The upstream copy is cached in `data/raw/.upstream/`."""
    import pooch

    from belarus_repression import frames
    from belarus_repression.sources import viasna

    if entry.path not in DERIVATIONS:
        raise RawFileError(f"{entry.path}: no derivation is defined for this extract")
    cache = paths.RAW / ".upstream"
    upstream = Path(
        pooch.retrieve(
            url=entry.url,
            known_hash=None,
            fname=Path(entry.path).name + ".upstream.json",
            path=cache,
            downloader=downloader,
            progressbar=False,
        )
    )
    data = getattr(viasna, DERIVATIONS[entry.path])(upstream)
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry.sha256 or len(data) != entry.bytes:
        raise RawFileError(
            f"{entry.path}: the extract derived from {entry.url} does not match the pin\n"
            f"  expected sha256 {entry.sha256} ({entry.bytes} bytes)\n"
            f"  actual   sha256 {actual} ({len(data)} bytes)\n"
            "It was not written; the upstream file or the derivation differs."
        )
    frames.atomic_write_bytes(entry.local, data)
    return "derived"


def fetch_all(entries: Iterable[RawFile], mirror: Path | None = None, echo=print) -> dict[str, str]:
    """Fetch and verify every entry; stop at the first bad file with its name and hashes."""
    results = {}
    for entry in entries:
        results[entry.path] = fetch_one(entry, mirror)
        echo(f"  {results[entry.path]:8s} {entry.path}")
    return results


def check_present(entries: Iterable[RawFile]) -> None:
    """Fail unless every file is in ``data/raw/`` with its pinned size (hashes: `fetch`)."""
    missing = [
        e.path for e in entries if not e.local.is_file() or e.local.stat().st_size != e.bytes
    ]
    if missing:
        raise RawFileError(
            "raw files missing or of the wrong size (run `make data`): " + ", ".join(missing)
        )
