// Typed, range-checked reading of one table of a scenario file: fills in defaults,
// finds unknown keys and reports each mistake with file, line, column and dotted key,
// in words that say what was found and what is allowed; mistakes are collected.
#pragma once

#include "sim/random/distribution.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_errors.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psim::sim {

/// The values a number may take: from `min` to `max`, each end closed or open.
struct number_range {
  double min = -std::numeric_limits<double>::infinity(); ///< lower bound
  double max = std::numeric_limits<double>::infinity();  ///< upper bound
  bool min_open = false;                                 ///< excludes `min` itself
  bool max_open = false;                                 ///< excludes `max` itself

  /// True when `x` lies in the range.
  bool contains(double x) const;

  /// Says the range in words, e.g. "a number in [0, 1)" for `noun` = "a number".
  std::string describe(std::string_view noun) const;
};

/// Any finite number.
inline constexpr number_range any_number{};

/// The longest duration a scenario may give, in seconds (about 3.2 years): far below
/// the 2^63 ns (292 years) where CAF's time spans wrap.
inline constexpr double max_duration_s = 1e8;

/// The slowest link bandwidth a scenario may give, in bytes per second.
inline constexpr double min_bandwidth = 1;

/// The fastest link bandwidth a scenario may give, in bytes per second.
inline constexpr double max_bandwidth = 1e21;

/// The most rows a data set may have (any source).
inline constexpr std::int64_t max_samples = 100'000'000;

/// The most features a data set may have.
inline constexpr std::int64_t max_features = 1'000'000;

/// The numbers >= `min`.
number_range at_least(double min);

/// The numbers > `min`.
number_range above(double min);

/// The numbers in [min, max).
number_range half_open(double min, double max);

/// Thrown where an error follows from one already reported (a bad value read as
/// missing, a check of a value that fell back to its default): collecting gives the
/// step up without a second message.
struct scenario_error_reported {};

/// The errors readers report while it lives, on this thread: a getter that finds a bad
/// value records it here and goes on with the default (an optional getter with
/// nothing), so that one pass finds every mistake. Without a log, errors throw at once.
class scenario_error_log {
public:
  /// Starts collecting this thread's errors about the scenario file `source` (logs
  /// nest: the innermost collects).
  explicit scenario_error_log(std::string source);

  /// Stops collecting.
  ~scenario_error_log();

  scenario_error_log(const scenario_error_log&) = delete;
  scenario_error_log& operator=(const scenario_error_log&) = delete;

  /// Records `error`; throws them all once max_scenario_errors are recorded.
  void add(scenario_error error);

  /// Throws scenario_errors, in file order, when any error was recorded.
  void throw_if_any() const;

  /// True when an error was recorded at the dotted `key` or inside it.
  bool covers(const std::string& key) const;

private:
  std::string source_;
  std::vector<scenario_error> errors_;
  scenario_error_log* outer_;
};

/// Records `error` in this thread's scenario_error_log, or throws it when none collects.
void report(scenario_error error);

/// True when this thread's scenario_error_log holds an error at the dotted `key` or
/// inside it (false when none collects).
bool reported_at(const std::string& key);

/// Runs `step` in this thread's scenario_error_log (a thrown scenario_error is recorded
/// and the step given up), or simply runs it when none collects.
template <class Step>
void collect_errors(Step&& step) {
  try {
    step();
  } catch (const scenario_errors&) {
    throw;
  } catch (const scenario_error& error) {
    report(error);
  } catch (const scenario_error_reported&) {
  }
}

/// Reads the keys of one table. A getter given a default inserts it when the key is
/// missing, so that the table ends as the fully resolved scenario; an `optional_`
/// getter inserts nothing. Every getter marks its key as known for finish(). A getter
/// that finds a bad value reports it (see scenario_error_log) and returns its default.
class scenario_reader {
public:
  /// Reads `table`, whose keys errors write as `prefix.key`; `source` names the
  /// scenario file, for positions a node lacks and to find empirical files.
  scenario_reader(toml::table& table, std::string prefix, std::string source);

  /// An integer in [min, max].
  std::int64_t integer(std::string_view key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max = std::numeric_limits<std::int64_t>::max());

  /// An optional integer in [min, max].
  std::optional<std::int64_t>
  optional_integer(std::string_view key, std::int64_t min,
                   std::int64_t max = std::numeric_limits<std::int64_t>::max());

  /// A number (an integer or a float) in `range`.
  double number(std::string_view key, double fallback, number_range range = any_number);

  /// An optional number in `range`.
  std::optional<double> optional_number(std::string_view key, number_range range = any_number);

  /// A boolean.
  bool boolean(std::string_view key, bool fallback);

  /// A string.
  std::string string(std::string_view key, std::string_view fallback);

  /// An optional string.
  std::optional<std::string> optional_string(std::string_view key);

  /// One of the strings in `allowed`.
  std::string choice(std::string_view key, std::string_view fallback,
                     const std::vector<std::string_view>& allowed);

  /// An optional string among `allowed`.
  std::optional<std::string> optional_choice(std::string_view key,
                                             const std::vector<std::string_view>& allowed);

  /// A duration in seconds (a number, or a string read by parse_duration) in `range`;
  /// `fallback` is written as in a scenario file, e.g. "10ms".
  double duration(std::string_view key, std::string_view fallback,
                  number_range range = at_least(0));

  /// An optional duration in seconds in `range`.
  std::optional<double> optional_duration(std::string_view key,
                                          number_range range = at_least(0));

  /// A bandwidth in bytes per second (a number, or a string read by parse_bandwidth).
  double bandwidth(std::string_view key, std::string_view fallback);

  /// A distribution of durations (DESIGN §4); `fallback_toml` is a TOML value,
  /// e.g. "\"1ms\"" or "{ dist = \"exponential\", mean = \"10ms\" }".
  distribution random_duration(std::string_view key, std::string_view fallback_toml);

  /// An array of numbers.
  std::vector<double> numbers(std::string_view key, const std::vector<double>& fallback);

  /// An optional array of numbers.
  std::optional<std::vector<double>> optional_numbers(std::string_view key);

  /// An array of integers, each in [min, max].
  std::vector<std::int64_t> integers(std::string_view key,
                                     const std::vector<std::int64_t>& fallback,
                                     std::int64_t min,
                                     std::int64_t max = std::numeric_limits<std::int64_t>::max());

  /// A reader for the sub-table `key`; when missing, inserts `fallback_toml` (a TOML
  /// inline table) or, when that is empty, an empty standard table.
  scenario_reader table(std::string_view key, std::string_view fallback_toml = "");

  /// The node of `key` without checking its type (nullptr when missing); marks it known.
  const toml::node* find(std::string_view key);

  /// Fails when `key` is present: `reason` says where it belongs instead.
  void forbid(std::string_view key, std::string_view reason);

  /// Throws scenario_error at `key`'s value (or at the table when it has none).
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

  /// Reports an error at `key`'s value (or at the table) and goes on: recorded in the
  /// scenario_error_log, or thrown when none collects.
  void record(std::string_view key, const std::string& message) const;

  /// The file path `given` for `key` as the run will open it: a relative path is taken
  /// from the scenario file's folder (from the current directory when --set gave it)
  /// and written back absolute, so that the resolved scenario works from anywhere.
  std::string file_path(std::string_view key, const std::string& given);

  /// Throws "found <what `key` holds>; allowed: `allowed`" at `key`'s value.
  [[noreturn]] void fail_found(std::string_view key, std::string_view allowed) const;

  /// Throws "missing key" for `key` at the table's position; `why` says who needs it.
  [[noreturn]] void missing(std::string_view key, std::string_view why) const;

  /// The dotted key of `key` in this table, e.g. "training.mode".
  std::string dotted(std::string_view key) const;

  /// Reports each key of the table that no getter asked for.
  void finish() const;

private:
  toml::node& value_or_insert(std::string_view key, toml::node&& fallback);
  toml::node& value_or_insert_toml(std::string_view key, std::string_view fallback_toml);
  std::optional<std::string> choice_of(std::string_view key, const toml::node& node,
                                       const std::vector<std::string_view>& allowed) const;
  const toml::node* mark(std::string_view key);
  scenario_error error(std::string_view key, const std::string& message) const;
  std::optional<double> duration_of(std::string_view key, const toml::node& node,
                                    number_range range) const;
  std::optional<double> number_of(std::string_view key, const toml::node& node,
                                  number_range range) const;
  std::optional<std::vector<double>> numbers_of(std::string_view key,
                                                const toml::node& node) const;
  distribution distribution_of(std::string_view key, toml::node& node) const;
  std::vector<double> empirical_samples(scenario_reader& params) const;

  toml::table& table_;
  std::string prefix_;
  std::string source_;
  std::vector<std::string> known_;
};

/// Validates `root` (a parsed scenario file from `source`), writes every default into
/// it and returns the scenario it describes, `resolved` left empty. Throws scenario_error.
scenario read_scenario(toml::table& root, const std::string& source);

/// The tables of the array of tables `key` of `parent` (e.g. [[compute.override]]),
/// each with its reader; empty when the key is missing.
std::vector<scenario_reader> read_table_array(scenario_reader& parent, std::string_view key,
                                              const std::string& source);

/// Reads the [[network.link]] entries of the [network] table; each name or pattern must
/// name one of `actors`.
std::vector<link_override> read_link_overrides(scenario_reader& network,
                                               const std::string& source,
                                               const actor_counts& actors);

/// Reads the top-level [[faults]] entries; each name or pattern must name one of `actors`.
std::vector<fault> read_faults(scenario_reader& top, const std::string& source,
                               const actor_counts& actors);

/// Reads the top-level [deployment] table (absent: no nodes); needs run.clock = "real";
/// `cluster` bounds the names a placement may use.
deployment_config read_deployment(scenario_reader& top, const std::string& source,
                                  const run_config& run, const cluster_config& cluster);

/// Reads the [data] table; `workers` is cluster.workers (each needs a sample).
data_config read_data(scenario_reader data, std::size_t workers);

/// Reads the [model] table; sets data.classes (the labels the model classifies, 0 for
/// regression), reading the data file to count them when the model needs it.
model_config read_model(scenario_reader model, data_config& data);

/// True when `name` can name a run folder under runs/: 1 to 100 letters, digits, '-',
/// '_' and '.', not starting with '.' (so no "..", no '/', no control characters).
bool is_safe_folder_name(std::string_view name);

/// `text` in double quotes for a one-line message: '"', '\\' and control characters
/// escaped, cut after 60 characters.
std::string quote(std::string_view text);

/// The `items` joined with `separator` between them.
std::string joined(const std::vector<std::string_view>& items, std::string_view separator);

/// " (did you mean "x"?)" for the closest of `candidates` within edit distance 2, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

/// Says the integers in [min, max] in words, e.g. "an integer >= 1".
std::string describe_integers(std::int64_t min, std::int64_t max);

/// Names the type of a value for messages: "a string", "an integer", "a table".
std::string describe_type(const toml::node& node);

/// Describes a value for "found ..." in messages: `"asynch"`, `-3`, or `a table`.
std::string describe_found(const toml::node& node);

/// An error at `where` when it names a file, else in `fallback_file` at line 0.
scenario_error error_at(const toml::source_region& where, const std::string& fallback_file,
                        std::string key, const std::string& message);

} // namespace psim::sim
