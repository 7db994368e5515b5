// psim run never aborts and always leaves a summary (issue 11): an actor that fails
// ends the run as `failed` with exit 1, and a run larger than the machine is refused
// at validation.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace psim::test;

namespace {

// Runs psim_failing (psim whose actor `actor` throws as it starts) with `args`.
process_result run_failing(const std::string& actor, const std::string& args) {
  auto dir = temp_folder("failing");
  auto cmd = "cd '" PSIM_SOURCE_DIR "' && PSIM_TEST_FAIL='" + actor + "' '" PSIM_FAILING_BINARY
             "' " + args + " >'" + dir + "/out' 2>'" + dir + "/err' </dev/null";
  auto status = std::system(cmd.c_str());
  process_result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_text(dir + "/err");
  return r;
}

// An actor named `actor` throws: the run ends as failed, with its name, summary.json
// and exit 1, under the clock `clock`.
void check_failed_run(const std::string& actor, const std::string& clock) {
  CAPTURE(actor);
  CAPTURE(clock);
  auto out = temp_folder("failed");
  auto r = run_failing(actor, "run scenarios/crash-and-recover.toml --quiet -o '" + out
                                + "' --set 'run.clock=\"" + clock + "\"'");
  CHECK(r.code == 1);
  CHECK(r.err == "psim: failed: " + actor + ": injected failure (test hook)\n");
  auto s = read_summary(out);
  CHECK(s["stopped_by"] == "failed");
  CHECK(s["error"] == actor + ": injected failure (test hook)");
}

} // namespace

TEST_SUITE("cli.robustness") {

TEST_CASE("a worker that throws ends the run as failed, with summary.json and exit 1") {
  check_failed_run("worker-1", "virtual");
}

TEST_CASE("a link or the fault injector that throws ends the run as failed, too") {
  check_failed_run("worker-0->server-0", "virtual");
  check_failed_run("fault-injector", "virtual");
  check_failed_run("worker-1->server-0", "real");
}

TEST_CASE("psim itself has no failure switch: the same variable changes nothing") {
  auto out = temp_folder("unswitched");
  auto r = run_psim("run scenarios/flaky-network.toml --quiet -o '" + out + "' --set "
                    "'run.stop={updates=50}'");
  auto hooked = std::system(("cd '" PSIM_SOURCE_DIR "' && PSIM_TEST_FAIL=worker-1 '" PSIM_BINARY
                             "' run scenarios/flaky-network.toml --quiet -o '" + out
                             + "' --set 'run.stop={updates=50}' >/dev/null 2>&1").c_str());
  CHECK(r.code == 0);
  CHECK(WIFEXITED(hooked));
  CHECK(WEXITSTATUS(hooked) == 0);
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
