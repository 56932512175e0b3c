"""Parameters: defaults from params.yaml, overrides, and refusals that name the parameter."""

from datetime import date

import papermill
import pytest

from belarus_repression import params, paths
from belarus_repression.tasks import load_tasks


def test_defaults_validate_for_every_task():
    resolved = params.resolve([])
    assert set(resolved) == {t.name for t in load_tasks()}
    assert resolved["00_data_inventory"].as_of == date(2026, 8, 20)


def test_an_override_applies_to_every_task_that_has_the_parameter():
    resolved = params.resolve(["as_of=2022-01-27"])
    assert resolved["00_data_inventory"].as_of == date(2022, 1, 27)


def test_a_task_specific_override():
    resolved = params.resolve(["00_data_inventory.as_of=2021-12-30"])
    assert resolved["00_data_inventory"].as_of == date(2021, 12, 30)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("as_of=not-a-date", "parameter 00_data_inventory.as_of: Input should be a valid date"),
        ("asof=2022-01-01", "no task has a parameter named 'asof'"),
        ("00_data_inventory.colour=red", "unknown parameter 00_data_inventory.colour"),
        ("99_nothing.as_of=2022-01-01", "unknown task '99_nothing'"),
        ("as_of", "expected name=value"),
        ("30_prisoners.top=2", r"parameter 30_prisoners.top: Input should be greater than"),
        ("30_prisoners.statuses=[held, jailed]", r"parameter 30_prisoners.statuses.1"),
        ("10_sanctions.jurisdictions=[US, US]", r"parameters of 10_sanctions: jurisdictions"),
        ("20_admin_cases.articles=[all, '23.4']", r"expected \['all'\] or codes like"),
        ("20_admin_cases.window_end=2020-01-01", r"window_start 2020-08-01 is not before"),
    ],
)
def test_bad_overrides_are_refused_naming_the_parameter(override, message):
    with pytest.raises(params.ParameterError, match=message):
        params.resolve([override])


def test_an_unknown_section_in_the_parameters_file_is_refused(tmp_path):
    bad = tmp_path / "params.yaml"
    bad.write_text("00_data_inventory:\n  as_of: 2026-08-20\n10_typo:\n  x: 1\n")
    with pytest.raises(params.ParameterError, match=r"unknown task section\(s\) \['10_typo'\]"):
        params.load_defaults(bad)


def test_notebook_parameter_cells_hold_the_same_defaults_as_params_yaml():
    """nbval runs the committed notebooks with their own defaults: they must be these."""
    defaults = params.resolve([])
    for task in load_tasks():
        inferred = papermill.inspect_notebook(str(task.notebook))
        in_notebook = {name: eval(p["default"]) for name, p in inferred.items()}
        assert in_notebook == defaults[task.name].for_papermill(), paths.relative(task.notebook)
