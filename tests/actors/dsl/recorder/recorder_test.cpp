// The recorder at message level: one metrics row per whole point, with the loss of an
// independent computation; two shards' points make one row only once both came; events
// stamped with the time since the start; summary.json once every expected report came,
// and an output that cannot be written ends the run with the error.
#define CAF_SUITE actors.recorder
#include "actors/recorder/recorder.hpp"

#include "actors/cluster/cluster.hpp"
#include "tests/actors/dsl/fixture.hpp"
#include "tests/support/run_files.hpp"

#include <cmath>
#include <filesystem>

using namespace psim;
using namespace psim::actors;

namespace {

const std::string one_shard = R"(
seed = 5
[run]
stop = { updates = 2 }
[data]
samples = 40
features = 2
[cluster]
workers = 1
[trace]
events = true
)";

const std::string two_shards = R"(
seed = 5
[data]
samples = 40
features = 3
[cluster]
workers = 1
servers = 2
)";

struct fixture : test::actor_fixture {
  std::string dir = test::temp_folder("recorder");
  sim::scenario scn;
  std::shared_ptr<run_control> control;
  caf::actor rec;

  // Spawns a recorder of `toml` writing into `dir`.
  void start(const std::string& toml) {
    scn = sim::parse_scenario(toml, "recorder-test.toml");
    control = make_run_control(scn);
    rec = sys.spawn(recorder, control, scn.resolved, dir, expected_reports(scn));
    sched.run();
  }

  // The train loss of `theta`, computed row by row: mean of (x.w + b - y)^2.
  double squared_loss(const std::vector<double>& theta) const {
    const auto& train = sim::shared_data(scn.data, scn.seed, scn.cluster.workers)->train;
    double sum = 0;
    for (std::size_t i = 0; i < train.rows(); ++i) {
      auto row = static_cast<Eigen::Index>(i);
      double prediction = theta.back();
      for (std::size_t j = 0; j < train.features(); ++j)
        prediction += train.x(row, static_cast<Eigen::Index>(j)) * theta[j];
      sum += (prediction - train.y(row)) * (prediction - train.y(row));
    }
    return sum / static_cast<double>(train.rows());
  }

  // The server's report: version 2 at 0.5 s, two gradients of staleness 1, θ = (1, 2, 3).
  static server_report server_of_version_2() {
    server_report r;
    r.version = 2;
    r.applied_at = r.time = 0.5;
    r.staleness_histogram = {0, 2};
    r.params = {1, 2, 3};
    return r;
  }

  // Sends report `i` of the five a run of one worker and one server expects.
  void send_report(int i) {
    if (i == 0)
      self->send(rec, injector_report{});
    else if (i == 1)
      self->send(rec, worker_report{});
    else if (i == 2)
      self->send(rec, server_of_version_2());
    else
      self->send(rec, link_report{i == 3 ? "worker-0->server-0" : "server-0->worker-0", 4,
                                  0, 0, 256, 0, {}, {}, {}});
    sched.run();
  }

  // Sends all five reports.
  void send_reports() {
    for (int i = 0; i < 5; ++i)
      send_report(i);
  }
};

bool close_to(double x, double y) {
  return std::abs(x - y) <= 1e-12 * std::abs(y);
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(recorder_tests, fixture)

CAF_TEST(each point becomes one metrics row with the loss of its parameters) {
  start(one_shard);
  std::vector<double> theta{0.5, -0.25, 0.125};
  self->send(rec, metrics_point{0, 1, 0.5, 4, 3.0, 2, theta});
  expect((metrics_point), from(self).to(rec));
  auto rows = test::read_metrics(dir);
  CAF_REQUIRE_EQUAL(rows.size(), 1u);
  CAF_CHECK_EQUAL(rows[0]["time"], "0.5");
  CAF_CHECK_EQUAL(rows[0]["version"], "1");
  CAF_CHECK_EQUAL(rows[0]["gradients"], "4");
  CAF_CHECK_EQUAL(rows[0]["staleness_mean"], "1.5");
  CAF_CHECK(close_to(std::stod(rows[0]["train_loss"]), squared_loss(theta)));
  CAF_CHECK(!control->stop_requested());
  self->send(rec, metrics_point{0, 2, 0.75, 8, 0, 0, theta});
  expect((metrics_point), from(self).to(rec));
  CAF_CHECK_EQUAL(test::read_metrics(dir).size(), 2u);
  CAF_CHECK(control->stop_requested()); // run.stop.updates = 2
  CAF_CHECK(control->outcome().stopped_by == sim::stop_reason::updates);
}

CAF_TEST(two shards make one row only once both sent the version) {
  start(two_shards);
  self->send(rec, metrics_point{1, 1, 0.25, 5, 0, 0, {0.75, 0.125}});
  expect((metrics_point), from(self).to(rec));
  CAF_CHECK(test::read_metrics(dir).empty());
  self->send(rec, metrics_point{0, 1, 0.125, 4, 0, 0, {0.5, -0.25}});
  expect((metrics_point), from(self).to(rec));
  auto rows = test::read_metrics(dir);
  CAF_REQUIRE_EQUAL(rows.size(), 1u);
  CAF_CHECK_EQUAL(rows[0]["time"], "0.25");
  CAF_CHECK_EQUAL(rows[0]["gradients"], "4");
  CAF_CHECK(close_to(std::stod(rows[0]["train_loss"]), squared_loss({0.5, -0.25, 0.75, 0.125})));
}

CAF_TEST(the summary is written once every expected report came) {
  start(one_shard);
  self->send(rec, start_atom::value, caf::actor{});
  sched.run();
  advance_s(0.25);
  self->send(rec, event_msg{"worker-0", "send", "worker-0->server-0", 3, -1, 164});
  self->send(rec, metrics_point{0, 2, 0.5, 2, 0, 0, {0.5, -0.25, 0.125}});
  sched.run();
  for (int i = 0; i < 4; ++i)
    send_report(i);
  CAF_CHECK(!std::filesystem::exists(dir + "/summary.json"));
  CAF_CHECK(!control->outcome().summary);
  send_report(4);
  CAF_REQUIRE(std::filesystem::exists(dir + "/summary.json"));
  auto outcome = control->outcome();
  CAF_REQUIRE(outcome.summary);
  CAF_CHECK(outcome.error.empty());
  CAF_CHECK(outcome.summary->stopped_by == sim::stop_reason::updates);
  CAF_CHECK_EQUAL(outcome.summary->version, 2u);
  CAF_CHECK_EQUAL(outcome.summary->messages.sent, 8u);
  CAF_CHECK(close_to(*outcome.summary->train_loss, squared_loss({0.5, -0.25, 0.125})));
  auto written = test::read_summary(dir);
  CAF_CHECK_EQUAL(written["stopped_by"].get<std::string>(), "updates");
  CAF_CHECK_EQUAL(test::read_text(dir + "/events.csv"),
                  "time,actor,event,peer,version,staleness,bytes\n"
                  "0.25,worker-0,send,worker-0->server-0,3,,164\n");
  // A late report does not write it again.
  std::filesystem::remove(dir + "/summary.json");
  self->send(rec, link_report{});
  sched.run();
  CAF_CHECK(!std::filesystem::exists(dir + "/summary.json"));
}

CAF_TEST(a summary that cannot be written ends the run with the error) {
  std::filesystem::create_directories(dir + "/summary.json/inside");
  start(one_shard);
  send_reports();
  auto outcome = control->outcome();
  CAF_CHECK(!outcome.summary);
  CAF_CHECK(outcome.error.find("summary.json") != std::string::npos);
}

CAF_TEST(an events file that cannot be created fails the run at once) {
  std::filesystem::create_directories(dir + "/events.csv");
  start(one_shard);
  CAF_CHECK(control->stop_requested());
  CAF_CHECK(control->outcome().error.find("events.csv") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
