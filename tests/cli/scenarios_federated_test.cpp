// Federated and elastic training end to end (issue 13): H = 1 and C = N change nothing,
// the gradient counters add up under churn, sampling and local steps in every mode, and
// the three reproductions (FedAvg, the non-IID quagmire, churn) show their trends on
// small budgets.
#include "tests/support/expectations.hpp"
#include "tests/support/scenario_file.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace psim::test;

namespace {

// Column `name` of metrics.csv, row by row (empty cells as -1).
std::vector<double> column(const std::string& dir, const std::string& name) {
  std::istringstream in(read_text(dir + "/metrics.csv"));
  std::string line, cell;
  std::getline(in, line);
  std::istringstream header(line);
  std::size_t index = 0, found = 0;
  while (std::getline(header, cell, ','))
    if (cell == name)
      found = index;
    else
      ++index;
  std::vector<double> values;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    for (std::size_t i = 0; std::getline(row, cell, ','); ++i)
      if (i == found)
        values.push_back(cell.empty() ? -1 : std::stod(cell));
  }
  return values;
}

// The first version whose test accuracy reaches `target`; -1 when none does.
double versions_to(const std::string& dir, double target) {
  auto accuracy = column(dir, "test_accuracy");
  auto version = column(dir, "version");
  for (std::size_t i = 0; i < accuracy.size(); ++i)
    if (accuracy[i] >= target)
      return version[i];
  return -1;
}

double final_accuracy(const std::string& dir) {
  return read_summary(dir)["final"]["test_accuracy"].get<double>();
}

const std::string quickstart = "quickstart.toml";

} // namespace

TEST_SUITE("scenarios.federated") {

TEST_CASE("local_steps = 1 equals today's mode bitwise, whatever server_learning_rate") {
  for (std::string mode : {"sync", "async", "ssp", "ksync", "kasync"}) {
    CAPTURE(mode);
    std::string base = "--set training.mode=" + mode
                       + " --set training.k=3 --set run.stop={updates=300}";
    auto today = run_scenario_file(quickstart, base);
    auto one = run_scenario_file(quickstart, base + " --set training.local_steps=1"
                                                   " --set training.server_learning_rate=0.5");
    CHECK(metrics_without_wall(today) == metrics_without_wall(one));
    CHECK(read_summary(today)["params"] == read_summary(one)["params"]);
  }
}

TEST_CASE("participants = workers equals today's rounds bitwise") {
  for (std::string mode : {"sync", "ksync", "local_sgd"}) {
    CAPTURE(mode);
    std::string base = "--set training.mode=" + mode
                       + " --set training.k=3 --set run.stop={updates=200}";
    auto today = run_scenario_file(quickstart, base);
    auto all = run_scenario_file(quickstart, base + " --set cluster.participants=8");
    CHECK(metrics_without_wall(today) == metrics_without_wall(all));
  }
}

TEST_CASE("the counters add up under churn, sampling and local steps in every mode") {
  const std::string churn = " --set 'availability={up={dist=\"exponential\",mean=\"80ms\"},"
                            "down={dist=\"exponential\",mean=\"30ms\"}}' --set run.stop={time=1.5}";
  for (std::string mode : {"sync", "async", "ssp", "ksync", "kasync", "local_sgd"}) {
    for (std::string steps : {"1", "3"}) {
      CAPTURE(mode);
      CAPTURE(steps);
      bool rounds = mode == "sync" || mode == "ksync" || mode == "local_sgd";
      auto dir = run_scenario_file(quickstart,
                                   "--set training.mode=" + mode
                                     + " --set training.k=2 --set training.local_steps=" + steps
                                     + (rounds ? " --set cluster.participants=4" : "") + churn);
      auto s = read_summary(dir);
      check_conservation(s["gradients"]);
      CHECK(s["gradients"]["applied"].get<std::uint64_t>() > 0);
      std::uint64_t departures = 0;
      for (const auto& w : s["workers"]) {
        departures += w["departures"].get<std::uint64_t>();
        CHECK(w["online_share"].get<double>() > 0.3);
        CHECK(w["online_share"].get<double>() <= 1.0);
      }
      CHECK(departures > 8);
    }
  }
}

TEST_CASE("an availability trace takes workers offline and back, and events.csv says so") {
  auto dir = temp_folder("federated-trace");
  std::ofstream(dir + "/trace.csv") << "worker,time,state\n1,0.1,offline\n1,0.3,online\n";
  auto run = run_scenario_file(quickstart, "--set run.stop={time=0.5} --set trace.events=true"
                                           " --set 'availability.trace=\"" + dir + "/trace.csv\"'");
  auto s = read_summary(run);
  CHECK(s["workers"][1]["departures"] == 1);
  CHECK(s["workers"][1]["online_share"].get<double>() == doctest::Approx(0.6).epsilon(0.01));
  CHECK(s["workers"][0]["departures"] == 0);
  auto events = read_text(run + "/events.csv");
  CHECK(events.find("0.1,worker-1,offline") != std::string::npos);
  CHECK(events.find("0.3,worker-1,online") != std::string::npos);
  check_conservation(s["gradients"]);
}

TEST_CASE("fedavg-mnist: 8 local steps reach 0.85 test accuracy in far fewer rounds than 1") {
  // Full figure: 300 rounds, H = 1 needs 225 rounds, H = 8 50, H = 32 30.
  const std::string file = "fedavg-mnist.toml";
  auto fedsgd = run_scenario_file(file, "--set training.local_steps=1 --set run.stop={updates=80}");
  auto fedavg = run_scenario_file(file, "--set training.local_steps=8 --set run.stop={updates=80}");
  auto rounds = versions_to(fedavg, 0.85);
  CHECK(rounds > 0);
  CHECK(rounds <= 60);
  CHECK(versions_to(fedsgd, 0.85) == -1); // not within 80 rounds
  CHECK(read_summary(fedavg)["workers"].size() == 100);
}

TEST_CASE("noniid-quagmire: the gap to shuffled shards grows with skew and with H") {
  const std::string file = "noniid-quagmire.toml";
  const std::string budget = " --set run.stop={time=4} --set run.eval_every=1000";
  auto run = [&](const std::string& steps, const std::string& sharding) {
    return final_accuracy(
      run_scenario_file(file, "--set training.local_steps=" + steps + budget + " " + sharding));
  };
  const std::string shuffled = "--set data.sharding=\"shuffled\"";
  auto gap_1 = run("1", shuffled) - run("1", "--set data.skew_alpha=0.05");
  auto shuffled_32 = run("32", shuffled);
  auto gap_32 = shuffled_32 - run("32", "--set data.skew_alpha=0.05");
  auto mild_32 = shuffled_32 - run("32", "--set data.skew_alpha=100");
  CAPTURE(gap_1);
  CAPTURE(gap_32);
  CAPTURE(mild_32);
  CHECK(gap_32 > gap_1);
  CHECK(gap_32 > mild_32 + 0.02);
}

TEST_CASE("churn: async reaches the target first, sync with sampling and FedBuff later") {
  const std::string file = "churn.toml";
  const std::string budget = " --set run.stop={loss=0.45,time=300}";
  auto async = read_summary(run_scenario_file(file, budget));
  auto sync = read_summary(run_scenario_file(file, "--set training.mode=sync "
                                                   "--set cluster.participants=10"
                                                   " --set training.learning_rate=0.2" + budget));
  CHECK(async["stopped_by"] == "loss");
  CHECK(sync["stopped_by"] == "loss");
  CHECK(async["time_s"].get<double>() < sync["time_s"].get<double>());
  for (const auto* s : {&async, &sync})
    check_conservation((*s)["gradients"]);
}

}
