// The event names: one list in sim/output/event_kind.hpp, documented in
// docs/scenario-reference.md and read by the plotter (tools/plot/events.py); the three
// must agree, so a new kind cannot be written but not drawn or documented.
#include "sim/output/event_kind.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

using namespace psim::sim;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::set<std::string> psim_kinds() {
  std::set<std::string> names;
  for (auto kind : all_event_kinds)
    names.emplace(to_string(kind));
  return names;
}

} // namespace

TEST_SUITE("sim.output.event_kind") {

TEST_CASE("every kind prints and parses back") {
  for (auto kind : all_event_kinds)
    CHECK(parse_event_kind(to_string(kind)) == kind);
  CHECK_FALSE(parse_event_kind("teleport"));
}

TEST_CASE("the plotter knows exactly psim's event names") {
  auto text = read_text(PSIM_SOURCE_DIR "/tools/plot/events.py");
  auto start = text.find("KINDS = (");
  REQUIRE(start != std::string::npos);
  auto list = text.substr(start, text.find(')', start) - start);
  std::set<std::string> names;
  std::regex quoted{"\"([a-z_]+)\""};
  for (std::sregex_iterator it{list.begin(), list.end(), quoted}, end; it != end; ++it)
    names.insert((*it)[1]);
  CHECK(names == psim_kinds());
}

TEST_CASE("the scenario reference documents exactly psim's event names") {
  auto text = read_text(PSIM_SOURCE_DIR "/docs/scenario-reference.md");
  auto start = text.find("| event | actor | meaning |");
  REQUIRE(start != std::string::npos);
  auto table = text.substr(start, text.find("\n\n", start) - start);
  std::set<std::string> names;
  std::regex row{"\n\\| `([a-z_]+)` \\|"};
  for (std::sregex_iterator it{table.begin(), table.end(), row}, end; it != end; ++it)
    names.insert((*it)[1]);
  CHECK(names == psim_kinds());
}

}
