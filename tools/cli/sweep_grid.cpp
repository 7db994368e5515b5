// The grid of a sweep and the names of its run folders.
#include "tools/cli/sweep_grid.hpp"

#include <fmt/format.h>

#include <cctype>
#include <set>
#include <stdexcept>

namespace psim::cli {

namespace {

// Keeps letters, digits and . _ + -; anything else (slashes, spaces, quotes,
// brackets) becomes _, so that a value always makes one safe folder name.
std::string folder_safe(const std::string& text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) != 0 || c == '.' || c == '_' || c == '+' || c == '-') ? c : '_';
  }
  return out;
}

std::vector<std::string> split_top_level(const std::string& list) {
  std::vector<std::string> out;
  std::string item;
  int depth = 0;
  char quote = 0;
  for (char c : list) {
    if (quote != 0) {
      quote = c == quote ? 0 : quote;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.push_back(item);
      item.clear();
      continue;
    }
    item += c;
  }
  out.push_back(item);
  return out;
}

std::string trim(const std::string& s) {
  auto first = s.find_first_not_of(" \t");
  auto last = s.find_last_not_of(" \t");
  return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

} // namespace

varied_key parse_vary(const std::string& option) {
  auto eq = option.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument(
      fmt::format("--vary {}: expected KEY=V1,V2,... e.g. training.mode=sync,async", option));
  varied_key out;
  out.key = trim(option.substr(0, eq));
  if (out.key == "seed")
    throw std::invalid_argument("--vary seed: give --repeat N instead (seeds seed, seed+1, ...)");
  for (const auto& value : split_top_level(option.substr(eq + 1))) {
    auto v = trim(value);
    if (v.empty())
      throw std::invalid_argument(fmt::format("--vary {}: an empty value", option));
    out.values.push_back(v);
  }
  std::set<std::string> distinct(out.values.begin(), out.values.end());
  if (distinct.size() != out.values.size())
    throw std::invalid_argument(fmt::format("--vary {}: a value given twice", option));
  return out;
}

void name_keys(std::vector<varied_key>& keys) {
  auto last_part = [](const std::string& key) { return key.substr(key.rfind('.') + 1); };
  for (auto& k : keys) {
    int same_key = 0;
    int same_end = 0;
    for (const auto& other : keys) {
      same_key += other.key == k.key ? 1 : 0;
      same_end += last_part(other.key) == last_part(k.key) ? 1 : 0;
    }
    if (same_key > 1)
      throw std::invalid_argument(fmt::format("--vary {}: key given twice", k.key));
    k.short_name = same_end > 1 ? k.key : last_part(k.key);
  }
}

std::string display_value(const std::string& value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')
      && value.back() == value.front())
    return value.substr(1, value.size() - 2);
  return value;
}

std::vector<grid_point> expand_grid(const std::vector<varied_key>& keys,
                                    std::uint64_t first_seed, int repeat) {
  std::vector<std::vector<std::string>> combos{{}};
  for (const auto& k : keys) {
    std::vector<std::vector<std::string>> next;
    for (const auto& combo : combos)
      for (const auto& v : k.values) {
        next.push_back(combo);
        next.back().push_back(v);
      }
    combos = std::move(next);
  }
  std::vector<grid_point> out;
  for (const auto& combo : combos)
    for (int r = 0; r < repeat; ++r) {
      grid_point p;
      p.seed = first_seed + static_cast<std::uint64_t>(r);
      for (std::size_t i = 0; i < keys.size(); ++i) {
        p.values.push_back(display_value(combo[i]));
        p.overrides.push_back(keys[i].key + "=" + combo[i]);
        p.folder += folder_safe(keys[i].short_name) + "=" + folder_safe(p.values.back()) + ",";
      }
      p.overrides.push_back(fmt::format("seed={}", p.seed));
      p.folder += fmt::format("seed={}", p.seed);
      out.push_back(std::move(p));
    }
  return out;
}

} // namespace psim::cli
