"""The data behind each figure, recorded as it is drawn.

Every mark psim's figures draw goes through a Panel, so the JSON that
`psim plot --describe FILE.json` writes lists exactly what the picture shows:
panels, their axis labels and, per series, its legend label and points.
"""
import json
import math


def _clean(value):
    """A JSON-safe copy of `value` (NaN and infinities become null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


class Panel:
    """One set of axes and the series drawn on it."""

    def __init__(self, ax, name, title, xlabel, ylabel):
        self.ax = ax
        self.name = name
        self.title = title
        self.series = []
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)

    def line(self, x, y, label, **style):
        """A line through the points (x, y) that are both defined."""
        pts = [(a, b) for a, b in zip(x, y) if a is not None and b is not None]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        self.ax.plot(xs, ys, label=label, **style)
        self.series.append({"label": label, "kind": "line", "points": len(xs),
                            "x": xs, "y": ys})

    def bars(self, x, heights, label, **style):
        """Bars of the given heights at positions x."""
        self.ax.bar(x, heights, label=label, **style)
        self.series.append({"label": label, "kind": "bars", "points": len(x),
                            "x": list(x), "y": list(heights)})

    def steps(self, x, heights, label, **style):
        """A histogram outline, one bin of width 1 centred on each position."""
        edges = [v - 0.5 for v in x] + [x[-1] + 0.5] if x else [0]
        self.ax.stairs(heights, edges, label=label, linewidth=1.5, **style)
        self.series.append({"label": label, "kind": "steps", "points": len(x),
                            "x": list(x), "y": list(heights)})

    def errorbars(self, x, mean, spread, n, label, names=None, **style):
        """Means with error bars (the spread), each over n values; `names` are the
        categories at positions x, when the axis shows categories."""
        if any(m == m for m in mean):  # some point has a mean (NaN != NaN)
            self.ax.errorbar(x, mean, yerr=spread, label=label, capsize=4, marker="o",
                             **style)
        else:  # every repeat failed: a legend entry, nothing to draw
            self.ax.plot([], [], label=label, marker="o", **style)
        self.series.append({"label": label, "kind": "errorbars", "points": len(x),
                            "x": list(names or x), "y": list(mean),
                            "spread": list(spread), "n": list(n),
                            "joined": style.get("linestyle") != "none"})

    def dots(self, x, y, **style):
        """Unlabelled points (single repeats behind a mean); not in the legend."""
        self.ax.plot(x, y, linestyle="none", marker=".", **style)

    def intervals(self, rows, label, row_of, color):
        """Horizontal bars [(row, start, end)], one row per y position."""
        by_row = {}
        for row, start, end in rows:
            by_row.setdefault(row, []).append((start, end - start))
        # one legend entry per state, even for a state that never occurs
        self.ax.broken_barh([], (0, 0), color=color, label=label)
        for row, spans in by_row.items():
            self.ax.broken_barh(spans, (row_of[row] - 0.4, 0.8), color=color)
        self.series.append({"label": label, "kind": "intervals", "points": len(rows),
                            "total": sum(e - s for _, s, e in rows),
                            "intervals": [[r, s, e] for r, s, e in rows]})

    def finish(self, legend=True, **legend_style):
        """Draws the legend when the panel has labelled series."""
        if legend and self.series:
            self.ax.legend(fontsize=8, **legend_style)

    def describe(self):
        """This panel's data as a JSON-ready dict."""
        ax = self.ax
        return {"name": self.name, "title": self.title,
                "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                "xscale": ax.get_xscale(), "yscale": ax.get_yscale(),
                "series": [{k: _clean(v) for k, v in s.items()} for s in self.series]}


def write_description(path, output, title, panels):
    """Writes the JSON describing the figure saved at `output`."""
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"output": output, "title": title,
                   "panels": [p.describe() for p in panels]}, out, indent=1)
        out.write("\n")
