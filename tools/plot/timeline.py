"""The per-worker timeline of a run, from its events.csv: when each worker was
computing, communicating (a message of its own on a link), waiting (neither: e.g. at
a sync barrier), down (crashed) or offline ([availability]: gone until it comes back
online), with the faults of summary.json shaded. Used by run_figure.py.
"""
import re

import events
from run_data import PlotError, number, read_csv

# Drawing order and priority: a worker that computes while its message travels
# (local_update) shows as computing.
STATES = ("down", "offline", "computing", "communicating", "waiting")
COLORS = {"computing": "#3b8f5a", "communicating": "#4d7fc4",
          "waiting": "#f08a6c", "down": "#2b2b2b", "offline": "#b8b8b8"}
WORKER = re.compile(r"^worker-(\d+)$")


def _open(spans, key, t):
    spans.setdefault(key, t)


def _close(spans, key, t, out):
    start = spans.pop(key, None)
    if start is not None and t > start:
        out.append((start, t))


def _take(queue, version):
    """Removes from the sends on one link the first of this version (else the
    oldest: links keep order unless latencies reorder them); returns its time."""
    if not queue:
        return None
    i = next((i for i, (v, _) in enumerate(queue) if v == version), 0)
    return queue.pop(i)[1]


def raw_intervals(rows):
    """{worker: {state: [(start, end)]}} from events rows; states may overlap."""
    out = {}

    def add(worker, state, span):
        out.setdefault(worker, {s: [] for s in STATES})[state].append(span)

    computing, down, offline, in_flight = {}, {}, {}, {}
    for row in rows:
        t, actor, event, peer = number(row["time"]), row["actor"], row["event"], row["peer"]
        if t is None:
            continue
        for name in (actor, peer):
            if WORKER.match(name or ""):
                out.setdefault(name, {s: [] for s in STATES})
        if event == "compute_start":
            spans = []
            _close(computing, actor, t, spans)  # an abandoned computation ends here
            for s in spans:
                add(actor, "computing", s)
            _open(computing, actor, t)
        elif event == "compute_end":
            spans = []
            _close(computing, actor, t, spans)
            for s in spans:
                add(actor, "computing", s)
        elif event in ("crash", "offline"):
            spans = []
            _close(computing, actor, t, spans)
            for s in spans:
                add(actor, "computing", s)
            _open(down if event == "crash" else offline, actor, t)
        elif event == "online":
            spans = []
            _close(offline, actor, t, spans)
            for s in spans:
                add(actor, "offline", s)
        elif event == "restart":
            spans = []
            _close(down, actor, t, spans)
            for s in spans:
                add(actor, "down", s)
        elif event == "send":
            in_flight.setdefault((actor, peer), []).append((row.get("version"), t))
        elif event in ("deliver", "drop"):
            link = (peer, actor) if event == "deliver" else tuple(actor.split("->", 1))
            start = _take(in_flight.get(link), row.get("version"))
            if start is None:
                continue  # a duplicate, or a send before the trace began
            sender, receiver = link
            if event == "deliver":
                for name in (sender, receiver):
                    if WORKER.match(name):
                        add(name, "communicating", (start, t))
    end = max((number(r["time"]) or 0.0 for r in rows), default=0.0)
    for pending, state in ((computing, "computing"), (down, "down"), (offline, "offline")):
        for worker, start in pending.items():
            if end > start:
                add(worker, state, (start, end))
    return out, end


def paint(states, start, end):
    """Non-overlapping [(state, a, b)] covering [start, end]: at each instant the
    state of highest priority in force, else waiting."""
    edges = []
    for rank, state in enumerate(STATES[:-1]):
        for a, b in states.get(state, []):
            a, b = max(a, start), min(b, end)
            if b > a:
                edges += [(a, 1, rank), (b, -1, rank)]
    edges.sort()
    active = [0] * (len(STATES) - 1)
    out, t = [], start
    for x, delta, rank in edges + [(end, 0, 0)]:
        if x > t:
            current = next((STATES[i] for i, n in enumerate(active) if n > 0), "waiting")
            if out and out[-1][0] == current and out[-1][2] == t:
                out[-1] = (current, out[-1][1], x)
            else:
                out.append((current, t, x))
            t = x
        active[rank] += delta
    return out


def default_window(rows, workers, faults, end):
    """(start, end) to draw: the whole run when it has at most 40 rounds (40 x workers
    finished computations), else ten rounds either side of the first fault, else
    the first twenty rounds: enough to see the pattern and still tell the bars apart."""
    ends = sorted(t for t in (number(r["time"]) for r in rows if r["event"] == "compute_end")
                  if t is not None)
    workers = max(workers, 1)
    if len(ends) <= 40 * workers or end <= 0:
        return 0.0, end
    round_time = end * workers / len(ends)
    if faults:
        first = min(faults, key=lambda f: f.get("at", 0.0))
        at = first.get("at", 0.0)
        until = first.get("until")
        until = at if until is None else until
        return max(0.0, at - 10 * round_time), min(end, until + 10 * round_time)
    return 0.0, ends[20 * workers - 1]


def parse_window(text):
    """(start, end) of --window START:END in seconds; either side may be empty."""
    start, sep, stop = text.partition(":")
    try:
        a = float(start) if start else None
        b = float(stop) if stop else None
    except ValueError:
        a = b = None
        sep = ""
    if not sep or (a is not None and b is not None and b <= a) or (a is not None and a < 0):
        raise PlotError(f"--window {text}: expected START:END in seconds with START < END, "
                        "e.g. 0.5:2")
    return a, b


def shade_faults(panel, faults, start, stop):
    """Shades each fault's interval (a line where it has no length) and labels it."""
    shown = []
    for f in faults:
        at, until = f.get("at", 0.0), f.get("until")
        until = stop if until is None else until
        if until < start or at > stop:
            continue
        label = f"{f.get('kind')} {f.get('target', '')}".strip()
        if until > at:
            panel.ax.axvspan(max(at, start), min(until, stop), color="#d62728", alpha=0.12)
        else:
            panel.ax.axvline(at, color="#d62728", linewidth=1.2, alpha=0.7)
        panel.ax.annotate(label, (max(at, start), 1), xycoords=("data", "axes fraction"),
                          xytext=(3, -3), textcoords="offset points", fontsize=8,
                          color="#a01010", va="top",
                          bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                "alpha": 0.8})
        shown.append([label, at, until])
    if shown:
        panel.series.append({"label": "faults", "kind": "faults", "points": len(shown),
                             "intervals": shown})


def draw(panel, events_path, faults=(), window=None):
    """Draws the timeline of events.csv on `panel` between the --window times (default:
    see default_window), with the faults shaded; returns (start, stop, end)."""
    _, rows = read_csv(events_path)
    if events.unknown(rows):
        raise PlotError(f"{events_path} has events this plotter does not know: "
                        f"{', '.join(events.unknown(rows))} (known: tools/plot/events.py)")
    states, end = raw_intervals(rows)
    workers = sorted(states, key=lambda w: int(WORKER.match(w)[1]))
    start, stop = default_window(rows, len(workers), list(faults), end)
    if window is not None:
        start = window[0] if window[0] is not None else 0.0
        stop = window[1] if window[1] is not None else end
    row_of = {w: i for i, w in enumerate(workers)}
    painted = {w: paint(states[w], start, stop) for w in workers}
    span = (stop - start) * len(workers)
    for state in STATES[::-1]:
        rows_of_state = [(w, a, b) for w in workers for s, a, b in painted[w] if s == state]
        if state == "offline" and not rows_of_state:
            continue  # no [availability]: no legend entry
        share = sum(b - a for _, a, b in rows_of_state) / span if span > 0 else 0.0
        panel.intervals(rows_of_state, f"{state} {share:.0%}", row_of, COLORS[state])
    shade_faults(panel, faults, start, stop)
    panel.ax.set_yticks(range(len(workers)))
    panel.ax.set_yticklabels(workers, fontsize=8)
    panel.ax.set_ylim(len(workers) - 0.5, -0.5)
    panel.ax.set_xlim(start, stop if stop > start else start + 1)
    panel.finish(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, frameon=False)
    return start, stop, end
