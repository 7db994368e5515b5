// Tests for sim/data/mnist.cpp: a tiny file in the format tools/fetch-data writes, its
// pixels and labels, the row limit, $PSIM_HOME, and the errors for broken files.
#include "sim/data/data.hpp"
#include "tests/support/temp_files.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>

using namespace psim::sim;
using psim::test::data_error_of;
using psim::test::temp_dir;

namespace {

std::string u32(std::uint32_t x) {
  return {static_cast<char>(x & 0xff), static_cast<char>((x >> 8) & 0xff),
          static_cast<char>((x >> 16) & 0xff), static_cast<char>((x >> 24) & 0xff)};
}

/// An MNIST file of `labels.size()` images of 2 x 3 pixels; image i's pixel p is
/// (10 i + p) * 5, so every byte says where it came from.
std::string tiny_mnist(const std::string& labels, std::uint32_t announced = 0) {
  auto count = static_cast<std::uint32_t>(labels.size());
  std::string bytes = "PSIMMNST" + u32(announced ? announced : count) + u32(2) + u32(3) + labels;
  for (std::uint32_t i = 0; i < count; ++i)
    for (std::uint32_t p = 0; p < 6; ++p)
      bytes += static_cast<char>((10 * i + p) * 5);
  return bytes;
}

} // namespace

TEST_SUITE("sim.mnist") {

TEST_CASE("images become rows of pixels in [0, 1] with their digit as label") {
  temp_dir dir;
  auto path = dir.write("tiny.bin", tiny_mnist(std::string{"\x07\x00\x09\x03", 4}));
  auto data = load_mnist(path);
  REQUIRE(data.rows() == 4);
  REQUIRE(data.features() == 6);
  CHECK(data.y == vector{{7.0, 0.0, 9.0, 3.0}});
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index p = 0; p < 6; ++p)
      CHECK(data.x(i, p) == static_cast<double>((10 * i + p) * 5) / 255.0);
  auto first_two = load_mnist(path, 2);
  CHECK(first_two.rows() == 2);
  CHECK(first_two.x == data.x.topRows(2));
}

TEST_CASE("a relative path missing here is looked up under PSIM_HOME") {
  temp_dir dir;
  std::filesystem::create_directories(dir.path / "data");
  dir.write("data/tiny-home.bin", tiny_mnist("\x01\x02"));
  ::setenv("PSIM_HOME", dir.path.c_str(), 1);
  auto data = load_mnist("data/tiny-home.bin");
  ::unsetenv("PSIM_HOME");
  CHECK(data.rows() == 2);
}

TEST_CASE("a missing file says which command fetches it") {
  auto e = data_error_of([] { load_mnist("no/such/mnist.bin"); });
  CHECK(e.file == "no/such/mnist.bin");
  CHECK(std::string(e.what()).find("run tools/fetch-data mnist") != std::string::npos);
}

TEST_CASE("broken files are refused with the reason") {
  temp_dir dir;
  auto says = [&](const std::string& bytes, std::size_t limit) {
    auto path = dir.write("broken.bin", bytes);
    return std::string(data_error_of([&] { load_mnist(path, limit); }).what());
  };
  CHECK(says("P5\n28 28\n", 0).find("not an MNIST file written by psim") != std::string::npos);
  CHECK(says(tiny_mnist("\x01\x02", 3), 0).find("do not hold the 3 images") != std::string::npos);
  CHECK(says(tiny_mnist("\x01\x0c"), 0).find("image 1 has label 12") != std::string::npos);
  CHECK(says(tiny_mnist("\x01\x02"), 5).find("data.samples = 5 but the file holds 2")
        != std::string::npos);
}

TEST_CASE("the fetched MNIST file holds the 10,000 digits of the npm package") {
  const std::string path = PSIM_SOURCE_DIR "/data/mnist.bin";
  if (!std::ifstream(path)) {
    MESSAGE("data/mnist.bin is absent; tools/fetch-data mnist writes it");
    return;
  }
  auto data = load_mnist(path);
  REQUIRE(data.rows() == 10000);
  CHECK(data.features() == 784);
  CHECK(data.x.minCoeff() == 0.0);
  CHECK(data.x.maxCoeff() == 1.0);
  // Interleaved by digit: the first ten images are the digits 0..9.
  for (Eigen::Index i = 0; i < 10; ++i)
    CHECK(data.y[i] == static_cast<double>(i));
  CHECK((data.y.array() == 1).count() == 1127);
  CHECK((data.y.array() == 5).count() == 863);
}

}
