// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "event_hub.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace wechatpay::ledger_events {
namespace {

struct Subscriber {
  std::recursive_mutex calling;  // held during a delivery; recursive: see event_hub.hpp
  bool active = true;            // guarded by `calling`
  std::function<void(LedgerEvent const&)> on_event;
};

}  // namespace

struct EventHub::Core {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<LedgerEvent> queue;
  std::map<std::uint64_t, std::shared_ptr<Subscriber>> subscribers;
  std::uint64_t next_id = 1;
  bool stopping = false;

  void Run() {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      wake.wait(lock, [this] { return stopping || !queue.empty(); });
      if (stopping) return;
      LedgerEvent event = std::move(queue.front());
      queue.pop_front();
      std::vector<std::shared_ptr<Subscriber>> targets;
      targets.reserve(subscribers.size());
      for (auto const& entry : subscribers) targets.push_back(entry.second);
      lock.unlock();
      for (auto const& subscriber : targets) {
        std::lock_guard<std::recursive_mutex> calling(subscriber->calling);
        if (subscriber->active) subscriber->on_event(event);
      }
      lock.lock();
    }
  }
};

namespace {

// Stops deliveries to its subscriber when destroyed.
class Handle : public LedgerSubscription {
 public:
  using Remove = std::function<void()>;
  Handle(std::shared_ptr<Subscriber> subscriber, Remove remove)
      : subscriber_(std::move(subscriber)), remove_(std::move(remove)) {}
  ~Handle() override {
    {
      // Waits for a running delivery to this subscriber (re-entered when destroyed from it).
      std::lock_guard<std::recursive_mutex> lock(subscriber_->calling);
      subscriber_->active = false;
    }
    remove_();
  }

 private:
  std::shared_ptr<Subscriber> subscriber_;
  Remove remove_;
};

}  // namespace

EventHub::EventHub() : core_(std::make_shared<Core>()) {}

EventHub::~EventHub() {
  {
    std::lock_guard<std::mutex> lock(core_->mutex);
    core_->stopping = true;
  }
  core_->wake.notify_all();
  if (!thread_.joinable()) return;
  // A subscriber's code may drop the last reference to the hub on the thread itself; the thread
  // owns the core, so it can finish on its own.
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void EventHub::Publish(LedgerEvent event) {
  {
    std::lock_guard<std::mutex> lock(core_->mutex);
    if (core_->subscribers.empty()) return;  // nobody to tell: nothing to queue
    core_->queue.push_back(std::move(event));
  }
  core_->wake.notify_one();
}

std::unique_ptr<LedgerSubscription> EventHub::Subscribe(
    std::function<void(LedgerEvent const&)> on_event) {
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->on_event = std::move(on_event);
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(core_->mutex);
    id = core_->next_id++;
    core_->subscribers.emplace(id, subscriber);
    if (!thread_.joinable()) thread_ = std::thread([core = core_] { core->Run(); });
  }
  std::weak_ptr<Core> weak = core_;
  return std::make_unique<Handle>(std::move(subscriber), [weak, id] {
    if (auto core = weak.lock()) {
      std::lock_guard<std::mutex> lock(core->mutex);
      core->subscribers.erase(id);
    }
  });
}

}  // namespace wechatpay::ledger_events
