// The node handshake's arithmetic with OpenSSL's libcrypto: RAND_bytes for nonces,
// HMAC-SHA256 for answers, CRYPTO_memcmp to compare them.
#include "actors/remote/handshake.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace psim::actors {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

// Appends `part` with its length first, so that no two inputs give the same bytes.
void append_field(std::string& to, const std::string& part) {
  auto size = static_cast<std::uint32_t>(part.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    to += static_cast<char>((size >> shift) & 0xff);
  to += part;
}

} // namespace

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("OpenSSL's random generator failed");
  return hex(buffer.data(), bytes);
}

std::string handshake_answer(const std::string& secret, const std::string& nonce,
                             const std::string& version, const std::string& run_id) {
  std::string message;
  append_field(message, nonce);
  append_field(message, version);
  append_field(message, run_id);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size)
      == nullptr)
    throw std::runtime_error("OpenSSL's HMAC-SHA256 failed");
  return hex(mac, size);
}

bool same_answer(const std::string& a, const std::string& b) {
  if (a.size() != b.size())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::chrono::milliseconds refusal_delay(std::uint32_t failures) {
  auto shift = std::min<std::uint32_t>(failures > 0 ? failures - 1 : 0, 5);
  return std::min(std::chrono::milliseconds(100 << shift), std::chrono::milliseconds(3000));
}

} // namespace psim::actors
