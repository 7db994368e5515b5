"""psim.run of a scenario with [deployment]: the module reaches psim nodes as `psim run`
does (they run as psim-remote, the module links the same remote half), with the secret
from $PSIM_SECRET."""
import os
import select
import subprocess

import pytest

import psim
from conftest import PSIM, SOURCE_DIR

SECRET = "python-deployment-test-secret"


def _listening_address(node):
    """The address a starting `psim node` prints (at most 30 s)."""
    ready, _, _ = select.select([node.stdout], [], [], 30)
    assert ready, "psim node printed nothing in 30 s"
    line = node.stdout.readline()
    assert line.startswith("psim node listening on 127.0.0.1:"), line
    return line.split()[-1]


@pytest.fixture
def two_nodes():
    env = dict(os.environ, PSIM_SECRET=SECRET)
    nodes = [subprocess.Popen([str(PSIM), "node", "--listen", "127.0.0.1:0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
             for _ in range(2)]
    try:
        yield [_listening_address(n) for n in nodes]
    finally:
        for n in nodes:
            n.kill()
            n.wait()


def test_a_deployment_runs_from_python_on_two_nodes(tmp_path, two_nodes, monkeypatch):
    monkeypatch.setenv("PSIM_SECRET", SECRET)
    run = psim.run(SOURCE_DIR / "scenarios" / "multi-node.toml", out=tmp_path,
                   set={"deployment.nodes": two_nodes, "run.stop.updates": 300})
    assert run.stopped_by == "updates" and run.summary["version"] == 300
    assert [w["node"] for w in run.summary["workers"]] == [two_nodes[0], two_nodes[1],
                                                             two_nodes[0], two_nodes[1]]
    assert all(w["gradients"] > 10 for w in run.summary["workers"])
