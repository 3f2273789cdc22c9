// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract (wechatpay/ledger/store.hpp), part 1: Mutate() writes orders, refunds and
// history in one transaction, assigns version and seq, and a failed mutation writes nothing.
// Runs against every registered store (store_factories.hpp).
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

void CheckSameOrder(OrderRecord const& got, OrderRecord const& want) {
  CHECK(got.out_trade_no == want.out_trade_no);
  CHECK(got.appid == want.appid);
  CHECK(got.description == want.description);
  CHECK(got.total_fen == want.total_fen);
  CHECK(got.currency == want.currency);
  CHECK(got.state == want.state);
  CHECK(got.trade_state == want.trade_state);
  CHECK(got.code_url == want.code_url);
  CHECK(got.code_url_expires_at == want.code_url_expires_at);
  CHECK(got.close_deadline == want.close_deadline);
  CHECK(got.transaction_id == want.transaction_id);
  CHECK(got.payer_total_fen == want.payer_total_fen);
  CHECK(got.success_time == want.success_time);
  CHECK(got.created_at == want.created_at);
  CHECK(got.updated_at == want.updated_at);
  CHECK(got.outcome_unknown == want.outcome_unknown);
  CHECK(got.last_error == want.last_error);
  CHECK(got.review_reason == want.review_reason);
  CHECK(got.next_check_at == want.next_check_at);
  CHECK(got.lease_owner == want.lease_owner);
  CHECK(got.lease_until == want.lease_until);
}

TEST_CASE("Store contract: every store of the build is registered", "[ledger][contract]") {
  std::vector<std::string> names;
  for (auto const& factory : StoreFactories()) names.push_back(factory.name);
  CHECK(std::count(names.begin(), names.end(), "sqlite") == 1);
#if defined(WECHATPAY_HAS_POSTGRES)
  CHECK(std::count(names.begin(), names.end(), "postgresql") == 1);
#endif
}

TEST_CASE("Store contract: Mutate inserts, then replaces, and the store assigns the version",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    auto order = MakeOrder("ORDER-1");
    order.version = 42;  // ignored: the store assigns it
    auto first = PutOrder(store, order);
    CHECK_FALSE(first.duplicate_notification);
    REQUIRE(first.rows.order.has_value());
    CHECK(first.rows.order->version == 1);
    CheckSameOrder(MustGetOrder(store, "ORDER-1"), order);
    CHECK(MustGetOrder(store, "ORDER-1").version == 1);

    // Every field replaced, the optional one set, a long text and a zero kept as written.
    order.state = LedgerOrderState::kPaid;
    order.trade_state = "SUCCESS";
    order.transaction_id = "4200000001202611260000000001";
    order.payer_total_fen = 0;
    order.success_time = "2026-11-26T12:00:00+08:00";
    order.updated_at = 5000;
    order.outcome_unknown = true;
    order.last_error = std::string(3000, 'e');
    order.review_reason = "amount mismatch: 99 paid, 100 recorded";
    order.next_check_at = 7000;
    order.lease_owner = "instance-a";
    order.lease_until = 8000;
    order.appid = "";
    auto second = PutOrder(store, order);
    CHECK(second.rows.order->version == 2);
    auto stored = MustGetOrder(store, "ORDER-1");
    CheckSameOrder(stored, order);
    CHECK(stored.version == 2);
    REQUIRE(stored.payer_total_fen.has_value());
    CHECK(*stored.payer_total_fen == 0);

    // An empty change writes nothing, not even a version.
    MustMutate(store, "ORDER-1", Write(LedgerChange{}));
    CHECK(MustGetOrder(store, "ORDER-1").version == 2);

    auto missing = store.Get("ORDER-404");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->order.has_value());
    CHECK(missing->refunds.empty());
  });
}

TEST_CASE("Store contract: the mutation sees the current rows", "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    bool saw_nothing = false;
    MustMutate(store, "ORDER-1", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
      saw_nothing = !rows.order.has_value() && rows.refunds.empty();
      LedgerChange change;
      change.order = MakeOrder("ORDER-1");
      change.refund = MakeRefund("ORDER-1", "REFUND-1");
      return change;
    });
    CHECK(saw_nothing);
    MustMutate(store, "ORDER-1", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
      REQUIRE(rows.order.has_value());
      CHECK(rows.order->version == 1);
      CHECK(rows.order->code_url == "weixin://wxpay/bizpayurl?pr=ORDER-1");
      REQUIRE(rows.refunds.size() == 1);
      CHECK(rows.refunds[0].out_refund_no == "REFUND-1");
      return LedgerChange{};
    });
  });
}

TEST_CASE("Store contract: history entries get seq 1, 2, ... per order, oldest first",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    auto entry = MakeEntry("ORDER-1", "created");
    entry.seq = 99;  // ignored: the store assigns it
    entry.notification_id = "EV-1";
    entry.out_refund_no = "REFUND-1";
    entry.source = LedgerSource::kCallback;
    PutOrder(store, MakeOrder("ORDER-1"), {entry});
    // Two entries in one change, and an entry without an order change.
    PutOrder(store, MakeOrder("ORDER-1"),
             {MakeEntry("ORDER-1", "second"), MakeEntry("ORDER-1", "third")});
    LedgerChange only_history;
    // An entry may leave out_trade_no empty: the order's is stored.
    only_history.history = {MakeEntry("", "fourth", LedgerSource::kReconciler)};
    MustMutate(store, "ORDER-1", Write(only_history));
    // Another order counts from 1 on its own.
    PutOrder(store, MakeOrder("ORDER-2"), {MakeEntry("ORDER-2", "other")});

    auto history = store.History("ORDER-1");
    REQUIRE(history.ok());
    REQUIRE(history->size() == 4);
    std::vector<std::string> details;
    for (std::size_t i = 0; i < history->size(); ++i) {
      CHECK((*history)[i].seq == static_cast<std::int64_t>(i + 1));
      CHECK((*history)[i].out_trade_no == "ORDER-1");
      details.push_back((*history)[i].detail);
    }
    CHECK(details == std::vector<std::string>{"created", "second", "third", "fourth"});
    auto const& first = history->front();
    CHECK(first.source == LedgerSource::kCallback);
    CHECK(first.notification_id == "EV-1");
    CHECK(first.out_refund_no == "REFUND-1");
    CHECK(first.at == 2000);
    CHECK(first.from_state == "CREATING");
    CHECK(first.to_state == "NOT_PAID");
    CHECK((*history)[3].source == LedgerSource::kReconciler);

    auto other = store.History("ORDER-2");
    REQUIRE(other.ok());
    REQUIRE(other->size() == 1);
    CHECK(other->front().seq == 1);
    auto none = store.History("ORDER-404");
    REQUIRE(none.ok());
    CHECK(none->empty());
  });
}

TEST_CASE("Store contract: refunds are inserted, replaced and listed oldest first",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    PutOrder(store, MakeOrder("ORDER-1"));
    LedgerChange change;
    change.refund = MakeRefund("ORDER-1", "REFUND-B", 3000);
    MustMutate(store, "ORDER-1", Write(change));
    change.refund = MakeRefund("ORDER-1", "REFUND-A", 4000);
    MustMutate(store, "ORDER-1", Write(change));

    // REFUND-B replaced: every field, and it stays first (older).
    auto replaced = MakeRefund("ORDER-1", "REFUND-B", 3000);
    replaced.refund_id = "50000000382019052709732678859";
    replaced.state = LedgerRefundState::kAbnormal;
    replaced.refund_status = "ABNORMAL";
    replaced.updated_at = 9000;
    replaced.outcome_unknown = true;
    replaced.last_error = "SERVICE_ERROR: SYSTEM_ERROR";
    replaced.review_reason = "refund abnormal: the payer's card was closed";
    change.refund = replaced;
    auto result = MustMutate(store, "ORDER-1", Write(change));
    REQUIRE(result.rows.refunds.size() == 2);
    CHECK(result.rows.refunds[0].out_refund_no == "REFUND-B");
    CHECK(result.rows.refunds[1].out_refund_no == "REFUND-A");

    auto got = store.GetRefund("REFUND-B");
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    auto const& refund = **got;
    CHECK(refund.out_trade_no == "ORDER-1");
    CHECK(refund.refund_id == replaced.refund_id);
    CHECK(refund.refund_fen == 40);
    CHECK(refund.total_fen == 100);
    CHECK(refund.currency == "CNY");
    CHECK(refund.state == LedgerRefundState::kAbnormal);
    CHECK(refund.refund_status == "ABNORMAL");
    CHECK(refund.created_at == 3000);
    CHECK(refund.updated_at == 9000);
    CHECK(refund.outcome_unknown);
    CHECK(refund.last_error == replaced.last_error);
    CHECK(refund.review_reason == replaced.review_reason);

    auto rows = store.Get("ORDER-1");
    REQUIRE(rows.ok());
    REQUIRE(rows->refunds.size() == 2);
    CHECK(rows->refunds[0].state == LedgerRefundState::kAbnormal);
    auto missing = store.GetRefund("REFUND-404");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
  });
}

TEST_CASE("Store contract: a refund number of another order is refused, nothing written",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    PutOrder(store, MakeOrder("ORDER-1"));
    PutOrder(store, MakeOrder("ORDER-2"));
    LedgerChange change;
    change.refund = MakeRefund("ORDER-1", "REFUND-1");
    MustMutate(store, "ORDER-1", Write(change));

    LedgerChange stolen;
    stolen.order = MakeOrder("ORDER-2");
    stolen.refund = MakeRefund("ORDER-2", "REFUND-1");
    auto refused = store.Mutate("ORDER-2", "", Write(stolen));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == StatusCode::kInvalidArgument);
    CHECK(refused.status().info().field == "refund.out_refund_no");
    CHECK(MustGetOrder(store, "ORDER-2").version == 1);  // the order was not written either
    auto refund = store.GetRefund("REFUND-1");
    REQUIRE(refund.ok());
    REQUIRE(refund->has_value());
    CHECK((*refund)->out_trade_no == "ORDER-1");
  });
}

TEST_CASE("Store contract: rows of another order in a change are refused", "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    LedgerChange wrong_order;
    wrong_order.order = MakeOrder("ORDER-2");
    auto refused = store.Mutate("ORDER-1", "", Write(wrong_order));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == StatusCode::kInvalidArgument);
    CHECK(refused.status().info().field == "order.out_trade_no");

    LedgerChange wrong_history;
    wrong_history.order = MakeOrder("ORDER-1");
    wrong_history.history = {MakeEntry("ORDER-1", "ok"), MakeEntry("ORDER-2", "elsewhere")};
    refused = store.Mutate("ORDER-1", "EV-1", Write(wrong_history));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().info().field == "history.out_trade_no");

    LedgerChange wrong_refund;
    wrong_refund.refund = MakeRefund("ORDER-2", "REFUND-1");
    refused = store.Mutate("ORDER-1", "", Write(wrong_refund));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().info().field == "refund.out_trade_no");

    for (auto const* key : {"ORDER-1", "ORDER-2"}) {
      auto rows = store.Get(key);
      REQUIRE(rows.ok());
      CHECK_FALSE(rows->order.has_value());
      auto history = store.History(key);
      REQUIRE(history.ok());
      CHECK(history->empty());
    }
    CHECK_FALSE(*store.IsNotificationProcessed("EV-1"));
    CHECK(store.Mutate("", "", Write(LedgerChange{})).status().code() ==
          StatusCode::kInvalidArgument);
  });
}

TEST_CASE("Store contract: a mutation's error rolls everything back", "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    PutOrder(store, MakeOrder("ORDER-1"), {MakeEntry("ORDER-1", "created")});
    ErrorInfo info;
    info.field = "amount.total";
    auto failing = [&](LedgerRows const&) -> StatusOr<LedgerChange> {
      return Status(StatusCode::kInvalidArgument, "amount mismatch", info);
    };
    auto result = store.Mutate("ORDER-1", "EV-1", failing);
    REQUIRE_FALSE(result.ok());
    // The mutation's own error, as it returned it.
    CHECK(result.status().code() == StatusCode::kInvalidArgument);
    CHECK(result.status().message() == "amount mismatch");
    CHECK(result.status().info().field == "amount.total");
    CHECK(MustGetOrder(store, "ORDER-1").version == 1);
    CHECK(store.History("ORDER-1")->size() == 1);
    // The notification id was not recorded: a redelivery runs the mutation again.
    CHECK_FALSE(*store.IsNotificationProcessed("EV-1"));
    int runs = 0;
    auto retried = MustMutate(
        store, "ORDER-1",
        [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
          ++runs;
          LedgerChange change;
          change.order = *rows.order;
          change.order->state = LedgerOrderState::kPaid;
          return change;
        },
        "EV-1");
    CHECK(runs == 1);
    CHECK_FALSE(retried.duplicate_notification);
    CHECK(MustGetOrder(store, "ORDER-1").state == LedgerOrderState::kPaid);
  });
}

TEST_CASE("Store contract: a mutation that throws is an error, nothing written",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    PutOrder(store, MakeOrder("ORDER-1"));
    auto thrown = store.Mutate("ORDER-1", "EV-1", [](LedgerRows const&) -> StatusOr<LedgerChange> {
      throw std::runtime_error("bug in the mutation");
    });
    REQUIRE_FALSE(thrown.ok());
    CHECK(thrown.status().code() == StatusCode::kInternal);
    CHECK(MustGetOrder(store, "ORDER-1").version == 1);
    CHECK_FALSE(*store.IsNotificationProcessed("EV-1"));
    // The store still works: the transaction did not stay open.
    CHECK(PutOrder(store, MakeOrder("ORDER-1")).rows.order->version == 2);
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
