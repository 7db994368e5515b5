"""psim.sweep: the DataFrame of sweep.csv, equal to `psim sweep`'s."""
import pandas
import pytest

import psim
from conftest import QUICKSTART, cli

# sweep.csv's columns that the wall clock decides.
WALL = ["wall_s"]


def test_a_sweep_from_python_equals_psim_sweep(tmp_path):
    done = cli("sweep", QUICKSTART, "--vary", "training.mode=sync,async", "--vary",
               "cluster.workers=2,4", "--repeat", "2", "-j", "2", "--set", "run.stop.updates=200",
               "--target-loss", "0.05", "-o", tmp_path / "cli", "--quiet", "--no-plot")
    assert done.returncode == 0, done.stderr
    frame = psim.sweep(QUICKSTART, vary={"training.mode": ["sync", "async"],
                                         "cluster.workers": [2, 4]},
                       repeat=2, jobs=2, set={"run.stop.updates": 200}, target_loss=0.05,
                       out=tmp_path / "py")
    expected = pandas.read_csv(tmp_path / "cli" / "sweep.csv", float_precision="round_trip")
    assert len(frame) == 2 * 2 * 2
    assert list(frame.columns) == list(expected.columns)
    pandas.testing.assert_frame_equal(frame.drop(columns=WALL), expected.drop(columns=WALL))
    assert set(frame["stopped_by"]) == {"updates"}
    assert frame.attrs["dir"] == str(tmp_path / "py")


def test_a_sweep_without_a_folder_leaves_nothing_behind():
    frame = psim.sweep(QUICKSTART.read_text(), vary={"cluster.workers": [2, 3]}, jobs=2,
                       set={"run.stop.updates": 50})
    assert frame["cluster.workers"].tolist() == [2, 3]
    assert frame["version"].tolist() == [50, 50]
    assert frame.attrs["dir"] is None


def test_a_bad_sweep_raises_a_scenario_error():
    with pytest.raises(psim.ScenarioError) as caught:
        psim.sweep(QUICKSTART, vary={"cluster.workers": [2]}, set={"cluster.workers": 0})
    assert caught.value.key == "cluster.workers"
    with pytest.raises(psim.ScenarioError) as caught:
        psim.sweep(QUICKSTART, vary={"no.such.key": [1, 2]})
    assert caught.value.key == "no"
    assert caught.value.message.startswith('unknown key "no" at the top level')
