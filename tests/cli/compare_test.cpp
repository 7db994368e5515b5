// psim compare: the table holds the scenario keys that differ and each run's outcomes
// as summary.json has them, on the terminal, as CSV and as Markdown.
#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace psim::test;

namespace {

// Runs of the tiny scenario: sync, async, and async with 3 workers.
std::vector<std::string> three_runs() {
  auto base = temp_folder("compare");
  return {run_tiny(base + "/sync", "--set training.mode=sync"), run_tiny(base + "/async"),
          run_tiny(base + "/async3", "--set cluster.workers=3")};
}

std::string quoted(const std::vector<std::string>& dirs) {
  std::string out;
  for (const auto& d : dirs)
    out += " '" + d + "'";
  return out;
}

// The CSV output as row name -> cells, one per run.
std::map<std::string, std::vector<std::string>> csv_rows(const std::string& text) {
  auto file = temp_folder("csv") + "/compare.csv";
  write_text(file, text);
  std::map<std::string, std::vector<std::string>> out;
  for (auto& row : read_csv(file))
    out[row["key"]] = {row["sync"], row["async"], row["async3"]};
  return out;
}

} // namespace

TEST_SUITE("cli.compare") {

TEST_CASE("compare --csv has a row per differing key and per outcome, a column per run") {
  auto runs = three_runs();
  auto r = run_psim("compare --csv" + quoted(runs));
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("key,sync,async,async3\n", 0) == 0);
  auto rows = csv_rows(r.out);
  CHECK(rows["training.mode"] == std::vector<std::string>{"sync", "async", "async"});
  CHECK(rows["cluster.workers"] == std::vector<std::string>{"2", "2", "3"});
  CHECK(rows.count("training.learning_rate") == 0); // the same in every run
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto s = read_summary(runs[i]);
    CHECK(rows["stopped_by"][i] == s["stopped_by"]);
    CHECK(std::stoll(rows["version"][i]) == s["version"].get<long long>());
    CHECK(std::stod(rows["train_loss"][i])
          == doctest::Approx(s["final"]["train_loss"].get<double>()).epsilon(1e-5));
    CHECK(rows["test_loss"][i].empty()); // none: no test set
    CHECK(std::stoll(rows["staleness_max"][i]) == s["staleness"]["max"].get<long long>());
    CHECK(std::stoll(rows["gradients_applied"][i]) == s["gradients"]["applied"].get<long long>());
    CHECK(std::stoll(rows["messages_sent"][i]) == s["messages"]["sent"].get<long long>());
    CHECK(std::stoll(rows["messages_resent"][i]) == s["messages"]["resent"].get<long long>());
    CHECK(std::stoll(rows["messages_ignored"][i]) == s["messages"]["ignored"].get<long long>());
    CHECK(rows["faults"][i].empty());
  }
}

TEST_CASE("compare on the terminal aligns the columns; --markdown writes a table") {
  auto runs = three_runs();
  auto text = run_psim("compare" + quoted(runs));
  REQUIRE(text.code == 0);
  std::istringstream lines{text.out};
  std::string header, mode;
  std::getline(lines, header);
  std::getline(lines, mode);
  // each run's column starts where its name starts in the header
  auto sync = header.find(" sync ") + 1, async = header.find(" async ") + 1,
       async3 = header.find(" async3");
  CHECK(header.rfind("key ", 0) == 0);
  CHECK(mode.rfind("training.mode ", 0) == 0);
  CHECK(mode.substr(sync, 5) == "sync ");
  CHECK(mode.substr(async, 6) == "async ");
  CHECK(mode.substr(async3 + 1) == "async");
  auto md = run_psim("compare --markdown" + quoted(runs));
  REQUIRE(md.code == 0);
  CHECK(md.out.rfind("| key | sync | async | async3 |\n|---|---|---|---|\n"
                     "| training.mode | sync | async | async |\n", 0) == 0);
}

TEST_CASE("compare lists each run's faults and crashes") {
  auto dir = temp_folder("compare") + "/crash";
  REQUIRE(run_psim("run scenarios/crash-and-recover.toml -o '" + dir + "' --quiet").code == 0);
  auto r = run_psim("compare --csv '" + dir + "' '" + run_tiny(temp_folder("compare")) + "'");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\ncrashes,1,0\n") != std::string::npos);
  CHECK(r.out.find("\nfaults,crash worker-2@1; server_crash server-0@3,\n") != std::string::npos);
}

TEST_CASE("compare refuses what is not a run folder, and two output styles at once") {
  auto missing = run_psim("compare /nonexistent/run");
  CHECK(missing.code == 2);
  CHECK(missing.err == "psim: error: /nonexistent/run: no such folder\n");
  auto run = run_tiny(temp_folder("compare"));
  auto both = run_psim("compare --csv --markdown '" + run + "'");
  CHECK(both.code == 2);
}

} // TEST_SUITE
