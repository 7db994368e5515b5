"""psim plot: pictures of run folders and sweep folders, with matplotlib.

Normally run through the C++ command, which finds a python3 with matplotlib:
    tools/psim plot runs/quickstart [-o FILE.png|.svg|.pdf] [--x time|version|wall] [--log]
Directly:
    python3 tools/plot/psim_plot.py RUN_DIR... [-o FILE] [--x X] [--y COLUMN] [--log]
                                    [--window START:END] [--describe FILE.json]
    python3 tools/plot/psim_plot.py SWEEP_DIR [--x VARIED_KEY] [--y COLUMN] ...
--describe writes the data behind the figure (panels, axes, series with labels and
points) as JSON. Exit codes: 0 done, 2 usage error, 3 matplotlib missing.
"""
import argparse
import os
import sys

EXIT_USAGE = 2
EXIT_NO_MATPLOTLIB = 3


def fail(message):
    print(f"psim: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="psim plot", description=__doc__.splitlines()[0])
    p.add_argument("dirs", nargs="+", help="run folders, or one sweep folder")
    p.add_argument("-o", "--output", help="FILE.png, .svg or .pdf "
                   "(default: <first run>/plot.png or <sweep>/sweep.png)")
    p.add_argument("--x", default="", help="runs: time | version | wall (default time); "
                   "a sweep: a varied key (default: the first numeric one)")
    p.add_argument("--y", default="", help="runs: a metrics.csv column instead of the "
                   "losses; a sweep: a sweep.csv column")
    p.add_argument("--log", action="store_true", help="logarithmic y axis")
    p.add_argument("--window", help="runs: the timeline between START:END seconds "
                   "(default: the whole run when it fits, else around the first fault)")
    p.add_argument("--describe", help="also write the data behind the figure as JSON")
    return p.parse_args(argv)


def classify(dirs):
    """('runs' | 'sweep', dirs) after checking each folder; exits on a bad one."""
    from run_data import is_run, is_sweep
    for d in dirs:
        if not os.path.exists(d):
            fail(f"{d}: no such folder")
        if not os.path.isdir(d):
            fail(f"{d}: not a folder")
        if not is_run(d) and not is_sweep(d):
            fail(f"{d}: not a run folder (no metrics.csv and summary.json) "
                 "nor a sweep folder (no sweep.csv)")
    sweeps = [d for d in dirs if is_sweep(d) and not is_run(d)]
    if sweeps and len(dirs) > 1:
        fail("give one sweep folder alone, or run folders")
    return ("sweep" if sweeps else "runs"), dirs


def main(argv):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        # psim itself then tries the next interpreter, and says what to install
        if not os.environ.get("PSIM_PLOT_FROM_PSIM"):
            print(f"psim: error: {sys.executable} cannot import matplotlib; install "
                  "python3-matplotlib (Debian) or run this with a python3 that has it",
                  file=sys.stderr)
        return EXIT_NO_MATPLOTLIB
    sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run_figure
    import sweep_figure
    import timeline
    from recorder import write_description
    from run_data import PlotError, Run

    args = parse_args(argv)
    kind, dirs = classify(args.dirs)
    output = args.output or os.path.join(dirs[0], "sweep.png" if kind == "sweep" else "plot.png")
    if os.path.splitext(output)[1].lower() not in (".png", ".svg", ".pdf"):
        fail(f"-o {output}: the picture's name must end in .png, .svg or .pdf")
    if kind == "runs" and args.x and args.x not in run_figure.X_LABELS:
        fail(f"--x {args.x}: allowed: time | version | wall")
    fig = plt.figure(figsize=(11, 4), dpi=100)
    try:
        if kind == "sweep":
            title, panels = sweep_figure.build(fig, dirs[0], args.x, args.y, args.log)
        else:
            runs = [Run(d) for d in dirs]
            window = timeline.parse_window(args.window) if args.window else None
            title, panels = run_figure.build(fig, runs, args.x or "time", args.y, args.log,
                                             window)
    except PlotError as e:
        fail(str(e))
    rows = len({round(p.ax.get_position().y0, 3) for p in panels})
    fig.set_size_inches(11, 0.6 + 3.4 * rows)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    try:
        fig.savefig(output, dpi=100)
    except OSError as e:
        fail(f"-o {output}: cannot write: {e.strerror}")
    if args.describe:
        write_description(args.describe, output, title, panels)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
