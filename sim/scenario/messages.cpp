// The wording of scenario errors (ranges, found values and types, "did you mean") and
// the log that collects every error of a scenario.
#include "sim/scenario/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <tuple>

namespace psim::sim {

namespace {

std::string number_text(double x) { return fmt::format("{}", x); }

/// Edit distance with adjacent transpositions (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

} // namespace

bool is_safe_folder_name(std::string_view name) {
  if (name.empty() || name.size() > 100 || name[0] == '.')
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

std::string quote(std::string_view text) {
  // An error message is one line of readable text whatever a value holds: control
  // characters are escaped and a long value is cut to an excerpt that says its length.
  constexpr std::size_t excerpt = 60;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < excerpt; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  out += '"';
  if (text.size() > excerpt)
    out += fmt::format(" (cut; {} characters in all)", text.size());
  return out;
}

std::string joined(const std::vector<std::string_view>& items, std::string_view separator) {
  std::string out;
  for (auto item : items)
    out += (out.empty() ? "" : std::string(separator)) + std::string(item);
  return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (auto candidate : candidates)
    if (auto distance = edit_distance(word, candidate); distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  return best.empty() ? "" : " (did you mean " + quote(best) + "?)";
}

std::string describe_integers(std::int64_t min, std::int64_t max) {
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto highest = std::numeric_limits<std::int64_t>::max();
  if (min == lowest && max == highest)
    return "an integer";
  if (max == highest)
    return fmt::format("an integer >= {}", min);
  if (min == lowest)
    return fmt::format("an integer <= {}", max);
  return fmt::format("an integer in [{}, {}]", min, max);
}

bool number_range::contains(double x) const {
  return (min_open ? x > min : x >= min) && (max_open ? x < max : x <= max);
}

std::string number_range::describe(std::string_view noun) const {
  std::string out(noun);
  bool bounded_below = std::isfinite(min);
  bool bounded_above = std::isfinite(max);
  if (bounded_below && bounded_above)
    return out + " in " + (min_open ? "(" : "[") + number_text(min) + ", " + number_text(max)
           + (max_open ? ")" : "]");
  if (bounded_below)
    return out + (min_open ? " > " : " >= ") + number_text(min);
  if (bounded_above)
    return out + (max_open ? " < " : " <= ") + number_text(max);
  return out;
}

number_range at_least(double min) { return {min, any_number.max, false, false}; }

number_range above(double min) { return {min, any_number.max, true, false}; }

number_range half_open(double min, double max) { return {min, max, false, true}; }

std::string describe_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

std::string describe_found(const toml::node& node) {
  if (auto* text = node.as_string())
    return quote(text->get());
  if (auto* integer = node.as_integer())
    return std::to_string(integer->get());
  if (auto* floating = node.as_floating_point())
    return number_text(floating->get());
  if (auto* flag = node.as_boolean())
    return flag->get() ? "true" : "false";
  return describe_type(node);
}

scenario_error error_at(const toml::source_region& where, const std::string& fallback_file,
                        std::string key, const std::string& message) {
  if (where.path)
    return {*where.path, static_cast<int>(where.begin.line),
            static_cast<int>(where.begin.column), std::move(key), message};
  return {fallback_file, 0, 0, std::move(key), message};
}

} // namespace psim::sim

namespace psim::sim {

namespace {

/// The log that collects this thread's errors, if any.
thread_local scenario_error_log* current_log = nullptr;

} // namespace

scenario_errors::scenario_errors(std::vector<scenario_error> all, const std::string& source)
  : scenario_error(all.front()), errors(std::move(all)) {
  // The scenario file by line (errors without a line after), then --set by argument,
  // then other files (data, empirical durations) in the order they were found.
  auto rank = [&](const scenario_error& e) {
    int group = e.file == source ? 0 : e.file == "--set" ? 1 : 2;
    int at_line = group == 2 ? 0 : e.line > 0 ? e.line : std::numeric_limits<int>::max();
    return std::tuple{group, at_line, group == 2 ? 0 : e.column};
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  static_cast<scenario_error&>(*this) = errors.front();
}

scenario_error_log::scenario_error_log(std::string source)
  : source_(std::move(source)), outer_(current_log) {
  current_log = this;
}

scenario_error_log::~scenario_error_log() { current_log = outer_; }

void scenario_error_log::add(scenario_error error) {
  errors_.push_back(std::move(error));
  if (errors_.size() >= max_scenario_errors)
    throw scenario_errors(errors_, source_);
}

void scenario_error_log::throw_if_any() const {
  if (!errors_.empty())
    throw scenario_errors(errors_, source_);
}

bool scenario_error_log::covers(const std::string& key) const {
  return std::any_of(errors_.begin(), errors_.end(), [&](const scenario_error& e) {
    return e.key.compare(0, key.size(), key) == 0
           && (e.key.size() == key.size() || e.key[key.size()] == '.'
               || e.key[key.size()] == '[');
  });
}

void report(scenario_error error) {
  if (current_log == nullptr)
    throw std::move(error);
  current_log->add(std::move(error));
}

bool reported_at(const std::string& key) {
  return current_log != nullptr && current_log->covers(key);
}

} // namespace psim::sim
