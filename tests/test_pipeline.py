"""The pipeline: declarations, content-hash stamps, determinism, refusal of bad parameters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from belarus_repression import params, paths, pipeline, registry, tasks
from tests.helpers import run_cli, scratch_env


def test_declarations_are_consistent():
    declared = tasks.load_tasks()
    entries = registry.load()
    assert [t.name for t in declared] == sorted(t.name for t in declared)
    for task in declared:
        assert task.raw_files(entries), task.name


def test_a_table_with_two_producers_is_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(params.MODELS, "01_copy", params.DataInventoryParams)
    spec = paths.PIPELINE.read_text(encoding="utf-8")
    second = spec[spec.index("[[task]]") :].replace(
        'name = "00_data_inventory"', 'name = "01_copy"'
    )
    bad = tmp_path / "pipeline.toml"
    bad.write_text(spec + "\n" + second, encoding="utf-8")
    with pytest.raises(tasks.DeclarationError, match=r"'data_inventory' is written by both"):
        tasks.load_tasks(bad)


def test_a_notebook_cannot_read_an_undeclared_raw_file_or_write_an_undeclared_table():
    task = tasks.Task(
        name="00_data_inventory",
        title="t",
        notebook=paths.NOTEBOOKS / "00_data_inventory.ipynb",
        raw=("zubr/*",),
        inputs=(),
        outputs=("data_inventory",),
    )
    run = tasks.Run(task, params.resolve([])["00_data_inventory"])
    assert run.raw("zubr/court.csv").is_file()
    with pytest.raises(tasks.DeclarationError, match=r"reads raw file 'uk/subjects\.csv'"):
        run.raw("uk/subjects.csv")
    with pytest.raises(tasks.DeclarationError, match="writes table 'other'"):
        run.write(None, "other", key=["x"])
    with pytest.raises(tasks.DeclarationError, match="reads table 'other'"):
        run.read("other")


def test_the_stamp_changes_with_parameters_notebook_and_inputs():
    task = tasks.get_task("00_data_inventory")
    entries = registry.load()
    raw = task.raw_files(entries)
    base = params.resolve([])["00_data_inventory"]
    other = params.resolve(["as_of=2022-01-27"])["00_data_inventory"]
    stamp = pipeline.task_stamp(task, base, raw, {}, "pkg")
    assert stamp == pipeline.task_stamp(task, base, raw, {}, "pkg")
    assert stamp != pipeline.task_stamp(task, other, raw, {}, "pkg")
    assert stamp != pipeline.task_stamp(task, base, raw, {}, "pkg2")
    assert stamp != pipeline.task_stamp(task, base, raw[1:], {}, "pkg")
    assert stamp != pipeline.task_stamp(task, base, raw, {"t": "0" * 64}, "pkg")


def test_notebook_hash_ignores_outputs_but_not_sources(tmp_path):
    nb = json.loads((paths.NOTEBOOKS / "00_data_inventory.ipynb").read_text(encoding="utf-8"))
    a = tmp_path / "a.ipynb"
    a.write_text(json.dumps(nb), encoding="utf-8")
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    b = tmp_path / "b.ipynb"
    b.write_text(json.dumps(nb), encoding="utf-8")
    assert pipeline.notebook_source_hash(a) == pipeline.notebook_source_hash(b)
    nb["cells"][1]["source"] = 'as_of: str = "2020-01-01"'
    b.write_text(json.dumps(nb), encoding="utf-8")
    assert pipeline.notebook_source_hash(a) != pipeline.notebook_source_hash(b)


def test_a_bad_parameter_is_refused_before_any_notebook_runs(tmp_path):
    result = run_cli(["run", "--set", "as_of=2022-13-45"], scratch_env(tmp_path))
    assert result.returncode == 2
    assert "parameter 00_data_inventory.as_of" in result.stderr
    assert not (tmp_path / "processed").exists() and not (tmp_path / "build").exists()


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


def test_a_rebuild_is_byte_identical_and_a_second_run_reruns_nothing(tmp_path):
    """Build into a scratch folder: same bytes as the main build's manifest; then a no-op."""
    env = scratch_env(tmp_path)
    first = run_cli(["run"], env)
    assert first.returncode == 0, first.stderr
    assert "ran" in first.stdout
    scratch = json.loads((tmp_path / "processed" / "manifest.json").read_text())
    reference = pipeline.read_manifest()
    for name, entry in reference["tasks"].items():
        assert scratch["tasks"][name]["outputs"] == entry["outputs"], name
        assert scratch["tasks"][name]["figures"] == entry["figures"], name
    built = _outputs(tmp_path / "processed")
    assert built
    second = run_cli(["run"], env)
    assert second.returncode == 0, second.stderr
    statuses = [line.split()[2] for line in second.stdout.splitlines() if line.startswith("[")]
    assert statuses and set(statuses) == {"up"}, second.stdout  # "up to date"
    assert _outputs(tmp_path / "processed") == built
    assert (tmp_path / "reports" / "index.html").is_file()


def test_the_committed_manifest_matches_this_build():
    """Reviewers check rebuilds against the committed manifest, so it must describe what the
    committed code builds: the same output and figure hashes (stamps may differ)."""
    import subprocess

    shown = subprocess.run(
        ["git", "show", "HEAD:data/processed/manifest.json"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    if shown.returncode != 0:
        pytest.skip("not a git checkout with a committed manifest")
    committed = json.loads(shown.stdout)["tasks"]
    built = pipeline.read_manifest()["tasks"]
    assert sorted(committed) == sorted(built)
    for name, entry in built.items():
        for field in ("parameters", "outputs", "figures", "raw_inputs", "table_inputs"):
            assert committed[name][field] == entry[field], (
                f"{name}.{field} differs from the committed manifest: run `make all` and "
                "commit data/processed/manifest.json"
            )


def test_a_task_waits_for_the_tasks_that_make_its_inputs():
    declared = {t.name: t for t in tasks.load_tasks()}
    producer = {table: t.name for t in declared.values() for table in t.outputs}
    pending = list(declared.values())
    first = pipeline.ready_tasks(pending, {t.name for t in pending}, producer)
    assert "40_accountability" not in [t.name for t in first]
    assert {"00_data_inventory", "10_sanctions"} <= {t.name for t in first}
    # the tasks whose tables another task reads start first; the inventory, read by none, last
    assert [t.name for t in first][-1] == "00_data_inventory"
    later = pipeline.ready_tasks([declared["40_accountability"]], {"00_data_inventory"}, producer)
    assert [t.name for t in later] == ["40_accountability"]
