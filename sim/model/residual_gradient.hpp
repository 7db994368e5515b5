// A big model's one-row gradient carried as its residual (model::residual_size) and
// expanded a part at a time where it is used: a server steps θ by it, or adds it to a
// round, without the whole gradient ever being written to memory and read back; plain
// SGD steps θ in the very pass that computes each entry.
#pragma once

#include "sim/model/model.hpp"

#include <algorithm>

namespace psim::sim {

/// Entries a gradient is expanded by at a time: 64 KB, so that a part stays in the
/// second-level cache between being written and being read (of 2,048, 4,096 and 8,192
/// entries this was the fastest at d = 10^5: tools/bench --copies).
inline constexpr Eigen::Index gradient_part_entries = 8'192;

/// `factor` times the gradient that `m` writes from `residual` on the one row `rows`.
struct residual_gradient {
  const model& m;                   ///< the model it was computed with
  Eigen::Ref<const vector> residual; ///< model::residual on `rows`
  batch rows;                       ///< one training row
  double factor = 1;                ///< a scale (a staleness weight)

  /// Writes entries [begin, begin + out.size()) of factor × the gradient into `out`: the
  /// bits of `factor * g` for the whole gradient g.
  void write(Eigen::Index begin, Eigen::Ref<vector> out) const {
    m.gradient_part(residual, rows, begin, out);
    if (factor != 1)
      out *= factor;
  }

  /// Plain SGD's step by it, to = from - rate * factor × the gradient, in the pass that
  /// writes it (model::descend_part): the bits of write() and then the step.
  void descend(double rate, const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to) const {
    m.descend_part(residual, rows, 0, factor, rate, from, to);
  }
};

/// Calls `use(at, part)` for the parts of `g`'s `size` entries in order, each written
/// into `scratch` (sized here, once).
template <class Use>
void for_each_part(const residual_gradient& g, Eigen::Index size, vector& scratch, Use use) {
  if (scratch.size() < std::min(size, gradient_part_entries))
    scratch.resize(std::min(size, gradient_part_entries));
  for (Eigen::Index at = 0; at < size; at += gradient_part_entries) {
    auto part = scratch.head(std::min(gradient_part_entries, size - at));
    g.write(at, part);
    use(at, part);
  }
}

} // namespace psim::sim
