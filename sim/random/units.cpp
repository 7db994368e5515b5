// Parsing of durations ("250us") and bandwidths ("1Gbit/s") written with units.
#include "sim/random/units.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>

namespace psim::sim {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

/// Splits "1.5 ms" into the number 1.5 and the unit "ms". Accepts only unsigned
/// decimal numbers with an optional exponent, so "inf", "nan" and "-1" fail.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
  text = trim(text);
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i]))
      ++i;
    return i - start;
  };
  std::size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0)
    return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t mark = i++;
    if (i < text.size() && (text[i] == '+' || text[i] == '-'))
      ++i;
    if (digits() == 0)
      i = mark; // "5e" or "3min"-like text: the 'e' belongs to the unit
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + i, value);
  if (ec != std::errc{} || end != text.data() + i || !std::isfinite(value))
    return std::nullopt;
  return std::pair{value, trim(text.substr(i))};
}

} // namespace

std::optional<double> parse_duration(std::string_view text) {
  auto parsed = split_number(text);
  if (!parsed)
    return std::nullopt;
  auto [value, unit] = *parsed;
  // Dividing by an exact power of ten rounds once, so "250us" is exactly 0.00025.
  if (unit.empty() || unit == "s")
    return value;
  if (unit == "ns")
    return value / 1e9;
  if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") // micro or mu sign
    return value / 1e6;
  if (unit == "ms")
    return value / 1e3;
  if (unit == "min")
    return value * 60;
  if (unit == "h")
    return value * 3600;
  return std::nullopt;
}

std::optional<double> parse_bandwidth(std::string_view text) {
  struct unit_scale {
    std::string_view unit;
    double bytes_per_second;
  };
  static constexpr unit_scale units[] = {
    {"B/s", 1},           {"kB/s", 1e3},         {"KB/s", 1e3},
    {"MB/s", 1e6},        {"GB/s", 1e9},         {"TB/s", 1e12},
    {"KiB/s", 0x1p10},    {"MiB/s", 0x1p20},     {"GiB/s", 0x1p30},
    {"TiB/s", 0x1p40},    {"bit/s", 1.0 / 8},    {"kbit/s", 1e3 / 8},
    {"Kbit/s", 1e3 / 8},  {"Mbit/s", 1e6 / 8},   {"Gbit/s", 1e9 / 8},
    {"Tbit/s", 1e12 / 8},
  };
  auto parsed = split_number(text);
  if (!parsed || parsed->first <= 0)
    return std::nullopt;
  auto [value, unit] = *parsed;
  if (unit.empty())
    return value;
  for (const auto& [name, scale] : units)
    if (unit == name)
      return value * scale;
  return std::nullopt;
}

} // namespace psim::sim
