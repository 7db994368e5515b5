// The typed getters of scenario_reader: defaults, ranges, choices, unknown keys, and
// messages that say what was found and what is allowed. A bad value is reported and
// its default read instead, so that reading goes on to the next mistake.
#include "sim/scenario/reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <tuple>

namespace psim::sim {

scenario_reader::scenario_reader(toml::table& table, std::string prefix, std::string source)
  : table_(table), prefix_(std::move(prefix)), source_(std::move(source)) {}

std::string scenario_reader::dotted(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

const toml::node* scenario_reader::find(std::string_view key) { return mark(key); }

const toml::node* scenario_reader::mark(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end())
    known_.emplace_back(key);
  return table_.get(key);
}

toml::node& scenario_reader::value_or_insert(std::string_view key, toml::node&& fallback) {
  mark(key);
  if (auto* node = table_.get(key))
    return *node;
  return table_.insert(key, std::move(fallback)).first->second;
}

toml::node& scenario_reader::value_or_insert_toml(std::string_view key,
                                                  std::string_view fallback_toml) {
  if (toml::node* present = table_.get(key)) {
    mark(key);
    return *present;
  }
  auto parsed = toml::parse("v = " + std::string(fallback_toml), std::string_view{});
  return value_or_insert(key, std::move(*parsed.get("v")));
}

scenario_error scenario_reader::error(std::string_view key, const std::string& message) const {
  const toml::node* node = table_.get(key);
  if (node && node->source().path)
    return error_at(node->source(), source_, dotted(key), message);
  return error_at(table_.source(), source_, dotted(key), message);
}

void scenario_reader::fail(std::string_view key, const std::string& message) const {
  // A check of a value that already failed (and fell back to its default) says nothing new.
  if (reported_at(dotted(key)))
    throw scenario_error_reported{};
  throw error(key, message);
}

void scenario_reader::record(std::string_view key, const std::string& message) const {
  report(error(key, message));
}

void scenario_reader::fail_found(std::string_view key, std::string_view allowed) const {
  const toml::node* node = table_.get(key);
  fail(key, "found " + (node ? describe_found(*node) : "nothing") + "; allowed: "
              + std::string(allowed));
}

void scenario_reader::missing(std::string_view key, std::string_view why) const {
  if (table_.get(key) != nullptr || reported_at(dotted(key))) // present: its getter reported it
    throw scenario_error_reported{};
  throw error_at(table_.source(), source_, dotted(key),
                 "missing key " + quote(key) + " (" + std::string(why) + ")");
}

std::int64_t scenario_reader::integer(std::string_view key, std::int64_t fallback,
                                      std::int64_t min, std::int64_t max) {
  value_or_insert(key, toml::value<std::int64_t>(fallback));
  return optional_integer(key, min, max).value_or(fallback);
}

std::optional<std::int64_t> scenario_reader::optional_integer(std::string_view key,
                                                              std::int64_t min,
                                                              std::int64_t max) {
  const toml::node* node = mark(key);
  if (!node)
    return std::nullopt;
  auto* value = node->as_integer();
  if (!value)
    record(key, "found " + describe_type(*node) + "; allowed: " + describe_integers(min, max));
  else if (value->get() < min || value->get() > max)
    record(key, "found " + describe_found(*node) + "; allowed: " + describe_integers(min, max));
  else
    return value->get();
  return std::nullopt;
}

std::optional<double> scenario_reader::number_of(std::string_view key, const toml::node& node,
                                                 number_range range) const {
  std::optional<double> x;
  if (auto* integer = node.as_integer())
    x = static_cast<double>(integer->get());
  else if (auto* floating = node.as_floating_point())
    x = floating->get();
  if (!x)
    record(key, "found " + describe_type(node) + "; allowed: " + range.describe("a number"));
  else if (!std::isfinite(*x))
    record(key, "found " + describe_found(node) + "; allowed: "
                  + range.describe("a finite number"));
  else if (!range.contains(*x))
    record(key, "found " + describe_found(node) + "; allowed: " + range.describe("a number"));
  else
    return x;
  return std::nullopt;
}

double scenario_reader::number(std::string_view key, double fallback, number_range range) {
  return number_of(key, value_or_insert(key, toml::value<double>(fallback)), range)
    .value_or(fallback);
}

std::optional<double> scenario_reader::optional_number(std::string_view key,
                                                       number_range range) {
  const toml::node* node = mark(key);
  return node ? number_of(key, *node, range) : std::nullopt;
}

bool scenario_reader::boolean(std::string_view key, bool fallback) {
  const toml::node& node = value_or_insert(key, toml::value<bool>(fallback));
  if (node.is_boolean())
    return node.as_boolean()->get();
  record(key, "found " + describe_type(node) + "; allowed: a boolean (true or false)");
  return fallback;
}

std::string scenario_reader::string(std::string_view key, std::string_view fallback) {
  value_or_insert(key, toml::value<std::string>(std::string(fallback)));
  return optional_string(key).value_or(std::string(fallback));
}

std::optional<std::string> scenario_reader::optional_string(std::string_view key) {
  const toml::node* node = mark(key);
  if (!node)
    return std::nullopt;
  if (node->is_string())
    return node->as_string()->get();
  record(key, "found " + describe_type(*node) + "; allowed: a string");
  return std::nullopt;
}

std::optional<std::string>
scenario_reader::choice_of(std::string_view key, const toml::node& node,
                           const std::vector<std::string_view>& allowed) const {
  auto* text = node.as_string();
  if (!text)
    record(key, "found " + describe_type(node) + "; allowed: " + joined(allowed, " | "));
  else if (std::find(allowed.begin(), allowed.end(), text->get()) == allowed.end())
    record(key, "found " + describe_found(node) + "; allowed: " + joined(allowed, " | ")
                  + did_you_mean(text->get(), allowed));
  else
    return text->get();
  return std::nullopt;
}

std::string scenario_reader::choice(std::string_view key, std::string_view fallback,
                                    const std::vector<std::string_view>& allowed) {
  return choice_of(key, value_or_insert(key, toml::value<std::string>(std::string(fallback))),
                   allowed)
    .value_or(std::string(fallback));
}

std::optional<std::string>
scenario_reader::optional_choice(std::string_view key,
                                 const std::vector<std::string_view>& allowed) {
  const toml::node* node = mark(key);
  return node ? choice_of(key, *node, allowed) : std::nullopt;
}

std::optional<std::vector<double>> scenario_reader::numbers_of(std::string_view key,
                                                               const toml::node& node) const {
  auto* array = node.as_array();
  if (!array) {
    record(key, "found " + describe_type(node) + "; allowed: an array of numbers");
    return std::nullopt;
  }
  std::vector<double> values;
  bool good = true;
  for (const auto& element : *array) {
    double x = element.is_integer() ? static_cast<double>(element.as_integer()->get())
                                    : element.value_or(std::nan(""));
    if (!std::isfinite(x)) {
      report(error_at(element.source(), source_, dotted(key),
                      "found " + describe_found(element) + " in the array; allowed: an array"
                      " of finite numbers"));
      good = false;
    }
    values.push_back(x);
  }
  return good ? std::optional{values} : std::nullopt;
}

std::vector<double> scenario_reader::numbers(std::string_view key,
                                             const std::vector<double>& fallback) {
  toml::array array;
  for (double x : fallback)
    array.push_back(x);
  return numbers_of(key, value_or_insert(key, std::move(array))).value_or(fallback);
}

std::optional<std::vector<double>> scenario_reader::optional_numbers(std::string_view key) {
  const toml::node* node = mark(key);
  return node ? numbers_of(key, *node) : std::nullopt;
}

std::vector<std::int64_t> scenario_reader::integers(std::string_view key,
                                                    const std::vector<std::int64_t>& fallback,
                                                    std::int64_t min, std::int64_t max) {
  toml::array array;
  for (auto x : fallback)
    array.push_back(x);
  const toml::node& node = value_or_insert(key, std::move(array));
  auto* values = node.as_array();
  // "an integer >= 1" -> "an array of integers >= 1"
  std::string allowed = "an array of integers" + describe_integers(min, max).substr(10);
  if (!values) {
    record(key, "found " + describe_type(node) + "; allowed: " + allowed);
    return fallback;
  }
  std::vector<std::int64_t> result;
  for (const auto& element : *values) {
    auto* x = element.as_integer();
    if (!x || x->get() < min || x->get() > max)
      report(error_at(element.source(), source_, dotted(key),
                      "found " + describe_found(element) + " in the array; allowed: " + allowed));
    else
      result.push_back(x->get());
  }
  return result.size() == values->size() ? result : fallback;
}

scenario_reader scenario_reader::table(std::string_view key, std::string_view fallback_toml) {
  toml::node& node = fallback_toml.empty() ? value_or_insert(key, toml::table{})
                                           : value_or_insert_toml(key, fallback_toml);
  if (node.is_table())
    return {*node.as_table(), dotted(key), source_};
  record(key, "found " + describe_type(node) + "; allowed: a table");
  // Read on from an empty table: its keys take their defaults, and the run never starts.
  auto& empty = table_.insert_or_assign(key, toml::table{}).first->second;
  return {*empty.as_table(), dotted(key), source_};
}

void scenario_reader::forbid(std::string_view key, std::string_view reason) {
  if (table_.get(key))
    fail(key, quote(key) + " is " + std::string(reason));
}

void scenario_reader::finish() const {
  std::vector<const toml::key*> unknown;
  for (const auto& [key, node] : table_)
    if (std::find(known_.begin(), known_.end(), key.str()) == known_.end())
      unknown.push_back(&key);
  auto position = [](const toml::key* k) {
    return std::tuple{k->source().begin.line, k->source().begin.column};
  };
  std::sort(unknown.begin(), unknown.end(),
            [&](auto* a, auto* b) { return position(a) < position(b); });
  std::vector<std::string_view> allowed(known_.begin(), known_.end());
  std::string where = prefix_.empty()        ? " at the top level"
                      : table_.is_inline()   ? " in " + prefix_
                                             : " in [" + prefix_ + "]";
  for (const toml::key* key : unknown) {
    std::string message = "unknown key " + quote(key->str()) + where + "; allowed: "
                          + joined(allowed, ", ") + did_you_mean(key->str(), allowed);
    const auto& region = key->source().path ? key->source() : table_.get(key->str())->source();
    report(error_at(region, source_, dotted(key->str()), message));
  }
}

std::string scenario_reader::file_path(std::string_view key, const std::string& given) {
  namespace fs = std::filesystem;
  if (given.empty() || fs::path(given).is_absolute())
    return given;
  toml::node* node = table_.get(key);
  bool from_set = node && node->source().path && *node->source().path == "--set";
  fs::path folder = from_set ? fs::path{} : fs::path(source_).parent_path();
  std::error_code failed;
  auto absolute = fs::absolute(folder / given, failed).lexically_normal().generic_string();
  if (failed)
    return given;
  if (node && node->is_string())
    node->as_string()->get() = absolute; // in place: the value keeps its position
  return absolute;
}

} // namespace psim::sim
