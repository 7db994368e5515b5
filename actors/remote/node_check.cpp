// A check that every registered message type crosses a real node boundary: one value
// of each goes to an echo actor on the node and must come back equal (CAF 0.17 drops a
// type that is not registered on both sides without an error).
#include "actors/remote/node.hpp"

#include <algorithm>
#include <chrono>

namespace psim::actors {

namespace {

// Sends `value` to `echo` and back; records `name` when it does not return equal.
template <class T>
void round_trip(caf::scoped_actor& self, const caf::actor& echo, const std::string& name,
                const T& value, std::vector<std::string>& failures) {
  bool same = false;
  self->request(echo, std::chrono::seconds(5), value)
    .receive([&](const T& back) { same = caf::deep_to_string(back) == caf::deep_to_string(value); },
             [&](caf::error&) {});
  if (!same)
    failures.push_back(name);
}

// Sends one value of each type to the node's echo actor and counts the failures.
struct round_tripper {
  caf::scoped_actor& self;           ///< the checking side
  caf::actor echo;                   ///< the echo actor on the node
  std::vector<std::string> failures; ///< types that did not come back equal
  std::vector<std::string> tried;    ///< every type sent
  std::size_t& checked;              ///< count of checks

  /// Sends `value` as type `name` and back.
  template <class T>
  void operator()(const std::string& name, const T& value) {
    ++checked;
    tried.push_back(name);
    round_trip(self, echo, name, value, failures);
  }
};

/// Sample values the messages carry.
struct samples {
  std::vector<double> values{1.5, -2.25, 1e-300};
  std::vector<std::uint64_t> counts{1, 2, 1ULL << 40};
  fault_record fault{2.5, "crash", "worker-2", 3.5};
  caf::actor me;
};

// The messages of training: gradients, parameters, ring chunks, events, metrics.
void check_training(round_tripper& check, const samples& x) {
  const auto& values = x.values;
  check("gradient_msg", [&] {
    gradient_msg g;
    g.worker = 3;
    g.version = 17;
    g.samples = 32;
    g.seq = 5;
    g.incarnation = 1;
    g.values = values;
    g.row = 41;
    g.entries = 100'000;
    return g;
  }());
  check("params_msg", [&] {
    params_msg p;
    p.version = 9;
    p.epoch = 2;
    p.values = values;
    return p;
  }());
  check("chunk_msg", [&] {
    chunk_msg c;
    c.round = 4;
    c.step = 1;
    c.values = values;
    return c;
  }());
  check("hop_stamp", hop_stamp{1'234'567'890'123});
  check("event_msg", [&] {
    event_msg e;
    e.actor = "worker-1";
    e.event = "send";
    e.peer = "server-0";
    e.version = 7;
    e.bytes = 136;
    return e;
  }());
  check("metrics_point", [&] {
    metrics_point m;
    m.version = 10;
    m.time = 0.125;
    m.gradients = 40;
    m.staleness_sum = 3;
    m.staleness_count = 4;
    m.params = values;
    return m;
  }());
}

// The reports every actor sends at the stop.
void check_reports(round_tripper& check, const samples& x) {
  const auto& values = x.values;
  const auto& counts = x.counts;
  check("worker_report", [&] {
    worker_report r;
    r.id = 2;
    r.computed = 11;
    r.pushed = 10;
    r.crashes = 1;
    r.node = "127.0.0.1:7001";
    r.replica = values;
    return r;
  }());
  check("server_report", [&] {
    server_report r;
    r.version = 100;
    r.applied = 99;
    r.seen = counts;
    r.staleness_histogram = counts;
    r.params = values;
    return r;
  }());
  check("link_report", [&] {
    link_report r;
    r.name = "worker-0->server-0";
    r.sent = 5;
    r.in_transit = counts;
    return r;
  }());
}

// The messages that wire, place and fault a cluster, and the plain containers.
void check_cluster(round_tripper& check, const samples& x) {
  const auto& values = x.values;
  const auto& counts = x.counts;
  const auto& fault = x.fault;
  const auto& me = x.me;
  check("wiring", [&] {
    wiring w;
    w.peers = {me};
    w.watch = {me, me};
    return w;
  }());
  check("join_msg", [&] {
    join_msg j;
    j.worker = 1;
    j.incarnation = 2;
    j.handle = me;
    return j;
  }());
  check("fault_record", fault);
  check("injector_report", [&] {
    injector_report r;
    r.extra_reports = 1;
    r.faults = {fault, fault};
    return r;
  }());
  check("directory", [&] {
    directory d;
    d.names = {"worker-0", "server-0"};
    d.handles = {me, me};
    return d;
  }());
  check("actor_config", [&] {
    actor_config c;
    c.id = 3;
    c.from = "worker-3";
    c.to = "server-0";
    c.scenario = "seed = 1\n";
    c.incarnation = 2;
    c.node = "127.0.0.1:7002";
    c.initial_parameters = {0.5, -1.0};
    return c;
  }());
  check("effect_msg", [&] {
    effect_msg e;
    e.fault = 2;
    e.effect = {sim::effect_kind::link_latency, 0.5, 3, sim::distribution::fixed(0.007)};
    e.effect.latency.samples = std::make_shared<const std::vector<double>>(values);
    e.begin = false;
    return e;
  }());
  check("std::vector<double>", values);
  check("std::vector<uint64_t>", counts);
  check("std::vector<actor>", std::vector<caf::actor>{me, me});
  check("std::vector<fault_record>", std::vector<fault_record>{fault});
  check("std::vector<std::string>", std::vector<std::string>{"a", "b"});
}

// A message type registered without a round trip here is a failure (CAF adds
// std::vector<T> and stream<T> for each T, and the middleman its own "@" types).
void check_all_sampled(caf::actor_system& sys, round_tripper& check) {
  caf::actor_system_config plain;
  for (const auto& entry : sys.config().value_factories_by_name) {
    const auto& name = entry.first;
    bool companion = name.find('@') != std::string::npos || name.rfind("stream<", 0) == 0
                     || name.rfind("std::vector<", 0) == 0;
    if (!companion && plain.value_factories_by_name.count(name) == 0
        && std::find(check.tried.begin(), check.tried.end(), name) == check.tried.end()) {
      ++check.checked;
      check.failures.push_back(name + " (registered, but node_check.cpp sends none)");
    }
  }
}

} // namespace

std::vector<std::string> check_message_types(caf::actor_system& sys, const caf::actor& gate,
                                             std::size_t& checked) {
  caf::scoped_actor self{sys};
  caf::actor echo;
  self->request(gate, std::chrono::seconds(5), echo_atom::value)
    .receive([&](caf::actor& a) { echo = std::move(a); }, [&](caf::error&) {});
  if (!echo)
    return {"(the node gave no echo actor)"};
  samples x;
  x.me = caf::actor_cast<caf::actor>(self);
  round_tripper check{self, echo, {}, {}, checked};
  check_training(check, x);
  check_reports(check, x);
  check_cluster(check, x);
  check_all_sampled(sys, check);
  return check.failures;
}

} // namespace psim::actors
