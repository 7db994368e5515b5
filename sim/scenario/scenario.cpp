// Loading a scenario: TOML parsing, --set overrides, validation (sections.cpp) with
// every error collected, and the resolved text written back with every default.
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/memory_estimate.hpp"

#include "sim/scenario/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace psim::sim {

namespace {

constexpr std::string_view resolved_header =
  "# Resolved by psim: every default written out; rerun with: tools/psim run <this file>\n";

bool is_bare_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'
         || c == '/' || c == ':' || c == '+';
}

bool is_bare_word(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_bare_char);
}

/// True for the float forms toml++ prints: -?digits[.digits][e[+-]digits], with '.' or 'e'.
bool is_float_token(std::string_view token) {
  std::size_t i = token.size() > 0 && token[0] == '-' ? 1 : 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < token.size() && std::isdigit(static_cast<unsigned char>(token[i])))
      ++i;
    return i > start;
  };
  if (!digits())
    return false;
  bool fraction = i < token.size() && token[i] == '.';
  if (fraction && (++i, !digits()))
    return false;
  bool exponent = i < token.size() && (token[i] == 'e' || token[i] == 'E');
  if (exponent) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-'))
      ++i;
    if (!digits())
      return false;
  }
  return (fraction || exponent) && i == token.size();
}

/// Rewrites every float of `text` (toml++ output with basic strings only) in the
/// shortest form that reads back to the same double: toml++ prints 17 significant
/// digits ("0.10000000000000001"), exact but unreadable.
std::string shortest_floats(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '"') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"')
        end += text[end] == '\\' ? 2 : 1;
      out.append(text, i, end + 1 - i);
      i = end + 1;
    } else if (is_bare_char(text[i])) {
      std::size_t end = i;
      while (end < text.size() && is_bare_char(text[end]))
        ++end;
      std::string_view token(text.data() + i, end - i);
      double value = 0;
      if (is_float_token(token)
          && std::from_chars(token.data(), token.data() + token.size(), value).ec == std::errc{}) {
        std::string shortest = fmt::format("{}", value);
        if (shortest.find_first_of(".e") == std::string::npos)
          shortest += ".0";
        out += shortest;
      } else {
        out += token;
      }
      i = end;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string resolved_text(const toml::table& root) {
  std::ostringstream out;
  // Basic strings only (no literal or multi-line ones); sub-tables not indented.
  out << toml::toml_formatter(root, toml::format_flags::allow_unicode_strings
                                      | toml::format_flags::indent_array_elements);
  return std::string(resolved_header) + shortest_floats(out.str()) + "\n";
}

/// Where a --set argument stands in errors: "--set", line `n` (the n-th --set), `column`.
toml::source_region override_region(int n, int column) {
  auto at = toml::source_position{static_cast<toml::source_index>(n),
                                  static_cast<toml::source_index>(column)};
  return {at, at, std::make_shared<const std::string>("--set")};
}

/// An error in the `n`-th --set argument, at `column` of its text.
scenario_error override_error(int n, int column, const std::string& key,
                              const std::string& message) {
  return {"--set", n, column, key, message};
}

/// Applies the `n`-th --set "dotted.key=value" to `root`; its nodes stand at line `n`
/// of "--set", at their columns in `text`.
void apply_override(toml::table& root, const std::string& text, int n) {
  auto equals = text.find('=');
  if (equals == std::string::npos)
    throw override_error(n, 1, "", "found " + quote(text) + "; allowed: KEY=VALUE with a dotted"
                                                         " key, e.g. training.mode=async");
  std::string key = text.substr(0, equals);
  std::vector<std::pair<std::string, int>> parts; // name, 1-based column
  for (std::size_t begin = 0, dot = 0; dot != std::string::npos; begin = dot + 1) {
    dot = key.find('.', begin);
    std::string part = key.substr(begin, dot == std::string::npos ? dot : dot - begin);
    if (!is_bare_word(part))
      throw override_error(n, static_cast<int>(begin) + 1, key,
                           "found key " + quote(key) + "; allowed: a dotted key of letters, digits,"
                           " '_' and '-', e.g. network.latency");
    parts.emplace_back(part, static_cast<int>(begin) + 1);
  }
  // "v", padding and "=" take the place of "key=", so columns match the argument;
  // n - 1 newlines put its value on line n.
  std::string prefix = std::string(static_cast<std::size_t>(n - 1), '\n') + "v"
                       + std::string(equals - 1, ' ') + "=";
  std::string value = text.substr(equals + 1);
  toml::table parsed;
  try {
    parsed = toml::parse(prefix + value, std::string_view("--set"));
  } catch (const toml::parse_error& error) {
    auto begin = value.find_first_not_of(' ');
    std::string word;
    if (begin != std::string::npos)
      word = value.substr(begin, value.find_last_not_of(' ') + 1 - begin);
    if (!is_bare_word(word))
      throw override_error(n, static_cast<int>(error.source().begin.column), key,
                           "found " + quote(value) + " (" + std::string(error.description())
                             + "); allowed: a TOML value such as 3, 0.5, true, \"10ms\" or"
                               " { dist = \"exponential\", mean = \"5ms\" }, or a bare word");
    parsed = toml::parse(prefix + value.substr(0, begin) + '"' + word + '"',
                         std::string_view("--set"));
  }
  if (parsed.size() != 1)
    throw override_error(n, static_cast<int>(equals) + 2, key,
                         "found " + quote(value) + "; allowed: a single TOML value");
  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* node = table->get(parts[i].first);
    if (!node)
      node = &table->insert(toml::key(parts[i].first, override_region(n, parts[i].second)),
                            toml::table{})
                .first->second;
    if (!node->is_table()) {
      auto path = key.substr(0, static_cast<std::size_t>(parts[i + 1].second) - 2);
      throw override_error(n, parts[i].second, key,
                           "found " + path + " = " + describe_found(*node)
                             + "; allowed: a table to hold " + quote(parts[i + 1].first));
    }
    table = node->as_table();
  }
  table->insert_or_assign(toml::key(parts.back().first,
                                    override_region(n, parts.back().second)),
                          std::move(*parsed.get("v")));
}

/// The table a line of `lines` before `line` (1-based) opens: "" at the top level.
std::string table_before(const std::vector<std::string>& lines, std::size_t line) {
  for (std::size_t i = std::min(line, lines.size()); i-- > 0;) {
    auto begin = lines[i].find_first_not_of(" \t");
    if (begin == std::string::npos || lines[i][begin] != '[')
      continue;
    auto name_begin = lines[i].find_first_not_of("[ \t", begin);
    auto name_end = lines[i].find_first_of("] \t", name_begin);
    return name_begin == std::string::npos ? ""
                                           : lines[i].substr(name_begin, name_end - name_begin);
  }
  return "";
}

/// A TOML syntax error as a scenario error; a key or table given twice is named by
/// its dotted key.
scenario_error syntax_error(const std::string& text, const std::string& where,
                            const toml::parse_error& error) {
  const auto& region = error.source();
  std::string file = region.path ? *region.path : where;
  auto line = static_cast<int>(region.begin.line);
  std::string description(error.description());
  // toml++ says "... cannot redefine existing integer 'workers'".
  auto redefine = description.find("cannot redefine existing ");
  auto open = description.size() > 2 ? description.rfind('\'', description.size() - 2)
                                     : std::string::npos;
  if (redefine == std::string::npos || open == std::string::npos || description.back() != '\'')
    return {file, line, static_cast<int>(region.begin.column), "", description};
  std::string name = description.substr(open + 1, description.size() - open - 2);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string row; std::getline(in, row);)
    lines.push_back(row);
  bool header = description.find("table header") != std::string::npos;
  std::string table = header ? "" : table_before(lines, static_cast<std::size_t>(line) - 1);
  std::string key = table.empty() ? name : table + "." + name;
  return {file, line, 1, key,
          "found " + quote(key) + " a second time; allowed: each key and table once"};
}

} // namespace

scenario_error::scenario_error(std::string in_file, int at_line, int at_column,
                               std::string at_key, const std::string& message)
  : std::runtime_error(message), file(std::move(in_file)), line(at_line), column(at_column),
    key(std::move(at_key)) {}

std::string to_string(mode_kind mode) {
  switch (mode) {
    case mode_kind::sync: return "sync";
    case mode_kind::async: return "async";
    case mode_kind::ssp: return "ssp";
    case mode_kind::ksync: return "ksync";
    case mode_kind::kasync: return "kasync";
    case mode_kind::local_sgd: return "local_sgd";
    case mode_kind::allreduce: return "allreduce";
  }
  return "unknown";
}

std::string to_string(failure_policy policy) {
  return policy == failure_policy::wait ? "wait" : "continue";
}

scenario parse_scenario(const std::string& text, const std::string& source,
                        const std::vector<std::string>& overrides) {
  std::string where = source.empty() ? "<text>" : source;
  toml::table root;
  try {
    root = toml::parse(std::string_view(text), std::string_view(where));
  } catch (const toml::parse_error& error) {
    throw syntax_error(text, where, error);
  }
  // Every mistake of the file and of the --set arguments is collected, then thrown at once.
  scenario_error_log log(where);
  for (std::size_t i = 0; i < overrides.size(); ++i)
    collect_errors([&] { apply_override(root, overrides[i], static_cast<int>(i) + 1); });
  scenario result;
  collect_errors([&] { result = read_scenario(root, source); });
  log.throw_if_any();
  // Only a scenario without mistakes is weighed: its sizes are then the ones it asks for.
  check_memory(result, root, machine_memory());
  result.resolved = resolved_text(root);
  return result;
}

scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ignored;
  if (!in)
    throw scenario_error(path, 0, 0, "", "cannot open scenario file");
  if (!std::filesystem::is_regular_file(path, ignored))
    throw scenario_error(path, 0, 0, "", "is not a regular file; allowed: a TOML scenario file");
  if (std::filesystem::file_size(path, ignored) > max_scenario_bytes)
    throw scenario_error(path, 0, 0, "",
                         "the scenario file is larger than 16 MiB; allowed: a TOML file of at "
                         "most 16 MiB");
  std::ostringstream text;
  text << in.rdbuf();
  scenario result = parse_scenario(text.str(), path, overrides);
  result.file = path;
  return result;
}

} // namespace psim::sim
