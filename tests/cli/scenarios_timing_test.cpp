// scenarios/resnet50-timing.toml through the command line: with model.wire_bytes the
// links carry ResNet-50-sized messages, and the round times equal the closed forms of
// DESIGN §4's link model exactly, in virtual time.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>

using namespace psim::test;

namespace {

const std::string file = "resnet50-timing.toml";

// Nanoseconds of `seconds`, rounded as psim rounds every modelled duration.
std::int64_t ns(double seconds) {
  return std::llround(seconds * 1e9);
}

// The scenario's numbers: 100 ms compute, 50 us latency, 10 Gbit/s, 102.4 MB, 64 workers;
// the ring's vector (63 parameters and the batch weight) is cut into 64 chunks of one value.
constexpr double compute = 0.1, latency = 50e-6, bandwidth = 1.25e9, payload = 102'400'000;
constexpr int workers = 64;

// Runs the scenario with `extra` arguments; every metrics row with a version > 0 must be
// at version x `round_ns`.
void check_rounds(const std::string& extra, std::int64_t round_ns) {
  auto dir = temp_folder("timing");
  auto r = run_psim("run scenarios/" + file + " -o '" + dir + "' --quiet " + extra);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  auto rows = read_metrics(dir);
  std::size_t checked = 0;
  for (const auto& row : rows) {
    auto version = std::stoll(row.at("version"));
    if (version == 0)
      continue;
    CAPTURE(version);
    CHECK(std::stod(row.at("time")) == static_cast<double>(version * round_ns) / 1e9);
    ++checked;
  }
  CHECK(checked >= 15); // 5 s of rounds of about 265 ms
}

} // namespace

TEST_SUITE("scenarios.timing") {

TEST_CASE("resnet50-timing.toml: a sync round is compute + 2 x (latency + bytes/bandwidth)") {
  auto transmit = ns((64 + payload) / bandwidth); // one whole vector and its header
  check_rounds("", ns(compute) + 2 * (ns(latency) + transmit));
}

TEST_CASE("resnet50-timing.toml: an allreduce round is compute + 2(N-1) ring steps") {
  auto chunk = ns((64 + payload / workers) / bandwidth); // 1/N of the wire size per step
  check_rounds("--set training.mode=allreduce",
               ns(compute) + 2 * (workers - 1) * (ns(latency) + chunk));
}

TEST_CASE("resnet50-timing.toml: every message counts the wire size, not its 64 doubles") {
  auto dir = temp_folder("timing");
  auto r = run_psim("run scenarios/" + file + " -o '" + dir
                    + "' --quiet --set 'run.stop={updates=2}'");
  REQUIRE(r.code == 0);
  auto s = read_summary(dir);
  auto sent = s["messages"]["sent"].get<std::uint64_t>();
  CHECK(sent == 4 * workers); // two broadcasts, two rounds of gradients (none after the budget)
  CHECK(s["messages"]["bytes"].get<std::uint64_t>() == sent * (64 + 102'400'000));
}

TEST_CASE("resnet50-timing.toml: events.csv's send rows carry the wire size too") {
  auto dir = temp_folder("timing");
  auto r = run_psim("run scenarios/" + file + " -o '" + dir
                    + "' --quiet --set 'run.stop={updates=2}' --set trace.events=true");
  REQUIRE(r.code == 0);
  std::istringstream events(read_text(dir + "/events.csv"));
  std::string line;
  std::size_t sends = 0;
  while (std::getline(events, line)) {
    if (line.find(",send,") == std::string::npos)
      continue;
    CAPTURE(line);
    CHECK(line.substr(line.rfind(',') + 1) == "102400064"); // 64 + model.wire_bytes
    ++sends;
  }
  CHECK(sends == 4 * workers); // the sends summary.json counts
}

} // TEST_SUITE
