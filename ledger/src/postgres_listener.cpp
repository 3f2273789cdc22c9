// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "postgres_listener.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace wechatpay::ledger_postgres {

std::string PgEventPayload(LedgerEvent const& event) {
  return std::to_string(event.version) + " " + std::string(LedgerOrderStateName(event.state)) +
         " " + event.out_trade_no;
}

std::optional<LedgerEvent> ParsePgEventPayload(std::string_view payload) {
  auto const first = payload.find(' ');
  if (first == std::string_view::npos) return std::nullopt;
  auto const second = payload.find(' ', first + 1);
  if (second == std::string_view::npos || second + 1 >= payload.size()) return std::nullopt;
  std::string const version(payload.substr(0, first));
  char* end = nullptr;
  long long const number = std::strtoll(version.c_str(), &end, 10);
  if (version.empty() || end != version.c_str() + version.size()) return std::nullopt;
  auto state = ParseLedgerOrderState(payload.substr(first + 1, second - first - 1));
  if (!state) return std::nullopt;
  LedgerEvent event;
  event.version = number;
  event.state = *state;
  event.out_trade_no = std::string(payload.substr(second + 1));
  return event;
}

// Removes its subscriber when destroyed; after the destructor returns the callback is not
// running and will not run again (unless the destructor runs on the listener thread itself,
// i.e. inside the callback).
class PgListener::Subscription : public LedgerSubscription {
 public:
  Subscription(std::shared_ptr<PgListener> listener, std::uint64_t id)
      : listener_(std::move(listener)), id_(id) {}
  ~Subscription() override { listener_->Remove(id_); }

 private:
  std::shared_ptr<PgListener> listener_;
  std::uint64_t id_;
};

PgListener::PgListener(std::shared_ptr<PgConnectionSettings const> settings)
    : settings_(std::move(settings)), wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

PgListener::~PgListener() {
  Shutdown();
  if (wake_fd_ >= 0) close(wake_fd_);
}

void PgListener::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  std::uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) {
    if (std::this_thread::get_id() == thread_.get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
}

StatusOr<std::unique_ptr<PgConnection>> PgListener::ConnectAndListen(
    std::shared_ptr<PgConnectionSettings const> const& settings) {
  auto connection = PgConnection::Connect(settings);
  if (!connection.ok()) return connection.status();
  auto listening = (*connection)->Exec(std::string("LISTEN ") + kPgLedgerChannel);
  if (!listening.ok()) return listening.status();
  return std::move(*connection);
}

StatusOr<std::unique_ptr<LedgerSubscription>> PgListener::Subscribe(
    std::function<void(LedgerEvent const&)> on_event) {
  if (!on_event) {
    return Status(StatusCode::kInvalidArgument, "ledger: Subscribe needs a callback",
                  ErrorInfo{0, "", "", "", "", "on_event"});
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_ || wake_fd_ < 0) {
    return Status(StatusCode::kUnavailable, "ledger: the store is shutting down");
  }
  if (!started_) {
    // Connect under the lock: a second first subscriber waits for this one's LISTEN.
    auto connection = ConnectAndListen(settings_);
    if (!connection.ok()) return connection.status();
    started_ = true;
    thread_ = std::thread(&PgListener::Run, this, std::move(*connection));
    thread_id_ = thread_.get_id();
  }
  auto const id = next_id_++;
  subscribers_.push_back(Subscriber{id, std::move(on_event)});
  return std::unique_ptr<LedgerSubscription>(new Subscription(shared_from_this(), id));
}

void PgListener::Remove(std::uint64_t id) {
  std::unique_lock<std::mutex> lock(mutex_);
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [id](Subscriber const& s) { return s.id == id; }),
                     subscribers_.end());
  if (std::this_thread::get_id() == thread_id_) return;  // inside a callback
  dispatched_.wait(lock, [this] { return !dispatching_; });
}

void PgListener::Dispatch(LedgerEvent const& event) {
  std::vector<std::function<void(LedgerEvent const&)>> callbacks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto const& subscriber : subscribers_) callbacks.push_back(subscriber.on_event);
    dispatching_ = true;
  }
  for (auto const& callback : callbacks) callback(event);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    dispatching_ = false;
  }
  dispatched_.notify_all();
}

bool PgListener::WaitForShutdown(int milliseconds) {
  pollfd wake{wake_fd_, POLLIN, 0};
  return poll(&wake, 1, milliseconds) > 0;
}

void PgListener::Run(std::unique_ptr<PgConnection> connection) {
  int backoff_ms = 100;
  for (;;) {
    if (connection == nullptr) {
      // Reconnect with exponential backoff (100 ms .. 5 s). What committed in between is not
      // replayed: a watcher polls as its fallback.
      if (WaitForShutdown(backoff_ms)) return;
      auto fresh = ConnectAndListen(settings_);
      if (!fresh.ok()) {
        backoff_ms = std::min(backoff_ms * 2, 5000);
        continue;
      }
      connection = std::move(*fresh);
      backoff_ms = 100;
    }
    pollfd fds[2] = {{connection->socket(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;  // EINTR
    if (fds[1].revents != 0) return;
    if (PQconsumeInput(connection->raw()) == 0 || connection->broken()) {
      connection.reset();
      continue;
    }
    while (PGnotify* notify = PQnotifies(connection->raw())) {
      auto event = ParsePgEventPayload(notify->extra != nullptr ? notify->extra : "");
      PQfreemem(notify);
      if (event) Dispatch(*event);
    }
  }
}

}  // namespace wechatpay::ledger_postgres
