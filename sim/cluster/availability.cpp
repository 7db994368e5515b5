// Availability: which pattern covers a worker, and the parser of availability traces
// (rows `worker,time,state`, FedScale-style device traces).
#include "sim/cluster/availability.hpp"

#include "sim/cluster/actor_id.hpp"
#include "sim/random/units.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace psim::sim {

namespace {

std::string_view trimmed(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos)
    return {};
  auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

// The three cells of a row, or fewer when it has fewer commas.
std::vector<std::string_view> cells_of(std::string_view row) {
  std::vector<std::string_view> cells;
  while (true) {
    auto comma = row.find(',');
    cells.push_back(trimmed(row.substr(0, comma)));
    if (comma == std::string_view::npos)
      return cells;
    row.remove_prefix(comma + 1);
  }
}

// A worker number, written "3" or "worker-3".
std::optional<std::uint32_t> worker_of(std::string_view cell) {
  if (auto id = parse_actor_id(cell); id && id->kind == actor_kind::worker)
    return id->index;
  std::uint32_t number = 0;
  auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), number);
  if (error != std::errc{} || end != cell.data() + cell.size() || cell.empty())
    return std::nullopt;
  return number;
}

std::optional<bool> state_of(std::string_view cell) {
  if (cell == "online" || cell == "1" || cell == "up")
    return true;
  if (cell == "offline" || cell == "0" || cell == "down")
    return false;
  return std::nullopt;
}

availability_change change_of(std::string_view row, int line, std::size_t workers) {
  auto cells = cells_of(row);
  if (cells.size() != 3)
    throw availability_trace_error(line, "found " + std::to_string(cells.size())
                                           + " cell(s); allowed: worker,time,state");
  auto worker = worker_of(cells[0]);
  if (!worker || *worker >= workers)
    throw availability_trace_error(
      line, "found worker \"" + std::string(cells[0]) + "\"; allowed: 0 to "
              + std::to_string(workers - 1) + " or worker-0 to worker-" + std::to_string(workers - 1));
  auto time = parse_duration(cells[1]);
  if (!time || *time < 0)
    throw availability_trace_error(line, "found time \"" + std::string(cells[1])
                                           + "\"; allowed: a duration >= 0 ("
                                           + std::string(duration_forms) + ")");
  auto state = state_of(cells[2]);
  if (!state)
    throw availability_trace_error(line, "found state \"" + std::string(cells[2])
                                           + "\"; allowed: online, offline, 1, 0");
  return {*worker, *time, *state};
}

} // namespace

const availability_pattern* pattern_of(const availability_config& config,
                                       std::uint32_t worker) {
  const availability_pattern* found = nullptr;
  for (const auto& p : config.patterns)
    if (matches(p.target, actor_id::worker(worker)))
      found = &p;
  return found;
}

std::vector<availability_change> parse_availability_trace(std::string_view text,
                                                          std::size_t workers) {
  std::vector<availability_change> changes;
  std::istringstream in{std::string(text)};
  std::string row;
  for (int line = 1; std::getline(in, row); ++line) {
    auto content = trimmed(row);
    if (content.empty() || content.front() == '#')
      continue;
    if (line == 1 && content.rfind("worker", 0) == 0 && cells_of(content).size() == 3
        && cells_of(content)[1] == "time")
      continue; // the header row
    changes.push_back(change_of(content, line, workers));
  }
  std::stable_sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
    return a.at < b.at || (a.at == b.at && a.worker < b.worker);
  });
  return changes;
}

} // namespace psim::sim
