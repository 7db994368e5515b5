// Reading numbers out of data files: strict, locale-independent, finite only.
#pragma once

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace psim::sim {

/// `text` as a finite double (a leading '+' allowed), or nothing when it is not one.
inline std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+')
    text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()
      || !std::isfinite(value))
    return std::nullopt;
  return value;
}

} // namespace psim::sim
