// Tests for actors/runtime/message_pool.hpp: the newest kept message that nobody else
// holds is reused first, the oldest is dropped when full, and swap_free() reuses exactly
// what take() followed by keep() would, checked against a plain oldest-first vector.
#include "actors/runtime/message_pool.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

using psim::actors::message_pool;

namespace {

// The message's number (0: a new one).
int number(const caf::message& msg) { return msg.get_as<int>(0); }

// An independent pool: kept messages oldest first, the newest free one taken.
struct reference_pool {
  std::size_t capacity;
  std::vector<caf::message> kept;

  caf::message take() {
    for (auto i = kept.size(); i-- > 0;)
      if (kept[i].cvals()->unique()) {
        auto msg = kept[i];
        kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(i));
        return msg;
      }
    return caf::make_message(0);
  }
  void keep(caf::message msg) {
    if (kept.size() == capacity)
      kept.erase(kept.begin());
    kept.push_back(std::move(msg));
  }
};

} // namespace

TEST_SUITE("actors.runtime.message_pool") {

TEST_CASE("take reuses the newest free message, and makes a new one when all are held") {
  message_pool<int> pool(3);
  std::vector<caf::message> held;
  for (int n = 1; n <= 3; ++n) {
    held.push_back(caf::make_message(n));
    pool.keep(held.back());
  }
  held[2] = caf::message{}; // 3 and 1 are free, 3 is newer
  held[0] = caf::message{};
  CHECK(number(pool.take()) == 3);
  CHECK(number(pool.take()) == 1);
  CHECK(number(pool.take()) == 0); // 2 is still held
  held[1] = caf::message{};
  CHECK(number(pool.take()) == 2);
}

TEST_CASE("a full pool drops its oldest message") {
  message_pool<int> pool(2);
  for (int n = 1; n <= 3; ++n)
    pool.keep(caf::make_message(n));
  CHECK(number(pool.take()) == 3);
  CHECK(number(pool.take()) == 2);
  CHECK(number(pool.take()) == 0);
}

TEST_CASE("take, keep and swap_free reuse what the reference pool reuses") {
  for (std::size_t capacity : {1, 2, 3, 8, 20}) {
    CAPTURE(capacity);
    message_pool<int> pool(capacity);
    reference_pool ref{capacity, {}};
    caf::message mine = caf::make_message(1);
    caf::message theirs = caf::make_message(1);
    std::vector<caf::message> held_mine, held_theirs; // "in flight", the same numbers
    int made = 1;
    std::mt19937 gen(static_cast<std::uint32_t>(capacity));
    for (int i = 0; i < 5000; ++i) {
      auto kind = gen() % 4;
      if (kind == 0 || kind == 1) {
        held_mine.push_back(mine);
        held_theirs.push_back(theirs);
        if (kind == 0 && !pool.swap_free(mine)) {
          pool.keep(std::move(mine));
          mine = caf::make_message(0);
        } else if (kind == 1) {
          auto next = pool.take();
          pool.keep(std::move(mine));
          mine = std::move(next);
        }
        auto next = ref.take();
        ref.keep(std::move(theirs));
        theirs = std::move(next);
        REQUIRE(number(mine) == number(theirs));
        if (number(theirs) == 0) {
          ++made;
          mine.get_mutable_as<int>(0) = made;
          theirs.get_mutable_as<int>(0) = made;
        }
      } else if (!held_mine.empty()) {
        auto k = static_cast<std::ptrdiff_t>(gen() % held_mine.size());
        held_mine.erase(held_mine.begin() + k);
        held_theirs.erase(held_theirs.begin() + k);
      }
    }
    CHECK(made > static_cast<int>(capacity)); // the pool was full at times
  }
}

} // TEST_SUITE
