"""Reading psim run folders (metrics.csv, summary.json, scenario.toml) and naming
runs by what differs between them, for psim_plot.py.
"""
import csv
import json
import os
import re


class PlotError(Exception):
    """A usage mistake, reported as `psim: error: ...` with exit code 2."""


def is_run(path):
    """True when `path` holds the files every run writes."""
    return all(os.path.isfile(os.path.join(path, f))
               for f in ("metrics.csv", "summary.json"))


def is_sweep(path):
    """True when `path` is a folder written by `psim sweep`."""
    return os.path.isfile(os.path.join(path, "sweep.csv"))


def read_csv(path):
    """(columns, rows as dicts of cell text) of a CSV file with a header."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def number(cell):
    """The float in a CSV cell, or None for an empty or non-numeric cell."""
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None


def _flatten(value, prefix, out):
    if isinstance(value, dict):
        for key, v in value.items():
            _flatten(v, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


def _parse_toml_lines(text):
    """A minimal reader for the resolved scenario.toml psim writes (one key per line),
    used where Python has no tomllib: values are kept as their text."""
    out, table, counts = {}, "", {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[\[\s*([^\]]+?)\s*\]\]", line)
        if m:
            counts[m[1]] = counts.get(m[1], -1) + 1
            table = f"{m[1]}[{counts[m[1]]}]"
            continue
        m = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", line)
        if m:
            table = m[1]
            continue
        key, _, value = line.partition("=")
        value = re.sub(r"\s+", " ", value.strip()).strip('"')
        out[f"{table}.{key.strip()}" if table else key.strip()] = value
    return out


def read_scenario(path):
    """The resolved scenario at `path` as {dotted.key: value} ({} if absent)."""
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        import tomllib
    except ImportError:
        return _parse_toml_lines(text)
    out = {}
    _flatten(tomllib.loads(text), "", out)
    return out


class Run:
    """One run folder's data."""

    def __init__(self, path):
        self.path = path
        self.columns, rows = read_csv(os.path.join(path, "metrics.csv"))
        self.metrics = {c: [number(r.get(c)) for r in rows] for c in self.columns}
        with open(os.path.join(path, "summary.json"), encoding="utf-8") as f:
            self.summary = json.load(f)
        self.scenario = read_scenario(os.path.join(path, "scenario.toml"))
        events = os.path.join(path, "events.csv")
        self.events = events if os.path.isfile(events) else None
        self.label = self.summary.get("name") or os.path.basename(path)

    def has(self, column):
        """True when the column has at least one defined value."""
        return any(v is not None for v in self.metrics.get(column, []))


def show(value):
    """A scenario value as a legend shows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def short_names(keys):
    """{dotted key: its last part, or the whole key where the last part is shared}."""
    last = {k: re.split(r"[.\]]", k)[-1] or k for k in keys}
    return {k: last[k] if list(last.values()).count(last[k]) == 1 else k for k in keys}


# Keys that only some training modes read: left out of the legend of other runs.
MODE_KEYS = {"training.k": ("ksync", "kasync"), "training.staleness_bound": ("ssp",),
             "training.local_steps": ("sync", "async", "ssp", "ksync", "kasync", "local_sgd"),
             "training.drop_stale": ("async",),
             "training.local_update": ("async",)}
# Legend order: what is studied first, the seed last.
TABLE_ORDER = ("training", "cluster", "compute", "network", "faults", "data", "model", "run")


UNUSED = "(unused)"


def effective(scenario, key):
    """The value of `key` as shown; None where absent, UNUSED where its mode does not
    read it."""
    if key not in scenario:
        return None
    modes = MODE_KEYS.get(key)
    if modes and scenario.get("training.mode") not in modes:
        return UNUSED
    return show(scenario[key])


def _legend_rank(key):
    table = re.split(r"[.\[]", key)[0]
    if key == "seed":
        return (len(TABLE_ORDER) + 1, key)
    return (TABLE_ORDER.index(table) if table in TABLE_ORDER else len(TABLE_ORDER), key)


def differing_keys(scenarios):
    """Keys whose values are not the same in every scenario, in legend order."""
    keys = set().union(*scenarios) if scenarios else set()
    return sorted((k for k in keys if k != "description"
                   and len({effective(s, k) for s in scenarios} - {UNUSED}) > 1),
                  key=_legend_rank)


def label_runs(runs):
    """Names each run by the scenario keys whose values differ between the runs,
    e.g. `mode=async, workers=8`; by its scenario name when the names differ."""
    if len(runs) < 2:
        return
    scenarios = [r.scenario for r in runs]
    keys = differing_keys(scenarios)
    names = [s.get("name") for s in scenarios]
    if "name" in keys and len(set(names)) == len(names):
        labels = [str(n) for n in names]
    else:
        short = short_names(keys)
        labels = [", ".join(f"{short[k]}={effective(s, k)}" for k in keys
                            if effective(s, k) not in (None, UNUSED)) for s in scenarios]
    for run, label in zip(runs, labels):
        run.label = label or os.path.basename(os.path.normpath(run.path))
    seen = [r.label for r in runs]
    for run in runs:
        if seen.count(run.label) > 1:
            run.label += f" ({os.path.basename(os.path.normpath(run.path))})"
