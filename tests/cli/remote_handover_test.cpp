// psim starts without the remote libraries and hands `psim node` and runs with
// [deployment] to psim-remote beside it (tools/cli/remote_handover.hpp); without
// psim-remote it says what is missing, exits 1 and writes nothing.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace psim::test;

namespace {

// What `command` prints on stdout and stderr (run by the shell).
std::string output_of(const std::string& command) {
  auto dir = temp_folder("handover");
  auto status = std::system((command + " >'" + dir + "/out' 2>&1 </dev/null").c_str());
  CHECK(WIFEXITED(status));
  return read_text(dir + "/out");
}

// Runs `binary <args>` from the source tree.
process_result run_binary(const std::string& binary, const std::string& args) {
  auto dir = temp_folder("handover");
  auto cmd = "cd '" PSIM_SOURCE_DIR "' && '" + binary + "' " + args + " >'" + dir + "/out' 2>'"
             + dir + "/err' </dev/null";
  auto status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir + "/out"),
          read_text(dir + "/err")};
}

const std::string remote_binary =
    (std::filesystem::path{PSIM_BINARY}.parent_path() / "psim-remote").string();

} // namespace

TEST_CASE("psim loads no remote library; psim-remote beside it loads them") {
  auto core = output_of("ldd '" PSIM_BINARY "'");
  CHECK(core.find("libcaf_core") != std::string::npos);
  for (auto library : {"libcaf_io", "libcaf_openssl", "libcrypto", "libssl"}) {
    INFO(library);
    CHECK(core.find(library) == std::string::npos);
  }
  auto remote = output_of("ldd '" + remote_binary + "'");
  for (auto library : {"libcaf_io", "libcaf_openssl", "libcrypto"}) {
    INFO(library);
    CHECK(remote.find(library) != std::string::npos);
  }
}

TEST_CASE("psim node runs as psim-remote: its own errors, under psim's name") {
  // Nothing listens on port 1: the node command itself answers, with its exit code.
  auto r = run_psim("node --check 127.0.0.1:1 --secret-file /nonexistent/secret");
  CHECK(r.code == 2);
  CHECK(r.err.find("psim: error:") != std::string::npos);
  CHECK(r.err.find("secret") != std::string::npos);
  CHECK(r.err.find("psim-remote") == std::string::npos);
}

TEST_CASE("without psim-remote beside it, psim says what is missing and writes nothing") {
  auto dir = temp_folder("handover");
  auto lone = dir + "/psim";
  std::filesystem::copy_file(PSIM_BINARY, lone);
  auto missing = "need " + dir + "/psim-remote, which cannot start: No such file or directory";

  auto node = run_binary(lone, "node --check 127.0.0.1:1");
  CHECK(node.code == 1);
  CHECK(node.err.find(missing) != std::string::npos);

  auto run = run_binary(lone, "run scenarios/multi-node.toml -o '" + dir + "/run'");
  CHECK(run.code == 1);
  CHECK(run.err.find(missing) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/run"));

  // A run without [deployment] needs nothing beside psim.
  auto local = run_binary(lone, "run scenarios/quickstart.toml --quiet --set run.stop.updates=50 "
                                "-o '" + dir + "/local'");
  CHECK(local.code == 0);
  CHECK(std::filesystem::exists(dir + "/local/summary.json"));
}
