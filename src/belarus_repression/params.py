"""Typed parameters per task, checked before any notebook runs.

papermill only warns about unknown parameters and never checks types, so the runner validates
`params.yaml` plus command-line overrides against these models first, and each notebook
validates what it received again (a notebook can be run by hand or by nbval).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from belarus_repression import paths


class ParameterError(ValueError):
    """A parameter is unknown, or its value does not have the expected type."""


class TaskParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def for_papermill(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO strings), as papermill injects them."""
        return self.model_dump(mode="json")


class DataInventoryParams(TaskParams):
    as_of: date


class WindowParams(TaskParams):
    """Parameters of a task that shows a span of days."""

    window_start: date
    window_end: date

    @model_validator(mode="after")
    def window_is_ordered(self) -> WindowParams:
        if self.window_start >= self.window_end:
            raise ValueError(
                f"window_start {self.window_start} is not before window_end {self.window_end}"
            )
        return self


class SanctionsParams(WindowParams):
    jurisdictions: list[Literal["US", "UK", "EU"]] = Field(min_length=1)
    as_of: date

    @model_validator(mode="after")
    def lists_differ(self) -> SanctionsParams:
        if len(set(self.jurisdictions)) != len(self.jurisdictions):
            raise ValueError(f"jurisdictions {self.jurisdictions} repeat a list")
        return self


class PrisonersParams(WindowParams):
    as_of: date
    statuses: list[Literal["held", "released", "not_recognised"]] = Field(min_length=1)
    top: int = Field(ge=5, le=100)


class AdminCasesParams(WindowParams):
    # ["all"], or short article codes of the Code of Administrative Offences ("23.34_1")
    articles: list[str] = Field(min_length=1)
    top: int = Field(ge=5, le=100)

    @model_validator(mode="after")
    def articles_are_codes(self) -> AdminCasesParams:
        bad = [a for a in self.articles if a != "all" and not re.fullmatch(r"\d+\.\d+(_\d+)?", a)]
        if bad or ("all" in self.articles and len(self.articles) > 1):
            raise ValueError(f"articles {self.articles}: expected ['all'] or codes like '23.34_1'")
        return self


class AccountabilityParams(TaskParams):
    jurisdictions: list[Literal["US", "UK", "EU"]] = Field(min_length=1)
    # judges and prosecutors with fewer political prisoners are left out of the rankings
    min_cases: int = Field(ge=1, le=100)
    top: int = Field(ge=5, le=100)


MODELS: dict[str, type[TaskParams]] = {
    "00_data_inventory": DataInventoryParams,
    "10_sanctions": SanctionsParams,
    "20_admin_cases": AdminCasesParams,
    "30_prisoners": PrisonersParams,
    "40_accountability": AccountabilityParams,
}


def _describe(err: ValidationError, task: str, values: dict[str, Any]) -> str:
    lines = []
    for problem in err.errors():
        loc = [str(p) for p in problem["loc"]]
        if not loc:  # a check across parameters
            lines.append(f"parameters of {task}: {problem['msg'].removeprefix('Value error, ')}")
        elif problem["type"] == "extra_forbidden":
            known = ", ".join(MODELS[task].model_fields)
            lines.append(f"unknown parameter {task}.{loc[0]} (known: {known})")
        else:
            got = values.get(loc[0], "<missing>")
            lines.append(f"parameter {task}.{'.'.join(loc)}: {problem['msg']} (got {got!r})")
    return "; ".join(lines)


def validate(task: str, values: dict[str, Any]) -> TaskParams:
    if task not in MODELS:
        raise ParameterError(f"no parameter model for task {task!r} (known: {', '.join(MODELS)})")
    try:
        return MODELS[task].model_validate(values)
    except ValidationError as err:
        raise ParameterError(_describe(err, task, values)) from None


def load_defaults(path: Path | None = None) -> dict[str, dict[str, Any]]:
    path = path or paths.PARAMS
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = sorted(set(data) - set(MODELS))
    if unknown:
        raise ParameterError(f"{paths.relative(path)}: unknown task section(s) {unknown}")
    return data


def parse_overrides(items: list[str]) -> list[tuple[str | None, str, Any]]:
    """`name=value` or `task.name=value`; values are read as YAML scalars (dates, numbers)."""
    parsed = []
    for item in items:
        if "=" not in item:
            raise ParameterError(f"override {item!r}: expected name=value or task.name=value")
        name, _, raw = item.partition("=")
        task, _, key = name.strip().rpartition(".")
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except (yaml.YAMLError, ValueError):  # e.g. 2022-13-45: let the model say what's wrong
            value = raw
        parsed.append((task or None, key, value))
    return parsed


def resolve(
    overrides: list[str] | None = None, defaults: dict[str, dict[str, Any]] | None = None
) -> dict[str, TaskParams]:
    """Defaults plus overrides, validated for every task; the first problem stops everything."""
    values = {task: dict(v or {}) for task, v in (defaults or load_defaults()).items()}
    for task in MODELS:
        values.setdefault(task, {})
    for task, key, value in parse_overrides(overrides or []):
        if task is not None:
            if task not in MODELS:
                raise ParameterError(f"override {task}.{key}: unknown task {task!r}")
            values[task][key] = value
            continue
        targets = [t for t, model in MODELS.items() if key in model.model_fields]
        if not targets:
            raise ParameterError(f"override {key}: no task has a parameter named {key!r}")
        for t in targets:
            values[t][key] = value
    return {task: validate(task, v) for task, v in values.items()}
