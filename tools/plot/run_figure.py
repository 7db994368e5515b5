"""The figure of one or more run folders: loss (or --y COLUMN) against --x, test
accuracy when present, the staleness histogram and, for runs with events.csv, the
per-worker timeline. Used by psim_plot.py.
"""
import math

import timeline
from recorder import Panel
from run_data import PlotError, label_runs

X_LABELS = {"time": "time (s)", "version": "version (updates applied)",
            "wall": "wall-clock time (s)"}
LOSS_NAMES = {"linear_regression": "mean squared error",
              "logistic_regression": "log-loss", "softmax_regression": "cross-entropy",
              "mlp": "loss"}
MAX_TIMELINES = 4
SPARSE_POINTS = 30  # a series with fewer points than this gets a marker on each


def _x_label(runs, x):
    clocks = {r.summary.get("clock") for r in runs}
    if x == "time" and clocks == {"virtual"}:
        return "virtual time (s)"
    return X_LABELS[x]


def _loss_name(runs):
    kinds = {r.scenario.get("model.kind") for r in runs}
    return LOSS_NAMES.get(kinds.pop(), "loss") if len(kinds) == 1 else "loss"


def _panel_names(runs, y):
    names = [y or "loss"]
    if not y and any(r.has("test_accuracy") for r in runs):
        names.append("accuracy")
    if any(r.summary.get("staleness", {}).get("histogram") for r in runs):
        names.append("staleness")
    return names


def _trace_panel(panel, runs, x, columns, log):
    single = len(runs) == 1
    for i, run in enumerate(runs):
        color = f"C{i % 10}"
        for column, style in columns:
            if not run.has(column):
                continue
            name = column.replace("_", " ")
            label = name if single else (run.label if style == "-" else f"{run.label} ({name})")
            y = run.metrics[column]
            if log:  # a log axis cannot show zero or negative values
                y = [v if v is not None and v > 0 else None for v in y]
            xs = run.metrics[x]
            points = sum(1 for a, b in zip(xs, y) if a is not None and b is not None)
            marker = "o" if points < SPARSE_POINTS else None
            panel.line(xs, y, label, color=color, linestyle=style, linewidth=1.4,
                       marker=marker, markersize=3)
            panel.series[-1]["marker"] = marker  # --describe shows which series have them
    if log:
        panel.ax.set_yscale("log")
    panel.finish()


def _staleness_panel(panel, runs):
    """Shares of applied gradients per staleness, one bin per integer: at least eight
    bins wide (a sync run's single bar stays narrow), on a log axis when some bin
    holds under 1% (a rare outlier such as 255 stays visible), each run's nonzero
    bins marked."""
    single = len(runs) == 1
    widest, smallest = 8, 1.0
    for i, run in enumerate(runs):
        st = run.summary.get("staleness", {})
        hist = st.get("histogram") or []
        total = sum(hist)
        if not total:
            continue
        shares = [h / total for h in hist]
        widest = max(widest, len(hist))
        smallest = min([smallest] + [v for v in shares if v > 0])
        mean, top = st.get("mean"), st.get("max")
        stats = f"mean {mean:.3g}, max {top}" if mean is not None else ""
        label = stats if single else f"{run.label} ({stats})"
        if single:
            panel.bars(list(range(len(hist))), shares, label, color="C0", width=0.9)
        else:
            panel.steps(list(range(len(hist))), shares, label, color=f"C{i % 10}")
            nonzero = [k for k, v in enumerate(shares) if v > 0]
            panel.dots(nonzero, [shares[k] for k in nonzero], color=f"C{i % 10}")
    panel.ax.set_xlim(-0.5, widest - 0.5)
    if smallest < 0.01:
        panel.ax.set_yscale("log")
    panel.finish()


def _title(runs):
    if len(runs) == 1:
        s = runs[0].summary
        workers = runs[0].scenario.get("cluster.workers")
        who = f", {workers} workers" if workers is not None else ""
        return (f"{s.get('name')}: {s.get('mode')}{who}, {s.get('clock')} clock, "
                f"stopped by {s.get('stopped_by')} at version {s.get('version')}")
    names = sorted({str(r.summary.get("name")) for r in runs})
    return f"{', '.join(names)}: {len(runs)} runs"


def build(fig, runs, x, y, log, window=None):
    """Draws the figure of `runs` on `fig`, timelines between the `window` times;
    returns (title, panels)."""
    label_runs(runs)
    if y and not any(r.has(y) for r in runs):
        columns = sorted({c for r in runs for c in r.columns})
        raise PlotError(f"--y {y}: no run has values in that column; columns: "
                        + ", ".join(columns))
    for run in runs:
        if x not in run.metrics:
            raise PlotError(f"{run.path}/metrics.csv has no {x} column")
    names = _panel_names(runs, y)
    timelines = [r for r in runs if r.events][:MAX_TIMELINES]
    top_rows = math.ceil(len(names) / 2)
    grid = fig.add_gridspec(top_rows + len(timelines), 2,
                            height_ratios=[1.0] * top_rows + [0.9] * len(timelines))
    panels = []
    for i, name in enumerate(names):
        ax = fig.add_subplot(grid[i // 2, i % 2] if len(names) > 1 else grid[0, :])
        if name == "accuracy":
            p = Panel(ax, "accuracy", "test accuracy", _x_label(runs, x), "accuracy")
            _trace_panel(p, runs, x, [("test_accuracy", "-")], False)
        elif name == "staleness":
            p = Panel(ax, "staleness", "staleness of applied gradients",
                      "staleness (versions behind)", "share of applied gradients")
            _staleness_panel(p, runs)
        elif y:
            p = Panel(ax, y, y.replace("_", " "), _x_label(runs, x), y)
            _trace_panel(p, runs, x, [(y, "-")], log)
        else:
            loss = _loss_name(runs)
            p = Panel(ax, "loss", f"loss ({loss})", _x_label(runs, x), loss)
            _trace_panel(p, runs, x, [("train_loss", "-"), ("test_loss", "--")], log)
        panels.append(p)
    for j, run in enumerate(timelines):
        ax = fig.add_subplot(grid[top_rows + j, :])
        who = f": {run.label}" if len(runs) > 1 else ""
        p = Panel(ax, "timeline", f"worker timeline{who}", _x_label([run], "time"), "")
        start, stop, end = timeline.draw(p, run.events, run.summary.get("faults") or [],
                                         window)
        if start > 0 or stop < end:
            p.title += f" ({start:.4g} s to {stop:.4g} s of {end:.4g} s)"
            ax.set_title(p.title, fontsize=10)
        panels.append(p)
    return _title(runs), panels
