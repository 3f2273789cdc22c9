// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Callback load (issue 9, item 5): 10 000 deliveries through NotificationParser,
// NotificationHandler and InMemoryNotificationDeduplicator — 85 % first deliveries, 10 %
// redeliveries and 5 % tampered copies, shuffled with a fixed seed. Every duplicate is
// recognised (answered success, the application not called again), every tampered one rejected,
// none lost, none applied twice. The counts are printed so CI logs show them.

#include <algorithm>
#include <iostream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "catch.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::kNotifyNow;
using testing::MakeNotification;
using testing::NotificationSpec;
using testing::TestMerchant;
using testing::TransactionPlaintext;

enum class Kind { kFirst, kRedelivery, kTampered };

struct Delivery {
  Kind kind;
  std::size_t index;  // into the distinct notifications
  testing::SignedNotification request;
};

TEST_CASE("callback load: 10 000 deliveries, duplicates recognised, tampering rejected",
          "[callback-load]") {
  constexpr std::size_t kTotal = 10000;
  constexpr std::size_t kRedelivered = kTotal / 10;
  constexpr std::size_t kTampered = kTotal / 20;
  constexpr std::size_t kDistinct = kTotal - kRedelivered - kTampered;
  std::mt19937_64 rng(20260909);  // fixed: a failure reproduces

  // One RSA signature per distinct notification; redeliveries are byte-identical copies, as
  // WeChat's are (same id, same body, same signature).
  std::vector<testing::SignedNotification> distinct;
  distinct.reserve(kDistinct);
  for (std::size_t i = 0; i < kDistinct; ++i) {
    NotificationSpec spec;
    spec.id = "EV-LOAD-" + std::to_string(1000000 + i);
    spec.plaintext = TransactionPlaintext("LOAD" + std::to_string(1000000 + i),
                                          static_cast<std::int64_t>(1 + i % 997));
    distinct.push_back(MakeNotification(spec));
  }

  std::vector<Delivery> deliveries;
  deliveries.reserve(kTotal);
  for (std::size_t i = 0; i < kDistinct; ++i) deliveries.push_back({Kind::kFirst, i, distinct[i]});
  std::uniform_int_distribution<std::size_t> pick(0, kDistinct - 1);
  for (std::size_t i = 0; i < kRedelivered; ++i) {
    std::size_t const n = pick(rng);
    deliveries.push_back({Kind::kRedelivery, n, distinct[n]});
  }
  for (std::size_t i = 0; i < kTampered; ++i) {
    std::size_t const n = pick(rng);
    auto copy = distinct[n];
    // One byte changed at a random position: anything in the signed body must be caught.
    std::uniform_int_distribution<std::size_t> position(0, copy.body.size() - 1);
    std::uniform_int_distribution<int> flip(1, 255);
    auto& byte = copy.body[position(rng)];
    byte = static_cast<char>(static_cast<unsigned char>(byte) ^ flip(rng));
    deliveries.push_back({Kind::kTampered, n, std::move(copy)});
  }
  std::shuffle(deliveries.begin(), deliveries.end(), rng);

  NotificationParserOptions parser_options;
  parser_options.clock = [] { return FixedTime(kNotifyNow); };
  auto parser = MakeNotificationParser(TestMerchant::Config(), parser_options);
  REQUIRE(parser.ok());
  auto dedup = std::make_shared<InMemoryNotificationDeduplicator>();
  std::unordered_map<std::string, int> applied;  // out_trade_no -> times the app applied it
  NotificationHandler handler(
      parser.value(), {kEventTransactionSuccess},
      [&](Notification const& n) {
        REQUIRE(n.transaction.has_value());
        ++applied[n.transaction->out_trade_no.value_or("")];
        return Status();
      },
      dedup);

  std::size_t processed = 0, duplicates = 0, rejected = 0, other = 0, mismatched = 0;
  for (auto const& d : deliveries) {
    auto const result = handler.Handle(d.request.headers, d.request.body);
    switch (result.outcome) {
      case NotificationOutcome::kProcessed:
        ++processed;
        break;
      case NotificationOutcome::kDuplicate:
        ++duplicates;
        break;
      case NotificationOutcome::kRejected:
        ++rejected;
        break;
      default:
        ++other;
        break;
    }
    // Whichever of an original and its redelivery arrives first is processed; a tampered copy
    // is rejected and never answered success, so WeChat would redeliver it.
    bool const tampered = d.kind == Kind::kTampered;
    if (tampered != (result.outcome == NotificationOutcome::kRejected) ||
        tampered == result.answer.success()) {
      ++mismatched;
    }
  }

  std::size_t applied_once = 0, applied_twice = 0;
  for (auto const& entry : applied) (entry.second == 1 ? applied_once : applied_twice)++;

  std::cout << "callback load: " << deliveries.size() << " deliveries (" << kDistinct
            << " distinct, " << kRedelivered << " redelivered, " << kTampered
            << " tampered): " << processed << " processed, " << duplicates << " duplicates, "
            << rejected << " rejected, " << other << " other; " << applied_once << " applied once, "
            << applied_twice << " applied more than once, " << (kDistinct - applied.size())
            << " lost\n";

  CHECK(mismatched == 0);
  CHECK(other == 0);
  CHECK(processed == kDistinct);
  CHECK(duplicates == kRedelivered);
  CHECK(rejected == kTampered);
  CHECK(applied.size() == kDistinct);  // none lost
  CHECK(applied_once == kDistinct);    // none applied twice
  CHECK(applied_twice == 0);
  CHECK(dedup->size() == kDistinct);
}

}  // namespace
}  // namespace wechatpay
