"""The per-worker timeline of a run, from its events.csv: when each worker was
computing, communicating (a message of its own on a link), waiting (neither: e.g. at
a sync barrier) or down (crashed). Used by run_figure.py.
"""
import re

from run_data import number, read_csv

# Drawing order and priority: a worker that computes while its message travels
# (local_update) shows as computing.
STATES = ("down", "computing", "communicating", "waiting")
COLORS = {"computing": "#3b8f5a", "communicating": "#4d7fc4",
          "waiting": "#f08a6c", "down": "#2b2b2b"}
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

    computing, down, in_flight = {}, {}, {}
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
        elif event == "crash":
            spans = []
            _close(computing, actor, t, spans)
            for s in spans:
                add(actor, "computing", s)
            _open(down, actor, t)
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
    for pending, state in ((computing, "computing"), (down, "down")):
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


def default_window(rows, workers):
    """Up to the time of the (20 x workers)-th finished computation: about twenty
    rounds, enough to see the pattern and still tell the bars apart."""
    ends = [number(r["time"]) for r in rows if r["event"] == "compute_end"]
    ends = sorted(t for t in ends if t is not None)
    limit = 20 * max(workers, 1)
    return ends[limit - 1] if len(ends) >= limit else None


def draw(panel, events_path):
    """Draws the timeline of events.csv on `panel`."""
    _, rows = read_csv(events_path)
    states, end = raw_intervals(rows)
    workers = sorted(states, key=lambda w: int(WORKER.match(w)[1]))
    until = default_window(rows, len(workers)) or end
    row_of = {w: i for i, w in enumerate(workers)}
    painted = {w: paint(states[w], 0.0, until) for w in workers}
    span = until * len(workers)
    for state in STATES[::-1]:
        rows_of_state = [(w, a, b) for w in workers for s, a, b in painted[w] if s == state]
        share = sum(b - a for _, a, b in rows_of_state) / span if span > 0 else 0.0
        panel.intervals(rows_of_state, f"{state} {share:.0%}", row_of, COLORS[state])
    panel.ax.set_yticks(range(len(workers)))
    panel.ax.set_yticklabels(workers, fontsize=8)
    panel.ax.set_ylim(len(workers) - 0.5, -0.5)
    panel.ax.set_xlim(0, until if until > 0 else 1)
    panel.finish(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, frameon=False)
    return until, end
