// Every scenario error of a file in one run, in the documented FILE:LINE:COL: key: message
// form, and run folders that work from any directory: relative data paths taken from
// the scenario's folder, and psim finding its own files without PSIM_HOME.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <vector>

using namespace psim::test;

namespace {

/// Runs `psim <args>` in the folder `dir` with PSIM_HOME unset, as a user of an
/// installed or freshly built psim would.
process_result run_psim_in(const std::string& dir, const std::string& args,
                           const std::string& binary = PSIM_BINARY) {
  auto logs = temp_folder("proc-in");
  auto cmd = "cd '" + dir + "' && env -u PSIM_HOME '" + binary + "' " + args + " >'" + logs
             + "/out' 2>'" + logs + "/err' </dev/null";
  auto status = std::system(cmd.c_str());
  process_result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(logs + "/out");
  r.err = read_text(logs + "/err");
  return r;
}

/// A CSV file of y = 2x + 1 and a scenario beside it that reads it as "d.csv".
std::string csv_scenario(const std::string& dir) {
  std::string rows = "x,y\n";
  for (int i = 0; i < 40; ++i)
    rows += std::to_string(i * 0.1) + "," + std::to_string(2 * i * 0.1 + 1) + "\n";
  write_text(dir + "/d.csv", rows);
  write_text(dir + "/s.toml", "[data]\nsource = \"csv\"\npath = \"d.csv\"\ntarget = \"y\"\n"
                              "[run]\nstop = { updates = 50 }\n[cluster]\nworkers = 2\n");
  return dir + "/s.toml";
}

} // namespace

TEST_SUITE("cli.errors") {

TEST_CASE("a file with three typos gives three errors in one run, in file order") {
  auto dir = temp_folder("three-typos");
  write_text(dir + "/bad.toml", "[training]\nmode = \"asynch\"\n[cluster]\nwrkers = 4\n"
                                "[network]\nlatency = \"10 parsecs\"\n");
  for (std::string command : {"check '" + dir + "/bad.toml'",
                              "run '" + dir + "/bad.toml' -o '" + dir + "/out'"}) {
    CAPTURE(command);
    auto r = run_psim(command);
    CHECK(r.code == 2);
    auto lines = lines_of(r.err);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].rfind("psim: error: " + dir + "/bad.toml:2:8: training.mode: found \"asynch\"",
                         0) == 0);
    CHECK(lines[1].rfind("psim: error: " + dir + "/bad.toml:4:1: cluster.wrkers: unknown key", 0)
          == 0);
    CHECK(lines[2].rfind("psim: error: " + dir + "/bad.toml:6:11: network.latency: found "
                         "\"10 parsecs\"", 0) == 0);
    CHECK(!std::filesystem::exists(dir + "/out"));
  }
}

TEST_CASE("--set errors stand at --set:N:COL, the N-th --set, after the file's") {
  auto dir = temp_folder("set-errors");
  write_text(dir + "/bad.toml", "seed = -1\n");
  auto r = run_psim("run '" + dir + "/bad.toml' --set cluster.workers=2 "
                    "--set training.lerning_rate=0.1 --set cluster.servers=0");
  CHECK(r.code == 2);
  auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("psim: error: " + dir + "/bad.toml:1:8: seed: found -1", 0) == 0);
  CHECK(lines[1].rfind("psim: error: --set:2:10: training.lerning_rate: unknown key", 0) == 0);
  CHECK(lines[2] == "psim: error: --set:3:17: cluster.servers: found 0; allowed: an integer in "
                    "[1, 1024]");
}

TEST_CASE("a key given twice is an error naming its dotted key") {
  auto dir = temp_folder("duplicate");
  write_text(dir + "/bad.toml", "[cluster]\nworkers = 2\nworkers = 3\n");
  auto r = run_psim("check '" + dir + "/bad.toml'");
  CHECK(r.code == 2);
  CHECK(r.err == "psim: error: " + dir + "/bad.toml:3:1: cluster.workers: found "
                 "\"cluster.workers\" a second time; allowed: each key and table once\n");
}

TEST_CASE("a data file's error stands at its own line and column, with the key data.path") {
  auto dir = temp_folder("data-error");
  write_text(dir + "/d.csv", "x,y\n1,2\n3,oops\n");
  write_text(dir + "/s.toml", "[data]\nsource = \"csv\"\npath = \"d.csv\"\ntarget = \"y\"\n");
  auto r = run_psim("check '" + dir + "/s.toml'");
  CHECK(r.code == 2);
  CHECK(r.err.rfind("psim: error: " + dir + "/d.csv:3:3: data.path: ", 0) == 0);
  CHECK(r.err.find("oops") != std::string::npos);
}

}

TEST_SUITE("cli.paths") {

TEST_CASE("a run folder reruns from another directory: data paths are resolved absolute") {
  auto data = temp_folder("anywhere-data");
  auto scenario = csv_scenario(data);
  auto elsewhere = temp_folder("anywhere-cwd");
  auto first = run_psim_in(elsewhere, "run '" + scenario + "' -o runs/a --quiet");
  CAPTURE(first.err);
  REQUIRE(first.code == 0);
  auto resolved = read_text(elsewhere + "/runs/a/scenario.toml");
  CHECK(resolved.find("path = \"" + data + "/d.csv\"") != std::string::npos);
  auto third = temp_folder("anywhere-again");
  auto again = run_psim_in(third, "run '" + elsewhere + "/runs/a/scenario.toml' -o b --quiet");
  CAPTURE(again.err);
  REQUIRE(again.code == 0);
  CHECK(metrics_without_wall(elsewhere + "/runs/a") == metrics_without_wall(third + "/b"));
}

TEST_CASE("without PSIM_HOME, psim finds data/mnist.bin, the quickstart and its plot scripts") {
  auto tmp = temp_folder("no-home");
  auto mnist = run_psim_in(tmp, "check '" PSIM_SOURCE_DIR "/scenarios/mnist-softmax.toml'");
  CAPTURE(mnist.err);
  CHECK(mnist.code == 0);
  CHECK(mnist.out.rfind("ok: ", 0) == 0);
  auto quick = run_psim_in(tmp, "run -o q --set run.stop='{updates=40}'");
  CAPTURE(quick.err);
  REQUIRE(quick.code == 0);
  CHECK(quick.out.rfind("psim: quickstart (", 0) == 0);
  CHECK(std::filesystem::exists(tmp + "/q/plot.png"));
}

TEST_CASE("an installed psim finds data/mnist.bin under <prefix>/share/psim") {
  namespace fs = std::filesystem;
  auto prefix = temp_folder("prefix");
  fs::create_directories(prefix + "/bin");
  fs::create_directories(prefix + "/share/psim/data");
  fs::copy_file(PSIM_BINARY, prefix + "/bin/psim");
  fs::create_symlink(PSIM_SOURCE_DIR "/data/mnist.bin", prefix + "/share/psim/data/mnist.bin");
  auto r = run_psim_in(prefix, "check '" PSIM_SOURCE_DIR "/scenarios/mnist-softmax.toml'",
                       prefix + "/bin/psim");
  CAPTURE(r.err);
  CHECK(r.code == 0);
  fs::remove(prefix + "/share/psim/data/mnist.bin");
  auto missing = run_psim_in(prefix, "check '" PSIM_SOURCE_DIR "/scenarios/mnist-softmax.toml'",
                             prefix + "/bin/psim");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("MNIST file not found") != std::string::npos);
}

}
