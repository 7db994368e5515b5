// Evaluation of a parameter vector on the whole training and test sets.
#include "sim/output/evaluation.hpp"

namespace psim::sim {

evaluation evaluate(const model& m, const prepared_data& data, const vector& params) {
  evaluation result;
  result.train_loss = m.loss(params, all_rows(data.train));
  if (data.test.rows() > 0) {
    auto test = all_rows(data.test);
    result.test_loss = m.loss(params, test);
    auto accuracy = m.accuracy(params, test);
    if (accuracy >= 0) // a negative accuracy means the model has none (regression)
      result.test_accuracy = accuracy;
  }
  return result;
}

} // namespace psim::sim
