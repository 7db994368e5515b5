// Class labels: counting the distinct labels of a data file, and encoding labels as
// the class indices 0..K-1 that the classifiers expect.
#include "sim/data/data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace psim::sim {

std::size_t count_labels(const data_config& config) {
  std::vector<double> labels;
  if (config.source == "libsvm") {
    labels = libsvm_labels(config.path);
  } else {
    auto data = load_csv(config.path, config.target);
    labels.assign(data.y.begin(), data.y.end());
  }
  std::sort(labels.begin(), labels.end());
  return static_cast<std::size_t>(std::unique(labels.begin(), labels.end()) - labels.begin());
}

void encode_classes(vector& y, std::size_t classes) {
  std::vector<double> labels(y.begin(), y.end());
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (labels.size() > classes)
    throw data_error("", 0, 0,
                     fmt::format("the data has {} distinct labels but the model has {} classes",
                                 labels.size(), classes));
  auto k = static_cast<double>(classes);
  auto is_index = [k](double v) { return v >= 0 && v < k && v == std::floor(v); };
  if (std::all_of(labels.begin(), labels.end(), is_index))
    return;
  if (classes == 2 && labels.front() >= -1 && labels.back() <= 1
      && std::all_of(labels.begin(), labels.end(), [](double v) { return v == -1 || v == 1; })) {
    y = (y.array() > 0).cast<double>();
    return;
  }
  for (auto& v : y)
    v = static_cast<double>(std::lower_bound(labels.begin(), labels.end(), v) - labels.begin());
}

} // namespace psim::sim
