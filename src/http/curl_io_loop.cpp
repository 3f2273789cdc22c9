// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "http/curl_io_loop.hpp"

// How the loop is built (see curl_io_loop.hpp for what it promises):
// - Everything another thread may touch (the queue, the cancelled list, the timers, the flags)
//   is under `mu`. What only the I/O thread touches (the jobs being started, the transfers in
//   the multi handle, the completions and timers ready to run) lives in the State as well, not
//   on the I/O thread's stack, so that a destructor running on the I/O thread (inside a
//   completion) can cancel all of it inline. Each of those lists is consumed by popping one
//   element before calling out, so no iterator is held across user code.
// - Waiting: curl_multi_poll() sleeps until a socket is ready, libcurl's own next timeout
//   (connect, total) is due, the next timer is due, or curl_multi_wakeup() is called by a
//   thread that queued work. `polling` avoids a wakeup (a write to libcurl's socket pair) per
//   request while the loop is busy anyway: the I/O thread looks at the queue under the lock
//   before every wait.
// - libcurl older than 7.68.0 has no curl_multi_poll()/curl_multi_wakeup(): the loop still
//   runs timers (waiting on a condition variable) and fails every request with kUnimplemented.

#if defined(__linux__)
#include <pthread.h>
#endif

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/curl_handle_pool.hpp"
#include "http/curl_transport_detail.hpp"

#if LIBCURL_VERSION_NUM >= 0x074400  // curl_multi_poll() 7.66.0, curl_multi_wakeup() 7.68.0
#define WECHATPAY_CURL_IO_LOOP_POLL 1
#else
#define WECHATPAY_CURL_IO_LOOP_POLL 0
#endif

namespace wechatpay::internal {
namespace {

using Clock = std::chrono::steady_clock;

// The longest sleep without a reason to wake up: a bound, not a tick the loop depends on.
constexpr std::chrono::milliseconds kMaxWait{1000};

struct Queued {
  AsyncTicket ticket = 0;
  std::unique_ptr<CurlIoJob> job;
  HttpCompletion done;
};

struct ActiveTransfer {
  std::unique_ptr<CurlIoJob> job;
  HttpCompletion done;
};

// A decided outcome whose completion has not run yet. Holds no job: the job (and with it the
// transport's handle lease) is gone before the completion runs, so a completion that queues
// the next request finds the handle back in the pool.
struct Ready {
  HttpCompletion done;
  StatusOr<HttpResponse> result;
};

// What a request that never reached the wire ends with: Cancel(), or the loop stopping (the
// transport being destroyed), which callers tell apart by the message only.
Status CancelledBeforeSending() {
  return Status(StatusCode::kCancelled, "the request was cancelled before it was sent");
}
Status StoppedBeforeSending() {
  return Status(StatusCode::kCancelled,
                "the transport was destroyed before the request was sent; nothing was sent");
}

}  // namespace

struct CurlIoLoop::State {
  explicit State(std::size_t max) : max_concurrent(std::max<std::size_t>(max, 1)) {}

  std::size_t const max_concurrent;
  // Created with the thread; null when curl_multi_init() failed or libcurl is too old. Lives
  // until the last reference to the State, so a late curl_multi_wakeup() is always safe.
  CurlMultiPtr multi;

  mutable std::mutex mu;
  std::condition_variable cv;  // the wait without curl_multi_poll()
  // Guarded by mu.
  bool started = false;
  bool stopping = false;
  bool finished = false;  // the I/O thread has ended
  bool polling = false;   // the I/O thread is (about to be) asleep: a submitter must wake it
  AsyncTicket next_ticket = 1;
  std::deque<Queued> queue;
  std::vector<Queued> cancelled;
  // Ordered by due time, then by ticket (the order RunAfter() was called in).
  std::map<std::pair<Clock::time_point, AsyncTicket>, std::function<void()>> timers;
  std::unordered_map<AsyncTicket, Clock::time_point> timer_due;
  std::size_t in_flight = 0;  // submitted, completion not yet running
  std::size_t active = 0;     // taken from the queue: starting or in the multi handle
  std::thread thread;

  // The I/O thread's own.
  std::deque<Queued> starting;
  std::unordered_map<CURL*, ActiveTransfer> running;
  std::deque<Ready> ready;
  std::deque<std::function<void()>> due;

  AsyncTicket NextTicketLocked() { return next_ticket++; }

  // Call with `mu` held; true when the caller must curl_multi_wakeup() after unlocking.
  bool WakeLocked() {
    if (!polling) return false;
    polling = false;
    cv.notify_one();
    return WECHATPAY_CURL_IO_LOOP_POLL != 0 && multi != nullptr;
  }

  void Wake() {
#if WECHATPAY_CURL_IO_LOOP_POLL
    if (multi) curl_multi_wakeup(multi.get());
#endif
  }
};

namespace {

using State = CurlIoLoop::State;

void RunCompletion(State& s, HttpCompletion done, StatusOr<HttpResponse> result) {
  {
    std::lock_guard<std::mutex> lock(s.mu);
    --s.in_flight;
  }
  if (!done) return;
  // The exception rule (curl_io_loop.hpp): the I/O thread serves every other request too.
  try {
    done(std::move(result));
  } catch (...) {  // NOLINT(bugprone-empty-catch): dropped on purpose, see above
  }
}

void RunTimer(std::function<void()> fn) {
  try {
    if (fn) fn();
  } catch (...) {  // NOLINT(bugprone-empty-catch): the exception rule, as above
  }
}

// Cancels everything (see curl_io_loop.hpp), on the I/O thread: every job is destroyed here and
// every completion becomes a Ready one. Idempotent; run again by the I/O thread for requests
// that completions queued while the loop was stopping.
void Shutdown(State& s) {
  std::deque<Queued> queued;
  std::vector<Queued> cancelled;
  std::map<std::pair<Clock::time_point, AsyncTicket>, std::function<void()>> timers;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.stopping = true;
    queued.swap(s.queue);
    cancelled.swap(s.cancelled);
    timers.swap(s.timers);
    s.timer_due.clear();
  }
  s.due.clear();
  for (auto& entry : s.starting) s.ready.push_back({std::move(entry.done), StoppedBeforeSending()});
  s.starting.clear();
  for (auto& [handle, entry] : s.running) {
    curl_multi_remove_handle(s.multi.get(), handle);
    Status status = entry.job->Abandon();
    entry.job.reset();
    s.ready.push_back({std::move(entry.done), std::move(status)});
  }
  s.running.clear();
  for (auto& entry : queued) s.ready.push_back({std::move(entry.done), StoppedBeforeSending()});
  for (auto& entry : cancelled)
    s.ready.push_back({std::move(entry.done), CancelledBeforeSending()});
  std::lock_guard<std::mutex> lock(s.mu);
  s.active = 0;
}

// Starts the jobs taken from the queue: each becomes a transfer in the multi handle or a Ready
// outcome (refused before sending).
void StartJobs(State& s) {
  while (!s.starting.empty()) {
    Queued entry = std::move(s.starting.front());
    s.starting.pop_front();
#if WECHATPAY_CURL_IO_LOOP_POLL
    StatusOr<CURL*> handle =
        s.multi ? entry.job->Start()
                : StatusOr<CURL*>(Status(StatusCode::kInternal, "curl_multi_init failed"));
#else
    StatusOr<CURL*> handle =
        Status(StatusCode::kUnimplemented, "asynchronous requests need libcurl 7.68.0 or later");
#endif
    if (handle.ok()) {
      CURLMcode const added = curl_multi_add_handle(s.multi.get(), *handle);
      if (added == CURLM_OK) {
        s.running.emplace(*handle, ActiveTransfer{std::move(entry.job), std::move(entry.done)});
        continue;
      }
      s.ready.push_back({std::move(entry.done), entry.job->Finish(FromMultiCode(added))});
    } else {
      s.ready.push_back({std::move(entry.done), handle.status()});
    }
    entry.job.reset();
    std::lock_guard<std::mutex> lock(s.mu);
    --s.active;
  }
}

// Lets libcurl work on every transfer and collects the finished ones.
void Transfer(State& s) {
  if (!s.multi || s.running.empty()) return;
  int still_running = 0;
  CURLMcode const performed = curl_multi_perform(s.multi.get(), &still_running);
  if (performed != CURLM_OK) {
    // The multi handle is unusable (out of memory): end every transfer rather than spin.
    for (auto& [handle, entry] : s.running) {
      curl_multi_remove_handle(s.multi.get(), handle);
      s.ready.push_back({std::move(entry.done), entry.job->Finish(FromMultiCode(performed))});
      entry.job.reset();
    }
    std::lock_guard<std::mutex> lock(s.mu);
    s.active -= s.running.size();
    s.running.clear();
    return;
  }
  int queued = 0;
  while (CURLMsg const* message = curl_multi_info_read(s.multi.get(), &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    // Copied out first: removing the handle invalidates the message.
    CURL* const handle = message->easy_handle;
    CURLcode const result = message->data.result;
    curl_multi_remove_handle(s.multi.get(), handle);
    auto found = s.running.find(handle);
    if (found == s.running.end()) continue;
    ActiveTransfer entry = std::move(found->second);
    s.running.erase(found);
    s.ready.push_back({std::move(entry.done), entry.job->Finish(result)});
    entry.job.reset();
    std::lock_guard<std::mutex> lock(s.mu);
    --s.active;
  }
}

// Runs what is ready, one element at a time (a completion may stop the loop, which empties
// `due`, or queue more).
void RunReady(State& s) {
  while (!s.ready.empty()) {
    Ready entry = std::move(s.ready.front());
    s.ready.pop_front();
    RunCompletion(s, std::move(entry.done), std::move(entry.result));
  }
  while (!s.due.empty()) {
    std::function<void()> fn = std::move(s.due.front());
    s.due.pop_front();
    RunTimer(std::move(fn));
  }
}

// Sleeps until there is something to do; `lock` holds `mu`.
void Wait(State& s, std::unique_lock<std::mutex>& lock, Clock::duration timeout) {
  s.polling = true;
#if WECHATPAY_CURL_IO_LOOP_POLL
  if (s.multi) {
    auto const ms = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
    lock.unlock();
    curl_multi_poll(s.multi.get(), nullptr, 0, static_cast<int>(ms), nullptr);
    lock.lock();
    s.polling = false;
    return;
  }
#endif
  s.cv.wait_for(lock, timeout, [&s] { return !s.polling; });
  s.polling = false;
}

void Run(std::shared_ptr<State> state) {
#if defined(__linux__)
  // Named for top, perf and debuggers (15 characters at most).
  pthread_setname_np(pthread_self(), "wechatpay-io");
#endif
  State& s = *state;
  for (;;) {
    std::vector<Queued> cancelled;
    bool stopping = false;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      stopping = s.stopping;
      if (!stopping) {
        cancelled.swap(s.cancelled);
        auto const now = s.timers.empty() ? Clock::time_point() : Clock::now();
        while (!s.timers.empty() && s.timers.begin()->first.first <= now) {
          auto node = s.timers.extract(s.timers.begin());
          s.timer_due.erase(node.key().second);
          s.due.push_back(std::move(node.mapped()));
        }
        while (s.active < s.max_concurrent && !s.queue.empty()) {
          s.starting.push_back(std::move(s.queue.front()));
          s.queue.pop_front();
          ++s.active;
        }
      }
    }
    if (stopping) {
      Shutdown(s);
      RunReady(s);
      std::lock_guard<std::mutex> lock(s.mu);
      if (s.queue.empty() && s.cancelled.empty() && s.ready.empty()) {
        s.finished = true;
        return;
      }
      continue;  // completions queued more while stopping: cancel those too
    }
    for (auto& entry : cancelled) {
      entry.job.reset();
      s.ready.push_back({std::move(entry.done), CancelledBeforeSending()});
    }
    StartJobs(s);
    Transfer(s);
    RunReady(s);

    std::unique_lock<std::mutex> lock(s.mu);
    if (s.stopping) continue;
    bool const more_now = !s.cancelled.empty() || !s.ready.empty() || !s.due.empty() ||
                          (!s.queue.empty() && s.active < s.max_concurrent);
    if (more_now) continue;
    Clock::duration timeout = kMaxWait;
    if (!s.timers.empty()) {
      timeout = std::min<Clock::duration>(
          timeout, std::max<Clock::duration>(s.timers.begin()->first.first - Clock::now(),
                                             Clock::duration::zero()));
    }
    if (timeout > Clock::duration::zero()) Wait(s, lock, timeout);
  }
}

void StartLocked(std::shared_ptr<State> const& state) {
  State& s = *state;
  if (s.started) return;
  s.started = true;
#if WECHATPAY_CURL_IO_LOOP_POLL
  s.multi.reset(curl_multi_init());
  if (s.multi) {
    // Keep as many idle connections as there can be transfers: enough for the next wave to
    // reuse every one, no more (libcurl's default grows with the handles ever added).
    curl_multi_setopt(s.multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(s.max_concurrent));
  }
#endif
  // A lambda, not std::thread(Run, state): the thread state's type would then name only
  // std:: types and a function pointer, and GCC gives its typeinfo and vtable default
  // visibility, exporting wechatpay::internal names from the shared library. The closure type
  // of a hidden function is hidden.
  s.thread = std::thread([state] { Run(state); });
}

}  // namespace

CurlIoLoop::CurlIoLoop(std::size_t max_concurrent)
    : state_(std::make_shared<State>(max_concurrent)) {}

CurlIoLoop::~CurlIoLoop() {
  State& s = *state_;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.started) return;
    s.stopping = true;
    s.polling = false;
    s.cv.notify_one();
    wake = true;
  }
  if (s.thread.get_id() == std::this_thread::get_id()) {
    // Inside a completion or a timer: the jobs (which reference the transport being destroyed)
    // go now; the thread runs the remaining completions and ends with its own reference.
    Shutdown(s);
    s.thread.detach();
    return;
  }
  if (wake) s.Wake();
  s.thread.join();
}

AsyncTicket CurlIoLoop::Submit(std::unique_ptr<CurlIoJob> job, HttpCompletion done) {
  State& s = *state_;
  AsyncTicket ticket = 0;
  bool wake = false;
  {
    std::unique_lock<std::mutex> lock(s.mu);
    ticket = s.NextTicketLocked();
    if (s.finished) {
      lock.unlock();
      job.reset();
      if (done) done(StoppedBeforeSending());
      return ticket;
    }
    StartLocked(state_);
    s.queue.push_back(Queued{ticket, std::move(job), std::move(done)});
    ++s.in_flight;
    wake = s.WakeLocked();
  }
  if (wake) s.Wake();
  return ticket;
}

AsyncTicket CurlIoLoop::RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
  State& s = *state_;
  AsyncTicket ticket = 0;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    ticket = s.NextTicketLocked();
    if (s.stopping) return ticket;  // dropped; `fn` is destroyed on return
    StartLocked(state_);
    auto const due = Clock::now() + std::max(delay, std::chrono::milliseconds::zero());
    s.timers.emplace(std::make_pair(due, ticket), std::move(fn));
    s.timer_due.emplace(ticket, due);
    wake = s.WakeLocked();
  }
  if (wake) s.Wake();
  return ticket;
}

bool CurlIoLoop::Cancel(AsyncTicket ticket) {
  State& s = *state_;
  std::function<void()> dropped;  // destroyed after unlocking: its captures may be anything
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    // Linear: the queue is only long when a caller queues far more than the slots, and
    // cancelling is rare.
    auto queued = std::find_if(s.queue.begin(), s.queue.end(),
                               [ticket](Queued const& entry) { return entry.ticket == ticket; });
    if (queued != s.queue.end()) {
      s.cancelled.push_back(std::move(*queued));
      s.queue.erase(queued);
      wake = s.WakeLocked();
    } else {
      auto timer = s.timer_due.find(ticket);
      if (timer == s.timer_due.end()) return false;
      auto node = s.timers.extract(std::make_pair(timer->second, ticket));
      if (node) dropped = std::move(node.mapped());
      s.timer_due.erase(timer);
      return true;
    }
  }
  if (wake) s.Wake();
  return true;
}

std::size_t CurlIoLoop::InFlight() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->in_flight;
}

}  // namespace wechatpay::internal
