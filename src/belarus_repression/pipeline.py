"""The runner: fetch, then run each task's notebook through papermill when anything it
depends on changed, record what it wrote in the manifest, render it for reviewers.

A task's stamp is the sha256 of: its notebook's cell sources, every file of this package, the
lock file, its parameters, the pinned hashes of its raw files and the hashes of the tables it
reads. A task whose stamp matches the manifest and whose outputs still have their recorded
hashes is skipped. Nothing here looks at file times.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from belarus_repression import frames, gallery, params, paths, registry
from belarus_repression.tasks import DeclarationError, Task, load_tasks

KERNEL = "belarus-repression"
WORKERS = 2  # notebooks run at once: the machines have two cores
_echo = functools.partial(print, flush=True)
LOCK = paths.ROOT / "requirements.lock"


class PipelineError(RuntimeError):
    """A task failed, or wrote something other than what it declares."""


# --- hashing -------------------------------------------------------------------------------
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notebook_source_hash(path: Path) -> str:
    """Hash of the cells' types and sources: outputs and metadata do not count."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        (c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
        for c in nb["cells"]
    ]
    return _sha(json.dumps(cells, ensure_ascii=False).encode("utf-8"))


def package_hash() -> str:
    digest = hashlib.sha256()
    for file in sorted(paths.PACKAGE.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(paths.PACKAGE).as_posix().encode())
            digest.update(file.read_bytes())
    if LOCK.is_file():
        digest.update(LOCK.read_bytes())
    return digest.hexdigest()


def task_stamp(
    task: Task,
    parameters: params.TaskParams,
    raw: list[registry.RawFile],
    table_inputs: dict[str, str],
    package: str,
) -> str:
    payload = {
        "notebook": notebook_source_hash(task.notebook),
        "package": package,
        "parameters": parameters.for_papermill(),
        "raw": {e.path: e.sha256 for e in raw},
        "tables": table_inputs,
    }
    return _sha(json.dumps(payload, sort_keys=True).encode("utf-8"))


# --- manifest ------------------------------------------------------------------------------
def read_manifest(path: Path | None = None) -> dict[str, Any]:
    path = path or paths.MANIFEST
    if not path.is_file():
        return {"tasks": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def write_manifest(manifest: dict[str, Any], path: Path | None = None) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    frames.atomic_write_bytes(path or paths.MANIFEST, text.encode("utf-8"))


def output_key(path: Path) -> str:
    """Name an output relative to its root folder, so scratch rebuilds compare by name."""
    path = path.resolve()
    for root, prefix in ((paths.PROCESSED, "processed"), (paths.REPORTS, "reports")):
        if path.is_relative_to(root):
            return f"{prefix}/{path.relative_to(root).as_posix()}"
    raise PipelineError(f"{path}: written outside data/processed and reports")


def key_path(key: str) -> Path:
    prefix, _, rest = key.partition("/")
    return (paths.PROCESSED if prefix == "processed" else paths.REPORTS) / rest


def outputs_intact(entry: dict[str, Any]) -> bool:
    for key, digest in {**entry.get("outputs", {}), **entry.get("figures", {})}.items():
        path = key_path(key)
        if not path.is_file() or registry.sha256_of(path) != digest:
            return False
    return True


# --- running -------------------------------------------------------------------------------
def check_notebook_parameters(task: Task, parameters: params.TaskParams) -> None:
    """The notebook's `parameters` cell must declare exactly the model's fields."""
    import papermill

    declared = set(papermill.inspect_notebook(str(task.notebook)))
    expected = set(type(parameters).model_fields)
    if declared != expected:
        raise DeclarationError(
            f"{paths.relative(task.notebook)}: parameters cell declares {sorted(declared)}, "
            f"the model in params.py has {sorted(expected)}"
        )


def execute(task: Task, parameters: params.TaskParams) -> dict[str, list[Path]]:
    """Run the notebook with papermill into build/notebooks; return what it wrote."""
    import papermill

    paths.EXECUTED.mkdir(parents=True, exist_ok=True)
    log = Path(os.environ[frames.RUN_LOG_ENV]) / f"{task.name}.jsonl"
    log.unlink(missing_ok=True)
    executed = paths.EXECUTED / f"{task.name}.ipynb"
    try:
        papermill.execute_notebook(
            str(task.notebook),
            str(executed),
            parameters=parameters.for_papermill(),
            kernel_name=KERNEL,
            cwd=str(task.notebook.parent),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            start_timeout=120,
        )
    except Exception as err:
        raise PipelineError(
            f"task {task.name} failed; the executed notebook with the error is "
            f"{paths.relative(executed)}\n{err}"
        ) from None
    written: dict[str, list[Path]] = {"table": [], "figure": []}
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            written[record["kind"]].append(Path(record["path"]))
    tables = {p.name.removesuffix(".parquet") for p in written["table"]}
    if tables != set(task.outputs):
        raise PipelineError(
            f"task {task.name} wrote tables {sorted(tables)}, but declares "
            f"{sorted(task.outputs)} in pipeline.toml"
        )
    return written


_exporter = None
_exporter_lock = threading.Lock()


def html_exporter():
    """nbconvert's HTML exporter, templates loaded. Costs about 1.3 s the first time, so the
    runner warms it in a thread while the first kernel runs."""
    global _exporter
    with _exporter_lock:
        if _exporter is None:
            import nbconvert
            import nbformat

            exporter = nbconvert.HTMLExporter(template_name="lab")
            exporter.from_notebook_node(nbformat.v4.new_notebook())
            _exporter = exporter
    return _exporter


def render_html(task: Task) -> Path:
    """The executed notebook as HTML for reviewers (the static SVGs show the charts)."""
    import nbformat

    nb = nbformat.read(paths.EXECUTED / f"{task.name}.ipynb", as_version=4)
    exporter = html_exporter()
    with _exporter_lock:  # one exporter, shared by the worker threads
        body, _ = exporter.from_notebook_node(nb)
    target = paths.RENDERED_NOTEBOOKS / f"{task.name}.html"
    frames.atomic_write_bytes(target, body.encode("utf-8"))
    return target


def run(
    overrides: list[str] | None = None,
    force: bool = False,
    only: list[str] | None = None,
    echo=_echo,
) -> dict[str, str]:
    """Run the pipeline; return each task's status (ran / up to date)."""
    tasks = load_tasks()
    resolved = params.resolve(overrides)  # every parameter checked before anything runs
    entries = registry.load()
    wanted = set(only or [t.name for t in tasks])
    unknown = wanted - {t.name for t in tasks}
    if unknown:
        raise DeclarationError(f"unknown task(s) {sorted(unknown)}")
    registry.check_present(e for t in tasks if t.name in wanted for e in t.raw_files(entries))

    os.environ.setdefault("TZ", "UTC")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("POLARS_MAX_THREADS", "2")
    manifest = read_manifest()
    package = package_hash()
    statuses: dict[str, str] = {}
    selected = [t for t in tasks if t.name in wanted]
    if force or not all(
        _up_to_date(t, resolved[t.name], entries, manifest, package) for t in selected
    ):
        for task in tasks:  # papermill would only warn about a mismatch, so check first
            check_notebook_parameters(task, resolved[task.name])
        threading.Thread(target=html_exporter, daemon=True).start()
    run_log = paths.BUILD / "runlog"
    run_log.mkdir(parents=True, exist_ok=True)
    os.environ[frames.RUN_LOG_ENV] = str(run_log)  # inherited by every kernel started
    lock = threading.Lock()
    producer = {table: t.name for t in tasks for table in t.outputs}

    def one(task: Task) -> str:
        """Run or skip one task; its upstream tasks have finished when this is called."""
        started = time.perf_counter()
        raw = task.raw_files(entries)
        if not force and _up_to_date(task, resolved[task.name], entries, manifest, package):
            status = "up to date"
        else:
            echo(f"  {task.name:<28} running …")
            tables = {t: registry.sha256_of(paths.PROCESSED / f"{t}.parquet") for t in task.inputs}
            written = execute(task, resolved[task.name])
            render_html(task)
            with lock:
                manifest["tasks"][task.name] = {
                    "stamp": task_stamp(task, resolved[task.name], raw, tables, package),
                    "notebook": paths.relative(task.notebook),
                    "parameters": resolved[task.name].for_papermill(),
                    "raw_inputs": {e.path: e.sha256 for e in raw},
                    "table_inputs": tables,
                    "outputs": {output_key(p): registry.sha256_of(p) for p in written["table"]},
                    "figures": {output_key(p): registry.sha256_of(p) for p in written["figure"]},
                }
                write_manifest(manifest)
            status = "ran"
        with lock:
            statuses[task.name] = status
            echo(
                f"[{len(statuses)}/{len(selected)}] {task.name:<28} {status:<11}"
                f"{time.perf_counter() - started:7.1f} s"
            )
        return status

    # Two tasks at a time (two cores), each as soon as the tasks whose tables it reads are done.
    pending = {t.name: t for t in selected}
    running: dict = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        while pending or running:
            busy = set(pending) | {t.name for t in running.values()}
            ready = ready_tasks(list(pending.values()), busy, producer)
            for task in ready[: WORKERS - len(running)]:
                running[pool.submit(one, task)] = pending.pop(task.name)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                future.result()  # a failed task stops the run with its error
    if "ran" in statuses.values() or not paths.GALLERY.is_file():
        gallery.build_gallery()
    return statuses


def ready_tasks(pending: list[Task], busy: set[str], producer: dict[str, str]) -> list[Task]:
    """The pending tasks none of whose input tables is still to be made by a busy task;
    tasks whose tables others read come first, so the waiting ones can start sooner."""
    needed = {producer[i] for t in pending for i in t.inputs if i in producer}
    ready = [t for t in pending if not any(producer.get(i) in busy for i in t.inputs)]
    return sorted(ready, key=lambda t: t.name not in needed)  # stable: declared order next


def _up_to_date(task: Task, parameters: params.TaskParams, entries, manifest, package) -> bool:
    """Stamp unchanged, every recorded output present with its hash, the HTML rendered."""
    previous = manifest["tasks"].get(task.name)
    if previous is None:
        return False
    tables = {}
    for table in task.inputs:
        path = paths.PROCESSED / f"{table}.parquet"
        if not path.is_file():
            return False
        tables[table] = registry.sha256_of(path)
    stamp = task_stamp(task, parameters, task.raw_files(entries), tables, package)
    html = paths.RENDERED_NOTEBOOKS / f"{task.name}.html"
    return previous.get("stamp") == stamp and outputs_intact(previous) and html.is_file()


def verify(echo=_echo) -> int:
    """Rebuild everything from raw into a scratch folder; report outputs whose hash differs."""
    scratch = paths.BUILD / "verify"
    shutil.rmtree(scratch, ignore_errors=True)
    env = dict(
        os.environ,
        BELREP_PROCESSED_DIR=str(scratch / "processed"),
        BELREP_REPORTS_DIR=str(scratch / "reports"),
        BELREP_BUILD_DIR=str(scratch / "build"),
    )
    echo(f"rebuilding from raw into {paths.relative(scratch)} …")
    subprocess.run(
        [sys.executable, "-m", "belarus_repression", "run", "--force"], env=env, check=True
    )
    reference = read_manifest()
    rebuilt = read_manifest(scratch / "processed" / "manifest.json")
    problems = 0
    checked = 0
    for name, entry in sorted(reference["tasks"].items()):
        fresh = rebuilt["tasks"].get(name)
        if fresh is None:
            echo(f"  MISSING  task {name} was not rebuilt")
            problems += 1
            continue
        if fresh["parameters"] != entry["parameters"]:
            echo(
                f"  NOTE     {name}: manifest built with {entry['parameters']}, "
                f"rebuild used {fresh['parameters']}"
            )
        for kind in ("outputs", "figures"):
            for key, digest in sorted(entry[kind].items()):
                checked += 1
                got = fresh[kind].get(key)
                if got != digest:
                    problems += 1
                    echo(
                        f"  DIFFERS  {key}: manifest {digest[:16]}…, rebuilt "
                        f"{(got or 'missing')[:16]}…"
                    )
    echo(
        f"verify: {checked} outputs compared, {problems} differ"
        + ("" if problems else " — the rebuild reproduces the manifest")
    )
    return 1 if problems else 0


def store_outputs(echo=_echo) -> None:
    """Copy executed notebooks back as the committed reference outputs nbval checks.

    Only from a run with the default parameters; the papermill-injected cell and papermill's
    timing metadata are removed so the committed notebook is the source plus its outputs.
    """
    import nbformat

    defaults = params.resolve([])
    manifest = read_manifest()
    for task in load_tasks():
        entry = manifest["tasks"].get(task.name)
        if entry is None or entry["parameters"] != defaults[task.name].for_papermill():
            raise PipelineError(
                f"{task.name}: last run did not use the default parameters; "
                "run `make all` without PARAMS first"
            )
        nb = nbformat.read(paths.EXECUTED / f"{task.name}.ipynb", as_version=4)
        if notebook_source_hash_node(nb) != notebook_source_hash(task.notebook):
            raise PipelineError(
                f"{task.name}: the notebook changed since it was executed; run `make all` first"
            )
        nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        nb.metadata["kernelspec"] = {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        }
        frames.atomic_write_bytes(task.notebook, (nbformat.writes(nb) + "\n").encode("utf-8"))
        echo(f"stored outputs of {paths.relative(task.notebook)}")


def notebook_source_hash_node(nb) -> str:
    """`notebook_source_hash` of an executed notebook, ignoring the injected cell."""
    cells = [
        (c["cell_type"], c["source"])
        for c in nb.cells
        if "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]
    return _sha(json.dumps(cells, ensure_ascii=False).encode("utf-8"))


def fetch(echo=_echo) -> None:
    entries = registry.load()
    mirror = paths.data_mirror()
    origin = f"mirror {mirror}" if mirror else "upstream URLs"
    echo(f"fetching {len(entries)} raw files from {origin} into {paths.relative(paths.RAW)}/")
    results = registry.fetch_all(entries.values(), mirror, echo=lambda _: None)
    counts = {s: list(results.values()).count(s) for s in sorted(set(results.values()))}
    echo("  " + ", ".join(f"{n} {s}" for s, n in counts.items()) + "; every sha256 verified")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m belarus_repression")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="fetch and verify every raw file")
    run_p = sub.add_parser("run", help="run the notebooks that are out of date")
    run_p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="[TASK.]NAME=VALUE",
        help="override a parameter",
    )
    run_p.add_argument("--force", action="store_true", help="re-run every task")
    run_p.add_argument("--only", action="append", metavar="TASK", help="run only this task")
    sub.add_parser("verify", help="rebuild into a scratch folder and compare with the manifest")
    sub.add_parser("store-outputs", help="copy executed notebooks back as nbval references")
    sub.add_parser("gallery", help="rebuild reports/index.html")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            fetch()
        elif args.command == "run":
            for item in args.overrides:
                if " " in item.strip():
                    raise params.ParameterError(f"override {item!r}: one NAME=VALUE per --set")
            run(args.overrides, force=args.force, only=args.only)
        elif args.command == "verify":
            return verify()
        elif args.command == "store-outputs":
            store_outputs()
        elif args.command == "gallery":
            print(paths.relative(gallery.build_gallery()))
    except (registry.RawFileError, params.ParameterError, DeclarationError, PipelineError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
