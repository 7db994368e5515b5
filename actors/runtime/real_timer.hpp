// The real clock's timer for psim's timed messages, in place of CAF's clock thread.
// CAF 0.17's thread_safe_actor_clock allocates an event for each delayed message, passes
// it through a 64-slot ring whose senders block while it is full, files it in a
// std::multimap, and its thread enters the kernel at every turn of its loop, even with
// messages overdue. Here a sender queues the message in an event_queue under a lock (no
// allocation) and wakes the timer's thread only when that thread would sleep 50 us or
// more past the message's due time; the thread ships every due message outside the lock
// and sleeps only when none is due. A message due at once that nothing queued precedes goes to its
// receiver from the sender's thread: an overloaded run, whose handlers run late and
// compute deadlines already past, then does not wake the thread for each message.
#pragma once

#include "actors/runtime/event_queue.hpp"

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/mailbox_element.hpp>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace psim::actors {

/// Ships delayed messages to their receivers when due, on a thread of its own.
class real_timer {
public:
  /// A point on CAF's real actor clock (the steady clock).
  using time_point = caf::actor_clock::time_point;

  real_timer() = default;
  real_timer(const real_timer&) = delete;
  real_timer& operator=(const real_timer&) = delete;

  /// Stops the thread (see stop).
  ~real_timer() { stop(); }

  /// Starts the thread that ships due messages (once; not again after stop).
  void start();

  /// Joins the thread and drops every queued message undelivered; messages pushed from
  /// then on are dropped at once. The receivers' actor system must still run.
  void stop();

  /// Queues `element` for `receiver` at `due`, sent `delay` before it; with no delay and
  /// no message before it, enqueues it at once through the sender's `context`.
  void push(time_point due, caf::timespan delay, caf::strong_actor_ptr receiver,
            caf::mailbox_element_ptr element, caf::execution_unit* context);

  /// How many messages wait for their time.
  std::size_t size() const;

  /// Until when the thread sleeps: time_point::max() while it waits for any message,
  /// time_point::min() while it runs (or is not started).
  time_point sleeps_until() const;

private:
  void run(); // the thread: ship what is due, sleep until the next is

  mutable std::mutex mutex_;      // guards everything below
  std::condition_variable wake_;  // the thread sleeps on it
  event_queue queue_;             // the messages not yet due
  std::thread thread_;
  bool stopped_ = false;
  bool shipping_ = false; // the thread ships a batch: a message sent now must queue after it
  // Until when the thread sleeps: a message due earlier must wake it. time_point::min()
  // while it is awake (or woken already), max() while it waits for any message.
  time_point sleeps_until_ = time_point::min();
};

/// Starts `timer` at construction and stops it at destruction: declared after the actor
/// system, so that the messages it drops go while the system still runs.
class timer_thread {
public:
  /// Starts `timer`.
  explicit timer_thread(real_timer& timer) : timer_(timer) { timer_.start(); }
  timer_thread(const timer_thread&) = delete;
  timer_thread& operator=(const timer_thread&) = delete;

  /// Stops the timer.
  ~timer_thread() { timer_.stop(); }

private:
  real_timer& timer_;
};

} // namespace psim::actors
