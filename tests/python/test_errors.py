"""psim's errors from Python: ScenarioError with where and why, RunError with the stop
reason and the run, KeyboardInterrupt that ends a run as interrupted with its files."""
import os
import signal
import threading
import time

import pytest

import psim
from conftest import QUICKSTART, cli


def test_check_describes_a_valid_scenario():
    info = psim.check(QUICKSTART)
    assert (info["name"], info["mode"], info["workers"], info["clock"]) == (
        "quickstart", "async", 8, "virtual")
    assert psim.check(QUICKSTART, set={"training.mode": "sync"})["mode"] == "sync"


def test_a_bad_value_names_its_file_line_column_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(QUICKSTART.read_text().replace("learning_rate = 0.05", "learning_rate = -1"))
    with pytest.raises(psim.ScenarioError) as caught:
        psim.check(bad)
    e = caught.value
    line = bad.read_text().splitlines().index("learning_rate = -1") + 1
    assert (e.file, e.line, e.key) == (str(bad), line, "training.learning_rate")
    assert e.column > 0
    # The same words as `psim check` prints after "psim: error: ".
    done = cli("check", bad)
    assert done.returncode == 2
    assert done.stderr.strip() == f"psim: error: {e}"
    with pytest.raises(psim.ScenarioError):
        psim.run(bad)


def test_a_toml_syntax_error_in_text_and_a_bad_override():
    with pytest.raises(psim.ScenarioError) as caught:
        psim.run('name = "x"\n[run\n')
    assert (caught.value.file, caught.value.line) == ("<text>", 2)
    with pytest.raises(psim.ScenarioError) as caught:
        psim.run(QUICKSTART, set={"training.mode": "sideways"})
    assert caught.value.key == "training.mode" and "sideways" in caught.value.message


def test_a_missing_file_is_a_scenario_error():
    with pytest.raises(psim.ScenarioError) as caught:
        psim.check("no/such/scenario.toml")
    assert caught.value.file == "no/such/scenario.toml"
    assert caught.value.message == "cannot open scenario file"


def test_a_diverging_run_raises_run_error_with_the_reason_and_its_files(tmp_path):
    with pytest.raises(psim.RunError) as caught:
        psim.run(QUICKSTART, set={"training.learning_rate": 50.0}, out=tmp_path)
    e = caught.value
    assert e.stopped_by == "diverged"
    assert e.run.dir == tmp_path and e.run.summary["stopped_by"] == "diverged"
    done = cli("run", QUICKSTART, "-o", tmp_path / "cli", "--quiet", "--set",
               "training.learning_rate=50.0")
    assert done.returncode == 1
    assert done.stderr.strip() == f"psim: diverged: {e.detail}"


def _interrupt_when_running(folder):
    # Waits (bounded) until the run has written its first metrics row, then sends Ctrl-C.
    deadline = time.monotonic() + 60
    metrics = folder / "metrics.csv"
    while time.monotonic() < deadline:
        if metrics.is_file() and len(metrics.read_text().splitlines()) > 1:
            break
        time.sleep(0.01)
    os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_ends_a_run_as_interrupted_with_its_files(tmp_path):
    # Without Ctrl-C this run would go on for a billion updates.
    watcher = threading.Thread(target=_interrupt_when_running, args=(tmp_path,))
    watcher.start()
    with pytest.raises(KeyboardInterrupt) as caught:
        psim.run(QUICKSTART, set={"run.stop.updates": 10**9}, out=tmp_path)
    watcher.join()
    run = caught.value.run
    assert run.stopped_by == "interrupted"
    assert 0 < run.summary["version"] < 10**9
    assert run.metrics["version"].iloc[-1] <= run.summary["version"]
    # The next run is not interrupted by the last one's Ctrl-C.
    assert psim.run(QUICKSTART, set={"run.stop.updates": 50}).stopped_by == "updates"
