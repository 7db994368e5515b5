// Tests that every model's gradient() allocates no memory once warmed up, nor does a warm
// gathered mini-batch: this test program counts the calls to malloc (passing them on to
// glibc) while a gradient runs.
// Under the sanitizers (PSIM_SANITIZE) it steps aside: ASan owns malloc there.
#include "sim/model/model.hpp"
#include "sim/training/sampling/minibatches.hpp"
#include "tests/sim/model/gradient_check.hpp"

#include <doctest/doctest.h>

#ifndef PSIM_SANITIZE

#include <atomic>
#include <cstddef>

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
}

namespace {

std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

void count() {
  if (counting.load(std::memory_order_relaxed))
    allocations.fetch_add(1, std::memory_order_relaxed);
}

/// Number of allocations `action` makes.
template <class Action>
long allocations_of(Action&& action) {
  allocations = 0;
  counting = true;
  action();
  counting = false;
  return allocations.load();
}

} // namespace

// Eigen, libstdc++'s operator new and everything else allocate through these.
extern "C" void* malloc(std::size_t size) {
  count();
  return __libc_malloc(size);
}

extern "C" void* calloc(std::size_t n, std::size_t size) {
  count();
  return __libc_calloc(n, size);
}

extern "C" void* realloc(void* pointer, std::size_t size) {
  count();
  return __libc_realloc(pointer, size);
}

using namespace psim::sim;

TEST_SUITE("sim.model_allocation") {

TEST_CASE("a warm gradient allocates nothing, whatever the batch size up to the largest") {
  std::vector<model_config> configs(5);
  configs[0].kind = "linear_regression";
  configs[1].kind = "logistic_regression";
  configs[2].kind = "softmax_regression";
  configs[2].classes = 4;
  configs[3].kind = "mlp";
  configs[3].hidden = {6, 5};
  configs[3].classes = 4;
  configs[4] = configs[3];
  configs[4].classes = 0;
  configs[4].activation = "tanh";
  for (auto& config : configs) {
    INFO(config.kind, " with ", config.classes, " classes");
    config.l2 = 0.1;
    auto data = psim::test::random_rows(24, 5, config.classes > 0 ? config.classes : 2, 1);
    auto m = make_model(config, 5);
    vector theta = psim::test::random_theta(m->parameters(), 2, 0.5);
    vector grad(theta.size());
    m->gradient(theta, all_rows(data), grad); // warm-up at the largest batch
    CHECK(allocations_of([&] { m->gradient(theta, rows_of(data, 0, 16), grad); }) == 0);
    CHECK(allocations_of([&] { m->gradient(theta, rows_of(data, 3, 24 - 3), grad); }) == 0);
    CHECK(allocations_of([&] { m->gradient(theta, all_rows(data), grad); }) == 0);
    // The counter does see allocations.
    CHECK(allocations_of([&] { vector copy = theta; CHECK(copy.size() > 0); }) >= 1);
  }
}

}

TEST_SUITE("sim.sampling_allocation") {

TEST_CASE("a warm shuffled mini-batch is gathered and its gradient taken without allocating") {
  model_config config;
  config.kind = "mlp";
  config.hidden = {6};
  config.classes = 3;
  auto data = psim::test::random_rows(40, 5, 3, 4);
  auto m = make_model(config, 5);
  vector theta = psim::test::random_theta(m->parameters(), 5, 0.5);
  vector grad(theta.size());
  for (auto kind : {sampling_kind::reshuffle, sampling_kind::replacement}) {
    INFO(to_string(kind));
    minibatches batches{kind, shard{4, 30}, 7, random_stream{3, "batches/worker-0"}};
    m->gradient(theta, batches.next(data), grad); // warm-up
    for (int step = 0; step < 10; ++step) // across epoch boundaries (30 rows, 7 a batch)
      CHECK(allocations_of([&] { m->gradient(theta, batches.next(data), grad); }) == 0);
  }
}

}

#endif // PSIM_SANITIZE
