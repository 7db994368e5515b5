// The sharded-servers scenario runs through the command line and shows what its
// opening comment says.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

using namespace psim::test;

namespace {

const std::string scenario = "sharded-servers.toml";

} // namespace

TEST_SUITE("scenarios.shards") {

TEST_CASE("sharded-servers.toml: per-shard versions, skew under async, none under sync") {
  auto dir = temp_folder("shards");
  auto r = run_psim("run scenarios/" + scenario + " -o '" + dir + "' --quiet");
  REQUIRE(r.code == 0);
  auto s = read_summary(dir);
  REQUIRE(s["shards"].size() == 3);
  for (const auto& shard : s["shards"])
    CHECK(shard["version"] == 2000);
  CHECK(s["params"].size() == 33);
  CHECK(s["version_skew"]["mean"].get<double>() > 0.5);
  CHECK(s["final"]["train_loss"].get<double>() < 0.02);
  auto sync_dir = temp_folder("shards-sync");
  REQUIRE(run_psim("run scenarios/" + scenario + " -o '" + sync_dir
                   + "' --quiet --set training.mode=sync --set 'run.stop={updates=200}'")
            .code
          == 0);
  CHECK(read_summary(sync_dir)["version_skew"]["max"] == 0);
}

}
