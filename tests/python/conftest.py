"""Shared fixtures of the Python module's tests: where the build and the checkout are, and
the psim command line to compare with. ctest sets PSIM_TEST_BUILD_DIR and PYTHONPATH."""
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
BUILD_DIR = pathlib.Path(os.environ.get("PSIM_TEST_BUILD_DIR", SOURCE_DIR / "build"))
PSIM = BUILD_DIR / "bin" / "psim"
QUICKSTART = SOURCE_DIR / "scenarios" / "quickstart.toml"


def cli(*args, cwd=None, env=None):
    """Runs the build's psim with `args`; returns the finished process (text output)."""
    return subprocess.run([str(PSIM)] + [str(a) for a in args], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def without_wall(path):
    """A run file's text without what the wall clock decides: metrics.csv's wall column,
    summary.json's wall_s."""
    lines = pathlib.Path(path).read_text().splitlines()
    if path.name == "metrics.csv":
        wall = lines[0].split(",").index("wall")
        return [",".join(c for i, c in enumerate(line.split(",")) if i != wall) for line in lines]
    if path.name == "summary.json":
        return [line for line in lines if '"wall_s"' not in line]
    return lines


def clean_env(**extra):
    """The environment without PSIM_HOME (tools/psim sets it), so that nothing is found
    through the checkout, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in ("PSIM_HOME", "PYTHONPATH")}
    env.update(extra)
    return env


@pytest.fixture
def quickstart():
    """The quickstart scenario's path."""
    return QUICKSTART
