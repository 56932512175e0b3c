"""The task declarations (`pipeline.toml`) and the handle a notebook works through.

A notebook starts with `run = tasks.start("<task>", **parameters)`. The handle validates the
parameters, sets up figures, and lets the notebook read only the raw files and tables its task
declares and write only the tables it declares, so the declarations in `pipeline.toml` cannot
drift from what the notebooks do.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from belarus_repression import frames, params, paths, registry


class DeclarationError(ValueError):
    """pipeline.toml is inconsistent, or a notebook used something its task does not declare."""


@dataclass(frozen=True)
class Task:
    name: str
    title: str
    notebook: Path
    raw: tuple[str, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    def raw_files(self, entries: dict[str, registry.RawFile]) -> list[registry.RawFile]:
        chosen = []
        for pattern in self.raw:
            matched = [e for p, e in entries.items() if fnmatch.fnmatch(p, pattern)]
            if not matched:
                raise DeclarationError(
                    f"task {self.name}: raw pattern {pattern!r} matches "
                    "no file in data/raw/registry.toml"
                )
            chosen.extend(m for m in matched if m not in chosen)
        return sorted(chosen, key=lambda e: e.path)


def load_tasks(path: Path | None = None) -> list[Task]:
    """Read and check the pipeline spec: unique names, one producer per table, inputs built
    by an earlier task, a notebook and a parameter model for every task."""
    path = path or paths.PIPELINE
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    tasks: list[Task] = []
    produced: dict[str, str] = {}
    where = paths.relative(path)
    for raw in spec.get("task", []):
        try:
            task = Task(
                name=raw["name"],
                title=raw["title"],
                notebook=paths.ROOT / raw["notebook"],
                raw=tuple(raw.get("raw", [])),
                inputs=tuple(raw.get("inputs", [])),
                outputs=tuple(raw["outputs"]),
            )
        except KeyError as err:
            raise DeclarationError(f"{where}: task {raw.get('name', '?')} lacks {err}") from None
        if any(t.name == task.name for t in tasks):
            raise DeclarationError(f"{where}: task {task.name} is declared twice")
        if not task.notebook.is_file():
            raise DeclarationError(f"{where}: task {task.name}: no notebook {raw['notebook']}")
        if task.name not in params.MODELS:
            raise DeclarationError(f"{where}: task {task.name} has no parameter model")
        for table in task.inputs:
            if table not in produced:
                raise DeclarationError(
                    f"{where}: task {task.name} reads {table!r}, which no earlier task writes"
                )
        for table in task.outputs:
            if table in produced:
                raise DeclarationError(
                    f"{where}: table {table!r} is written by both {produced[table]} and {task.name}"
                )
            produced[table] = task.name
        tasks.append(task)
    return tasks


def get_task(name: str) -> Task:
    for task in load_tasks():
        if task.name == name:
            return task
    raise DeclarationError(f"no task {name!r} in {paths.relative(paths.PIPELINE)}")


class Run:
    """What a notebook may read and write, and the provenance of what it makes."""

    def __init__(self, task: Task, parameters: params.TaskParams) -> None:
        self.task = task
        self.params = parameters
        self.entries = registry.load()
        self._raw = {e.path: e for e in task.raw_files(self.entries)}
        self._inputs: dict[str, str] = {}

    # --- inputs -----------------------------------------------------------------------
    def raw_files(self) -> list[registry.RawFile]:
        """The declared raw files, each checked to be present with its pinned size."""
        files = list(self._raw.values())
        registry.check_present(files)
        return files

    def raw(self, path: str) -> Path:
        if path not in self._raw:
            raise DeclarationError(
                f"task {self.task.name} reads raw file {path!r} without "
                "declaring it in pipeline.toml"
            )
        registry.check_present([self._raw[path]])
        return self._raw[path].local

    def read(self, table: str) -> pl.DataFrame:
        if table not in self.task.inputs:
            raise DeclarationError(
                f"task {self.task.name} reads table {table!r} without declaring it in pipeline.toml"
            )
        frame = frames.read_table(table)
        self._inputs[table] = registry.sha256_of(paths.PROCESSED / f"{table}.parquet")
        return frame

    # --- outputs ----------------------------------------------------------------------
    def write(self, frame: pl.DataFrame, table: str, key: Sequence[str]) -> Path:
        if table not in self.task.outputs:
            raise DeclarationError(
                f"task {self.task.name} writes table {table!r} without "
                "declaring it in pipeline.toml"
            )
        return frames.write_table(frame, table, key, task=self.task.name)

    def provenance(self) -> dict[str, Any]:
        values = self.params.for_papermill()
        return {
            "task": self.task.name,
            "notebook": paths.relative(self.task.notebook),
            "parameters": values,
            "as_of": values.get("as_of"),
            "raw_inputs": [
                {"path": e.path, "sha256": e.sha256, "publisher": e.publisher}
                for e in self._raw.values()
            ],
            "table_inputs": [{"table": t, "sha256": h} for t, h in sorted(self._inputs.items())],
        }

    def figure(
        self,
        chart,
        *,
        name: str,
        title: str,
        caption: str,
        description: str,
        subtitle: str | None = None,
    ):
        from belarus_repression import figures

        return figures.export(
            chart,
            task=self.task.name,
            name=name,
            title=title,
            caption=caption,
            description=description,
            subtitle=subtitle,
            provenance=self.provenance(),
        )


def start(task: str, **values: Any) -> Run:
    """Begin a notebook: validate its parameters and set up figures and polars display."""
    from belarus_repression import figures

    parameters = params.validate(task, values)
    figures.setup()
    pl.Config.set_tbl_hide_dataframe_shape(True)
    pl.Config.set_tbl_rows(60)
    pl.Config.set_fmt_str_lengths(60)
    pl.Config.set_tbl_width_chars(160)
    return Run(get_task(task), parameters)
