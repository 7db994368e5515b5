// Who an actor of a run is: a worker, a server shard, or the directed link between two
// of them, with one way to print and one to parse ("worker-3", "server-0",
// "worker-3->server-0").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace psim::sim {

/// The roles an endpoint can have.
enum class actor_kind : std::uint8_t { worker, server };

/// A worker or a server shard, by kind and number.
struct actor_id {
  actor_kind kind = actor_kind::worker; ///< its role
  std::uint32_t index = 0;              ///< worker number or shard number

  /// Worker `i`.
  static constexpr actor_id worker(std::uint32_t i) { return {actor_kind::worker, i}; }

  /// Server shard `s`.
  static constexpr actor_id server(std::uint32_t s) { return {actor_kind::server, s}; }

  /// True for a worker.
  constexpr bool is_worker() const { return kind == actor_kind::worker; }

  /// True for a server shard.
  constexpr bool is_server() const { return kind == actor_kind::server; }
};

/// Equal kind and number.
constexpr bool operator==(actor_id a, actor_id b) {
  return a.kind == b.kind && a.index == b.index;
}

/// Not equal.
constexpr bool operator!=(actor_id a, actor_id b) { return !(a == b); }

/// Workers first, then servers, each by number.
constexpr bool operator<(actor_id a, actor_id b) {
  return a.kind != b.kind ? a.kind < b.kind : a.index < b.index;
}

/// The directed link from one endpoint to another.
struct link_id {
  actor_id from; ///< sender
  actor_id to;   ///< receiver
};

/// Equal ends.
constexpr bool operator==(link_id a, link_id b) { return a.from == b.from && a.to == b.to; }

/// "worker-3" or "server-0".
std::string to_string(actor_id id);

/// "worker-3->server-0".
std::string to_string(link_id id);

/// The actor `text` names exactly ("worker-3", "server-10"); nothing for anything else.
std::optional<actor_id> parse_actor_id(std::string_view text);

/// The link `text` names exactly ("worker-3->server-0"); nothing for anything else.
std::optional<link_id> parse_link_id(std::string_view text);

/// What a fault can touch: an actor or a link.
using target_id = std::variant<actor_id, link_id>;

/// "worker-3", "server-0" or "worker-3->server-0".
std::string to_string(const target_id& id);

/// The actor or link `text` names exactly; nothing for anything else.
std::optional<target_id> parse_target_id(std::string_view text);

/// Orders targets by their names, as text ("worker-10" before "worker-2").
struct by_name {
  /// True when `a`'s name sorts before `b`'s.
  bool operator()(const target_id& a, const target_id& b) const {
    return to_string(a) < to_string(b);
  }
};

/// True when `name` matches `pattern`, where '*' stands for any run of characters
/// ("worker-*" matches "worker-12").
bool name_matches(std::string_view pattern, std::string_view name);

/// True when `pattern` matches the name of `id`.
bool matches(std::string_view pattern, actor_id id);

} // namespace psim::sim
