// The gradient messages a thread's big-model workers share (actors/worker/compute.cpp)
// go when a virtual run ends: a Python session's next run may be a small model.
#include "actors/runtime/runtime.hpp"
#include "actors/worker/worker.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

using namespace psim;

namespace {

// 100 classes x 99 features and 100 biases: 10,000 parameters, a big model.
const std::string big_model = R"(
seed = 3
[run]
stop = { updates = 20 }
[data]
generator = "blobs"
samples = 40
features = 99
centers = 4
[model]
kind = "softmax_regression"
classes = 100
[training]
mode = "async"
batch_size = 1
[cluster]
workers = 2
)";

} // namespace

TEST_SUITE("actors.thread_gradients") {

TEST_CASE("a virtual run of a big model leaves no gradient message on its thread") {
  auto scn = sim::parse_scenario(big_model, "big-model.toml");
  actors::run_scenario(scn, actors::run_options{test::temp_folder("thread-gradients"), false});
  // An empty pool makes a new message, whose vector has never held a gradient.
  auto msg = actors::thread_gradients().take();
  CHECK(msg.get_as<actors::gradient_msg>(0).values.capacity() == 0);
}

}
