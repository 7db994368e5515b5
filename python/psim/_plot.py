"""Drawing run and sweep folders with tools/plot/psim_plot.py, as `psim plot` does."""
import os
import pathlib
import subprocess
import sys

from . import _locations
from ._errors import Error


def plot(*dirs, path=None, x=None, y=None, log=False, window=None):
    """Draws run folders (or one sweep folder) into `path` (default: plot.png, or
    sweep.png for a sweep, in the first folder); returns the picture's path."""
    first = pathlib.Path(dirs[0])
    if path is None:
        is_sweep = (first / "sweep.csv").is_file() and not (first / "summary.json").is_file()
        path = first / ("sweep.png" if is_sweep else "plot.png")
    args = [str(d) for d in dirs] + ["-o", str(path)]
    for flag, value in (("--x", x), ("--y", y), ("--window", window)):
        if value is not None:
            args += [flag, str(value)]
    if log:
        args.append("--log")
    script = pathlib.Path(_locations.plot_dir()) / "psim_plot.py"
    if not script.is_file():
        raise Error(f"{script}: the plotting script is missing")
    done = subprocess.run([sys.executable, str(script)] + args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    if done.returncode != 0:
        raise Error(f"psim_plot.py failed (exit {done.returncode}): {done.stderr.strip()}")
    return pathlib.Path(path)
