// The psim subcommands and the error reporting they share.
#pragma once

#include "actors/runtime/runtime.hpp"
#include "sim/data/data.hpp"
#include "sim/scenario/scenario.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace psim::cli {

/// Exit code: success.
inline constexpr int exit_ok = 0;

/// Exit code: the run failed (diverged, stalled).
inline constexpr int exit_failed = 1;

/// Exit code: usage or scenario error.
inline constexpr int exit_usage = 2;

/// Exit code: interrupted by SIGINT.
inline constexpr int exit_interrupted = 130;

/// Arguments of `psim run`.
struct run_args {
  std::string scenario;              ///< scenario file
  std::string out_dir;               ///< -o DIR ("" = runs/<name>)
  std::vector<std::string> overrides; ///< --set KEY=VALUE
  bool quiet = false;                ///< --quiet
  bool plot = false;                 ///< also draw plot.png (the quickstart does)
  std::string secret_file;           ///< --secret-file: the psim nodes' shared secret
  actors::tls_files tls;             ///< --tls-cert, --tls-key, --tls-ca
};

/// Runs `psim run`; returns the exit code.
int run_command(const run_args& args);

/// Arguments of `psim plot`.
struct plot_args {
  std::vector<std::string> dirs; ///< run folders, or one sweep folder
  std::string output;            ///< -o FILE.png|.svg|.pdf ("" = plot.png or sweep.png there)
  std::string x;                 ///< --x: time | version | wall, or a sweep's varied key
  std::string y;                 ///< --y: another column
  bool log = false;              ///< --log: logarithmic y axis
  std::string window;            ///< --window START:END: the timeline's time range
  std::string describe;          ///< --describe FILE.json: the data behind the figure
};

/// Runs `psim plot`; returns the exit code.
int plot_command(const plot_args& args);

/// Arguments of `psim sweep`.
struct sweep_args {
  std::string scenario;               ///< scenario file
  std::vector<std::string> vary;      ///< --vary KEY=V1,V2,...
  std::vector<std::string> overrides; ///< --set KEY=VALUE, common to every run
  int repeat = 1;                     ///< --repeat: seeds per grid point
  int jobs = 1;                       ///< -j: runs at a time
  std::string out_dir;                ///< -o DIR ("" = sweeps/<name>)
  std::optional<double> target_loss;  ///< --target-loss: also record the time to reach it
  int tail = 5;                       ///< --tail K: sweep.csv's train_loss_tail averages K rows
  bool plot = true;                   ///< draw sweep.png at the end (--no-plot: not)
  bool quiet = false;                 ///< --quiet
};

/// Runs `psim sweep`; returns the exit code.
int sweep_command(const sweep_args& args);

/// Arguments of `psim trace`.
struct trace_args {
  std::string run;    ///< a run folder with events.csv
  std::string output; ///< -o FILE.json ("" = RUN/trace.json)
};

/// Runs `psim trace`; returns the exit code.
int trace_command(const trace_args& args);

/// Arguments of `psim compare`.
struct compare_args {
  std::vector<std::string> runs; ///< run folders
  bool csv = false;              ///< --csv
  bool markdown = false;         ///< --markdown
};

/// Runs `psim compare`; returns the exit code.
int compare_command(const compare_args& args);

/// Runs tools/plot/`script` with `args` under python3; returns its exit code.
int script_command(const std::string& script, const std::vector<std::string>& args);

/// Arguments of `psim node`.
struct node_args {
  std::string listen = "127.0.0.1:7001"; ///< --listen HOST:PORT (port 0: the OS picks)
  std::string secret_file;               ///< --secret-file (else $PSIM_SECRET)
  std::string check;                     ///< --check HOST:PORT: test a node, do not listen
  actors::tls_files tls;                 ///< --tls-cert, --tls-key, --tls-ca
  bool insecure = false;                 ///< --insecure: plain TCP off loopback
  double handshake_timeout = 5;          ///< --handshake-timeout SECONDS
  std::size_t max_unauthenticated = 32;  ///< --max-unauthenticated N
};

/// Runs `psim node`; returns the exit code.
int node_command(const node_args& args);

/// Runs `psim check` on each file; returns the exit code.
int check_command(const std::vector<std::string>& files);

/// Loads and validates `path` with its data; prints the error and returns false on failure.
/// `before_data`, when given, sees the validated scenario before its data is loaded.
bool load_checked(const std::string& path, const std::vector<std::string>& overrides,
                  sim::scenario& out,
                  const std::function<void(const sim::scenario&)>& before_data = {});

/// Prints `psim: error: FILE:LINE:COL: key: message` (parts that are unknown left out).
void print_error(const std::string& file, int line, int column, const std::string& key,
                 const std::string& message);

} // namespace psim::cli
