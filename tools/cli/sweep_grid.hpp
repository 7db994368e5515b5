// The grid of a sweep: the values of each --vary key times the repeat seeds, and the
// folder name of each run (what varies, e.g. "mode=async,workers=4,seed=43").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace psim::cli {

/// One --vary KEY=V1,V2,... option.
struct varied_key {
  std::string key;                 ///< dotted scenario key, e.g. "training.mode"
  std::string short_name;          ///< its last part unless shared with another varied key
  std::vector<std::string> values; ///< TOML values as given (a bare word is a string)
};

/// One run of the grid.
struct grid_point {
  std::vector<std::string> values;    ///< the value of each varied key, for display
  std::uint64_t seed = 0;             ///< the run's seed
  std::string folder;                 ///< folder name inside the sweep folder
  std::vector<std::string> overrides; ///< --set KEY=VALUE for the varied keys and the seed
};

/// Parses "KEY=V1,V2,..."; splits at commas outside brackets, braces and quotes.
/// Throws std::invalid_argument saying what is wrong.
varied_key parse_vary(const std::string& option);

/// Fills each key's short_name: its last dotted part, or the whole key when two
/// varied keys end alike. Throws std::invalid_argument on a key given twice.
void name_keys(std::vector<varied_key>& keys);

/// `value` as shown in a table or a legend: a quoted string without its quotes.
std::string display_value(const std::string& value);

/// Every combination of the keys' values times the seeds first_seed, first_seed + 1,
/// ..., in order (the first key varies slowest, the seed fastest).
std::vector<grid_point> expand_grid(const std::vector<varied_key>& keys,
                                    std::uint64_t first_seed, int repeat);

} // namespace psim::cli
