// The gradient messages a thread's big-model workers share (actors/worker/compute.cpp)
// go when a virtual run ends: a Python session's next run may be a small model.
#include "actors/runtime/runtime.hpp"
#include "actors/worker/worker.hpp"
#include "tests/support/big_model.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

using namespace psim;

TEST_SUITE("actors.thread_gradients") {

TEST_CASE("a virtual run of a big model leaves no gradient message on its thread") {
  // Workers that step their own gradient (local_update) write it whole, into the
  // thread's messages; the others push residuals and never fill the pool.
  auto text = test::big_model_scenario + "[run]\nstop = { updates = 20 }\n";
  text.insert(text.find("batch_size = 1\n"), "local_update = true\n");
  auto scn = sim::parse_scenario(text, "big-model.toml");
  actors::run_scenario(scn, actors::run_options{test::temp_folder("thread-gradients"), false});
  // An empty pool makes a new message, whose vector has never held a gradient.
  auto msg = actors::thread_gradients().take();
  CHECK(msg.get_as<actors::gradient_msg>(0).values.capacity() == 0);
}

}
