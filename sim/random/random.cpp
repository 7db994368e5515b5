// xoshiro256** streams seeded through splitmix64 from the run seed and the stream's
// name; no std:: distributions, so every platform draws the same numbers.
#include "sim/random/random.hpp"

#include <cmath>

namespace psim::sim {

namespace {

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

} // namespace

random_stream::random_stream(std::uint64_t seed, std::string_view name) {
  // Scramble the seed before mixing in the name so that (seed, name) pairs whose raw
  // xor coincides still land on different streams.
  std::uint64_t scrambled = seed;
  std::uint64_t mixed = splitmix64(scrambled) ^ fnv1a(name);
  for (auto& word : state_)
    word = splitmix64(mixed);
  if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0)
    state_[0] = 1; // the all-zero state is a fixed point of xoshiro
}

std::uint64_t random_stream::next() {
  std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double random_stream::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double random_stream::normal() {
  constexpr double two_pi = 6.283185307179586476925286766559;
  double u1 = 1.0 - uniform(); // in (0, 1], so the log is finite
  double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

std::uint64_t random_stream::below(std::uint64_t n) {
  // Reject the lowest (2^64 mod n) values so that every residue is equally likely.
  std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    std::uint64_t r = next();
    if (r >= threshold)
      return r % n;
  }
}

} // namespace psim::sim
