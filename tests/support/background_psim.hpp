// Test support: psim started in the background, so that a test can signal it at a
// moment it observes (a file that appears or grows) and then read its exit.
#pragma once

#include "tests/support/run_files.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace psim::test {

/// A `psim <args>` process run from the source tree, its output in files; killed with
/// SIGKILL when the test is done with it, if it still runs.
class background_psim {
public:
  /// Starts psim with `args`.
  explicit background_psim(std::vector<std::string> args) {
    args.insert(args.begin(), PSIM_BINARY);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    auto dir = temp_folder("background");
    pid_ = fork();
    if (pid_ < 0)
      throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      int out = open((dir + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = open((dir + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      if (chdir(PSIM_SOURCE_DIR) != 0)
        _exit(127);
      execv(PSIM_BINARY, argv.data());
      _exit(127);
    }
    err_file_ = dir + "/err";
  }

  background_psim(const background_psim&) = delete;
  background_psim& operator=(const background_psim&) = delete;

  ~background_psim() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  /// Sends `signal` to the process.
  void signal(int signal) const { ::kill(pid_, signal); }

  /// Stops the process (SIGSTOP) and waits until it is stopped: true then. A write() to
  /// a file finishes before the process stops (only a fatal signal cuts it short), so a
  /// signal sent now finds the process between two writes.
  bool stop_between_writes() const {
    ::kill(pid_, SIGSTOP);
    int status = 0;
    return waitpid(pid_, &status, WUNTRACED) == pid_ && WIFSTOPPED(status);
  }

  /// Waits at most `limit` for the process to end: its exit code, 128 + the signal that
  /// ended it, or -1 if it still runs.
  int wait(std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      poll(nullptr, 0, 10); // polling the child with a deadline
    }
    return -1;
  }

  /// True once `path` holds at least `bytes` bytes, within `limit`; false if the process
  /// ended first or the time ran out.
  bool wait_for_file(const std::string& path, long bytes, std::chrono::seconds limit) const {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      struct stat st {};
      if (::stat(path.c_str(), &st) == 0 && st.st_size >= bytes)
        return true;
      if (waitpid(pid_, nullptr, WNOHANG) != 0)
        return false;
      poll(nullptr, 0, 1); // polling the file with a deadline
    }
    return false;
  }

  /// What the process wrote to stderr so far.
  std::string errors() const { return read_text(err_file_); }

private:
  pid_t pid_ = -1;
  std::string err_file_;
};

} // namespace psim::test
