"""Benchmark the pipeline on this machine and print the figures (nothing is asserted).

* cold run: every task from raw, into a scratch folder (environment and raw files present);
* no-op re-run: the same command again, nothing changed;
* per notebook: its seconds in the cold run and its peak memory (max RSS of the runner and
  its kernel, measured in a run of that task alone);
* the floor, measured in the same session: every raw file read once with polars, plus one
  papermill start of an empty notebook per task.

Targets on the 2-core machine: no-op under 1 s, cold within 3x the floor, peak under 2 GB.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
import polars as pl

from belarus_repression import inventory, pipeline, registry
from belarus_repression.tasks import load_tasks


def timed_child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (child and its descendants) and stdout of a command."""
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{text}")
    return wall, usage.ru_maxrss / 1024, text


def floor(tasks) -> tuple[float, float]:
    entries = registry.load()
    start = time.perf_counter()
    for entry in entries.values():  # one read of each file with polars, the cheapest way
        inventory.reader_for(entry)(entry.local, entry)
    read = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")]), empty)
        start = time.perf_counter()
        for _ in tasks:
            papermill.execute_notebook(
                str(empty),
                str(Path(tmp) / "out.ipynb"),
                kernel_name=pipeline.KERNEL,
                progress_bar=False,
            )
        kernels = time.perf_counter() - start
    return read, kernels


def main() -> None:
    tasks = load_tasks()
    scratch = Path(tempfile.mkdtemp(prefix="belrep-bench-"))
    env = dict(
        os.environ,
        BELREP_PROCESSED_DIR=str(scratch / "processed"),
        BELREP_REPORTS_DIR=str(scratch / "reports"),
        BELREP_BUILD_DIR=str(scratch / "b"),
        TZ="UTC",
        PYTHONHASHSEED="0",
        POLARS_MAX_THREADS="2",
    )
    run = [sys.executable, "-m", "belarus_repression", "run"]
    try:
        cold, cold_peak, out = timed_child(run, env)
        per_task = dict(re.findall(r"\] (\S+)\s+ran\s+([\d.]+) s", out))
        noop, noop_peak, _ = timed_child(run, env)
        peaks = {t.name: timed_child([*run, "--only", t.name, "--force"], env)[1] for t in tasks}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    read, kernels = floor(tasks)
    floor_total = read + kernels
    print(f"benchmark on {os.cpu_count()} cores, polars {pl.__version__}, {len(tasks)} task(s)")
    print(f"  floor: read every raw file once  {read:7.2f} s")
    print(f"  floor: {len(tasks)} empty papermill run(s)   {kernels:7.2f} s")
    print(f"  floor total                      {floor_total:7.2f} s")
    print(
        f"  cold run                         {cold:7.2f} s  ({cold / floor_total:.1f}x floor;"
        f" target <= 3x)  peak {cold_peak:6.0f} MB"
    )
    print(
        f"  no-op re-run                     {noop:7.2f} s  (target < 1 s)"
        f"        peak {noop_peak:6.0f} MB"
    )
    for task in tasks:
        print(
            f"    {task.name:<28} {float(per_task.get(task.name, 'nan')):7.2f} s"
            f"  peak {peaks[task.name]:6.0f} MB (target < 2048 MB)"
        )


if __name__ == "__main__":
    main()
