"""sweep(): the psim binary's `sweep` command, read back as a DataFrame (equal to the CLI
by construction: it is the CLI)."""
import os
import pathlib
import subprocess
import tempfile

import pandas

from . import _locations, _scenario
from ._errors import Error, ScenarioError
from ._run import check


def _values(values):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        return [values]
    return list(values)


def _vary_args(vary):
    args = []
    for key, values in vary.items():
        args += ["--vary", f"{key}=" + ",".join(_scenario.toml_value(v) for v in _values(values))]
    return args


def _check_grid(scenario, vary, settings):
    # Each varied value once, in-process: a bad one is a ScenarioError naming its key.
    check(scenario, settings)
    for key, values in vary.items():
        for value in _values(values):
            check(scenario, {**(settings or {}), key: value})


def _command(path, vary, repeat, jobs, set, out, target_loss, tail, plot):
    cmd = [_locations.binary(), "sweep", path, "-o", str(out), "--quiet",
           "--repeat", str(repeat), "-j", str(jobs or os.cpu_count() or 1), "--tail", str(tail)]
    cmd += _vary_args(vary)
    for assignment in _scenario.overrides(set):
        cmd += ["--set", assignment]
    if target_loss is not None:
        cmd += ["--target-loss", repr(float(target_loss))]
    if not plot:
        cmd.append("--no-plot")
    return cmd


def sweep(scenario, vary, repeat=1, jobs=None, *, set=None, out=None, target_loss=None,
          tail=5, plot=False):
    """Runs the grid of `vary` ({"cluster.workers": [2, 4, 8]}) times `repeat` seeds, as
    `psim sweep` does, `jobs` runs at a time; returns sweep.csv as a DataFrame.

    `out` is the sweep folder (None: a temporary one, removed once read; given, it keeps
    the runs, and finished runs are skipped next time); `plot` also draws sweep.png.
    The DataFrame's attrs["dir"] is the folder. Raises ScenarioError for a bad scenario,
    Error when the sweep could not finish, KeyboardInterrupt when it was interrupted.
    """
    _check_grid(scenario, vary, set)
    with tempfile.TemporaryDirectory(prefix="psim-sweep-") as scratch:
        text, is_text = _scenario.source(scenario)
        path = text
        if is_text:
            path = os.path.join(scratch, "scenario.toml")
            pathlib.Path(path).write_text(text)
        folder = pathlib.Path(out) if out is not None else pathlib.Path(scratch) / "sweep"
        cmd = _command(path, vary, repeat, jobs, set, folder, target_loss, tail, plot)
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode == 130:
            raise KeyboardInterrupt("psim sweep was interrupted")
        if done.returncode == 2:
            message = done.stderr.strip().removeprefix("psim: error: ")
            raise ScenarioError("", 0, 0, "", message)
        if not (folder / "sweep.csv").is_file():
            raise Error(f"psim sweep failed (exit {done.returncode}): {done.stderr.strip()}")
        frame = pandas.read_csv(folder / "sweep.csv", float_precision="round_trip")
    frame.attrs["dir"] = str(folder) if out is not None else None
    return frame
