// Test support: a `psim node` process in the background on 127.0.0.1 with a port the
// OS picks, read from the line it prints; killed when the test is done with it.
#pragma once

#include "tests/support/run_files.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace psim::test {

/// A running `psim node --listen 127.0.0.1:0` with PSIM_SECRET = `secret`.
class node_process {
public:
  /// Starts the node with `extra` arguments and waits (at most 30 s) for its
  /// "listening on" line.
  explicit node_process(const std::string& secret, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{PSIM_BINARY, "node", "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    err_file_ = temp_folder("node") + "/err";
    int fds[2];
    if (pipe(fds) != 0)
      throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      int err = open(err_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(err, STDERR_FILENO);
      close(fds[0]);
      setenv("PSIM_SECRET", secret.c_str(), 1);
      execv(PSIM_BINARY, argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
    auto line = read_line(std::chrono::seconds(30));
    auto colon = line.rfind(':');
    if (line.rfind("psim node listening on 127.0.0.1:", 0) != 0 || colon == std::string::npos)
      throw std::runtime_error("psim node printed \"" + line + "\"; stderr: " + errors());
    port_ = std::stoi(line.substr(colon + 1));
  }

  node_process(const node_process&) = delete;
  node_process& operator=(const node_process&) = delete;

  ~node_process() {
    kill_now();
    if (out_ >= 0)
      close(out_);
  }

  /// "127.0.0.1:PORT".
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  /// What the node wrote to stderr so far.
  std::string errors() const { return read_text(err_file_); }

  /// Stops the node with SIGSTOP: its sockets stay open, it answers nothing.
  void freeze() { ::kill(pid_, SIGSTOP); }

  /// Sends SIGINT, as Ctrl-C in the node's terminal does; waits (at most 10 s) for the
  /// node to exit and returns its exit code (-1 if it did not exit).
  int interrupt() {
    ::kill(pid_, SIGINT);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      poll(nullptr, 0, 20); // polling the child with a deadline
    }
    return -1;
  }

  /// The node's port on 127.0.0.1.
  int port() const { return port_; }

  /// Ends the node with SIGKILL, as a crashed machine would end.
  void kill_now() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

private:
  std::string read_line(std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    std::string line;
    char c = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0)
        continue;
      if (read(out_, &c, 1) != 1 || c == '\n')
        break;
      line += c;
    }
    return line;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
  std::string err_file_;
};

} // namespace psim::test
