// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// What the tests of the ledger → PaymentWatcher bridge share: a PaymentWatcher over a fake
// WeChat (a FakeNativePayChannel whose queries answer NOTPAY unless told otherwise), a parser
// for the signed deliveries, and builders of orders and TRANSACTION.SUCCESS deliveries.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "catch.hpp"
#include "ledger_fixture.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/notify/parser.hpp"
#include "wechatpay/payment_watcher.hpp"
#include "wechatpay/testing/fake_channel.hpp"
#include "wechatpay/testing/wechatpay_signer.hpp"

namespace wechatpay::testing {

/// A parser that accepts deliveries stamped kNotifyNow.
inline NotificationParser WatchBridgeParser() {
  NotificationParserOptions options;
  options.clock = [] { return FixedTime(kNotifyNow); };
  auto parser = MakeNotificationParser(TestMerchant::Config(), std::move(options));
  REQUIRE(parser.ok());
  return *parser;
}

/// A signed TRANSACTION.SUCCESS delivery `id` paying `total` fen for `out_trade_no`.
inline SignedNotification PaidDelivery(std::string const& id, std::string const& out_trade_no,
                                       std::int64_t total) {
  NotificationSpec spec;
  spec.id = id;
  spec.plaintext = TransactionPlaintext(out_trade_no, total);
  spec.timestamp = kNotifyNow;
  return MakeNotification(spec);
}

/// Records `out_trade_no` in `ledger` as created at WeChat (kNotPaid, with a code_url).
inline void RecordCreated(Ledger& ledger, std::string const& out_trade_no, std::int64_t total) {
  auto creating = ledger.RecordOrderCreating(OrderRequest(out_trade_no, total));
  INFO((creating.ok() ? std::string() : creating.status().ToString()));
  REQUIRE(creating.ok());
  NativePrepayResponse response;
  response.code_url = "weixin://wxpay/bizpayurl?pr=watch";
  REQUIRE(ledger.RecordPrepayResult(out_trade_no, response).ok());
}

/// A fake WeChat whose order queries answer NOTPAY (every query is recorded).
inline std::shared_ptr<FakeNativePayChannel> NotPaidWeChat() {
  auto channel = std::make_shared<FakeNativePayChannel>();
  channel->query_order_by_out_trade_no().SetHandler(
      [](QueryOrderByOutTradeNoRequest const& request) -> StatusOr<Transaction> {
        Transaction transaction;
        transaction.out_trade_no = request.out_trade_no;
        transaction.trade_state = "NOTPAY";
        return transaction;
      });
  return channel;
}

/// Waits (up to 10 s) until the fake WeChat has been queried `count` times.
inline bool WaitForQueries(FakeNativePayChannel& channel, std::size_t count) {
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (channel.query_order_by_out_trade_no().calls() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

/// Watch options for a watch that only a push can end within the test: one query at once, the
/// next one a minute later.
inline WatchOptions PushOnlyWatch() {
  WatchOptions options;
  options.interval = std::chrono::minutes(1);
  options.timeout = std::chrono::minutes(10);
  return options;
}

}  // namespace wechatpay::testing
