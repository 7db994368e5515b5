// The optimizers and the one table that chooses among them: a new optimizer is a class
// here (or in its own file) and one row of `optimizers`.
#include "sim/training/optimizer.hpp"

#include <array>
#include <cmath>

namespace psim::sim {

namespace {

/// The common part of every optimizer: a copy of itself is its checkpoint.
template <class Derived>
class copyable : public optimizer {
public:
  std::unique_ptr<optimizer> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

/// θ ← θ − η d.
class sgd final : public copyable<sgd> {
public:
  void step_part(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                 const Eigen::Ref<const vector>& direction, double rate,
                 Eigen::Index) override {
    to = from - rate * direction;
  }

  bool plain() const override { return true; }
};

/// Heavy-ball momentum μ: v ← μ v + d; θ ← θ − η v.
class momentum final : public copyable<momentum> {
public:
  momentum(double mu, Eigen::Index size) : mu_(mu), velocity_(vector::Zero(size)) {}

  void step_part(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                 const Eigen::Ref<const vector>& direction, double rate,
                 Eigen::Index at) override {
    auto velocity = velocity_.segment(at, from.size());
    velocity = mu_ * velocity + direction;
    to = from - rate * velocity;
  }

private:
  double mu_;       // the momentum factor
  vector velocity_; // the running direction
};

/// Nesterov momentum μ (as PyTorch writes it): v ← μ v + d; θ ← θ − η (d + μ v).
class nesterov final : public copyable<nesterov> {
public:
  nesterov(double mu, Eigen::Index size) : mu_(mu), velocity_(vector::Zero(size)) {}

  void step_part(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                 const Eigen::Ref<const vector>& direction, double rate,
                 Eigen::Index at) override {
    auto velocity = velocity_.segment(at, from.size());
    velocity = mu_ * velocity + direction;
    to = from - rate * (direction + mu_ * velocity);
  }

private:
  double mu_;       // the momentum factor
  vector velocity_; // the running direction
};

/// Adam: m ← β1 m + (1−β1) d; s ← β2 s + (1−β2) d²; θ ← θ − η m̂ / (√ŝ + ε) with the
/// bias corrections m̂ = m / (1 − β1^t), ŝ = s / (1 − β2^t) after t steps.
class adam final : public copyable<adam> {
public:
  adam(const optimizer_settings& s, Eigen::Index size)
    : beta1_(s.beta1), beta2_(s.beta2), epsilon_(s.epsilon), first_(vector::Zero(size)),
      second_(vector::Zero(size)) {}

  void step_part(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                 const Eigen::Ref<const vector>& direction, double rate,
                 Eigen::Index at) override {
    auto first = first_.segment(at, from.size());
    auto second = second_.segment(at, from.size());
    first = beta1_ * first + (1 - beta1_) * direction;
    second = beta2_ * second + (1 - beta2_) * direction.cwiseProduct(direction);
    to.array() = from.array() - rate * (first.array() / c1_)
                                  / ((second.array() / c2_).sqrt() + epsilon_);
  }

  void begin_step() override {
    ++steps_;
    double t = static_cast<double>(steps_);
    c1_ = 1 - std::pow(beta1_, t);
    c2_ = 1 - std::pow(beta2_, t);
  }

private:
  double beta1_, beta2_, epsilon_;
  std::uint64_t steps_ = 0; // updates so far (t)
  double c1_ = 1, c2_ = 1;  // this update's bias corrections, 1 - β^t
  vector first_;            // m
  vector second_;           // s
};

/// RMSProp: s ← ρ s + (1−ρ) d²; θ ← θ − η d / (√s + ε).
class rmsprop final : public copyable<rmsprop> {
public:
  rmsprop(const optimizer_settings& s, Eigen::Index size)
    : rho_(s.rho), epsilon_(s.epsilon), square_(vector::Zero(size)) {}

  void step_part(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                 const Eigen::Ref<const vector>& direction, double rate,
                 Eigen::Index at) override {
    auto square = square_.segment(at, from.size());
    square = rho_ * square + (1 - rho_) * direction.cwiseProduct(direction);
    to.array() =
      from.array() - rate * direction.array() / (square.array().sqrt() + epsilon_);
  }

private:
  double rho_, epsilon_;
  vector square_; // the running mean square
};

/// AdaGrad: s ← s + d²; θ ← θ − η d / (√s + ε).
class adagrad final : public copyable<adagrad> {
public:
  adagrad(const optimizer_settings& s, Eigen::Index size)
    : epsilon_(s.epsilon), sum_(vector::Zero(size)) {}

  void step_part(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                 const Eigen::Ref<const vector>& direction, double rate,
                 Eigen::Index at) override {
    auto sum = sum_.segment(at, from.size());
    sum += direction.cwiseProduct(direction);
    to.array() =
      from.array() - rate * direction.array() / (sum.array().sqrt() + epsilon_);
  }

private:
  double epsilon_;
  vector sum_; // the sum of squares
};

/// One optimizer: its kind, its name and how to make it.
struct optimizer_entry {
  optimizer_kind kind;
  std::string_view name;
  std::unique_ptr<optimizer> (*make)(const optimizer_settings&, Eigen::Index size);
};

template <class T>
std::unique_ptr<optimizer> make_with_settings(const optimizer_settings& s, Eigen::Index size) {
  return std::make_unique<T>(s, size);
}

template <class T>
std::unique_ptr<optimizer> make_with_momentum(const optimizer_settings& s, Eigen::Index size) {
  return std::make_unique<T>(s.momentum, size);
}

std::unique_ptr<optimizer> make_sgd(const optimizer_settings&, Eigen::Index) {
  return std::make_unique<sgd>();
}

const std::array<optimizer_entry, 6> optimizers{{
  {optimizer_kind::sgd, "sgd", make_sgd},
  {optimizer_kind::momentum, "momentum", make_with_momentum<momentum>},
  {optimizer_kind::nesterov, "nesterov", make_with_momentum<nesterov>},
  {optimizer_kind::adam, "adam", make_with_settings<adam>},
  {optimizer_kind::rmsprop, "rmsprop", make_with_settings<rmsprop>},
  {optimizer_kind::adagrad, "adagrad", make_with_settings<adagrad>},
}};

const optimizer_entry& entry_of(optimizer_kind kind) {
  for (const auto& e : optimizers)
    if (e.kind == kind)
      return e;
  return optimizers.front();
}

} // namespace

std::string_view to_string(optimizer_kind kind) { return entry_of(kind).name; }

std::optional<optimizer_kind> optimizer_named(std::string_view name) {
  for (const auto& e : optimizers)
    if (e.name == name)
      return e.kind;
  return std::nullopt;
}

std::vector<std::string_view> optimizer_names() {
  std::vector<std::string_view> names;
  for (const auto& e : optimizers)
    names.push_back(e.name);
  return names;
}

std::unique_ptr<optimizer> make_optimizer(const optimizer_settings& settings, Eigen::Index size) {
  return entry_of(settings.kind).make(settings, size);
}

} // namespace psim::sim
