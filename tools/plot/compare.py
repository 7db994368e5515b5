"""psim compare: run folders side by side, one column per run: the scenario keys whose
values differ, then the outcomes (summary.json). Needs only python3:
    tools/psim compare runs/a runs/b runs/c [--csv | --markdown]
    python3 tools/plot/compare.py RUN_DIR... [--csv | --markdown]
"""
import argparse
import csv
import json
import os
import signal
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_data import differing_keys, effective, is_run, read_scenario  # noqa: E402

EXIT_USAGE = 2
# (row name, path into summary.json), in the order the table shows them.
OUTCOMES = (
    ("stopped_by", ("stopped_by",)), ("version", ("version",)), ("time_s", ("time_s",)),
    ("train_loss", ("final", "train_loss")), ("test_loss", ("final", "test_loss")),
    ("test_accuracy", ("final", "test_accuracy")),
    ("staleness_mean", ("staleness", "mean")), ("staleness_max", ("staleness", "max")),
    ("gradients_computed", ("gradients", "computed")),
    ("gradients_applied", ("gradients", "applied")),
    ("gradients_discarded_stale", ("gradients", "discarded_stale")),
    ("gradients_abandoned", ("gradients", "abandoned")),
    ("gradients_lost", ("gradients", "lost")),
    ("gradients_in_flight", ("gradients", "in_flight")),
    ("messages_sent", ("messages", "sent")), ("messages_dropped", ("messages", "dropped")),
    ("messages_resent", ("messages", "resent")),
    ("messages_ignored", ("messages", "ignored")),
    ("crashes", None), ("faults", None))


def fail(message):
    print(f"psim: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def show(value):
    """A cell: floats to 6 significant digits, "-" for none (an empty CSV cell)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def lookup(summary, path):
    for key in path:
        if not isinstance(summary, dict) or key not in summary:
            return None
        summary = summary[key]
    return summary


def outcome(summary, name, path):
    if name == "crashes":
        return sum(w.get("crashes", 0) for w in summary.get("workers", []))
    if name == "faults":
        faults = summary.get("faults", [])
        return "; ".join(f"{f.get('kind')} {f.get('target', '')}@{show(f.get('at'))}"
                         for f in faults) or None
    return lookup(summary, path)


def column_names(dirs):
    """Each run's folder name; its parent too where two names are the same."""
    base = [os.path.basename(os.path.normpath(d)) for d in dirs]
    return [b if base.count(b) == 1 else os.path.join(
        os.path.basename(os.path.dirname(os.path.normpath(d))), b)
        for b, d in zip(base, dirs)]


def table(dirs):
    """(header, rows): a row per differing scenario key, then per outcome."""
    summaries, scenarios = [], []
    for d in dirs:
        with open(os.path.join(d, "summary.json"), encoding="utf-8") as f:
            summaries.append(json.load(f))
        scenarios.append(read_scenario(os.path.join(d, "scenario.toml")))
    rows = [[key] + [show(effective(s, key)) for s in scenarios]
            for key in differing_keys(scenarios)]
    rows += [[name] + [show(outcome(s, name, path)) for s in summaries]
             for name, path in OUTCOMES]
    return ["key"] + column_names(dirs), rows


def print_text(header, rows, out):
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")


def print_markdown(header, rows, out):
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n"
    out.write(line(header))
    out.write("|" + "|".join("---" for _ in header) + "|\n")
    for r in rows:
        out.write(line(r))


def main(argv):
    p = argparse.ArgumentParser(prog="psim compare", description=__doc__.splitlines()[0])
    p.add_argument("runs", nargs="+", help="run folders")
    style = p.add_mutually_exclusive_group()
    style.add_argument("--csv", action="store_true", help="write CSV")
    style.add_argument("--markdown", action="store_true", help="write a Markdown table")
    args = p.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends us quietly
    for d in args.runs:
        if not os.path.isdir(d):
            fail(f"{d}: no such folder")
        if not is_run(d):
            fail(f"{d}: not a run folder (no metrics.csv and summary.json)")
    header, rows = table(args.runs)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([header] + [[c if c != "-" else "" for c in r] for r in rows])
    elif args.markdown:
        print_markdown(header, rows, sys.stdout)
    else:
        print_text(header, rows, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
