// Tests of sim/cluster/actor_id.cpp: printing, parsing and matching actor and link names.
#include "sim/cluster/actor_id.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace psim::sim;

TEST_SUITE("sim.cluster.actor_id") {

TEST_CASE("workers, servers and links print as scenario files write them") {
  CHECK(to_string(actor_id::worker(3)) == "worker-3");
  CHECK(to_string(actor_id::server(10)) == "server-10");
  CHECK(to_string(link_id{actor_id::worker(3), actor_id::server(0)}) == "worker-3->server-0");
  CHECK(to_string(target_id{actor_id::server(1)}) == "server-1");
  CHECK(to_string(target_id{link_id{actor_id::server(1), actor_id::worker(2)}})
        == "server-1->worker-2");
}

TEST_CASE("a printed name parses back to the same identity") {
  for (auto id : {actor_id::worker(0), actor_id::worker(12), actor_id::server(7)})
    CHECK(parse_actor_id(to_string(id)) == id);
  link_id link{actor_id::worker(12), actor_id::server(3)};
  CHECK(parse_link_id(to_string(link)) == link);
  auto target = parse_target_id("worker-12->server-3");
  REQUIRE(target);
  CHECK(std::get<link_id>(*target) == link);
  CHECK(std::get<actor_id>(*parse_target_id("server-2")) == actor_id::server(2));
}

TEST_CASE("anything but an exact name parses to nothing") {
  for (const char* text : {"", "worker-", "worker-03", "worker-1x", "worker--1", "client-1",
                           "Worker-1", "worker-99999999999", "worker-1->", "->server-0"})
    CHECK_MESSAGE(!parse_target_id(text), text);
  CHECK(!parse_actor_id("worker-1->server-0"));
  CHECK(!parse_link_id("worker-1"));
}

TEST_CASE("a star in a pattern stands for any run of characters") {
  CHECK(name_matches("worker-*", "worker-12"));
  CHECK(name_matches("*", "server-0->worker-1"));
  CHECK(name_matches("*->server-0", "worker-4->server-0"));
  CHECK(!name_matches("*->server-0", "worker-4->server-01"));
  CHECK(!name_matches("worker-1", "worker-12"));
  CHECK(matches("server-*", actor_id::server(3)));
  CHECK(!matches("server-*", actor_id::worker(3)));
}

TEST_CASE("targets sort by name as text, as the injector speaks to them") {
  std::vector<target_id> ids{actor_id::worker(2), actor_id::worker(10), actor_id::server(0),
                             link_id{actor_id::worker(0), actor_id::server(0)}};
  std::sort(ids.begin(), ids.end(), by_name{});
  std::vector<std::string> names;
  for (const auto& id : ids)
    names.push_back(to_string(id));
  CHECK(names == std::vector<std::string>{"server-0", "worker-0->server-0", "worker-10",
                                          "worker-2"});
}

}
