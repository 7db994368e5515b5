// The optimizers and the one table that chooses among them: a new optimizer is a class
// here (or in its own file) and one row of `optimizers`.
#include "sim/training/optimizer.hpp"

#include <array>

namespace psim::sim {

namespace {

/// θ ← θ − η d.
class sgd final : public optimizer {
public:
  void step(vector& theta, const Eigen::Ref<const vector>& direction, double rate) override {
    theta -= rate * direction;
  }

  void reset() override {}
};

/// Heavy-ball momentum μ: v ← μ v + d; θ ← θ − η v.
class momentum final : public optimizer {
public:
  momentum(double mu, Eigen::Index size) : mu_(mu), velocity_(vector::Zero(size)) {}

  void step(vector& theta, const Eigen::Ref<const vector>& direction, double rate) override {
    velocity_ = mu_ * velocity_ + direction;
    theta -= rate * velocity_;
  }

  void reset() override { velocity_.setZero(); }

private:
  double mu_;       // the momentum factor
  vector velocity_; // the running direction
};

/// One optimizer: its kind, its name and how to make it.
struct optimizer_entry {
  optimizer_kind kind;
  std::string_view name;
  std::unique_ptr<optimizer> (*make)(const optimizer_settings&, Eigen::Index size);
};

const std::array<optimizer_entry, 2> optimizers{{
  {optimizer_kind::sgd, "sgd",
   [](const optimizer_settings&, Eigen::Index) -> std::unique_ptr<optimizer> {
     return std::make_unique<sgd>();
   }},
  {optimizer_kind::momentum, "momentum",
   [](const optimizer_settings& s, Eigen::Index size) -> std::unique_ptr<optimizer> {
     return std::make_unique<momentum>(s.momentum, size);
   }},
}};

const optimizer_entry& entry_of(optimizer_kind kind) {
  for (const auto& e : optimizers)
    if (e.kind == kind)
      return e;
  return optimizers.front();
}

} // namespace

optimizer_kind optimizer_of(const optimizer_settings& settings) {
  return settings.momentum > 0 ? optimizer_kind::momentum : optimizer_kind::sgd;
}

std::string_view to_string(optimizer_kind kind) { return entry_of(kind).name; }

std::unique_ptr<optimizer> make_optimizer(optimizer_kind kind, const optimizer_settings& settings,
                                          Eigen::Index size) {
  return entry_of(kind).make(settings, size);
}

} // namespace psim::sim
