"""The installed psim: `cmake --install` into a temporary prefix, and the .deb that cpack
builds unpacked into a temporary root, each run the quickstart from another folder with
neither the checkout (PSIM_HOME) nor the build's module on the paths."""
import json
import pathlib
import subprocess

from conftest import BUILD_DIR, QUICKSTART, clean_env, cli, without_wall

INSTALLED = ["bin/psim", "bin/psim-remote", "share/psim/plot/psim_plot.py", "share/psim/plot/run_figure.py",
             "share/psim/scenarios/quickstart.toml", "share/psim/scenarios/mnist-softmax.toml",
             "lib/python3/dist-packages/psim/__init__.py"]

PYTHON_RUN = """
import sys, psim
run = psim.run(sys.argv[1], out="py")
print(psim.__file__)
print(run.plot())
print(run.summary["final"]["train_loss"])
"""


def _run(cmd, **kwargs):
    done = subprocess.run([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kwargs)
    assert done.returncode == 0, f"{cmd}: {done.stderr}"
    return done


def _runs_the_quickstart_from_elsewhere(prefix, tmp_path):
    for name in INSTALLED:
        assert (prefix / name).is_file(), name
    assert list((prefix / "lib/python3/dist-packages/psim").glob("_psim*.so"))
    assert (prefix / "share/psim/data").is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env()
    quickstart = prefix / "share/psim/scenarios/quickstart.toml"
    # The README's first run, with the installed command: runs/quickstart and its plot.
    _run([prefix / "bin/psim", "run", quickstart, "--quiet"], cwd=elsewhere, env=env)
    _run([prefix / "bin/psim", "plot", "runs/quickstart"], cwd=elsewhere, env=env)
    # psim node goes to the installed psim-remote: its own error, not a missing program.
    node = subprocess.run([str(prefix / "bin/psim"), "node", "--check", "127.0.0.1:1",
                           "--secret-file", str(tmp_path / "no-secret")], cwd=elsewhere, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert node.returncode == 2 and "cannot read the secret file" in node.stderr, node.stderr
    assert (elsewhere / "runs/quickstart/plot.png").read_bytes()[:4] == b"\x89PNG"
    expected = tmp_path / "expected"
    assert cli("run", QUICKSTART, "-o", expected, "--quiet").returncode == 0
    for name in ["metrics.csv", "summary.json"]:
        assert without_wall(elsewhere / "runs/quickstart" / name) == without_wall(expected / name)
    # The installed Python module, with its plotting scripts and nothing of the build.
    env["PYTHONPATH"] = str(prefix / "lib/python3/dist-packages")
    done = _run(["/usr/bin/python3", "-c", PYTHON_RUN, quickstart], cwd=elsewhere, env=env)
    module, picture, loss = done.stdout.split()
    assert pathlib.Path(module).is_relative_to(prefix)
    assert pathlib.Path(elsewhere / picture).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((expected / "summary.json").read_text())
    assert float(loss) == summary["final"]["train_loss"]


def test_an_installed_prefix_runs_the_quickstart_from_another_folder(tmp_path):
    prefix = tmp_path / "prefix"
    _run(["cmake", "--install", BUILD_DIR, "--prefix", prefix])
    _runs_the_quickstart_from_elsewhere(prefix, tmp_path)


def test_the_debian_package_depends_on_real_packages_and_runs_unpacked(tmp_path):
    _run(["cpack", "-G", "DEB", "--config", BUILD_DIR / "CPackConfig.cmake", "-B", tmp_path / "pkg"])
    debs = list((tmp_path / "pkg").glob("psim_*.deb"))
    assert len(debs) == 1
    depends = _run(["dpkg-deb", "-f", debs[0], "Depends"]).stdout
    names = [d.strip().split()[0] for d in depends.split(",")]
    for needed in ["libcaf-core0.17", "libcaf-io0.17", "libcaf-openssl0.17", "libfmt9",
                   "libtomlplusplus3", "python3", "python3-numpy", "python3-pandas",
                   "python3-matplotlib"]:
        assert needed in names
    # Each is a package that this Debian knows and has installed (the build needs them).
    _run(["dpkg-query", "-W"] + sorted(set(names)))
    root = tmp_path / "root"
    _run(["dpkg-deb", "-x", debs[0], root])
    _runs_the_quickstart_from_elsewhere(root / "usr", tmp_path)
