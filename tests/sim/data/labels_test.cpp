// Tests for sim/data/labels.cpp: encoding labels as class indices and counting the
// distinct labels of data files.
#include "sim/data/data.hpp"
#include "tests/support/temp_files.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::data_error_of;
using psim::test::temp_dir;

TEST_SUITE("sim.labels") {

TEST_CASE("labels that already are class indices stay as they are") {
  vector y{{3.0, 0.0, 1.0, 3.0}};
  encode_classes(y, 10);
  CHECK(y == vector{{3.0, 0.0, 1.0, 3.0}});
  vector positive{{1.0, 1.0}};
  encode_classes(positive, 2);
  CHECK(positive == vector{{1.0, 1.0}});
}

TEST_CASE("-1/+1 labels of two classes become 0/1") {
  vector y{{-1.0, 1.0, 1.0, -1.0}};
  encode_classes(y, 2);
  CHECK(y == vector{{0.0, 1.0, 1.0, 0.0}});
  vector only_positive{{1.0, 1.0}};
  encode_classes(only_positive, 2);
  CHECK(only_positive == vector{{1.0, 1.0}});
}

TEST_CASE("other labels are numbered in increasing order") {
  vector y{{2.0, 3.0, 1.0, 3.0}}; // LIBSVM's 1..K numbering
  encode_classes(y, 3);
  CHECK(y == vector{{1.0, 2.0, 0.0, 2.0}});
  vector odd{{-7.5, 10.0, 0.25}};
  encode_classes(odd, 4);
  CHECK(odd == vector{{0.0, 2.0, 1.0}});
}

TEST_CASE("more distinct labels than classes is an error giving both numbers") {
  vector y{{0.0, 1.0, 2.0}};
  auto e = data_error_of([&] { encode_classes(y, 2); });
  CHECK(std::string(e.what()) == "the data has 3 distinct labels but the model has 2 classes");
}

TEST_CASE("the distinct labels of libsvm and csv files are counted") {
  temp_dir dir;
  data_config svm;
  svm.source = "libsvm";
  svm.path = dir.write("a.svm", "1 1:1\n3 1:2\n1 2:1\n2 1:0\n");
  CHECK(count_labels(svm) == 3);
  data_config csv;
  csv.source = "csv";
  csv.path = dir.write("a.csv", "x,y\n1,0.5\n2,0.5\n3,1.5\n");
  CHECK(count_labels(csv) == 2);
}

TEST_CASE("prepare_data encodes the labels of a classifier's data") {
  temp_dir dir;
  data_config config;
  config.source = "libsvm";
  config.path = dir.write("pm.svm", "-1 1:1\n+1 1:2\n-1 1:3\n");
  config.classes = 2;
  auto data = prepare_data(config, 1, 1);
  CHECK(data.classes == 2);
  CHECK(data.train.y == vector{{0.0, 1.0, 0.0}});
  config.classes = 0; // a regression model keeps the raw targets
  CHECK(prepare_data(config, 1, 1).train.y == vector{{-1.0, 1.0, -1.0}});
}

}
