// The real clock's lag: how late timed events were handled against the times the model
// meant for them, kept in a fixed log-bucket histogram (4 buckets per power of two).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace psim::sim {

/// p50, p99 and the largest lag, in seconds.
struct lag_quantiles {
  std::uint64_t events = 0; ///< timed events measured
  double p50 = 0;           ///< median lag (the middle of its bucket)
  double p99 = 0;           ///< 99th percentile (the middle of its bucket)
  double max = 0;           ///< the largest lag, exact
};

/// How a real-clock run kept the model's time, judged from its lag.
enum class lag_verdict {
  on_time,     ///< p99 at most the smallest modelled duration
  may_reorder, ///< p99 above it: events that close in model time can swap
  fell_behind, ///< p99 above it and above 1 % of the run: a backlog grew
};

/// The verdict on a run of `time_s` seconds whose smallest modelled duration (mean
/// compute time, mean latency) is `reference_s`; 0 means none known.
lag_verdict judge_lag(const lag_quantiles& q, double time_s, double reference_s);

/// "on_time", "may_reorder" or "fell_behind": summary.json's `lag.verdict`.
const char* to_string(lag_verdict v);

/// A streaming lag histogram: adding a value is O(1) and allocates nothing; an empty
/// histogram (the virtual clock's) holds no storage at all.
class lag_histogram {
public:
  /// Buckets: 0..3 ns exactly, then 4 per power of two up to 2^64 ns.
  static constexpr std::size_t buckets = 252;

  /// Allocates the buckets; until then add() is not allowed and values() is empty.
  void enable();

  /// True once enable() was called (or something was merged in).
  bool enabled() const { return !values_.empty(); }

  /// Counts one event handled `ns` nanoseconds late.
  void add(std::uint64_t ns) {
    ++values_[bucket_of(ns)];
    if (ns > values_[buckets])
      values_[buckets] = ns;
  }

  /// Adds the counts of another histogram's values(); an empty one adds nothing.
  void merge(const std::vector<std::uint64_t>& other);

  /// The transport form: the bucket counts, then the largest value (ns).
  const std::vector<std::uint64_t>& values() const { return values_; }

  /// The quantiles, or none when nothing was measured.
  std::optional<lag_quantiles> quantiles() const;

  /// The bucket that holds `ns`.
  static std::size_t bucket_of(std::uint64_t ns);

  /// The smallest value of bucket `b`.
  static std::uint64_t lower_bound(std::size_t b);

  /// One past the largest value of bucket `b` (saturating at 2^64 - 1).
  static std::uint64_t upper_bound(std::size_t b);

private:
  std::vector<std::uint64_t> values_; // buckets, then the max
};

} // namespace psim::sim
