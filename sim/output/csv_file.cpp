// The line-by-line output file behind metrics.csv and events.csv. It buffers whole
// lines itself instead of through stdio, whose buffer fills up in the middle of a line.
#include "sim/output/csv_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace psim::sim {

namespace {

// Buffered lines are written once they pass this size.
constexpr std::size_t flush_bytes = 64 * 1024;

} // namespace

csv_file::csv_file(const std::string& path, const std::string& header, bool flush_each_line)
  : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)),
    flush_each_line_(flush_each_line) {
  if (fd_ < 0)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  write_out(header);
}

csv_file::~csv_file() {
  write_out(pending_);
  ::close(fd_);
}

void csv_file::write(const std::string& line) {
  if (flush_each_line_)
    return write_out(line);
  pending_ += line;
  if (pending_.size() >= flush_bytes) {
    write_out(pending_);
    pending_.clear();
  }
}

void csv_file::write_out(const std::string& text) {
  // One write() takes it all on a regular file; the loop only covers a short write
  // (a full disk reports itself on the next call, which then fails).
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += static_cast<std::size_t>(n);
  }
}

} // namespace psim::sim
