// Closes the connections to a node's port that stay unproven: a peer that has not sent
// a handshake's worth of bytes within the limit, or one too many of them at once. CAF
// 0.17 neither times out nor caps connections that never finish its handshake.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace psim::actors {

/// A thread that watches this process's TCP connections on one local port.
class connection_guard {
public:
  /// Watches connections to `port`: those that received fewer than `proof_bytes` bytes
  /// after `limit`, and the oldest of them beyond `cap`, are shut down.
  connection_guard(std::uint16_t port, std::chrono::milliseconds limit, std::size_t cap);

  connection_guard(const connection_guard&) = delete;
  connection_guard& operator=(const connection_guard&) = delete;

  /// Stops the thread.
  ~connection_guard();

  /// Bytes a peer must have sent to count as past the handshake (CAF's and psim's).
  static constexpr std::uint64_t proof_bytes = 384;

private:
  void watch();

  std::uint16_t port_;
  std::chrono::milliseconds limit_;
  std::size_t cap_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace psim::actors
