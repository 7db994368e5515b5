// Reading durations, bandwidths and random durations from a scenario: a bare duration,
// a { dist = ... } table with exactly its family's parameters, or an empirical file.
#include "sim/scenario/reader.hpp"

#include "sim/random/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

namespace psim::sim {

namespace {

/// A parameter of a distribution family: a duration, or a plain number when `number`.
struct parameter {
  std::string_view name;
  number_range range;
  bool number = false;
};

/// A distribution family as scenario files write it.
struct family {
  std::string_view name;
  dist_kind kind;
  std::vector<parameter> parameters;
};

const std::vector<family>& families() {
  static const std::vector<family> all = {
    {"constant", dist_kind::constant, {{"value", at_least(0)}}},
    {"uniform", dist_kind::uniform, {{"min", at_least(0)}, {"max", at_least(0)}}},
    {"exponential", dist_kind::exponential, {{"mean", at_least(0)}}},
    {"shifted_exponential", dist_kind::shifted_exponential,
     {{"shift", at_least(0)}, {"mean", at_least(0)}}},
    {"normal", dist_kind::normal, {{"mean", at_least(0)}, {"std", at_least(0)}}},
    {"lognormal", dist_kind::lognormal, {{"median", at_least(0)}, {"sigma", at_least(0), true}}},
    {"pareto", dist_kind::pareto, {{"scale", above(0)}, {"shape", above(0), true}}},
    {"empirical", dist_kind::empirical, {}},
  };
  return all;
}

std::string_view trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos)
    return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

} // namespace

std::optional<double> scenario_reader::duration_of(std::string_view key, const toml::node& node,
                                                   number_range range) const {
  std::optional<double> seconds;
  if (auto* text = node.as_string()) {
    seconds = parse_duration(text->get());
    if (!seconds)
      record(key, "found " + describe_found(node) + "; allowed: " + std::string(duration_forms));
  } else if (node.is_number()) {
    seconds = number_of(key, node, any_number);
  } else {
    record(key, "found " + describe_type(node) + "; allowed: " + std::string(duration_forms));
  }
  if (!seconds)
    return std::nullopt;
  // Every duration has an upper bound far below CAF's 2^63 ns, so no sum of them wraps.
  range.max = std::min(range.max, max_duration_s);
  if (range.contains(*seconds))
    return seconds;
  record(key, "found " + describe_found(node) + "; allowed: " + range.describe("a duration")
                + " seconds");
  return std::nullopt;
}

double scenario_reader::duration(std::string_view key, std::string_view fallback,
                                 number_range range) {
  auto& node = value_or_insert(key, toml::value<std::string>(std::string(fallback)));
  return duration_of(key, node, range).value_or(parse_duration(fallback).value_or(0));
}

std::optional<double> scenario_reader::optional_duration(std::string_view key,
                                                         number_range range) {
  const toml::node* node = mark(key);
  return node ? duration_of(key, *node, range) : std::nullopt;
}

double scenario_reader::bandwidth(std::string_view key, std::string_view fallback) {
  const toml::node& node =
    value_or_insert(key, toml::value<std::string>(std::string(fallback)));
  // A bad value reads as the fallback (or the slowest bandwidth when there is none).
  double otherwise = parse_bandwidth(fallback).value_or(min_bandwidth);
  if (auto* text = node.as_string()) {
    auto bytes = parse_bandwidth(text->get());
    if (!bytes)
      record(key, "found " + describe_found(node) + "; allowed: " + std::string(bandwidth_forms));
    else if (*bytes < min_bandwidth || *bytes > max_bandwidth)
      record(key, "found " + describe_found(node) + "; allowed: "
                    + fmt::format("a bandwidth in [{}, {}] bytes per second", min_bandwidth,
                                  max_bandwidth));
    else
      return *bytes;
    return otherwise;
  }
  if (!node.is_number()) {
    record(key, "found " + describe_type(node) + "; allowed: " + std::string(bandwidth_forms));
    return otherwise;
  }
  return number_of(key, node, number_range{min_bandwidth, max_bandwidth, false, false})
    .value_or(otherwise);
}

distribution scenario_reader::random_duration(std::string_view key,
                                              std::string_view fallback_toml) {
  toml::node& node = value_or_insert_toml(key, fallback_toml);
  // A bad distribution is reported; the run never starts, so any value will do here.
  distribution result = distribution::fixed(0);
  collect_errors([&] { result = distribution_of(key, node); });
  return result;
}

distribution scenario_reader::distribution_of(std::string_view key, toml::node& node) const {
  if (node.is_string() || node.is_number())
    return distribution::fixed(duration_of(key, node, at_least(0)).value_or(0));
  if (!node.is_table())
    fail(key, "found " + describe_found(node) + "; allowed: a duration ("
                + std::string(duration_forms)
                + ") or a table such as { dist = \"exponential\", mean = \"10ms\" }");
  scenario_reader params(*node.as_table(), dotted(key), source_);
  std::vector<std::string_view> names;
  for (const auto& f : families())
    names.push_back(f.name);
  auto name = params.optional_choice("dist", names);
  if (!name)
    params.missing("dist", "a distribution table names its family");
  const family& chosen =
    *std::find_if(families().begin(), families().end(), [&](auto& f) { return f.name == *name; });
  distribution result;
  result.kind = chosen.kind;
  double* slots[] = {&result.a, &result.b};
  std::string needs;
  for (const auto& p : chosen.parameters)
    needs += (needs.empty() ? "" : " and ") + std::string(p.name);
  for (std::size_t i = 0; i < chosen.parameters.size(); ++i) {
    const parameter& p = chosen.parameters[i];
    auto value = p.number ? params.optional_number(p.name, p.range)
                          : params.optional_duration(p.name, p.range);
    if (!value)
      params.missing(p.name, "dist = \"" + std::string(chosen.name) + "\" needs " + needs);
    *slots[i] = *value;
  }
  if (chosen.kind == dist_kind::uniform && result.b < result.a)
    params.fail("max", "found max = " + describe_found(*params.table_.get("max")) + " below min = "
                         + describe_found(*params.table_.get("min")) + "; allowed: max >= min");
  if (chosen.kind == dist_kind::empirical)
    result.samples = std::make_shared<const std::vector<double>>(empirical_samples(params));
  params.finish();
  return result;
}

std::vector<double> scenario_reader::empirical_samples(scenario_reader& params) const {
  auto given = params.optional_string("path");
  if (!given)
    params.missing("path", "dist = \"empirical\" needs path, a file with one duration per line");
  namespace fs = std::filesystem;
  // Relative to the scenario file's folder; written back absolute, so that the resolved
  // scenario finds it from anywhere.
  fs::path path = params.file_path("path", *given);
  std::ifstream in(path);
  if (!in || !fs::is_regular_file(path))
    params.fail("path", "cannot open " + quote(path.generic_string())
                          + "; allowed: a file with one duration per line (a relative path is"
                            " taken from the scenario file's folder)");
  std::vector<double> samples;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view text = trim(line);
    if (text.empty() || text.front() == '#')
      continue;
    auto seconds = parse_duration(text);
    if (!seconds)
      throw scenario_error(path.generic_string(), number,
                           static_cast<int>(line.find_first_not_of(" \t") + 1),
                           params.dotted("path"),
                           "found \"" + std::string(text) + "\"; allowed: one duration per line ("
                             + std::string(duration_forms) + "), blank lines and # comments");
    samples.push_back(*seconds);
  }
  if (samples.empty())
    params.fail("path", "found no durations in " + path.generic_string()
                          + "; allowed: a file with at least one duration per line");
  return samples;
}

} // namespace psim::sim
