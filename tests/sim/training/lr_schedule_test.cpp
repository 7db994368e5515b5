// Learning-rate schedules (sim/training/lr_schedule.hpp): each kind equals its formula
// computed directly, and the scenario reader fills the kind.
#include "sim/training/lr_schedule.hpp"

#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;

TEST_SUITE("sim.lr_schedule") {

TEST_CASE("constant keeps the base rate") {
  lr_schedule s;
  CHECK(s.at(0.2, 0) == 0.2);
  CHECK(s.at(0.2, 12345) == 0.2);
}

TEST_CASE("inverse_sqrt is lr / sqrt(1 + v / scale)") {
  lr_schedule s;
  s.kind = schedule_kind::inverse_sqrt;
  s.scale = 100;
  CHECK(s.at(0.2, 0) == 0.2);
  CHECK(s.at(0.2, 300) == 0.2 / 2.0);
  CHECK(s.at(0.2, 50) == 0.2 / std::sqrt(1.5));
}

TEST_CASE("step multiplies by factor every `every` versions") {
  lr_schedule s;
  s.kind = schedule_kind::step;
  s.every = 10;
  s.factor = 0.5;
  CHECK(s.at(0.2, 9) == 0.2);
  CHECK(s.at(0.2, 10) == 0.1);
  CHECK(s.at(0.2, 35) == 0.2 * 0.125);
}

TEST_CASE("the kind names read back") {
  for (const auto& [kind, name] : schedule_names)
    CHECK(schedule_kind_named(name) == kind);
  CHECK(!schedule_kind_named("cosine"));
}

TEST_CASE("the scenario reader fills the kind from a string or a table") {
  auto plain = parse_scenario("[training]\nlr_schedule = \"inverse_sqrt\"\n", "s.toml");
  CHECK(plain.training.schedule.kind == schedule_kind::inverse_sqrt);
  auto table = parse_scenario(
    "[training]\nlr_schedule = { kind = \"step\", every = 5, factor = 0.25 }\n", "s.toml");
  CHECK(table.training.schedule.kind == schedule_kind::step);
  CHECK(table.training.schedule.every == 5);
  CHECK(table.training.schedule.factor == 0.25);
}

TEST_CASE("training.on_failure reads as a policy and writes back as text") {
  auto waiting = parse_scenario("[training]\non_failure = \"wait\"\n", "s.toml");
  CHECK(waiting.training.on_failure == failure_policy::wait);
  CHECK(to_string(waiting.training.on_failure) == "wait");
  auto plain = parse_scenario("", "s.toml");
  CHECK(plain.training.on_failure == failure_policy::continue_live);
  CHECK(plain.resolved.find("on_failure = \"continue\"") != std::string::npos);
}

}
