// The defaults of the model interface, and the one table of model kinds that
// make_model and the scenario reader use.
#include "sim/model/model.hpp"

#include "sim/model/model_kinds.hpp"
#include "sim/model/model_parts.hpp"

#include <stdexcept>
#include <string>

namespace psim::sim {

Eigen::Index model::residual_size(const batch&) const { return 0; }

void model::residual(const parameters_view&, const batch&, Eigen::Ref<vector>) const {
  throw std::logic_error("this model's gradient on this batch has no residual form");
}

void model::gradient_part(const Eigen::Ref<const vector>& r, const batch& b, Eigen::Index begin,
                          Eigen::Ref<vector> out) const {
  detail::gradient_window w{begin, out};
  write_window(r, b, w);
}

void model::descend_part(const Eigen::Ref<const vector>& r, const batch& b, Eigen::Index begin,
                         double factor, double rate, const Eigen::Ref<const vector>& from,
                         Eigen::Ref<vector> to) const {
  if (from.size() != to.size())
    throw std::logic_error("a step from " + std::to_string(from.size()) + " parameters into "
                           + std::to_string(to.size()));
  detail::gradient_window w{begin, to, from.data(), rate, factor};
  write_window(r, b, w);
}

void model::write_window(const Eigen::Ref<const vector>&, const batch&,
                         detail::gradient_window&) const {
  throw std::logic_error("this model's gradient on this batch has no residual form");
}

double model::accuracy(const vector&, const batch&) const { return -1; }

vector model::initial_parameters(random_stream&) const {
  return vector::Zero(static_cast<Eigen::Index>(parameters()));
}

namespace {

/// A model kind: its name in scenario files and how to make one.
struct model_kind_entry {
  std::string_view name;
  std::unique_ptr<model> (*make)(const model_config&, std::size_t);
};

/// Every model kind; a new model is its file and one row here.
constexpr model_kind_entry model_kinds_table[] = {
  {"linear_regression", detail::make_linear_regression},
  {"logistic_regression", detail::make_logistic_regression},
  {"softmax_regression", detail::make_softmax_regression},
  {"mlp", detail::make_mlp},
};

} // namespace

std::vector<std::string_view> model_kinds() {
  std::vector<std::string_view> names;
  for (const auto& entry : model_kinds_table)
    names.push_back(entry.name);
  return names;
}

std::unique_ptr<model> make_model(const model_config& config, std::size_t features) {
  for (const auto& entry : model_kinds_table)
    if (entry.name == config.kind)
      return entry.make(config, features);
  std::string known;
  for (auto name : model_kinds())
    known += (known.empty() ? "" : ", ") + std::string(name);
  throw std::invalid_argument("unknown model kind \"" + config.kind + "\" (supported: "
                              + known + ")");
}

} // namespace psim::sim
