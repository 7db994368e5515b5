"""psim from Python: run scenarios in-process and get their results as pandas frames.

    import psim
    run = psim.run("scenarios/quickstart.toml", set={"training.mode": "sync"})
    run.summary["final"]["train_loss"], run.metrics.tail(), run.params
    psim.sweep("scenarios/quickstart.toml", vary={"cluster.workers": [2, 4, 8]}, repeat=3)

run() uses the same runtime as `psim run`, in this process and without the GIL, and
writes the same files; sweep() drives the psim command line's `sweep`.
"""
from ._errors import Error, RunError, ScenarioError
from ._plot import plot
from ._psim import version as __version__
from ._run import Run, check, load, run
from ._sweep import sweep

__all__ = ["Error", "Run", "RunError", "ScenarioError", "check", "load", "plot", "run",
           "sweep", "__version__"]
