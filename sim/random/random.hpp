// Reproducible random streams: one generator per named source, seeded from the run's
// seed and the source's name, so adding a source changes no other stream.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace psim::sim {

/// A xoshiro256** generator seeded from (seed, name); identical on every platform.
class random_stream {
public:
  /// Creates the stream named `name` of the run seeded with `seed`.
  random_stream(std::uint64_t seed, std::string_view name);

  /// Returns the next 64 random bits.
  std::uint64_t next();

  /// Returns a double uniform in [0, 1) with 53 random bits.
  double uniform();

  /// Returns a standard normal draw (Box-Muller, one draw per call).
  double normal();

  /// Returns an integer uniform in [0, n); n must be positive.
  std::uint64_t below(std::uint64_t n);

  /// Shuffles `xs` in place (Fisher-Yates).
  template <class T>
  void shuffle(std::vector<T>& xs) {
    for (std::size_t i = xs.size(); i > 1; --i)
      std::swap(xs[i - 1], xs[below(i)]);
  }

private:
  std::uint64_t state_[4];
};

} // namespace psim::sim
