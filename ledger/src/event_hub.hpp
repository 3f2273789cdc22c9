// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Delivers committed LedgerEvents to in-process subscribers on a thread of its own, so that a
// writer only queues an event (it never runs a subscriber's code while it holds a lock) and a
// slow subscriber delays only other subscribers, never a write. Events are delivered in the
// order they were published. A subscription's destruction waits for a delivery to it that is
// running (unless it is destroyed from inside that delivery), so no call follows it.
#include <functional>
#include <memory>
#include <thread>

#include "wechatpay/ledger/store.hpp"

namespace wechatpay::ledger_events {

class EventHub {
 public:
  EventHub();
  /// Stops the thread; events not yet delivered are dropped.
  ~EventHub();
  EventHub(EventHub const&) = delete;
  EventHub& operator=(EventHub const&) = delete;

  /// Queues `event` for every current subscriber. Never blocks on a subscriber.
  void Publish(LedgerEvent event);
  /// Adds a subscriber; it gets every event published after this returns. The subscription
  /// may outlive the hub.
  std::unique_ptr<LedgerSubscription> Subscribe(std::function<void(LedgerEvent const&)> on_event);

 private:
  struct Core;  // shared with the thread and the subscriptions, so it outlives both
  std::shared_ptr<Core> core_;
  std::thread thread_;  // started by the first Subscribe
};

}  // namespace wechatpay::ledger_events
