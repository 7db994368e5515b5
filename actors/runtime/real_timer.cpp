// The real clock's timer: an event_queue under a mutex, and a thread that ships the due
// messages in batches with the mutex released and sleeps only when none is due. It asks
// the kernel for exact wake-ups (a timer slack of 1 ns instead of Linux's 50 us), since
// every microsecond it oversleeps is lag that the run reports.
#include "actors/runtime/real_timer.hpp"

#include <sys/prctl.h>

#include <pthread.h>

#include <utility>
#include <vector>

namespace psim::actors {

namespace {

// At most this many messages leave per turn of the lock, so that senders wait little.
constexpr std::size_t batch_size = 256;

// A message due this little before the thread wakes anyway leaves then, without a
// wake-up of its own: Linux's default timer slack, the lateness CAF's clock thread has.
// Under load, when the thread sleeps microseconds between messages, this saves a system
// call and a context switch per message.
constexpr caf::timespan wake_tolerance = std::chrono::microseconds(50);

} // namespace

void real_timer::start() {
  std::lock_guard<std::mutex> guard{mutex_};
  if (thread_.joinable() || stopped_)
    return;
  thread_ = std::thread{[this] { run(); }};
}

void real_timer::stop() {
  std::vector<event_queue::entry> dropped;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopped_ = true;
    while (!queue_.empty())
      dropped.push_back(queue_.pop());
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
  // `dropped` goes here, with the lock released: a message's destructor may run any code.
}

void real_timer::push(time_point due, caf::timespan delay, caf::strong_actor_ptr receiver,
                      caf::mailbox_element_ptr element, caf::execution_unit* context) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopped_)
      return; // dropped by the parameters' destructors, with the lock released
    // Due already (a handler that ran late computes overdue deadlines), and nothing is
    // before it: to its receiver now, as a plain send would, instead of waking the thread.
    if (delay <= caf::timespan{0} && !shipping_ && (queue_.empty() || due < queue_.next_due())) {
      receiver->enqueue(std::move(element), context);
      return;
    }
    queue_.push(due, delay, std::move(receiver), std::move(element));
    if (due + wake_tolerance < sleeps_until_) {
      wake = true;
      sleeps_until_ = time_point::min(); // one wake-up is enough
    }
  }
  if (wake)
    wake_.notify_one();
}

std::size_t real_timer::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return queue_.size();
}

real_timer::time_point real_timer::sleeps_until() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return sleeps_until_;
}

void real_timer::run() {
  pthread_setname_np(pthread_self(), "psim.timer");
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  std::vector<event_queue::entry> due;
  due.reserve(batch_size);
  std::unique_lock<std::mutex> lock{mutex_};
  while (!stopped_) {
    auto now = caf::actor_clock::clock_type::now();
    while (!queue_.empty() && queue_.next_due() <= now && due.size() < batch_size)
      due.push_back(queue_.pop());
    if (!due.empty()) {
      shipping_ = true;
      lock.unlock();
      // What CAF's clock does with a due message (simple_actor_clock::ship).
      for (auto& e : due)
        e.receiver->enqueue(std::move(e.element), nullptr);
      due.clear();
      lock.lock();
      shipping_ = false;
      continue;
    }
    sleeps_until_ = queue_.empty() ? time_point::max() : queue_.next_due();
    if (sleeps_until_ == time_point::max())
      wake_.wait(lock);
    else
      wake_.wait_until(lock, sleeps_until_);
    sleeps_until_ = time_point::min();
  }
}

} // namespace psim::actors
