"""psim.run and psim.load: the same files as `psim run`, and the Run's frames and arrays."""
import gc
import json

import numpy
import pandas
import pytest

import psim
from conftest import QUICKSTART, cli, without_wall

OUTPUTS = ["metrics.csv", "events.csv", "summary.json", "scenario.toml"]


def test_the_module_writes_the_files_of_the_cli_bit_for_bit(tmp_path):
    settings = {"trace.events": True, "training.mode": "sync", "run.stop.updates": 300}
    done = cli("run", QUICKSTART, "-o", tmp_path / "cli", "--quiet", "--set", "trace.events=true",
               "--set", "training.mode=sync", "--set", "run.stop.updates=300")
    assert done.returncode == 0, done.stderr
    run = psim.run(QUICKSTART, set=settings, out=tmp_path / "py")
    for name in OUTPUTS:
        assert without_wall(tmp_path / "py" / name) == without_wall(tmp_path / "cli" / name), name
    assert run.dir == tmp_path / "py"


def test_a_run_reads_its_folder_into_pandas_and_numpy(tmp_path):
    run = psim.run(QUICKSTART, set={"trace.events": True}, out=tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert run.summary == summary
    assert run.stopped_by == "updates" and summary["version"] == 2000
    metrics = run.metrics
    assert list(metrics.columns)[:3] == ["time", "wall", "version"]
    assert len(metrics) == len((tmp_path / "metrics.csv").read_text().splitlines()) - 1
    assert metrics["version"].iloc[-1] == 2000
    assert metrics["train_loss"].iloc[-1] == summary["final"]["train_loss"]
    assert metrics["test_loss"].isna().all()  # the quickstart has no test set
    events = run.events
    assert list(events.columns) == ["time", "actor", "event", "peer", "version", "staleness", "bytes"]
    assert (events["event"] == "apply").sum() == 2000
    assert isinstance(run.params, numpy.ndarray)
    assert run.params.tolist() == summary["params"]
    assert run.params[0] == pytest.approx(2.0, abs=0.05)  # the weight y = 2x + 1 had


def test_load_reads_a_run_folder_written_by_the_cli(tmp_path):
    assert cli("run", QUICKSTART, "-o", tmp_path, "--quiet").returncode == 0
    run = psim.load(tmp_path)
    assert run.summary["name"] == "quickstart"
    pandas.testing.assert_frame_equal(
        run.metrics, pandas.read_csv(tmp_path / "metrics.csv", float_precision="round_trip"))
    assert run.events.empty  # no trace.events
    with pytest.raises(FileNotFoundError):
        psim.load(tmp_path / "nothing")


def test_without_out_the_files_live_as_long_as_the_run():
    run = psim.run(QUICKSTART, set={"run.stop.updates": 100})
    folder = run.dir
    assert (folder / "summary.json").is_file()
    assert run.summary["version"] == 100
    del run
    gc.collect()
    assert not folder.exists()


def test_a_scenario_may_be_toml_text_and_values_python_values(tmp_path):
    text = QUICKSTART.read_text()
    run = psim.run(text, set={"run.stop.updates": 100, "network.latency": "2ms",
                              "compute.time": {"dist": "exponential", "mean": "5ms"}},
                   out=tmp_path / "text")
    done = cli("run", QUICKSTART, "-o", tmp_path / "file", "--quiet", "--set",
               "run.stop.updates=100", "--set", "network.latency=2ms", "--set",
               'compute.time={ dist = "exponential", mean = "5ms" }')
    assert done.returncode == 0, done.stderr
    assert run.summary["version"] == 100
    for name in ["metrics.csv", "summary.json"]:
        assert without_wall(tmp_path / "text" / name) == without_wall(tmp_path / "file" / name)


def test_plot_draws_the_figure_of_psim_plot(tmp_path):
    run = psim.run(QUICKSTART, set={"run.stop.updates": 100}, out=tmp_path / "run")
    picture = run.plot()
    assert picture == tmp_path / "run" / "plot.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = run.plot(tmp_path / "run.svg", log=True)
    assert svg.read_text().lstrip().startswith("<?xml")
