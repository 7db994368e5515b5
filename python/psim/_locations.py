"""Where the psim binary and the plotting scripts are, for an installed or a built psim.

Installed (cmake --install or the .deb), this package is P/lib/python3/dist-packages/psim
and they are P/bin/psim and P/share/psim/plot/. In a build tree they are the build's
bin/psim and the checkout's tools/plot/. $PSIM_BINARY and $PSIM_HOME (a checkout) win.
"""
import os
import pathlib

_here = pathlib.Path(__file__).resolve().parent
_prefix = _here.parents[3]


def _build_tree():
    try:
        from . import _build_tree as tree
    except ImportError:
        return None
    return tree


def binary():
    """The psim command line that `sweep` drives."""
    if os.environ.get("PSIM_BINARY"):
        return os.environ["PSIM_BINARY"]
    tree = _build_tree()
    return tree.binary if tree is not None else str(_prefix / "bin" / "psim")


def plot_dir():
    """The folder of psim_plot.py and the other scripts of tools/plot."""
    if os.environ.get("PSIM_HOME"):
        return str(pathlib.Path(os.environ["PSIM_HOME"]) / "tools" / "plot")
    tree = _build_tree()
    return tree.plot_dir if tree is not None else str(_prefix / "share" / "psim" / "plot")
