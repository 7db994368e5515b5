// The keys training.sampling and trace.params: defaults written into the resolved
// scenario, every allowed form, and errors that say what is allowed.
#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace psim::sim;

namespace {

scenario parse(const std::string& text) { return parse_scenario(text, "s.toml"); }

/// The message of the error parsing `text`; fails the test when there is none.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const scenario_error& error) {
    return error.key + ": " + error.what();
  }
  FAIL("no scenario_error for: " << text);
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("sim.scenario.sampling_trace_keys") {

TEST_CASE("training.sampling defaults to reshuffle and takes each sampling by name") {
  auto s = parse("");
  CHECK(s.training.sampling == sampling_kind::reshuffle);
  CHECK(contains(s.resolved, "sampling = \"reshuffle\""));
  CHECK(parse("[training]\nsampling = \"replacement\"\n").training.sampling
        == sampling_kind::replacement);
  CHECK(parse("[training]\nsampling = \"blocks\"\n").training.sampling == sampling_kind::blocks);
  auto e = error_of("[training]\nsampling = \"shuffle\"\n");
  CHECK(contains(e, "training.sampling: "));
  CHECK(contains(e, "allowed: reshuffle | replacement | blocks"));
}

TEST_CASE("trace.params is off by default, true for every parameter, or a list of indices") {
  auto s = parse("");
  CHECK_FALSE(s.trace.params);
  CHECK(contains(s.resolved, "params = false"));
  auto all = parse("[trace]\nparams = true\n");
  CHECK(all.trace.params);
  CHECK(all.trace.param_indices.empty());
  auto some = parse("[trace]\nparams = [3, 1]\n");
  CHECK(some.trace.params);
  CHECK(some.trace.param_indices == std::vector<std::size_t>{3, 1});
  CHECK(contains(error_of("[trace]\nparams = []\n"),
                 "trace.params: found an array; allowed: true, false, or a non-empty array of "
                 "parameter indices"));
  CHECK(contains(error_of("[trace]\nparams = [-1]\n"), "trace.params"));
  CHECK(contains(error_of("[trace]\nparams = \"all\"\n"), "trace.params"));
}

}
