// Why a run stopped, as summary.json's `stopped_by` names it: one enum, one printer,
// one parser (DESIGN §6).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace psim::sim {

/// The condition that ended a run.
enum class stop_reason : std::uint8_t {
  updates,     ///< run.stop.updates versions were applied (allreduce: every replica)
  time,        ///< run.stop.time seconds of (virtual or real) time passed
  loss,        ///< the train loss reached run.stop.loss
  wall,        ///< run.stop.wall seconds of wall time passed
  interrupted, ///< the user interrupted the run (Ctrl-C)
  stalled,     ///< nothing could happen any more, or the actors did not report
  diverged,    ///< the train loss became non-finite or grew a thousandfold
  failed,      ///< an actor failed (an exception); the message is in the summary
};

/// Every stop reason, in declaration order.
inline constexpr std::array<stop_reason, 8> all_stop_reasons{
  stop_reason::updates,     stop_reason::time,    stop_reason::loss,     stop_reason::wall,
  stop_reason::interrupted, stop_reason::stalled, stop_reason::diverged, stop_reason::failed};

/// The name summary.json writes.
constexpr std::string_view to_string(stop_reason reason) {
  constexpr std::array<std::string_view, 8> names{
    "updates", "time", "loss", "wall", "interrupted", "stalled", "diverged", "failed"};
  return names[static_cast<std::size_t>(reason)];
}

/// The reason `name` denotes; nothing for an unknown name.
constexpr std::optional<stop_reason> parse_stop_reason(std::string_view name) {
  for (auto reason : all_stop_reasons)
    if (to_string(reason) == name)
      return reason;
  return std::nullopt;
}

/// True for the reasons a run counts as failed (the CLI exits with an error).
constexpr bool is_failure(stop_reason reason) {
  return reason == stop_reason::diverged || reason == stop_reason::stalled
         || reason == stop_reason::failed;
}

} // namespace psim::sim
