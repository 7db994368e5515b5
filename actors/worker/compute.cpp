// A worker's computation: the gradient on the parameters it received, computed at once
// and released after a modeled compute time drawn from its own random stream (where
// nothing can reach the worker meanwhile, pushed at once to reach the link then). A big
// model's gradient with a residual form is computed in two halves: the residual at
// once, so that the parameters can go, and the gradient when the computation ends, into
// the thread's gradient message that the server let go of last, so that the gradients
// of the computations under way are neither held nor out of cache. A worker in one
// process with its one server pushes the residual itself: the server expands it.
#include "actors/runtime/clock.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/worker/worker.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace psim::actors {

namespace {

// Whether `msg` holds nothing (message::empty() asks a virtual size()).
bool holds_nothing(const caf::message& msg) { return !msg.cvals(); }

// The parameters a computation reads: the held message's, or its own copy.
sim::parameters_view parameters_of(const worker_state& st) {
  if (!st.in_place)
    return st.theta;
  if (holds_nothing(st.held))
    throw std::logic_error(worker_name(st.id) + " computes without parameters");
  const auto& values = st.held.get_as<params_msg>(0).values;
  return Eigen::Map<const sim::vector>{values.data(), st.parameters};
}

// Whether the gradient on `batch` is deferred: a big model, and one with a residual form.
Eigen::Index deferred_size(const worker_state& st, const sim::batch& batch) {
  return st.big_model() ? st.model().residual_size(batch) : 0;
}

// The first training row of `rows` (of a batch of one, its row).
std::uint64_t first_row(const sim::batch_rows& rows) {
  return rows.listed.empty() ? rows.block.begin : rows.listed.front();
}

// Draws the compute time of computation `id`, just started: its end is due that long
// after the model time it started at. Then the push leaves at once to reach the link at
// the end, where nothing can reach the worker meanwhile, else the end wakes the worker.
// A deferred gradient that the worker writes itself waits for the end either way: held
// in pushes under way, 16 workers' gradients at d = 10^5 would be 13 MB out of cache.
void release_after_compute_time(worker_self self, std::uint64_t id) {
  auto& st = self->state;
  auto delay = st.compute_time->sample(*st.compute_rng) * st.slowdown;
  for (const auto& [fault, factor] : st.slowdowns)
    delay *= factor;
  st.compute_due = st.timing.now + to_timespan(delay);
  bool written_at_end = st.deferred && st.deferred->batch && !st.pushes_residuals;
  st.pushed_early = delay > 0 && st.settings->folds_compute_end && !written_at_end;
  if (delay <= 0)
    return self->send(self, computed_atom::value, id);
  auto wait = wait_until(st.compute_due, self->clock().now());
  if (st.pushed_early)
    push_when_computed(self, wait);
  else
    send_later(self, self, wait, computed_atom::value, id);
}

} // namespace

message_pool<gradient_msg>& gradient_pool(worker_state& st) {
  return st.big_model() ? thread_gradients() : st.sent;
}

message_pool<gradient_msg>& thread_gradients() {
  thread_local message_pool<gradient_msg> pool{sim::thread_gradients_kept};
  return pool;
}

void release_thread_gradients() {
  thread_gradients() = message_pool<gradient_msg>{sim::thread_gradients_kept};
}

void write_gradient(worker_state& st) {
  if (!st.deferred || !st.deferred->batch)
    return;
  auto& d = *st.deferred;
  if (holds_nothing(st.pending))
    st.pending = (st.pushes_residuals ? st.sent : gradient_pool(st)).take();
  auto& g = pending_of(st);
  auto values = std::move(g.values);
  g = d.header;
  g.values = std::move(values);
  if (st.pushes_residuals) {
    // The residual and its row go: the server writes the gradient as it steps θ by it.
    g.values.assign(d.residual.data(), d.residual.data() + d.residual.size());
    g.row = d.row;
    g.entries = static_cast<std::uint64_t>(st.parameters);
  } else {
    g.values.resize(static_cast<std::size_t>(st.parameters)); // the model writes every entry
    Eigen::Map<sim::vector> out{g.values.data(), st.parameters};
    st.model().gradient_from(d.residual, *d.batch, out);
  }
  d.batch.reset();
}

const gradient_msg& computing(const worker_state& st) {
  if (st.deferred && st.deferred->batch)
    return st.deferred->header;
  return pending_of(st);
}

void start_computation(worker_self self) {
  auto& st = self->state;
  auto batch = st.batches->next(st.settings->data->train);
  auto residual = deferred_size(st, batch);
  if (residual > 0 && !st.deferred)
    st.deferred = std::make_unique<deferred_gradient>();
  if (residual == 0 && st.deferred)
    st.deferred->batch.reset(); // one of an abandoned computation: not this one's
  if (residual == 0 && holds_nothing(st.pending))
    st.pending = gradient_pool(st).take(); // a buffer the server is done with, or a new one
  auto& g = residual > 0 ? st.deferred->header : pending_of(st);
  g.worker = st.id;
  g.version = st.version;
  g.samples = static_cast<std::uint32_t>(batch.rows());
  g.gradients = 1;
  g.epoch = st.shards[0].epoch;
  const auto& model = st.model();
  if (residual > 0) {
    auto& d = *st.deferred;
    d.residual.resize(residual);
    model.residual(parameters_of(st), batch, d.residual);
    d.batch.emplace(batch);
    d.row = first_row(st.batches->rows());
  } else {
    g.values.resize(static_cast<std::size_t>(st.parameters)); // the model writes every entry
    Eigen::Map<sim::vector> out{g.values.data(), st.parameters};
    model.gradient(parameters_of(st), batch, out);
  }
  // Done with these parameters: the next computation starts on newer ones (on_params),
  // and letting go of them lets the server reuse their buffer.
  st.held = caf::message{};
  auto low = st.shards[0].version;
  auto high = low;
  for (std::size_t s = 0; s < st.shards.size(); ++s) {
    auto& view = st.shards[s];
    view.computed_version = view.version;
    view.computed_epoch = view.epoch;
    view.fresh = false;
    low = std::min(low, view.version);
    high = std::max(high, view.version);
  }
  ++st.counts.computed;
  st.computing = true;
  if (st.shards.size() > 1) {
    st.counts.skew_sum += high - low;
    st.counts.skew_max = std::max(st.counts.skew_max, high - low);
  }
  auto id = ++st.computation;
  st.trace.emit(self, event_kind::compute_start, {}, static_cast<std::int64_t>(st.version));
  release_after_compute_time(self, id);
}

} // namespace psim::actors
