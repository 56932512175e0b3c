"""environment.yml (conda), pyproject.toml and requirements.lock (pip) must pin the same
direct dependencies at the same versions, and the same Python."""

import re
import tomllib

import yaml

from belarus_repression import paths


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for dep in project["dependencies"]:
        name, _, version = dep.partition("==")
        assert version, f"pyproject.toml: {dep!r} is not pinned with =="
        pins[_norm(name)] = version
    return pins


def conda_pins() -> tuple[dict[str, str], list]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pins, pip_section = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        name, _, version = dep.partition("=")
        pins[_norm(name)] = version
    return pins, pip_section


def lock_pins() -> dict[str, set[str]]:
    pins: dict[str, set[str]] = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        found = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)", line)
        if found:
            pins.setdefault(_norm(found.group(1)), set()).add(found.group(2))
    return pins


def test_conda_pins_the_same_direct_dependencies_as_pyproject():
    conda, _ = conda_pins()
    python = conda.pop("python")
    conda.pop("pip")
    assert conda == pyproject_pins()
    requires = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"][
        "requires-python"
    ]
    assert f">={python}" in requires


def test_lock_pins_every_direct_dependency_at_the_same_version():
    lock = lock_pins()
    for name, version in pyproject_pins().items():
        assert lock.get(name) == {version}, f"requirements.lock pins {name} at {lock.get(name)}"


def test_lock_has_hashes_for_every_package():
    text = (paths.ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text)
    pinned = [b for b in blocks if re.match(r"^[A-Za-z0-9_.-]+==", b)]
    assert pinned and all("--hash=sha256:" in b for b in pinned)


def test_conda_env_installs_the_project_itself_through_pip():
    _, pip_section = conda_pins()
    assert pip_section == ["-e ."]
