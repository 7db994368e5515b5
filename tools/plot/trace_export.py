"""psim trace: a run's events.csv as Trace Event JSON, for ui.perfetto.dev and
chrome://tracing. Needs a run made with trace.events = true:
    tools/psim trace runs/crash-and-recover [-o trace.json]
    python3 tools/plot/trace_export.py RUN_DIR [-o FILE]

Processes and their tracks (one thread per actor, times in virtual microseconds):
  workers  one track per worker: slices computing, waiting, down
  servers  one track per server: slices up, down
  links    one track per link sender->receiver (a second lane where messages overlap):
           slices message (send to delivery) and dropped (send to drop)
  run      counters version, loss (train_loss, test_loss), staleness (mean), and a
           faults track with one slice per fault (at to until)
Instants: on an actor's track its crash, restart, abandon, resend, discard, down and
join events; on a link, undelivered (a send with no delivery or drop recorded: in
flight at the stop, lost while its receiver was down, or a repeat the server
ignored); across the whole trace, "fault: KIND TARGET" where each fault began.
Flows (arrows) named message go from each delivered send to its delivery.
"""
import argparse
import json
import os
import re
import signal
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_data import number, read_csv  # noqa: E402
import events  # noqa: E402

EXIT_USAGE = 2
PROCESSES = {"workers": 1, "servers": 2, "links": 3, "run": 4}
ACTOR_INSTANTS = ("crash", "restart", "abandon", "resend", "discard", "down", "join")
# Output order of events at the same instant: slices before what binds to them.
PHASE_ORDER = {"X": 0, "C": 1, "i": 2, "s": 3, "f": 4}


def fail(message):
    print(f"psim: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def us(seconds):
    """Virtual seconds as the format's microseconds."""
    return seconds * 1e6


def natural(name):
    """Sort key putting worker-2 before worker-10."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def process_of(actor):
    if "->" in actor:
        return "links"
    return "servers" if actor.startswith("server") else "workers"


class Trace:
    """The events of the trace, and the tracks they are on."""

    def __init__(self):
        self.events = []
        self.tracks = {}  # (process, track name) -> tid

    def tid(self, process, name):
        return self.tracks.setdefault((process, name), len(self.tracks) + 1)

    def add(self, phase, process, track, name, t, **fields):
        event = {"ph": phase, "pid": PROCESSES[process], "name": name, "ts": us(t)}
        if track is not None:
            event["tid"] = self.tid(process, track)
        event.update(fields)
        self.events.append(event)
        return event

    def slice(self, process, track, name, start, end, args=None):
        """A complete slice [start, end]."""
        event = self.add("X", process, track, name, start, dur=max(us(end) - us(start), 0.0))
        if args:
            event["args"] = args

    def metadata(self):
        out = []
        for process, pid in PROCESSES.items():
            out.append({"ph": "M", "pid": pid, "name": "process_name", "args": {"name": process}})
            out.append({"ph": "M", "pid": pid, "name": "process_sort_index",
                        "args": {"sort_index": pid}})
        by_process = {}
        for (process, name), tid in self.tracks.items():
            by_process.setdefault(process, []).append((name, tid))
        for process, tracks in by_process.items():
            for rank, (name, tid) in enumerate(sorted(tracks, key=lambda nt: natural(nt[0]))):
                pid = PROCESSES[process]
                out.append({"ph": "M", "pid": pid, "tid": tid, "name": "thread_name",
                            "args": {"name": name}})
                out.append({"ph": "M", "pid": pid, "tid": tid, "name": "thread_sort_index",
                            "args": {"sort_index": rank}})
        return out

    def json(self, other):
        ordered = sorted(self.events, key=lambda e: (e["ts"], PHASE_ORDER[e["ph"]]))
        return {"traceEvents": self.metadata() + ordered, "displayTimeUnit": "ms",
                "otherData": other}


class States:
    """The slices of one kind of actor: each actor is in one state at a time."""

    def __init__(self, trace, process, first):
        self.trace, self.process, self.first = trace, process, first
        self.current = {}  # actor -> (state, start, args)

    def enter(self, actor, state, t, args=None):
        name, start, old_args = self.current.get(actor, (self.first, 0.0, None))
        if t > start or name == "down":  # a server down for no time still shows
            self.trace.slice(self.process, actor, name, start, t, old_args)
        self.current[actor] = (state, t, args)

    def touch(self, actor):
        self.current.setdefault(actor, (self.first, 0.0, None))
        self.trace.tid(self.process, actor)

    def close(self, end):
        for actor, (name, start, args) in self.current.items():
            self.trace.slice(self.process, actor, name, start, max(end, start), args)


class Links:
    """Each transmission: a slice on its link's track, an arrow to its delivery."""

    def __init__(self, trace):
        self.trace = trace
        self.in_flight = {}  # (sender, receiver) -> [(version, time, bytes)]
        self.lanes = {}  # link -> [end of the last slice on each lane]
        self.flows = 0

    def send(self, sender, receiver, version, t, size):
        self.in_flight.setdefault((sender, receiver), []).append((version, t, size))

    def _take(self, link, version):
        queue = self.in_flight.get(link)
        if not queue:
            return None  # a copy the network duplicated, or a send before the trace
        i = next((i for i, (v, _, _) in enumerate(queue) if v == version), 0)
        return queue.pop(i)

    def _lane(self, link, start, end):
        ends = self.lanes.setdefault(link, [])
        lane = next((i for i, e in enumerate(ends) if e <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        ends[lane] = end
        return f"{link[0]}->{link[1]}" + (f" ({lane + 1})" if lane else "")

    def arrive(self, link, version, t, delivered):
        sent = self._take(link, version)
        if sent is None:
            return
        _, start, size = sent
        track = self._lane(link, start, t)
        args = {"from": link[0], "to": link[1], "version": version, "bytes": size}
        self.trace.slice("links", track, "message" if delivered else "dropped", start, t, args)
        if delivered:
            self.flows += 1
            workers_or_servers = process_of(link[0]), process_of(link[1])
            self.trace.add("s", workers_or_servers[0], link[0], "message", start,
                           id=self.flows, cat="message")
            self.trace.add("f", workers_or_servers[1], link[1], "message", t,
                           id=self.flows, cat="message", bp="e")

    def close(self):
        for link, queue in self.in_flight.items():
            for version, t, size in queue:
                self.trace.add("i", "links", f"{link[0]}->{link[1]}", "undelivered", t,
                               s="t", args={"version": version, "bytes": size})


def read_events(run_dir, trace, states, links):
    """Turns each row of events.csv into slices, instants and flows; returns the end."""
    _, rows = read_csv(os.path.join(run_dir, "events.csv"))
    if events.unknown(rows):
        fail(f"{run_dir}/events.csv has events this script does not know: "
             f"{', '.join(events.unknown(rows))} (known: tools/plot/events.py)")
    end = 0.0
    for row in rows:
        t, actor, event, peer = number(row["time"]), row["actor"], row["event"], row["peer"]
        if t is None:
            continue
        end = max(end, t)
        version = number(row.get("version"))
        version = int(version) if version is not None else None
        kind = process_of(actor)
        if kind != "links":
            states[kind].touch(actor)
        if event == "compute_start":
            states["workers"].enter(actor, "computing", t, {"version": version})
        elif event == "compute_end":
            states["workers"].enter(actor, "waiting", t)
        elif event == "crash":
            states[kind].enter(actor, "down", t)
        elif event == "restart":
            states[kind].enter(actor, "waiting" if kind == "workers" else "up", t)
        elif event == "send":
            links.send(actor, peer, version, t, number(row.get("bytes")))
        elif event == "deliver":
            links.arrive((peer, actor), version, t, True)
        elif event == "drop":
            links.arrive(tuple(actor.split("->", 1)), version, t, False)
        if event in ACTOR_INSTANTS and kind != "links":
            args = {"peer": peer} if peer else {}
            if version is not None:
                args["version"] = version
            trace.add("i", kind, actor, event, t, s="t", args=args)
    return end


def add_run_tracks(run_dir, trace, summary, end):
    """Counters from metrics.csv; the faults of summary.json as slices and instants."""
    _, rows = read_csv(os.path.join(run_dir, "metrics.csv"))
    for row in rows:
        t = number(row.get("time"))
        if t is None:
            continue
        for name, columns in (("version", ("version",)), ("loss", ("train_loss", "test_loss")),
                              ("staleness", ("staleness_mean",))):
            values = {c: number(row.get(c)) for c in columns}
            values = {c: v for c, v in values.items() if v is not None}
            if values:
                trace.add("C", "run", None, name, t, tid=0, args=values)
    lanes = []
    for fault in summary.get("faults", []):
        at, until = fault.get("at", 0.0), fault.get("until")
        label = f"{fault.get('kind')} {fault.get('target', '')}".strip()
        trace.add("i", "run", None, f"fault: {label}", at, s="g", args=fault)
        stop = until if until is not None else max(end, at)
        lane = next((i for i, e in enumerate(lanes) if e <= at), len(lanes))
        lanes[lane:lane + 1] = [stop]
        trace.slice("run", "faults" + (f" ({lane + 1})" if lane else ""), fault.get("kind"),
                    at, stop, fault)


def export(run_dir):
    """The Trace Event JSON of the run in `run_dir`."""
    with open(os.path.join(run_dir, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    trace = Trace()
    states = {"workers": States(trace, "workers", "waiting"),
              "servers": States(trace, "servers", "up")}
    links = Links(trace)
    end = read_events(run_dir, trace, states, links)
    end = max(end, summary.get("time_s") or 0.0) if summary.get("clock") == "virtual" else end
    for s in states.values():
        s.close(end)
    links.close()
    add_run_tracks(run_dir, trace, summary, end)
    return trace.json({"run": summary.get("name"), "mode": summary.get("mode"),
                       "clock": summary.get("clock"), "stopped_by": summary.get("stopped_by"),
                       "time unit": "1 us = 1 microsecond of the run's clock"})


def main(argv):
    p = argparse.ArgumentParser(prog="psim trace", description=__doc__.splitlines()[0])
    p.add_argument("run", help="a run folder written with trace.events = true")
    p.add_argument("-o", "--output", help="the JSON file (default: RUN/trace.json)")
    args = p.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends us quietly
    for needed in ("summary.json", "metrics.csv"):
        if not os.path.isfile(os.path.join(args.run, needed)):
            fail(f"{args.run}: not a run folder (no {needed})")
    if not os.path.isfile(os.path.join(args.run, "events.csv")):
        fail(f"{args.run}: no events.csv; run the scenario with --set trace.events=true")
    output = args.output or os.path.join(args.run, "trace.json")
    data = export(args.run)
    try:
        with open(output, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
            out.write("\n")
    except OSError as e:
        fail(f"-o {output}: cannot write: {e.strerror}")
    print(f"psim: wrote {output} ({len(data['traceEvents'])} events); open it in "
          "https://ui.perfetto.dev or chrome://tracing")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
