// Tests for sim/data/libsvm.cpp: sparse lines into dense rows, comments and blank lines,
// the dense-size limit, and every kind of mistake located at line and column.
#include "sim/data/data.hpp"
#include "tests/support/temp_files.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace psim::sim;
using psim::test::data_error_of;
using psim::test::temp_dir;

TEST_SUITE("sim.libsvm") {

TEST_CASE("sparse lines become dense rows with zeros for absent indices") {
  temp_dir dir;
  auto path = dir.write("small.svm", "+1 1:0.5 3:-2\n"
                                     "-1 2:1e-1\t4:7 # a comment\n"
                                     "\n"
                                     "# a whole-line comment\n"
                                     "2\r\n");
  auto data = load_libsvm(path);
  REQUIRE(data.rows() == 3);
  REQUIRE(data.features() == 4);
  CHECK(data.y == vector{{1.0, -1.0, 2.0}});
  CHECK(data.x.row(0) == Eigen::RowVector4d(0.5, 0, -2, 0));
  CHECK(data.x.row(1) == Eigen::RowVector4d(0, 0.1, 0, 7));
  CHECK(data.x.row(2).isZero(0));
  CHECK(libsvm_labels(path) == std::vector<double>{1, -1, 2});
}

TEST_CASE("heart_scale from Debian's liblinear-tools reads as 270 rows of 13 features") {
  const std::string path = "/usr/share/doc/liblinear-tools/examples/heart_scale";
  if (!std::ifstream(path)) {
    MESSAGE("liblinear-tools is not installed; tools/install-deps installs it");
    return;
  }
  auto data = load_libsvm(path);
  CHECK(data.rows() == 270);
  CHECK(data.features() == 13);
  CHECK(((data.y.array() == 1) || (data.y.array() == -1)).all());
  CHECK(data.x.minCoeff() >= -1);
  CHECK(data.x.maxCoeff() <= 1);
}

TEST_CASE("mistakes are reported with file, line and column") {
  temp_dir dir;
  struct bad_file {
    std::string text;
    int line, column;
    std::string says;
  };
  for (const auto& bad : {
         bad_file{"1 1:2\nabc 1:2\n", 2, 1, "label \"abc\" is not a number"},
         bad_file{"1 1:2\n1  2:3 4\n", 2, 8, "found \"4\"; expected index:value"},
         bad_file{"1 0:2\n", 1, 3, "feature index \"0\" is not an integer in [1, "},
         bad_file{"1 x:2\n", 1, 3, "feature index \"x\" is not an integer"},
         bad_file{"1 -3:2\n", 1, 3, "feature index \"-3\" is not an integer"},
         bad_file{"1 2:1 2:3\n", 1, 7, "feature index 2 follows 2; indices must increase"},
         bad_file{"1 5:1 3:3\n", 1, 7, "feature index 3 follows 5"},
         bad_file{"\n\n-1 1:1 2:nan\n", 3, 10, "value \"nan\" of feature 2 is not a number"},
         bad_file{"1 1:\n", 1, 5, "value \"\" of feature 1 is not a number"},
       }) {
    INFO(bad.text);
    auto path = dir.write("bad.svm", bad.text);
    auto e = data_error_of([&] { load_libsvm(path); });
    CHECK(e.file == path);
    CHECK(e.line == bad.line);
    CHECK(e.column == bad.column);
    CHECK(std::string(e.what()).find(bad.says) != std::string::npos);
  }
}

TEST_CASE("a file without samples or features, or absent, is an error") {
  temp_dir dir;
  auto empty = data_error_of([&] { load_libsvm(dir.write("empty.svm", "# nothing\n\n")); });
  CHECK(std::string(empty.what()).find("no samples") != std::string::npos);
  auto labels_only = data_error_of([&] { load_libsvm(dir.write("labels.svm", "1\n-1\n")); });
  CHECK(std::string(labels_only.what()).find("no features") != std::string::npos);
  auto absent = data_error_of([&] { load_libsvm((dir.path / "absent.svm").string()); });
  CHECK(std::string(absent.what()) == "cannot open file");
  CHECK(absent.line == 0);
}

TEST_CASE("more than 10^8 dense values is refused before allocating them") {
  temp_dir dir;
  // Two rows and a largest index of 60,000,000: 1.2e8 values.
  auto path = dir.write("wide.svm", "1 1:1\n-1 60000000:1\n");
  auto e = data_error_of([&] { load_libsvm(path); });
  CHECK(e.file == path);
  CHECK(std::string(e.what()).find("2 rows x 60000000 features") != std::string::npos);
  CHECK(std::string(e.what()).find("at most 1e8") != std::string::npos);
}

}
