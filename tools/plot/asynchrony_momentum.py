"""Asynchrony begets momentum: the full check and the figure of scenarios/asynchrony-momentum.toml.

    python3 tools/plot/asynchrony_momentum.py [--seeds 2000] [-j 2] \
        [-o docs/images/asynchrony-momentum.png] [--binary build/bin/psim]

Runs the scenario once per seed, reads each params.csv (the weight w_t at every version)
and metrics.csv (the loss, to which a parabola is fitted for f'(w)), then compares the
mean step E[w_{t+1} - w_t] with Mitliagkas et al.'s prediction
(1 - 1/M) E[w_t - w_{t-1}] - (alpha/M) E[f'(w_t)] and prints the deviation for t >= 3M.
"""
import argparse
import concurrent.futures
import csv
import os
import subprocess
import sys
import tempfile
import tomllib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = os.path.join(ROOT, "scenarios", "asynchrony-momentum.toml")


def run_seed(binary, seed):
    """(w_t for t = 0..T, f'(w_t)) of one seed's run."""
    with tempfile.TemporaryDirectory(prefix="psim-momentum-") as out:
        subprocess.run([binary, "run", SCENARIO, "-o", out, "--quiet", "--set", f"seed={seed}"],
                       check=True)
        with open(os.path.join(out, "params.csv")) as f:
            w = np.array([float(r["p0"]) for r in csv.DictReader(f)])
        with open(os.path.join(out, "metrics.csv")) as f:
            loss = np.array([float(r["train_loss"]) for r in csv.DictReader(f)])
    # The mean squared error of a 1-D linear model is a parabola in w: fit it exactly.
    a, b, _ = np.polyfit(w, loss, 2)
    return w, 2 * a * w + b


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=2000)
    p.add_argument("-j", type=int, default=os.cpu_count() or 2)
    p.add_argument("-o", "--output", default=os.path.join(ROOT, "docs", "images",
                                                          "asynchrony-momentum.png"))
    p.add_argument("--binary", default=os.path.join(ROOT, "build", "bin", "psim"))
    args = p.parse_args()
    with open(SCENARIO, "rb") as f:
        scn = tomllib.load(f)
    m = scn["cluster"]["workers"]
    alpha = scn["training"]["learning_rate"]
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        runs = list(pool.map(lambda s: run_seed(args.binary, s), range(args.seeds)))
    w = np.array([r[0] for r in runs])
    grad = np.array([r[1] for r in runs])
    steps = w[:, 1:] - w[:, :-1]                # steps[:, t] = w_{t+1} - w_t
    t = np.arange(1, steps.shape[1])            # t with both w_{t+1} - w_t and w_t - w_{t-1}
    predicted = (1 - 1 / m) * steps[:, t - 1] - alpha / m * grad[:, t]
    residual = steps[:, t] - predicted
    n = len(runs)
    mean_step, mean_predicted = steps[:, t].mean(0), predicted.mean(0)
    se = residual.std(0, ddof=1) / np.sqrt(n)
    tested = t >= 3 * m
    pooled = residual[:, tested].mean(1)
    z = abs(pooled.mean()) / (pooled.std(ddof=1) / np.sqrt(n))
    relative = np.abs(residual[:, tested].mean(0)).sum() / np.abs(mean_step[tested]).sum()
    print(f"{n} seeds, t >= {3 * m}: pooled residual {z:.2f} standard errors from 0; "
          f"per t at most {np.max(np.abs(residual.mean(0)[tested]) / se[tested]):.2f}; "
          f"mean |residual| / mean |step| = {100 * relative:.2f} %")
    draw(args.output, m, alpha, w, t, mean_step, mean_predicted, se, n)


def draw(output, m, alpha, w, t, mean_step, mean_predicted, se, n):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("asynchrony_momentum: matplotlib is missing (tools/install-deps installs it)")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    versions = np.arange(w.shape[1])
    for row in w[:20]:
        left.plot(versions, row, color="0.8", lw=0.6)
    left.plot(versions, w.mean(0), color="C0", lw=2, label=f"mean over {n} seeds")
    left.set(xlabel="version t", ylabel="weight w_t", title=f"async, M = {m} workers: w_t")
    left.legend(loc="lower right")
    right.axvspan(0, 3 * m, color="0.93", label="t < 3M (not tested)")
    right.fill_between(t, mean_predicted - 4 * se, mean_predicted + 4 * se, color="C1",
                       alpha=0.25, label="prediction ± 4 standard errors")
    right.plot(t, mean_predicted, color="C1",
               label=f"(1 - 1/M) E[w_t - w_t-1] - (α/M) E[f'(w_t)], α = {alpha}")
    right.plot(t, mean_step, "o", ms=3, color="C0", label="measured E[w_t+1 - w_t]")
    right.set(xlabel="version t", ylabel="mean step",
              title="mean step = momentum 1 - 1/M (Mitliagkas et al. 2016)")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
