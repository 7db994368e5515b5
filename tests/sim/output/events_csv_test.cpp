// events.csv: the contract's columns, empty cells for values an event has none of, and
// a failed open reported like metrics.csv's.
#include "sim/output/events_csv.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace psim;

TEST_SUITE("sim.output.events_csv") {

TEST_CASE("events are written with empty cells for missing values") {
  auto dir = test::temp_folder("events");
  {
    sim::events_csv w{dir + "/events.csv"};
    w.write(sim::event_row{0.25, "worker-1", "send", "worker-1->server-0", 3, -1, 164});
    w.write(sim::event_row{0.5, "server-0", "apply", "", 4, 2, 0});
  }
  CHECK(test::read_text(dir + "/events.csv")
        == "time,actor,event,peer,version,staleness,bytes\n"
           "0.25,worker-1,send,worker-1->server-0,3,,164\n"
           "0.5,server-0,apply,,4,2,\n");
}

TEST_CASE("an events file that cannot be created is an error naming it") {
  auto dir = test::temp_folder("events-missing");
  auto path = dir + "/no-such-folder/events.csv";
  CHECK_THROWS_WITH_AS(sim::events_csv{path}, doctest::Contains(path.c_str()), std::runtime_error);
}

}
