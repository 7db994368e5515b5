// Softmax cross-entropy over rows of logits, computed stably (the row maximum is
// subtracted before exponentiating) with whole-matrix Eigen expressions.
#include "sim/model/model_parts.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace psim::sim::detail {

namespace {

/// The class index `label` stands for; throws when it is not one of `classes`.
Eigen::Index class_of(double label, Eigen::Index classes) {
  auto index = static_cast<Eigen::Index>(label);
  if (!(label >= 0) || static_cast<double>(index) != label || index >= classes)
    throw std::out_of_range("label " + std::to_string(label) + " is not a class index in [0, "
                            + std::to_string(classes) + ")");
  return index;
}

} // namespace

double softmax_cross_entropy(Eigen::Ref<matrix> logits, const Eigen::Ref<const vector>& labels,
                             Eigen::Ref<vector> row_scratch) {
  const Eigen::Index n = logits.rows();
  if (n == 0)
    return 0;
  row_scratch = logits.rowwise().maxCoeff();
  logits.colwise() -= row_scratch;
  // The shifted logit of each row's true class, before the exponentials overwrite it.
  double true_logits = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    true_logits += logits(i, class_of(labels[i], logits.cols()));
  logits = logits.array().exp();
  row_scratch = logits.rowwise().sum();
  double log_partition = row_scratch.array().log().sum();
  logits.array().colwise() /= row_scratch.array();
  return (log_partition - true_logits) / static_cast<double>(n);
}

void cross_entropy_gradient(Eigen::Ref<matrix> probabilities,
                            const Eigen::Ref<const vector>& labels) {
  const Eigen::Index n = probabilities.rows();
  for (Eigen::Index i = 0; i < n; ++i)
    probabilities(i, class_of(labels[i], probabilities.cols())) -= 1;
  if (n > 0)
    probabilities /= static_cast<double>(n);
}

double argmax_accuracy(const Eigen::Ref<const matrix>& scores,
                       const Eigen::Ref<const vector>& labels) {
  const Eigen::Index n = scores.rows();
  if (n == 0)
    return 0;
  Eigen::Index correct = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::Index best = 0;
    scores.row(i).maxCoeff(&best);
    correct += static_cast<double>(best) == labels[i] ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

} // namespace psim::sim::detail
