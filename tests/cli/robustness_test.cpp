// psim run never aborts and always leaves a summary (issue 11): an actor that fails
// ends the run as `failed` with exit 1, and a run larger than the machine is refused
// at validation.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace psim::test;

TEST_SUITE("cli.robustness") {

TEST_CASE("a worker that throws ends the run as failed, with summary.json and exit 1") {
  auto out = temp_folder("failed");
  ::setenv("PSIM_INJECT_FAILURE", "worker-1", 1);
  auto r = run_psim("run scenarios/flaky-network.toml --quiet -o '" + out + "'");
  ::unsetenv("PSIM_INJECT_FAILURE");
  CHECK(r.code == 1);
  CHECK(r.err == "psim: failed: worker-1: injected failure (PSIM_INJECT_FAILURE)\n");
  auto s = read_summary(out);
  CHECK(s["stopped_by"] == "failed");
  CHECK(s["error"] == "worker-1: injected failure (PSIM_INJECT_FAILURE)");
}

TEST_CASE("a run larger than this machine's memory is a scenario error at its key") {
  auto r = run_psim("run scenarios/flaky-network.toml -o /tmp/psim-unused --set data.samples=100000000 "
                    "--set data.features=100000");
  CHECK(r.code == 2);
  CHECK(r.err.rfind("psim: error: --set:1:14: data.samples: the run needs about ", 0) == 0);
  CHECK(r.err.find("this machine has") != std::string::npos);
}

TEST_CASE("a model too large for any number of workers is blamed on the model") {
  auto r = run_psim("run scenarios/flaky-network.toml -o /tmp/psim-unused --set model.kind='\"mlp\"' "
                    "--set 'model.hidden=[100000, 100000]'");
  CHECK(r.code == 2);
  CHECK(r.err.find(": model.hidden: the run needs about ") != std::string::npos);
}

}
