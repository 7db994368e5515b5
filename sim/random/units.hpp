// Durations and bandwidths written with units, as scenario files use them.
#pragma once

#include <optional>
#include <string_view>

namespace psim::sim {

/// Parses "250us", "10ms", "1.5s", "2min", "1h", "30ns" or a plain number of seconds;
/// nullopt when the text is not a non-negative duration.
std::optional<double> parse_duration(std::string_view text);

/// Parses "125MB/s", "1Gbit/s", "10KiB/s", "800B/s" or a plain number of bytes per
/// second (SI prefixes are powers of ten, Ki/Mi/Gi/Ti powers of two); nullopt when the
/// text is not a positive bandwidth.
std::optional<double> parse_bandwidth(std::string_view text);

/// The allowed forms of a duration, for error messages.
inline constexpr std::string_view duration_forms
  = "a number of seconds or a string such as \"250us\", \"10ms\", \"1.5s\", \"2min\"";

/// The allowed forms of a bandwidth, for error messages.
inline constexpr std::string_view bandwidth_forms
  = "bytes per second or a string such as \"125MB/s\", \"1Gbit/s\", \"10MiB/s\"";

} // namespace psim::sim
