// Tests for actors/server/server_parameters.cpp: θ kept in the message that sends it is
// updated in place while nobody holds that message, else written into another buffer,
// and always equal, bit for bit, to the optimizer's own step on a vector, for every
// optimizer.
#include "actors/server/server_parameters.hpp"

#include <doctest/doctest.h>

#include <cstring>

using namespace psim;
using actors::params_msg;
using actors::server_parameters;

namespace {

const double* data_of(const caf::message& msg) {
  return msg.get_as<params_msg>(0).values.data();
}

bool same_bits(const Eigen::Ref<const sim::vector>& a, const Eigen::Ref<const sim::vector>& b) {
  return a.size() == b.size()
         && std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size()))
              == 0;
}

std::vector<double> initial() { return {0.5, -1.25, 3.0, 1e-3, -0.0}; }

sim::vector start() {
  auto v = initial();
  return Eigen::Map<const sim::vector>(v.data(), 5);
}

sim::vector direction(double scale) {
  return sim::vector{{0.3 * scale, -0.7 * scale, 1.1 * scale, 0.0, -2.5 * scale}};
}

} // namespace

TEST_SUITE("actors.server_parameters") {

TEST_CASE("sgd steps theta in place while no message holds it, as sgd's own step does") {
  auto sgd = sim::make_optimizer({}, 5);
  server_parameters theta{0, initial(), 4};
  sim::vector expected = theta.values();
  const auto* buffer = data_of(theta.current());
  for (int i = 1; i <= 3; ++i) {
    theta.step(*sgd, direction(i), 0.1);
    sgd->step(expected, direction(i), 0.1);
  }
  CHECK(data_of(theta.current()) == buffer);
  CHECK(same_bits(theta.values(), expected));
}

TEST_CASE("a step while a sent message holds theta leaves that message as it was") {
  auto sgd = sim::make_optimizer({}, 5);
  server_parameters theta{2, initial(), 4};
  auto sent = theta.message(7, 1, 100); // a worker still holds it
  theta.step(*sgd, direction(1), 0.5);
  sim::vector expected = start();
  sgd->step(expected, direction(1), 0.5);
  CHECK(data_of(theta.current()) != data_of(sent));
  CHECK(same_bits(Eigen::Map<const sim::vector>(data_of(sent), 5),
                  start()));
  CHECK(same_bits(theta.values(), expected));
  const auto& next = theta.message(8, 1, 200).get_as<params_msg>(0);
  CHECK(next.shard == 2);
  CHECK(next.version == 8);
  CHECK(sent.get_as<params_msg>(0).version == 7);
}

TEST_CASE("the buffer of a message its receivers let go of is reused") {
  auto sgd = sim::make_optimizer({}, 5);
  server_parameters theta{0, initial(), 4};
  auto first = theta.message(1, 0, 10);
  theta.step(*sgd, direction(1), 0.1); // into a second buffer: `first` is held
  auto second = theta.message(2, 0, 20);
  const auto* released = data_of(first);
  first = caf::message{};
  theta.step(*sgd, direction(2), 0.1); // `second` is held: back into the first buffer
  CHECK(data_of(theta.current()) == released);
}

TEST_CASE("one label, one message; a new label on a sent theta copies it") {
  server_parameters theta{0, initial(), 4};
  auto a = theta.message(3, 0, 50);
  auto b = theta.message(3, 0, 50);
  CHECK(data_of(a) == data_of(b));
  auto c = theta.message(3, 0, 60); // the same θ leaving later
  CHECK(data_of(c) != data_of(a));
  CHECK(a.get_as<params_msg>(0).at == 50);
  CHECK(c.get_as<params_msg>(0).at == 60);
  CHECK(same_bits(Eigen::Map<const sim::vector>(data_of(a), 5),
                  Eigen::Map<const sim::vector>(data_of(c), 5)));
}

TEST_CASE("every optimizer steps theta in place or into a free buffer, never through a copy") {
  // Bit for bit its own step on a vector, whether a sent message holds θ or not; in
  // place while none does.
  for (auto name : sim::optimizer_names()) {
    CAPTURE(name);
    sim::optimizer_settings settings;
    settings.kind = *sim::optimizer_named(name);
    auto opt = sim::make_optimizer(settings, 5);
    auto reference = opt->clone();
    server_parameters theta{0, initial(), 4};
    sim::vector expected = theta.values();
    for (int i = 1; i <= 6; ++i) {
      caf::message held;
      if (i % 2 == 0)
        held = theta.message(static_cast<std::uint64_t>(i), 0, i); // a worker holds it
      const auto* before = data_of(theta.current());
      theta.step(*opt, direction(i), 0.05);
      reference->step(expected, direction(i), 0.05);
      CHECK((data_of(theta.current()) == before) == held.empty());
      CHECK(same_bits(theta.values(), expected));
    }
    theta.assign(start());
    CHECK(same_bits(theta.values(), start()));
  }
}

} // TEST_SUITE
