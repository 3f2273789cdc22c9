// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Ledger: construction, the reads and the review flag. The transitions live in
// ledger_orders.cpp (create, prepay result, close), ledger_payments.cpp (payments from
// callbacks and queries) and ledger_refunds.cpp.

#include "wechatpay/ledger/ledger.hpp"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <utility>

#include "ledger_rules.hpp"

namespace wechatpay {
namespace {

using ledger_internal::Context;
using ledger_internal::Entry;
using ledger_internal::InvalidField;

// Unique enough for leases: two instances on one host differ by process id, two processes that
// reuse a pid (a restart) by the random part.
std::string DefaultInstanceId() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  std::random_device random;
  std::uniform_int_distribution<unsigned> digits(0, 0xFFFF);
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", digits(random));
  std::string name = host[0] != '\0' ? std::string(host.data()) : std::string("host");
  return name + "-" + std::to_string(::getpid()) + "-" + suffix;
}

}  // namespace

Ledger::Ledger(std::shared_ptr<LedgerStore> store, LedgerOptions options)
    : store_(std::move(store)), options_(std::move(options)) {
  if (!options_.clock) options_.clock = SystemWatcherClock();
  if (options_.instance_id.empty()) options_.instance_id = DefaultInstanceId();
  // Non-positive durations would schedule the Reconciler into the past forever or close every
  // order at once: fall back to the defaults rather than fail a constructor.
  if (options_.close_after.count() <= 0) options_.close_after = LedgerOptions{}.close_after;
  if (options_.recheck_after.count() <= 0) options_.recheck_after = LedgerOptions{}.recheck_after;
}

LedgerTime Ledger::Now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             options_.clock->WallNow().time_since_epoch())
      .count();
}

StatusOr<std::optional<OrderRecord>> Ledger::GetOrder(std::string const& out_trade_no) const {
  auto rows = store_->Get(out_trade_no);
  if (!rows) return rows.status();
  return std::move(rows->order);
}

StatusOr<std::vector<RefundRecord>> Ledger::Refunds(std::string const& out_trade_no) const {
  auto rows = store_->Get(out_trade_no);
  if (!rows) return rows.status();
  return std::move(rows->refunds);
}

StatusOr<std::vector<HistoryEntry>> Ledger::History(std::string const& out_trade_no) const {
  return store_->History(out_trade_no);
}

StatusOr<std::vector<OrderRecord>> Ledger::List(LedgerQuery const& query) const {
  return store_->List(query);
}

StatusOr<std::unique_ptr<LedgerSubscription>> Ledger::Subscribe(
    std::function<void(LedgerEvent const&)> on_event) const {
  return store_->Subscribe(std::move(on_event));
}

StatusOr<OrderRecord> Ledger::ClearReview(std::string const& out_trade_no,
                                          std::string const& note) {
  if (note.empty()) {
    return InvalidField("note", "clearing a review needs a note saying what was decided");
  }
  Context ctx;
  ctx.now = Now();
  ctx.source = LedgerSource::kApplication;
  ctx.options = &options_;
  // One refund row per transaction (LedgerChange): the order's flag and the first flagged
  // refund go in the first transaction, each further flagged refund in one more. The order's
  // flag is what List(needs_review_only) finds, and it is cleared in the first.
  for (int round = 0;; ++round) {
    bool more = false;
    auto result =
        store_->Mutate(out_trade_no, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
          more = false;
          if (!rows.order) {
            return InvalidField("out_trade_no", "the ledger has no order " + out_trade_no);
          }
          LedgerChange change;
          OrderRecord order = *rows.order;
          std::vector<RefundRecord> refunds = rows.refunds;
          auto const state = std::string(LedgerOrderStateName(order.state));
          for (auto& refund : refunds) {
            if (refund.review_reason.empty()) continue;
            if (change.refund) {
              more = true;
              break;
            }
            auto const refund_state = std::string(LedgerRefundStateName(refund.state));
            change.history.push_back(
                Entry(ctx, out_trade_no, refund.out_refund_no, refund_state, refund_state,
                      "review cleared (was: " + refund.review_reason + "): " + note));
            refund.review_reason.clear();
            refund.updated_at = ctx.now;
            change.refund = refund;
          }
          if (!order.review_reason.empty()) {
            change.history.push_back(
                Entry(ctx, out_trade_no, "", state, state,
                      "review cleared (was: " + order.review_reason + "): " + note));
            order.review_reason.clear();
          }
          if (change.history.empty()) return change;  // nothing flagged: nothing to write
          ledger_internal::Stamp(order, refunds, ctx);
          change.order = std::move(order);
          return change;
        });
    if (!result) return result.status();
    if (!more || round > 1000) {
      if (!result->rows.order) {
        return InvalidField("out_trade_no", "the ledger has no order " + out_trade_no);
      }
      return *std::move(result->rows.order);
    }
  }
}

}  // namespace wechatpay
