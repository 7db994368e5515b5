// Test support for the data tests: a temporary directory to write small data files
// into, removed at the end of the test, and the data_error an action throws.
#pragma once

#include "sim/data/data.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

namespace psim::test {

/// A fresh directory under the system's temp directory, removed at scope exit.
struct temp_dir {
  // Time and a random_device draw keep directories apart when ctest runs cases at once.
  std::filesystem::path path =
    std::filesystem::temp_directory_path()
    / ("psim-data-files-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count())
       + "-" + std::to_string(std::random_device{}()));
  temp_dir() { std::filesystem::create_directories(path); }
  ~temp_dir() { std::filesystem::remove_all(path); }

  /// Writes `bytes` to the file `name` in the directory and returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    auto file = (path / name).string();
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }
};

/// The data_error `action` throws; fails the test when it throws none.
inline sim::data_error data_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const sim::data_error& e) {
    return e;
  }
  FAIL("no data_error was thrown");
  return sim::data_error("", 0, 0, "");
}

} // namespace psim::test
