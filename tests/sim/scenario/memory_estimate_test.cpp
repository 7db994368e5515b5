// The memory estimate (sim/scenario/memory_estimate): exact bytes for known sizes, and
// a run larger than the machine refused at the key that dominates.
#include "sim/scenario/memory_estimate.hpp"
#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

using namespace psim;

TEST_SUITE("sim.memory_estimate") {

TEST_CASE("every part of the estimate counts its buffers exactly") {
  sim::memory_inputs in;
  in.rows = 1000;
  in.features = 9;
  in.parameters = 10;
  in.workers = 4;
  in.batch = 50;
  in.widths = 10;
  in.metrics_rows = 100;
  auto e = sim::estimate_memory(in);
  CHECK(e.data == 1000 * 10 * 8);
  CHECK(e.workers == 4 * (4 * 10 * 8 + 50 * 10 * 8 * 2));
  CHECK(e.servers == 4 * 10 * 8 + 1000 * 10 * 8 * 2);
  CHECK(e.messages == 4 * 10 * 8 * 4);
  CHECK(e.metrics == 100 * 256);
  CHECK(e.total() == e.data + e.workers + e.servers + e.messages + e.metrics);
  CHECK(e.dominant_key("data.features") == "data.features");
}

TEST_CASE("the inputs of a scenario: rows, features and the model's parameters") {
  auto scn = sim::parse_scenario("[data]\nsamples = 500\nfeatures = 7\n[model]\nkind = \"mlp\"\n"
                                 "hidden = [16, 8]\nclasses = 3\n",
                                 "mlp.toml");
  auto in = sim::memory_inputs_of(scn);
  CHECK(in.rows == 500);
  CHECK(in.features == 7);
  CHECK(in.parameters == 16 * 8 + 8 * 17 + 3 * 9); // (7+1)x16, (16+1)x8, (8+1)x3
  CHECK(in.widths == 7 + 16 + 8 + 3);
  CHECK(sim::model_size_key(scn) == "model.hidden");
}

TEST_CASE("a run larger than the machine is a scenario error at the dominant key") {
  auto text = std::string{"[data]\nsamples = 1000\nfeatures = 1000\n"};
  auto scn = sim::parse_scenario(text, "big.toml");
  toml::table root = toml::parse(std::string_view{text}, std::string_view{"big.toml"});
  try {
    sim::check_memory(scn, root, 1000000);
    FAIL("no error");
  } catch (const sim::scenario_error& e) {
    CHECK(e.key == "data.samples");
    CHECK(e.line == 2);
    CHECK(std::string{e.what()}.find("the run needs about 8.") == 0);
    CHECK(std::string{e.what()}.find("more than the 1.0 MB this machine has") != std::string::npos);
  }
  CHECK_NOTHROW(sim::check_memory(scn, root, 0));
}

TEST_CASE("sizes are written in B, KB, MB and GB") {
  CHECK(sim::memory_text(512) == "512 B");
  CHECK(sim::memory_text(12'000'000'000) == "12 GB");
  CHECK(sim::memory_text(1'500'000) == "1.5 MB");
}

}
