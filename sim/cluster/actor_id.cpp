// Printing, parsing and matching actor names.
#include "sim/cluster/actor_id.hpp"

#include <charconv>

namespace psim::sim {

namespace {

constexpr std::string_view worker_prefix = "worker-";
constexpr std::string_view server_prefix = "server-";
constexpr std::string_view arrow = "->";

} // namespace

std::string to_string(actor_id id) {
  auto prefix = id.is_worker() ? worker_prefix : server_prefix;
  return std::string{prefix} + std::to_string(id.index);
}

std::string to_string(link_id id) {
  return to_string(id.from) + std::string{arrow} + to_string(id.to);
}

std::optional<actor_id> parse_actor_id(std::string_view text) {
  actor_kind kind;
  if (text.substr(0, worker_prefix.size()) == worker_prefix)
    kind = actor_kind::worker;
  else if (text.substr(0, server_prefix.size()) == server_prefix)
    kind = actor_kind::server;
  else
    return std::nullopt;
  auto digits = text.substr(worker_prefix.size()); // both prefixes have 7 characters
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0'))
    return std::nullopt;
  std::uint32_t index = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (error != std::errc{} || end != digits.data() + digits.size())
    return std::nullopt;
  return actor_id{kind, index};
}

std::optional<link_id> parse_link_id(std::string_view text) {
  auto at = text.find(arrow);
  if (at == std::string_view::npos)
    return std::nullopt;
  auto from = parse_actor_id(text.substr(0, at));
  auto to = parse_actor_id(text.substr(at + arrow.size()));
  if (!from || !to)
    return std::nullopt;
  return link_id{*from, *to};
}

std::string to_string(const target_id& id) {
  return std::visit([](const auto& x) { return to_string(x); }, id);
}

std::optional<target_id> parse_target_id(std::string_view text) {
  if (auto link = parse_link_id(text))
    return target_id{*link};
  if (auto actor = parse_actor_id(text))
    return target_id{*actor};
  return std::nullopt;
}

bool name_matches(std::string_view pattern, std::string_view name) {
  // Iterative glob with '*' only: remember the last star to backtrack to.
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

bool matches(std::string_view pattern, actor_id id) {
  return name_matches(pattern, to_string(id));
}

} // namespace psim::sim
