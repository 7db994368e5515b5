// Tests for sim/data/data.cpp: synthetic and CSV data, standardization, the test split,
// sharding and the shared cache.
#include "sim/data/data.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

using namespace psim::sim;
namespace fs = std::filesystem;

namespace {

/// A directory name no other test process picks at the same time.
std::string unique_dir_name(long long ticks, unsigned salt) {
  return "psim-data-test-" + std::to_string(ticks) + "-" + std::to_string(salt);
}

/// A fresh directory under the system's temp directory, removed at scope exit.
struct temp_dir {
  // Time and a random_device draw keep directories apart when ctest runs cases at once.
  fs::path path = fs::temp_directory_path()
                  / unique_dir_name(std::chrono::steady_clock::now().time_since_epoch().count(),
                                    std::random_device{}());
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }

  /// Writes `text` to the file `name` in the directory and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    auto file = (path / name).string();
    std::ofstream(file) << text;
    return file;
  }
};

/// A CSV whose column "id" tags each row with its 0-based index.
std::string tagged_csv(int rows) {
  std::string text = "id,value,y\n";
  for (int i = 0; i < rows; ++i)
    text += std::to_string(i) + "," + std::to_string(i * 0.5) + "," + std::to_string(2 * i) + "\n";
  return text;
}

/// The first feature of every row of `data`, sorted.
std::vector<double> sorted_tags(const dataset& data) {
  std::vector<double> tags(data.x.col(0).begin(), data.x.col(0).end());
  std::sort(tags.begin(), tags.end());
  return tags;
}

/// The data_error `action` throws; fails the test when it throws none.
data_error error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const data_error& e) {
    return e;
  }
  FAIL("no data_error was thrown");
  return data_error("", 0, 0, "");
}

} // namespace

TEST_SUITE("sim.data") {

TEST_CASE("least squares on linear data recovers the given weights and bias") {
  data_config config;
  config.samples = 2000;
  config.weights = {1.5, -2.0, 0.5};
  config.bias = 0.7;
  config.noise = 0.01;
  auto data = make_linear(config, 3);
  REQUIRE(data.rows() == 2000);
  REQUIRE(data.features() == 3);
  CHECK(data.x.minCoeff() >= 0.0);
  CHECK(data.x.maxCoeff() < 1.0);
  matrix design(2000, 4);
  design << data.x, vector::Ones(2000);
  vector fit = design.colPivHouseholderQr().solve(data.y);
  CHECK(std::abs(fit[0] - 1.5) < 0.01);
  CHECK(std::abs(fit[1] + 2.0) < 0.01);
  CHECK(std::abs(fit[2] - 0.5) < 0.01);
  CHECK(std::abs(fit[3] - 0.7) < 0.01);
}

TEST_CASE("the same seed gives identical data and another seed different data") {
  data_config config;
  config.samples = 100;
  config.features = 4; // weights drawn from the stream
  auto first = make_linear(config, 8);
  auto second = make_linear(config, 8);
  auto other = make_linear(config, 9);
  REQUIRE(first.features() == 4);
  CHECK(first.x == second.x);
  CHECK(first.y == second.y);
  CHECK(first.x != other.x);
}

TEST_CASE("shards cover every training row once and differ in size by at most one") {
  struct combo {
    std::size_t rows, workers;
    double test_fraction;
  };
  for (const combo& c : {combo{10, 3, 0}, combo{7, 7, 0}, combo{100, 8, 0.2},
                         combo{1000, 1, 0}, combo{13, 4, 0.25}, combo{101, 10, 0.1}}) {
    // Plain copies: older clang cannot capture structured bindings in INFO's lambda.
    std::size_t rows = c.rows;
    std::size_t workers = c.workers;
    double test_fraction = c.test_fraction;
    for (std::string sharding : {"contiguous", "shuffled"}) {
      INFO(rows, " rows, ", workers, " workers, test ", test_fraction, ", ", sharding);
      data_config config;
      config.samples = rows;
      config.features = 2;
      config.test_fraction = test_fraction;
      config.sharding = sharding;
      auto prepared = prepare_data(config, 21, workers);
      auto expected_test = static_cast<std::size_t>(std::llround(rows * test_fraction));
      CHECK(prepared.test.rows() == expected_test);
      CHECK(prepared.train.rows() == rows - expected_test);
      REQUIRE(prepared.shards.size() == workers);
      std::size_t next = 0;
      std::size_t smallest = rows;
      std::size_t largest = 0;
      for (const auto& s : prepared.shards) {
        CHECK(s.begin == next);
        next = s.begin + s.count;
        smallest = std::min(smallest, s.count);
        largest = std::max(largest, s.count);
      }
      CHECK(next == prepared.train.rows());
      CHECK(largest - smallest <= 1);
      CHECK(smallest >= 1);
      // Train and test rows together are the generated rows, each exactly once.
      auto all = make_linear(config, 21);
      dataset joined;
      joined.x.resize(static_cast<Eigen::Index>(rows), 2);
      joined.x << prepared.train.x, prepared.test.x;
      CHECK(sorted_tags(joined) == sorted_tags(all));
      if (test_fraction == 0 && sharding == "contiguous")
        CHECK(prepared.train.x == all.x);
      if (test_fraction == 0 && sharding == "shuffled" && rows >= 10)
        CHECK(prepared.train.x != all.x);
    }
  }
}

TEST_CASE("the test split holds out a disjoint random subset of the rows") {
  temp_dir dir;
  data_config config;
  config.source = "csv";
  config.path = dir.write("tagged.csv", tagged_csv(50));
  config.target = "y";
  config.test_fraction = 0.3;
  auto prepared = prepare_data(config, 4, 5);
  REQUIRE(prepared.test.rows() == 15);
  REQUIRE(prepared.train.rows() == 35);
  auto test_ids = sorted_tags(prepared.test);
  auto train_ids = sorted_tags(prepared.train);
  std::vector<double> both;
  std::set_intersection(test_ids.begin(), test_ids.end(), train_ids.begin(), train_ids.end(),
                        std::back_inserter(both));
  CHECK(both.empty());
  std::vector<double> every;
  std::merge(test_ids.begin(), test_ids.end(), train_ids.begin(), train_ids.end(),
             std::back_inserter(every));
  for (int i = 0; i < 50; ++i)
    REQUIRE(every[static_cast<std::size_t>(i)] == i);
  // The held-out rows are a random subset, not the first or last rows.
  CHECK(test_ids != std::vector<double>(every.begin(), every.begin() + 15));
  CHECK(test_ids != std::vector<double>(every.end() - 15, every.end()));
  // Targets stay with their rows.
  for (Eigen::Index i = 0; i < 15; ++i)
    CHECK(prepared.test.y[i] == 2 * prepared.test.x(i, 0));
}

TEST_CASE("too few training rows for the workers is an error giving both numbers") {
  data_config config;
  config.samples = 10;
  config.test_fraction = 0.5;
  auto e = error_of([&] { prepare_data(config, 1, 6); });
  CHECK(std::string(e.what()).find("5 training rows") != std::string::npos);
  CHECK(std::string(e.what()).find("6 workers") != std::string::npos);
}

TEST_CASE("an unsupported data source is reported by name") {
  data_config config;
  config.source = "parquet";
  auto e = error_of([&] { prepare_data(config, 1, 1); });
  CHECK(std::string(e.what()) == "data source parquet is not supported");
  CHECK(e.file.empty());
  CHECK(e.line == 0);
}

TEST_CASE("a CSV target may be a column name, an index or the last column") {
  temp_dir dir;
  auto path = dir.write("small.csv", "a, \"b\" ,c\n1,2,3\n 4 , 5 ,6\r\n\n7,8,9\n");
  auto by_name = load_csv(path, "b");
  REQUIRE(by_name.rows() == 3);
  CHECK(by_name.feature_names == std::vector<std::string>{"a", "c"});
  CHECK(by_name.y == vector{{2.0, 5.0, 8.0}});
  CHECK(by_name.x.row(1) == Eigen::RowVector2d(4, 6));
  auto by_index = load_csv(path, "0");
  CHECK(by_index.feature_names == std::vector<std::string>{"b", "c"});
  CHECK(by_index.y == vector{{1.0, 4.0, 7.0}});
  auto last = load_csv(path, "");
  CHECK(last.y == vector{{3.0, 6.0, 9.0}});
  // A column whose name looks like an index wins over the index.
  auto numbered = load_csv(dir.write("numbered.csv", "x,0,1\n1,2,3\n"), "0");
  CHECK(numbered.y[0] == 2.0);
}

TEST_CASE("a missing target column is an error naming it") {
  temp_dir dir;
  auto path = dir.write("small.csv", "a,b\n1,2\n");
  CHECK_THROWS_WITH_AS(load_csv(path, "price"), doctest::Contains("price"), data_error);
  CHECK_THROWS_WITH_AS(load_csv(path, "5"), doctest::Contains("out of range"), data_error);
}

TEST_CASE("a non-numeric cell is reported with its line and column") {
  temp_dir dir;
  auto path = dir.write("bad.csv", "a,b,y\n1,2,3\n4, abc,6\n");
  auto e = error_of([&] { load_csv(path, "y"); });
  CHECK(e.file == path);
  CHECK(e.line == 3);
  CHECK(e.column == 4);
  CHECK(std::string(e.what()) == "cell \"abc\" in column \"b\" is not a number");
}

TEST_CASE("malformed CSV files are data errors located where they go wrong") {
  temp_dir dir;
  auto ragged = error_of([&] { load_csv(dir.write("ragged.csv", "a,y\n1,2\n3\n"), ""); });
  CHECK(ragged.line == 3);
  auto missing = error_of([&] { load_csv((dir.path / "absent.csv").string(), ""); });
  CHECK(missing.line == 0);
  CHECK(std::string(missing.what()) == "cannot open file");
  CHECK_THROWS_AS(load_csv(dir.write("header.csv", "a,y\n"), ""), data_error);
  CHECK_THROWS_AS(load_csv(dir.write("empty.csv", ""), ""), data_error);
}

TEST_CASE("standardize gives every feature mean 0 and standard deviation 1") {
  temp_dir dir;
  auto path = dir.write("scale.csv", "a,b,k,y\n1,10,5,0\n2,30,5,0\n3,20,5,0\n10,-4,5,0\n");
  data_config config;
  config.source = "csv";
  config.path = path;
  config.standardize = true;
  auto prepared = prepare_data(config, 1, 1);
  const auto& x = prepared.train.x;
  for (Eigen::Index j = 0; j < 2; ++j) {
    double mean = x.col(j).mean();
    double spread = std::sqrt((x.col(j).array() - mean).square().mean());
    CHECK(std::abs(mean) < 1e-12);
    CHECK(spread == doctest::Approx(1.0));
  }
  CHECK(x.col(2).isZero(0)); // a constant column is only centred
}

TEST_CASE("shared_data prepares each configuration once") {
  data_config config;
  config.samples = 64;
  auto first = shared_data(config, 5, 4);
  auto again = shared_data(config, 5, 4);
  auto other_seed = shared_data(config, 5 + 1, 4);
  config.noise = 0.2;
  auto other_noise = shared_data(config, 5, 4);
  CHECK(first == again);
  CHECK(first != other_seed);
  CHECK(first != other_noise);
  CHECK(first->shards.size() == 4);
}

}

TEST_SUITE("sim.data") {

TEST_CASE("loaders read only regular files, so a device or a folder cannot hang or abort a run") {
  using psim::sim::data_error;
  CHECK_THROWS_AS(psim::sim::load_csv("/dev/zero", "y"), data_error);
  CHECK_THROWS_AS(psim::sim::load_libsvm("/dev/zero"), data_error);
  CHECK_THROWS_AS(psim::sim::load_mnist("/dev/zero"), data_error);
  CHECK_THROWS_AS(psim::sim::load_mnist("/tmp"), data_error);
  CHECK_THROWS_AS(psim::sim::load_csv("/tmp", "y"), data_error);
}

}
