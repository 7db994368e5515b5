// The line-by-line output file behind metrics.csv and events.csv.
#include "sim/output/csv_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace psim::sim {

csv_file::csv_file(const std::string& path, const std::string& header, bool flush_each_line)
  : file_(std::fopen(path.c_str(), "w")), flush_each_line_(flush_each_line) {
  if (file_ == nullptr)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  std::fputs(header.c_str(), file_);
  std::fflush(file_);
}

csv_file::~csv_file() {
  std::fclose(file_);
}

void csv_file::write(const std::string& line) {
  std::fputs(line.c_str(), file_);
  if (flush_each_line_)
    std::fflush(file_);
}

} // namespace psim::sim
