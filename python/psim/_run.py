"""Runs in-process and the Run object that reads a run folder into pandas and numpy."""
import json
import pathlib
import tempfile

import numpy
import pandas

from . import _psim, _scenario
from ._errors import RunError
from ._plot import plot as _plot


class Run:
    """A run folder: metrics.csv, events.csv, summary.json and scenario.toml.

    A Run made by run(out=None) owns its temporary folder, removed with the Run.
    """

    def __init__(self, directory, _owned=None):
        self.dir = pathlib.Path(directory)
        self._owned = _owned  # a TemporaryDirectory that lives as long as this Run
        self._summary = None
        if not (self.dir / "summary.json").is_file():
            raise FileNotFoundError(f"{self.dir}: not a run folder (no summary.json)")

    def __repr__(self):
        s = self.summary
        return (f"<psim.Run {s.get('name')!r} stopped by {s.get('stopped_by')} at version "
                f"{s.get('version')} in {str(self.dir)!r}>")

    @property
    def summary(self):
        """summary.json as a dict (null as None)."""
        if self._summary is None:
            self._summary = json.loads((self.dir / "summary.json").read_text())
        return self._summary

    @property
    def stopped_by(self):
        """Why the run stopped: updates, time, loss, wall, interrupted, stalled, diverged."""
        return self.summary["stopped_by"]

    @property
    def metrics(self):
        """metrics.csv as a DataFrame, one row per evaluation (empty cells as NaN; numbers
        read back exactly as written)."""
        return pandas.read_csv(self.dir / "metrics.csv", float_precision="round_trip")

    @property
    def events(self):
        """events.csv as a DataFrame (trace.events = true), else an empty DataFrame."""
        path = self.dir / "events.csv"
        if not path.is_file():
            return pandas.DataFrame()
        return pandas.read_csv(path, float_precision="round_trip")

    @property
    def params(self):
        """The final parameters as a numpy array."""
        return numpy.asarray(self.summary.get("params") or [], dtype=float)

    @property
    def scenario(self):
        """The resolved scenario the run ran (scenario.toml), as TOML text."""
        return (self.dir / "scenario.toml").read_text()

    def plot(self, path=None, *, x=None, y=None, log=False, window=None):
        """Draws the run as `psim plot` does (default: plot.png in the run folder)."""
        return _plot(self.dir, path=path, x=x, y=y, log=log, window=window)


def load(run_dir):
    """The Run of an existing run folder."""
    return Run(run_dir)


def check(scenario, set=None):
    """Validates a scenario (path or TOML text) and its data as `psim check` does.

    Returns {name, mode, workers, clock, resolved}; raises ScenarioError.
    """
    text, is_text = _scenario.source(scenario)
    return _psim.check(text, is_text, _scenario.overrides(set))


def run(scenario, set=None, out=None, *, progress=False):
    """Runs a scenario (path or TOML text) in this process, as `psim run` does.

    `set` overrides keys ({"training.mode": "sync"}); `out` is the run folder (None: a
    temporary one, kept as long as the Run). Raises ScenarioError for a bad scenario,
    RunError (with .stopped_by and .run) for a diverged or stalled run; Ctrl-C stops the
    run as `interrupted`, writes its files and raises KeyboardInterrupt with .run.
    """
    text, is_text = _scenario.source(scenario)
    owned = None
    if out is None:
        owned = tempfile.TemporaryDirectory(prefix="psim-run-")
        out = owned.name
    try:
        outcome = _psim.run(text, is_text, _scenario.overrides(set), str(out), progress)
    except KeyboardInterrupt as interrupt:
        if (pathlib.Path(out) / "summary.json").is_file():
            interrupt.run = Run(out, owned)
        raise
    if outcome["error"]:
        summary = pathlib.Path(out) / "summary.json"
        raise RunError(outcome["stopped_by"], outcome["error"],
                       Run(out, owned) if summary.is_file() else None)
    result = Run(out, owned)
    if outcome["failed"]:
        raise RunError(outcome["stopped_by"], outcome["detail"], result)
    return result
