// The node handshake's arithmetic, free of actors: fresh nonces, the HMAC answer a
// coordinator gives, its constant-time check, and how long a wrong answer waits.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace psim::actors {

/// `bytes` random bytes from OpenSSL's generator, as lowercase hex.
std::string random_hex(std::size_t bytes);

/// HMAC-SHA256 under `secret` of `nonce`, `version` and `run_id` (each length-prefixed),
/// as lowercase hex: what a coordinator answers to a node's challenge.
std::string handshake_answer(const std::string& secret, const std::string& nonce,
                             const std::string& version, const std::string& run_id);

/// True when `a` equals `b`, in a time that does not depend on where they differ.
bool same_answer(const std::string& a, const std::string& b);

/// How long the node waits before refusing the `failures`-th wrong answer in a row from
/// one host: 100 ms doubled per failure, at most 3 s.
std::chrono::milliseconds refusal_delay(std::uint32_t failures);

} // namespace psim::actors
