// Tests of sim/scenario/data_keys.cpp: the [data] and [model] keys of issue 5 (sources,
// generators, label_skew, model kinds, hidden layers, classes), their defaults in the
// resolved text and the file, line, column and message of each mistake.
#include "sim/scenario/scenario.hpp"
#include "tests/support/scenario_error_of.hpp"
#include "tests/support/temp_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace psim::sim;
using psim::test::error_of;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("sim.scenario_data") {

TEST_CASE("mnist needs no file to be parsed and gives a softmax model 10 classes") {
  auto s = parse_scenario("[data]\nsource = \"mnist\"\n[model]\nkind = \"softmax_regression\"\n",
                          "s.toml");
  // The MNIST file psim has (here: the source tree's data/, found from the test binary).
  auto installed = std::filesystem::path(PSIM_SOURCE_DIR) / "data/mnist.bin";
  CHECK(s.data.path == installed.generic_string());
  CHECK(s.data.samples == 0);
  CHECK(s.model.classes == 10);
  CHECK(s.data.classes == 10);
  CHECK(contains(s.resolved, "path = \"" + s.data.path + "\""));
  CHECK(contains(s.resolved, "classes = 10"));
  auto some = parse_scenario("[data]\nsource = \"mnist\"\nsamples = 500\n", "s.toml");
  CHECK(some.data.samples == 500);
  CHECK(some.data.classes == 0); // linear regression on the digit values
}

TEST_CASE("a classifier on a libsvm file gets the file's distinct labels as classes") {
  psim::test::temp_dir dir;
  auto path = dir.write("three.svm", "1 1:1\n2 1:2\n3 2:1\n1 2:2\n");
  auto text = "[data]\nsource = \"libsvm\"\npath = \"" + path + "\"\n[model]\n";
  auto softmax = parse_scenario(text + "kind = \"softmax_regression\"\n", "s.toml");
  CHECK(softmax.model.classes == 3);
  CHECK(softmax.data.classes == 3);
  CHECK(contains(softmax.resolved, "classes = 3"));
  auto logistic = parse_scenario(text + "kind = \"logistic_regression\"\n", "s.toml");
  CHECK(logistic.data.classes == 2);
  auto regression = parse_scenario(text, "s.toml");
  CHECK(regression.data.classes == 0);
  auto given = parse_scenario(text + "kind = \"mlp\"\nclasses = 0\n", "s.toml");
  CHECK(given.model.classes == 0);
  auto missing = error_of("[data]\nsource = \"libsvm\"\n");
  CHECK(missing.key == "data.path");
  CHECK(contains(missing.what(), "source = \"libsvm\" needs the file to read"));
}

TEST_CASE("mlp keys: hidden widths, activation, defaults written out") {
  auto s = parse_scenario("[data]\ngenerator = \"blobs\"\ncenters = 4\n[model]\nkind = \"mlp\"\n",
                          "s.toml");
  CHECK(s.model.hidden == std::vector<std::size_t>{64});
  CHECK(s.model.activation == "relu");
  CHECK(s.model.classes == 4);
  CHECK(contains(s.resolved, "hidden = [ 64 ]"));
  auto deep = parse_scenario("[model]\nkind = \"mlp\"\nhidden = [8, 3]\nactivation = \"tanh\"\n",
                             "s.toml");
  CHECK(deep.model.hidden == std::vector<std::size_t>{8, 3});
  CHECK(deep.model.activation == "tanh");
  CHECK(deep.model.classes == 0); // synthetic linear data: a regression output
  auto zero = error_of("[model]\nkind = \"mlp\"\nhidden = [8, 0]\n");
  CHECK(zero.key == "model.hidden");
  CHECK(zero.line == 3);
  CHECK(zero.column == 14);
  CHECK(contains(zero.what(), "found 0 in the array; allowed: an array of integers in [1, "));
  CHECK(contains(error_of("[model]\nkind = \"mlp\"\nhidden = []\n").what(), "empty array"));
  CHECK(contains(error_of("[model]\nkind = \"mlp\"\nhidden = 8\n").what(), "found an integer"));
  auto foreign = error_of("[model]\nkind = \"softmax_regression\"\nhidden = [4]\n");
  CHECK(foreign.key == "model.hidden");
  CHECK(contains(foreign.what(),
                 "\"hidden\" is for kind = \"mlp\" (here kind = \"softmax_regression\")"));
  CHECK(error_of("[model]\nkind = \"mlp\"\nactivation = \"sigmoid\"\n").key == "model.activation");
}

TEST_CASE("classes must suit the model") {
  auto linear = error_of("[model]\nkind = \"softmax_regression\"\n");
  CHECK(linear.key == "model.kind");
  CHECK(contains(linear.what(), "softmax_regression needs class labels"));
  CHECK(error_of("[model]\nkind = \"logistic_regression\"\nclasses = 2\n").key == "model.classes");
  auto one = error_of("[model]\nkind = \"mlp\"\nclasses = 1\n");
  CHECK(one.key == "model.classes");
  CHECK(contains(one.what(), "0 (one linear output: regression) or an integer >= 2"));
  auto s = parse_scenario("[model]\nkind = \"softmax_regression\"\nclasses = 3\n", "s.toml");
  CHECK(s.model.classes == 3);
}

TEST_CASE("generators take only their own keys") {
  auto s = parse_scenario("[data]\ngenerator = \"logistic\"\nfeatures = 3\n", "s.toml");
  CHECK(s.data.generator == "logistic");
  CHECK(!contains(s.resolved, "noise"));
  auto noise = error_of("[data]\ngenerator = \"logistic\"\nnoise = 0.5\n");
  CHECK(contains(noise.what(),
                 "\"noise\" is for generator = \"linear\" | \"blobs\" (here generator = "
                 "\"logistic\")"));
  CHECK(error_of("[data]\ncenters = 3\n").key == "data.centers");
  CHECK(error_of("[data]\ngenerator = \"blobs\"\ncenters = 1\n").key == "data.centers");
  auto csv_samples = error_of("[data]\nsource = \"csv\"\npath = \"a.csv\"\nsamples = 10\n");
  CHECK(contains(csv_samples.what(),
                 "\"samples\" is for source = \"synthetic\" | \"mnist\" (here source = \"csv\")"));
}

TEST_CASE("label_skew takes skew_alpha > 0 and needs a classifier") {
  auto s = parse_scenario("[data]\ngenerator = \"blobs\"\nsharding = \"label_skew\"\n"
                          "[model]\nkind = \"softmax_regression\"\n",
                          "s.toml");
  CHECK(s.data.sharding == "label_skew");
  CHECK(s.data.skew_alpha == 0.5);
  CHECK(contains(s.resolved, "skew_alpha = 0.5"));
  auto zero = error_of("[data]\nsharding = \"label_skew\"\nskew_alpha = 0\n");
  CHECK(zero.key == "data.skew_alpha");
  CHECK(contains(zero.what(), "found 0; allowed: a number > 0"));
  auto regression = error_of("[data]\nsharding = \"label_skew\"\n");
  CHECK(regression.key == "model.kind");
  CHECK(contains(regression.what(), "data.sharding = \"label_skew\" needs class labels"));
  // Kept but unused with the other shardings, so --set can switch a scenario over.
  auto shuffled = parse_scenario("[data]\nsharding = \"shuffled\"\nskew_alpha = 0.1\n", "s.toml");
  CHECK(shuffled.data.sharding == "shuffled");
}

}
