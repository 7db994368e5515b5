// psim under signals at moments a test observes (issue 11): SIGKILL while events.csv
// fills leaves only whole rows; SIGINT while the data loads ends with exit 130.
#include "tests/support/background_psim.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

using namespace psim::test;

namespace {

// The number of cells of a CSV line without quoted commas (events.csv has none).
std::size_t cells(const std::string& line) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
}

} // namespace

TEST_SUITE("cli.signals") {

TEST_CASE("a run killed with SIGKILL while writing events.csv leaves only whole rows") {
  auto out = temp_folder("killed");
  background_psim psim{{"run", "scenarios/quickstart.toml", "--quiet", "-o", out, "--set",
                        "trace.events=true", "--set", "run.stop={updates=100000000}"}};
  // Several blocks of rows have reached the file: kill it in the middle of its work,
  // between two of its writes. (A SIGKILL that lands inside the kernel's copy of a block
  // can cut it at a page boundary: the kernel checks for fatal signals between pages, and
  // no writer can prevent that. The test used to kill as soon as the size passed 300 KB,
  // which it can see during a write, and failed in one of the fresh-clone CI runs.)
  REQUIRE(psim.wait_for_file(out + "/events.csv", 300 * 1024, std::chrono::seconds(60)));
  REQUIRE(psim.stop_between_writes());
  psim.signal(SIGKILL);
  CHECK(psim.wait(std::chrono::seconds(10)) == 128 + SIGKILL);
  auto text = read_text(out + "/events.csv");
  REQUIRE(text.size() >= 300 * 1024);
  CHECK(text.back() == '\n');
  std::istringstream lines{text};
  std::string header, line;
  std::getline(lines, header);
  std::size_t rows = 0, torn = 0;
  while (std::getline(lines, line)) {
    ++rows;
    if (cells(line) != cells(header))
      ++torn;
  }
  CHECK(rows > 1000);
  CHECK(torn == 0);
}

TEST_CASE("SIGINT while the data loads ends the run with exit 130 and a summary") {
  auto out = temp_folder("loading");
  auto toml = out + "/big.toml";
  // About a second of generating data on this machine, after the run folder is made.
  write_text(toml, "[run]\nstop = { updates = 100 }\n[data]\nsamples = 4000000\n"
                   "features = 40\n[cluster]\nworkers = 2\n");
  background_psim psim{{"run", toml, "--quiet", "-o", out + "/run"}};
  // scenario.toml is written just before the data is made.
  REQUIRE(psim.wait_for_file(out + "/run/scenario.toml", 1, std::chrono::seconds(60)));
  psim.signal(SIGINT);
  CHECK(psim.wait(std::chrono::seconds(60)) == 130);
  CAPTURE(psim.errors());
  auto s = read_summary(out + "/run");
  CHECK(s["stopped_by"] == "interrupted");
  CHECK(s["version"] == 0);
}

}
