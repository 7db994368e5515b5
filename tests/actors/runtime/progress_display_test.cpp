// The progress line: nothing off a terminal; while the actors spawn, how many are set up;
// during the run, the version noted by the server even between rows; at the stop, at
// once, that the actors end and report; cleared when closed.
#include "actors/runtime/progress_display.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

using namespace psim;
using namespace psim::actors;

namespace {

// What `draw` writes through a display of a quickstart-like run, enabled or not.
template <class Draw>
std::string drawn(bool enabled, Draw draw) {
  auto scn = sim::parse_scenario("[run]\nstop = { updates = 100 }\n", "progress.toml");
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  {
    progress_display display{scn, enabled, out};
    draw(display);
  }
  std::string text(static_cast<std::size_t>(std::ftell(out)), '\0');
  std::rewind(out);
  auto read = std::fread(text.data(), 1, text.size(), out);
  std::fclose(out);
  return text.substr(0, read);
}

} // namespace

TEST_SUITE("actors.runtime.progress_display") {

TEST_CASE("off a terminal nothing is drawn") {
  CHECK(drawn(false, [](progress_display& d) {
          d.setting_up(1024, 3000);
          d.stopping(3000);
          d.close();
        }).empty());
}

TEST_CASE("the set-up line counts the actors spawned and set up, every 1,024th") {
  CHECK(drawn(true, [](progress_display& d) { d.setting_up(1024, 900001); })
        == "\rsetting up: 1024 of 900001 actors (0%)   ");
  CHECK(drawn(true, [](progress_display& d) { d.setting_up(450560, 900001); })
        == "\rsetting up: 450560 of 900001 actors (50%)   ");
  // Only every 1,024th actor looks at the clock.
  CHECK(drawn(true, [](progress_display& d) { d.setting_up(1023, 900001); }).empty());
}

TEST_CASE("the stop's line is drawn at once, after the one before is cleared") {
  auto text = drawn(true, [](progress_display& d) {
    d.setting_up(1024, 3000);
    d.stopping(3000); // within 0.1 s of the set-up line: not held back
    d.close();
  });
  const std::string blank = "\r" + std::string(80, ' ') + "\r";
  CHECK(text == "\rsetting up: 1024 of 3000 actors (34%)   " + blank
                  + "\rstopping: 3000 actors end and report   " + blank);
}

TEST_CASE("the bar follows the version noted between rows") {
  // A run of 100 updates whose rows come rarely: the server has noted version 50.
  auto scn = sim::parse_scenario("[run]\nstop = { updates = 100 }\n", "progress.toml");
  auto control = make_run_control(scn);
  control->note_version(50);
  auto text = drawn(true, [&](progress_display& d) { d.update(*control, 0.25); });
  CHECK(text.rfind("\r[============            ]  50%  eta ", 0) == 0);
  CHECK(text.find("t=0.250s  v=50  loss=0") != std::string::npos);
}

} // TEST_SUITE
