"""The summary figure of a sweep folder: a final metric, or the time to a target
loss, against one varied key; one series per value of the other varied keys; each
point the mean over the repeats (seeds), with error bars of one standard deviation
and the single runs as dots. Used by psim_plot.py.
"""
import json
import math
import os
import statistics

from recorder import Panel
from run_data import PlotError, number, read_csv, short_names


def _metric_labels(metric, target, clock):
    """(title, y-axis label) of a sweep.csv column."""
    reach = f"train loss \u2264 {target:g}" if target is not None else "the target"
    time = "virtual time (s)" if clock == "virtual" else "time (s)"
    labels = {"train_loss": ("final train loss", "train loss"),
              "test_loss": ("final test loss", "test loss"),
              "test_accuracy": ("final test accuracy", "accuracy"),
              "time_s": ("time at the end of the run", time),
              "version": ("versions at the end of the run", "versions"),
              "time_to_target": (f"time to reach {reach}", time),
              "version_to_target": (f"updates to reach {reach}", "versions (updates applied)")}
    name = metric.replace("_", " ")
    return labels.get(metric, (name, name))


class Sweep:
    """sweep.csv (one row per run) and sweep.json (how the sweep was defined)."""

    def __init__(self, path):
        self.path = path
        self.columns, self.rows = read_csv(os.path.join(path, "sweep.csv"))
        if "run" not in self.columns or "seed" not in self.columns:
            raise PlotError(f"{path}/sweep.csv: not written by psim sweep (no run, seed columns)")
        self.keys = self.columns[self.columns.index("run") + 1:self.columns.index("seed")]
        self.info = {}
        info = os.path.join(path, "sweep.json")
        if os.path.isfile(info):
            with open(info, encoding="utf-8") as f:
                self.info = json.load(f)
        self.target = self.info.get("target_loss")
        self.clock = None
        first = os.path.join(path, self.rows[0]["run"], "summary.json") if self.rows else ""
        if os.path.isfile(first):
            with open(first, encoding="utf-8") as f:
                self.clock = json.load(f).get("clock")

    def values(self, key):
        """The values of a varied key in the order of the grid."""
        return list(dict.fromkeys(r[key] for r in self.rows))

    def has(self, column):
        """True when some row has a number in `column`."""
        return any(number(r.get(column)) is not None for r in self.rows)


def _pick_x(sweep, x):
    if not sweep.keys:
        raise PlotError(f"{sweep.path}: the sweep varies no key")
    short = short_names(sweep.keys)
    if x:
        for key in sweep.keys:
            if x in (key, short[key]):
                return key
        raise PlotError(f"--x {x}: not a varied key of this sweep; varied: "
                        + ", ".join(sweep.keys))
    numeric = [k for k in sweep.keys if all(number(v) is not None for v in sweep.values(k))]
    return (numeric or sweep.keys)[0]


def _metrics(sweep, y):
    if y:
        if y not in sweep.columns:
            raise PlotError(f"--y {y}: not a column of sweep.csv; columns: "
                            + ", ".join(sweep.columns))
        return [y]
    chosen = (["time_to_target", "version_to_target"] if sweep.target is not None
              else []) + ["train_loss"]
    if sweep.target is None:
        chosen.append("time_s")
    if sweep.has("test_accuracy"):
        chosen.append("test_accuracy")
    return [m for m in chosen if m in sweep.columns]


FAILED = ("diverged", "stalled")


def aggregate(sweep, xkey, metric, failed=None):
    """{series label: [(x value, [metric values of the repeats])]} in grid order; runs
    that diverged or stalled are left out (never averaged) and, when `failed` is a
    dict, counted there per (label, x value)."""
    others = [k for k in sweep.keys if k != xkey]
    short = short_names(sweep.keys)
    series = {}
    for group in dict.fromkeys(tuple(r[k] for k in others) for r in sweep.rows):
        label = ", ".join(f"{short[k]}={v}" for k, v in zip(others, group))
        points = []
        for xv in sweep.values(xkey):
            rows = [r for r in sweep.rows
                    if r[xkey] == xv and tuple(r[k] for k in others) == group]
            if rows:
                bad = [r for r in rows if r.get("stopped_by") in FAILED]
                if failed is not None and bad:
                    why = {r["stopped_by"] for r in bad}
                    failed[(label, xv)] = (len(bad), len(rows),
                                           why.pop() if len(why) == 1 else "failed")
                rows = [r for r in rows if r not in bad]
                values = [number(r.get(metric)) for r in rows]
                points.append((xv, [v for v in values if v is not None]))
        series[label] = points
    return series


def _draw_metric(panel, sweep, xkey, metric, log):
    values = sweep.values(xkey)
    numeric = all(number(v) is not None for v in values)
    position = {v: (number(v) if numeric else i) for i, v in enumerate(values)}
    failed = {}
    series = aggregate(sweep, xkey, metric, failed)
    # runs counted once, whatever the number of series
    missing = sum(1 for r in sweep.rows if number(r.get(metric)) is None
                  and r.get("stopped_by") not in FAILED)
    for i, (label, points) in enumerate(series.items()):
        color = f"C{i % 10}"
        xs, names, means, spreads, counts = [], [], [], [], []
        for xv, vals in points:
            xs.append(position[xv])
            names.append(xv)
            means.append(statistics.mean(vals) if vals else math.nan)
            spreads.append(statistics.stdev(vals) if len(vals) > 1 else 0.0)
            counts.append(len(vals))
            panel.dots([position[xv]] * len(vals), vals, color=color, alpha=0.35)
        # categories are not ordered: points, no joining line
        style = {} if numeric else {"linestyle": "none"}
        panel.errorbars(xs, means, spreads, counts, label or "mean",
                        names=None if numeric else names, color=color, **style)
        _mark_failed(panel, failed, label, position, color, 0.03 + 0.08 * i)
    if not numeric:
        panel.ax.set_xticks(range(len(values)))
        panel.ax.set_xticklabels(values)
        panel.ax.margins(x=0.15)
    else:
        spread_out = len(values) > 2 and min(position.values()) > 0 and \
            max(position.values()) / min(position.values()) >= 8
        if spread_out:  # e.g. 1, 2, 4, ..., 64 workers
            panel.ax.set_xscale("log", base=2)
        if len(values) <= 12:
            panel.ax.set_xticks([position[v] for v in values])
            panel.ax.set_xticklabels(values)
    if log:
        panel.ax.set_yscale("log")
    notes = []
    if missing and metric.endswith("_to_target"):
        notes.append(f"{missing} of {len(sweep.rows)} runs never reached it")
    if failed:
        notes.append(f"{sum(f[0] for f in failed.values())} runs diverged or stalled, left out")
    if notes:
        panel.title += "\n(" + "; ".join(notes) + ")"
        panel.ax.set_title(panel.title, fontsize=9)
    panel.finish()


def _mark_failed(panel, failed, label, position, color, height):
    """An x in the series' colour near the bottom of the axes where some repeats
    diverged or stalled, labelled like the table: 2/3 diverged."""
    marks = [(xv, bad, total, why) for (lab, xv), (bad, total, why) in failed.items()
             if lab == label]
    for xv, bad, total, why in marks:
        panel.ax.plot([position[xv]], [height], marker="x", color=color, markersize=8,
                      transform=panel.ax.get_xaxis_transform(), clip_on=False)
        panel.ax.annotate(f"{bad}/{total} {why}", (position[xv], height),
                          xycoords=("data", "axes fraction"), xytext=(5, -3),
                          textcoords="offset points", fontsize=7, color=color)
    if marks:
        panel.series.append({"label": f"{label or 'mean'}: failed", "kind": "failed",
                             "points": len(marks), "x": [m[0] for m in marks],
                             "failed": [m[1] for m in marks], "n": [m[2] for m in marks],
                             "why": [m[3] for m in marks]})


def build(fig, sweep_path, x, y, log):
    """Draws the summary figure of the sweep at `sweep_path`; returns (title, panels)."""
    sweep = Sweep(sweep_path)
    if not sweep.rows:
        raise PlotError(f"{sweep_path}/sweep.csv has no finished runs yet")
    xkey = _pick_x(sweep, x)
    metrics = _metrics(sweep, y)
    cols = min(len(metrics), 3) if len(metrics) != 4 else 2
    rows = math.ceil(len(metrics) / cols)
    repeats = max((len(v) for pts in aggregate(sweep, xkey, "seed").values() for _, v in pts),
                  default=0)
    panels = []
    for i, metric in enumerate(metrics):
        ax = fig.add_subplot(rows, cols, i + 1)
        title, ylabel = _metric_labels(metric, sweep.target, sweep.clock)
        p = Panel(ax, metric, title, short_names(sweep.keys)[xkey], ylabel)
        _draw_metric(p, sweep, xkey, metric, log)
        panels.append(p)
    name = sweep.info.get("name") or os.path.basename(os.path.normpath(sweep_path))
    title = (f"sweep {name}: {len(sweep.rows)} runs; mean \u00b1 std over "
             f"{repeats} seed{'s' if repeats != 1 else ''} per point")
    return title, panels
