"""The README's sweep (Plots and sweeps) from Python: 2 modes x 4 worker counts x 3 seeds
of the quickstart, then the same sweep.png as `psim sweep` draws, and a table of means.
Run from the checkout, after a build:
    PYTHONPATH=build/python /usr/bin/python3 docs/examples/sweep_from_python.py
(installed: /usr/bin/python3 docs/examples/sweep_from_python.py, or with the installed
scenario /usr/share/psim/scenarios/quickstart.toml as the first argument)."""
import sys

import psim

scenario = sys.argv[1] if len(sys.argv) > 1 else "scenarios/quickstart.toml"

# tools/psim sweep scenarios/quickstart.toml --vary training.mode=sync,async \
#     --vary cluster.workers=2,4,8,16 --repeat 3 --target-loss 0.015 --set run.eval_every=5
sweep = psim.sweep(scenario,
                   vary={"training.mode": ["sync", "async"], "cluster.workers": [2, 4, 8, 16]},
                   repeat=3, target_loss=0.015, set={"run.eval_every": 5},
                   out="sweeps/quickstart", plot=True)

# The mean over the seeds of each grid point, as the figure's points.
columns = ["time_to_target", "version_to_target", "train_loss"]
print(sweep.groupby(["training.mode", "cluster.workers"])[columns].mean().to_string())
print("figure: sweeps/quickstart/sweep.png")
