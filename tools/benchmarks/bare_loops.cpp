// The big-model benchmark's bare loops: at once, in flight, one pass, stale versions.
// The last does async's own arithmetic: a gradient on parameters `lag` versions old, and
// each version a vector of its own until no gradient will read it (psim's server writes
// each version into a free buffer while older ones are on their way). psim against it
// is what the actors add; against at_once, what async costs as well.
#include "tools/benchmarks/bare_loops.hpp"

#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/model/residual_gradient.hpp"
#include "sim/output/evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace psim::bench {

namespace {

// What every loop shares: the data, the model, θ_0, and each worker's next batch.
struct loop_setting {
  explicit loop_setting(const sim::scenario& scn)
    : data(sim::shared_data(scn.data, scn.seed, scn.cluster.workers)),
      model(sim::make_model(scn.model, data->train.features())),
      cursor(data->shards.size(), 0), batch(scn.training.batch_size),
      rate(scn.training.learning_rate) {
    sim::random_stream init(scn.seed, "init");
    theta0 = model->initial_parameters(init);
  }

  // The batch of gradient `i`: the next one of worker i mod workers.
  sim::batch next_batch(std::uint64_t i) { return batch_of(i % data->shards.size()); }

  // The next batch of worker `w`'s shard.
  sim::batch batch_of(std::size_t w) {
    const auto& shard = data->shards[w];
    auto rows = std::min(batch, shard.count);
    auto begin = (cursor[w]++ * rows) % (shard.count - rows + 1);
    return sim::rows_of(data->train, shard.begin + begin, rows);
  }

  std::shared_ptr<const sim::prepared_data> data;
  std::unique_ptr<sim::model> model;
  sim::vector theta0;
  std::vector<std::size_t> cursor;
  std::size_t batch;
  double rate;
};

// θ moved by the gradient on `b` read at `at`: from its residual in the pass that
// computes each entry, as psim's server steps plain SGD, where the gradient has one;
// else written whole into `grad`. `from` and `to` may be the same vector.
void step(loop_setting& s, const sim::vector& at, const sim::batch& b, const sim::vector& from,
          sim::vector& to, sim::vector& grad, sim::vector& residual) {
  if (s.model->residual_size(b) > 0) {
    residual.resize(s.model->residual_size(b));
    s.model->residual(at, b, residual);
    sim::residual_gradient{*s.model, residual, b}.descend(s.rate, from, to);
    return;
  }
  s.model->gradient(at, b, grad);
  to = from - s.rate * grad;
}

// The plain loops: at once, in flight, in one pass; θ in place.
void run_in_place(loop_setting& s, std::uint64_t gradients, bare_loop kind, std::size_t lag,
                  sim::vector& theta) {
  auto delay = kind == bare_loop::in_flight ? lag : 0;
  std::vector<sim::vector> in_flight(std::max<std::size_t>(delay, 1),
                                     sim::vector(theta.size()));
  sim::vector residual;
  for (std::uint64_t i = 0; i < gradients + delay; ++i) {
    auto& grad = in_flight[i % in_flight.size()];
    if (delay > 0 && i >= delay) // the one computed `delay` gradients ago
      theta -= s.rate * grad;
    if (i >= gradients)
      continue;
    auto b = s.next_batch(i);
    if (kind == bare_loop::one_pass) {
      step(s, theta, b, theta, theta, grad, residual);
      continue;
    }
    s.model->gradient(theta, b, grad);
    if (delay == 0)
      theta -= s.rate * grad;
  }
}

// Async's arithmetic: version i + 1 = version i minus the gradient on version i - lag,
// written into the vector of that version, which no later gradient reads.
void run_stale(loop_setting& s, std::uint64_t gradients, std::size_t lag, sim::vector& theta) {
  std::vector<sim::vector> versions(lag + 1, theta);
  sim::vector grad(theta.size()), residual;
  for (std::uint64_t i = 0; i < gradients; ++i) {
    auto read = (i >= lag ? i - lag : 0) % versions.size();
    auto& next = versions[(i + 1) % versions.size()];
    step(s, versions[read], s.next_batch(i), versions[i % versions.size()], next, grad,
         residual);
  }
  theta = versions[gradients % versions.size()];
}

// A computation's result, kept for its apply: the residual where the model has one, else
// the whole gradient.
struct computed {
  std::optional<sim::batch> rows;
  sim::vector residual;
  sim::vector gradient;
};

// The arithmetic of `steps` in their order (time_replay).
void run_replay(loop_setting& s, const std::vector<run_step>& steps, sim::vector& theta) {
  std::vector<std::uint32_t> readers; // per version, the computations yet to read it
  for (const auto& st : steps)
    if (!st.apply) {
      if (st.version >= readers.size())
        readers.resize(st.version + 1, 0);
      ++readers[st.version];
    }
  std::vector<sim::vector> buffers{theta};
  std::vector<std::size_t> buffer_of{0}; // per version, its vector in `buffers`
  std::vector<std::size_t> freed;        // vectors nobody reads, the last freed last
  std::vector<computed> work(s.data->shards.size());
  std::uint64_t current = 0;
  auto release = [&](std::uint64_t v) {
    if (v != current && (v >= readers.size() || readers[v] == 0))
      freed.push_back(buffer_of[v]);
  };
  for (const auto& st : steps) {
    auto& w = work.at(st.worker);
    if (!st.apply) {
      w.rows.emplace(s.batch_of(st.worker));
      const auto& at = buffers[buffer_of.at(st.version)];
      auto size = s.model->residual_size(*w.rows);
      if (size > 0) {
        w.residual.resize(size);
        s.model->residual(at, *w.rows, w.residual);
      } else {
        w.gradient.resize(at.size());
        s.model->gradient(at, *w.rows, w.gradient);
      }
      --readers[st.version];
      release(st.version);
      continue;
    }
    std::size_t next = buffers.size();
    if (freed.empty()) {
      buffers.emplace_back(theta.size());
    } else {
      next = freed.back();
      freed.pop_back();
    }
    const auto& from = buffers[buffer_of[current]];
    if (w.residual.size() > 0)
      sim::residual_gradient{*s.model, w.residual, *w.rows}.descend(s.rate, from, buffers[next]);
    else
      buffers[next] = from - s.rate * w.gradient;
    buffer_of.push_back(next);
    auto previous = current++;
    release(previous); // free once its last reader is done, if it is not already
  }
  theta = buffers[buffer_of[current]];
}

} // namespace

double time_replay(const sim::scenario& scn, const std::vector<run_step>& steps) {
  loop_setting s(scn);
  sim::vector theta = s.theta0;
  auto start = cpu_seconds();
  auto first = sim::evaluate(*s.model, *s.data, theta);
  run_replay(s, steps, theta);
  auto last = sim::evaluate(*s.model, *s.data, theta);
  auto cpu = cpu_seconds() - start;
  if (!std::isfinite(first.train_loss + last.train_loss))
    fmt::print("replay diverged\n");
  return cpu;
}

double time_bare_loop(const sim::scenario& scn, std::uint64_t gradients, bare_loop kind,
                      std::size_t lag) {
  loop_setting s(scn);
  sim::vector theta = s.theta0;
  auto start = cpu_seconds();
  auto first = sim::evaluate(*s.model, *s.data, theta);
  if (kind == bare_loop::stale_versions)
    run_stale(s, gradients, lag, theta);
  else
    run_in_place(s, gradients, kind, lag, theta);
  auto last = sim::evaluate(*s.model, *s.data, theta);
  auto cpu = cpu_seconds() - start;
  if (!std::isfinite(first.train_loss + last.train_loss))
    fmt::print("bare loop diverged\n");
  return cpu;
}

} // namespace psim::bench
