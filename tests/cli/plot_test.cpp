// psim plot as a user meets it: every picture is checked through the data behind it
// (--describe: panels, series, labels, points), legends name what differs between
// runs, and mistakes (no such folder, not a run, no matplotlib) are clear errors.
#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace psim::test;

namespace {

// Sets an environment variable for the child processes of one test.
struct scoped_env {
  scoped_env(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~scoped_env() { unsetenv(name_); }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

private:
  const char* name_;
};

// A run folder written by hand: metrics with a test set and an accuracy column.
std::string handmade_run(const std::string& events = "") {
  auto dir = temp_folder("handmade");
  write_text(dir + "/metrics.csv",
             "time,wall,version,gradients,train_loss,test_loss,test_accuracy,staleness_mean\n"
             "0,0,0,0,0.69,0.70,0.5,\n"
             "1,0,10,10,0.40,0.45,0.8,0\n"
             "2,0,20,20,0.30,0.36,0.9,0\n");
  write_text(dir + "/summary.json",
             R"({"name": "hand", "seed": 1, "mode": "sync", "clock": "virtual",
                 "stopped_by": "updates", "version": 20,
                 "staleness": {"mean": 0, "max": 0, "histogram": [20]}})");
  write_text(dir + "/scenario.toml", "name = \"hand\"\n[model]\nkind = \"logistic_regression\"\n");
  if (!events.empty())
    write_text(dir + "/events.csv", "time,actor,event,peer,version,staleness,bytes\n" + events);
  return dir;
}

} // namespace

TEST_SUITE("cli.plot") {

TEST_CASE("a run's plot draws the train loss at every metrics row and its staleness histogram") {
  auto run = run_tiny(temp_folder("plot"));
  auto d = describe_plot("'" + run + "'");
  CHECK(d["output"] == run + "/plot.png");
  CHECK(is_png(run + "/plot.png"));
  REQUIRE(d["panels"].size() == 2);
  const auto& loss = panel(d, "loss");
  CHECK(loss["xlabel"] == "virtual time (s)");
  CHECK(loss["ylabel"] == "mean squared error");
  REQUIRE(loss["series"].size() == 1);
  const auto& train = loss["series"][0];
  CHECK(train["label"] == "train loss");
  auto rows = read_metrics(run);
  REQUIRE(train["points"] == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(train["x"][i].get<double>() == std::stod(rows[i]["time"]));
    CHECK(train["y"][i].get<double>() == std::stod(rows[i]["train_loss"]));
  }
  const auto& staleness = panel(d, "staleness");
  auto histogram = read_summary(run)["staleness"]["histogram"];
  REQUIRE(staleness["series"].size() == 1);
  const auto& bars = staleness["series"][0];
  CHECK(bars["points"] == histogram.size());
  double applied = 0, shares = 0;
  for (const auto& h : histogram)
    applied += h.get<double>();
  for (std::size_t k = 0; k < histogram.size(); ++k) {
    CHECK(bars["y"][k].get<double>() == doctest::Approx(histogram[k].get<double>() / applied));
    shares += bars["y"][k].get<double>();
  }
  CHECK(shares == doctest::Approx(1.0));
  CHECK(bars["label"].get<std::string>().rfind("mean ", 0) == 0);
}

TEST_CASE("--x version and --log put versions across and the loss on a log axis, as SVG") {
  auto run = run_tiny(temp_folder("plot"));
  auto out = temp_folder("svg") + "/loss.svg";
  auto d = describe_plot("'" + run + "' --x version --log -o '" + out + "'");
  CHECK(read_text(out).find("<svg") != std::string::npos);
  const auto& loss = panel(d, "loss");
  CHECK(loss["xlabel"] == "version (updates applied)");
  CHECK(loss["yscale"] == "log");
  auto rows = read_metrics(run);
  const auto& x = loss["series"][0]["x"];
  REQUIRE(x.size() == rows.size());
  CHECK(x.back().get<double>() == std::stod(rows.back()["version"]));
}

TEST_CASE("--y draws another metrics column instead of the losses") {
  auto run = run_tiny(temp_folder("plot"));
  auto d = describe_plot("'" + run + "' --y staleness_mean");
  const auto& p = panel(d, "staleness_mean");
  REQUIRE(p["series"].size() == 1);
  // the first row has no staleness (nothing applied before it): one point fewer
  CHECK(p["series"][0]["points"] == read_metrics(run).size() - 1);
  CHECK(d["panels"].size() == 2); // and the staleness histogram
}

TEST_CASE("a run with a test set shows the test loss dashed and the test accuracy") {
  auto d = describe_plot("'" + handmade_run() + "'");
  const auto& loss = panel(d, "loss");
  CHECK(loss["ylabel"] == "log-loss");
  REQUIRE(loss["series"].size() == 2);
  CHECK(loss["series"][0]["label"] == "train loss");
  CHECK(loss["series"][1]["label"] == "test loss");
  CHECK(loss["series"][1]["y"][2].get<double>() == doctest::Approx(0.36));
  const auto& accuracy = panel(d, "accuracy");
  REQUIRE(accuracy["series"].size() == 1);
  CHECK(accuracy["series"][0]["y"] == nlohmann::json::array({0.5, 0.8, 0.9}));
}

TEST_CASE("legends name each run by the scenario keys that differ between the runs") {
  auto base = temp_folder("legend");
  auto sync = run_tiny(base + "/sync", "--set training.mode=sync");
  auto async = run_tiny(base + "/async");
  auto async8 = run_tiny(base + "/async8", "--set cluster.workers=3");
  auto two = describe_plot("'" + sync + "' '" + async + "'");
  std::vector<std::string> labels;
  for (const auto& s : panel(two, "loss")["series"])
    labels.push_back(s["label"]);
  CHECK(labels == std::vector<std::string>{"mode=sync", "mode=async"});
  auto three = describe_plot("'" + sync + "' '" + async + "' '" + async8 + "'");
  labels.clear();
  for (const auto& s : panel(three, "staleness")["series"])
    labels.push_back(s["label"].get<std::string>().substr(0, s["label"].get<std::string>().find(" (")));
  CHECK(labels == std::vector<std::string>{"mode=sync, workers=2", "mode=async, workers=2",
                                          "mode=async, workers=3"});
  // runs of different scenarios are named by their scenario names
  auto named = describe_plot("'" + async + "' '" + handmade_run() + "'");
  CHECK(panel(named, "loss")["series"][0]["label"] == "tiny");
}

TEST_CASE("the worker timeline shows computing, communicating and the wait at a sync barrier") {
  // worker-0 computes 1 s, worker-1 3 s; each gradient takes 0.1 s to the server; the
  // server answers both at 3.1 s, 0.1 s each way: worker-0 waits from 1.1 s to 3.1 s.
  auto dir = handmade_run(
    "0,worker-0,compute_start,,0,,\n0,worker-1,compute_start,,0,,\n"
    "1,worker-0,compute_end,,0,,\n1,worker-0,send,server-0,0,,80\n"
    "1.1,server-0,deliver,worker-0,0,,80\n"
    "3,worker-1,compute_end,,0,,\n3,worker-1,send,server-0,0,,80\n"
    "3.1,server-0,deliver,worker-1,0,,80\n3.1,server-0,apply,worker-1,1,0,\n"
    "3.1,server-0,send,worker-0,1,,80\n3.1,server-0,send,worker-1,1,,80\n"
    "3.2,worker-0,deliver,server-0,1,,80\n3.2,worker-1,deliver,server-0,1,,80\n"
    "3.2,worker-0,compute_start,,1,,\n3.2,worker-1,compute_start,,1,,\n"
    "4,worker-1,crash,,,,\n4.2,worker-0,compute_end,,1,,\n");
  auto d = describe_plot("'" + dir + "'");
  const auto& timeline = panel(d, "timeline");
  CHECK(timeline["xlabel"] == "virtual time (s)");
  std::map<std::string, std::map<std::string, double>> total; // state -> worker -> seconds
  std::vector<std::string> states;
  for (const auto& s : timeline["series"]) {
    auto label = s["label"].get<std::string>();
    auto state = label.substr(0, label.find(' '));
    states.push_back(state);
    for (const auto& i : s["intervals"])
      total[state][i[0].get<std::string>()] += i[2].get<double>() - i[1].get<double>();
  }
  CHECK(states == std::vector<std::string>{"waiting", "communicating", "computing", "down"});
  CHECK(total["computing"]["worker-0"] == doctest::Approx(1.0 + 1.0));
  CHECK(total["communicating"]["worker-0"] == doctest::Approx(0.2));
  CHECK(total["waiting"]["worker-0"] == doctest::Approx(2.0));
  CHECK(total["computing"]["worker-1"] == doctest::Approx(3.0 + 0.8));
  CHECK(total["waiting"]["worker-1"] == doctest::Approx(0.0));
  CHECK(total["down"]["worker-1"] == doctest::Approx(0.2));
}

TEST_CASE("a long run's timeline shows the first fault, shaded, and --window picks another") {
  auto dir = temp_folder("plot") + "/crash";
  REQUIRE(run_psim("run scenarios/crash-and-recover.toml -o '" + dir
                   + "' --quiet --set trace.events=true").code == 0);
  auto worker_seconds = [](const nlohmann::json& timeline, const std::string& state) {
    std::map<std::string, double> out;
    for (const auto& s : timeline["series"])
      if (s["label"].get<std::string>().rfind(state + " ", 0) == 0)
        for (const auto& i : s["intervals"])
          out[i[0].get<std::string>()] += i[2].get<double>() - i[1].get<double>();
    return out;
  };
  // by default: around worker-2's crash (1 s to 2 s), which shows as down throughout
  auto first = describe_plot("'" + dir + "'");
  const auto& around = panel(first, "timeline");
  CHECK(around["title"].get<std::string>().find(" s to ") != std::string::npos);
  CHECK(worker_seconds(around, "down") == std::map<std::string, double>{{"worker-2", 1.0}});
  const auto& faults = around["series"].back();
  CHECK(faults["kind"] == "faults");
  CHECK(faults["intervals"] == nlohmann::json::parse(R"([["crash worker-2", 1.0, 2.0]])"));
  // --window 2.5:3.5: nobody down, the server's crash marked, every bar inside the window
  auto second = describe_plot("'" + dir + "' --window 2.5:3.5");
  const auto& later = panel(second, "timeline");
  CHECK(later["title"] == "worker timeline (2.5 s to 3.5 s of 4.997 s)");
  CHECK(worker_seconds(later, "down").empty());
  CHECK(later["series"].back()["intervals"]
        == nlohmann::json::parse(R"([["server_crash server-0", 3.0, 3.0]])"));
  for (const auto& s : later["series"])
    if (s["kind"] == "intervals")
      for (const auto& i : s["intervals"])
        CHECK((i[1].get<double>() >= 2.5 && i[2].get<double>() <= 3.5));
  auto bad = run_psim("plot '" + dir + "' --window 3:2");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("--window 3:2: expected START:END") != std::string::npos);
}

TEST_CASE("plotting a folder that does not exist is an error naming it") {
  auto r = run_psim("plot /nonexistent/run");
  CHECK(r.code == 2);
  CHECK(r.err == "psim: error: /nonexistent/run: no such folder\n");
}

TEST_CASE("plotting a folder that is not a run is an error saying what is missing") {
  auto dir = temp_folder("empty");
  auto r = run_psim("plot '" + dir + "'");
  CHECK(r.code == 2);
  CHECK(r.err.find(dir + ": not a run folder (no metrics.csv and summary.json)")
        != std::string::npos);
}

TEST_CASE("bad plot options are errors with exit 2") {
  auto run = run_tiny(temp_folder("plot"));
  auto jpg = run_psim("plot '" + run + "' -o x.jpg");
  CHECK(jpg.code == 2);
  CHECK(jpg.err.find("must end in .png, .svg or .pdf") != std::string::npos);
  auto x = run_psim("plot '" + run + "' --x epochs");
  CHECK(x.code == 2);
  CHECK(x.err.find("--x epochs: allowed: time | version | wall") != std::string::npos);
  auto y = run_psim("plot '" + run + "' --y nothing");
  CHECK(y.code == 2);
  CHECK(y.err.find("--y nothing") != std::string::npos);
  CHECK(!std::filesystem::exists(run + "/plot.png"));
}

TEST_CASE("without a python3 that has matplotlib, plot says what to install") {
  auto run = run_tiny(temp_folder("plot"));
  // a python3 that cannot see Debian's packages (-S: no site directories)
  auto bin = temp_folder("python");
  write_text(bin + "/python3", "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
  std::filesystem::permissions(bin + "/python3", std::filesystem::perms::owner_all);
  for (const auto& python : {bin + "/python3", std::string{"/nonexistent/python3"}}) {
    scoped_env env{"PSIM_PYTHON", python};
    auto r = run_psim("plot '" + run + "'");
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("psim: error: plot: no python3 with matplotlib (tried PSIM_PYTHON="
                     + python + ")") != std::string::npos);
    CHECK(r.err.find("apt-get install python3-matplotlib") != std::string::npos);
    CHECK(!std::filesystem::exists(run + "/plot.png"));
  }
}

TEST_CASE("a PSIM_HOME without the plotting script is an error saying to fix PSIM_HOME") {
  auto run = run_tiny(temp_folder("plot"));
  auto home = temp_folder("home");
  scoped_env env{"PSIM_HOME", home};
  auto r = run_psim("plot '" + run + "'");
  CHECK(r.code == 2);
  CHECK(r.err.find(home + "/tools/plot/psim_plot.py: the plotting script is missing; set PSIM_HOME")
        != std::string::npos);
}

TEST_CASE("the quickstart also writes its plot and says where") {
  auto dir = temp_folder("quickstart");
  auto r = run_psim("run -o '" + dir + "'");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  CHECK(is_png(dir + "/plot.png"));
  CHECK(r.out.find("plot           " + dir + "/plot.png") != std::string::npos);
}

} // TEST_SUITE

TEST_SUITE("cli.plot") {

TEST_CASE("a sparse series gets a marker on each point, a dense one a plain line") {
  auto sparse = run_tiny(temp_folder("plot-sparse"));
  REQUIRE(read_metrics(sparse).size() == 21);
  auto few = describe_plot("'" + sparse + "'");
  CHECK(panel(few, "loss")["series"][0]["marker"] == "o");
  auto dense = run_tiny(temp_folder("plot-dense"), "--set run.eval_every=2");
  REQUIRE(read_metrics(dense).size() == 101);
  auto many = describe_plot("'" + dense + "'");
  CHECK(panel(many, "loss")["series"][0]["marker"].is_null());
}

}
