// The kinds of events events.csv records: one list, one printer. The scenario
// reference documents each and tools/plot/events.py lists them for the plotter; a test
// (tests/sim/output/event_kind_test.cpp) keeps the three equal.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace psim::sim {

/// Something an actor did or saw, as events.csv names it.
enum class event_kind : std::uint8_t {
  compute_start, ///< a worker began a gradient (version: the parameters it uses)
  compute_end,   ///< the gradient's modeled compute time is over
  send,          ///< a message left an actor (peer: its receiver; bytes: its size)
  deliver,       ///< a message reached its receiver (peer: its sender)
  drop,          ///< a link lost a message
  apply,         ///< the server (or a replica) applied a gradient (staleness: τ)
  discard,       ///< the server discarded a gradient as too stale or from before a crash
  abandon,       ///< a worker gave up a computation on an old round (ksync)
  resend,        ///< a worker sent an unanswered push again
  crash,         ///< a worker or server crashed
  restart,       ///< a worker or server came back
  down,          ///< the server saw a worker's actor end
  join,          ///< the server took a restarted worker back
  offline,       ///< a worker left under [availability] (its work under way is abandoned)
  online,        ///< a worker came back under [availability] (it pulls the parameters)
};

/// Every event kind, in declaration order.
inline constexpr std::array<event_kind, 15> all_event_kinds{
  event_kind::compute_start, event_kind::compute_end, event_kind::send,
  event_kind::deliver,       event_kind::drop,        event_kind::apply,
  event_kind::discard,       event_kind::abandon,     event_kind::resend,
  event_kind::crash,         event_kind::restart,     event_kind::down,
  event_kind::join,          event_kind::offline,     event_kind::online};

/// The name events.csv writes.
constexpr std::string_view to_string(event_kind kind) {
  constexpr std::array<std::string_view, 15> names{
    "compute_start", "compute_end", "send",    "deliver", "drop",   "apply", "discard",
    "abandon",       "resend",      "crash",   "restart", "down",   "join",  "offline",
    "online"};
  return names[static_cast<std::size_t>(kind)];
}

/// The kind `name` denotes; nothing for an unknown name.
constexpr std::optional<event_kind> parse_event_kind(std::string_view name) {
  for (auto kind : all_event_kinds)
    if (to_string(kind) == name)
      return kind;
  return std::nullopt;
}

} // namespace psim::sim
