// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/records.hpp
/// The rows of the payment ledger (wechatpay::ledger): one OrderRecord per order the merchant
/// creates, one RefundRecord per refund, and a HistoryEntry per change of either, each saying
/// where the change came from. Plain values; the Ledger (ledger.hpp) decides the transitions,
/// a LedgerStore (store.hpp) keeps them durably.
///
/// Times are milliseconds since the Unix epoch (UTC), taken from the Ledger's clock, so that a
/// test can drive them and both stores keep the same integers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wechatpay/ledger_export.hpp"

namespace wechatpay {

/// Milliseconds since the Unix epoch (UTC).
using LedgerTime = std::int64_t;

/// The ledger's state of an order. WeChat's trade_state is kept beside it (OrderRecord::
/// trade_state); this is what the merchant's books say.
enum class LedgerOrderState {
  /// Recorded before the prepay call; whether WeChat created the order is not known yet (the
  /// call is running, or its outcome was unknown: OrderRecord::outcome_unknown).
  kCreating,
  /// WeChat created the order (code_url known) or a query said NOTPAY / USERPAYING.
  kNotPaid,
  /// Paid: a verified TRANSACTION.SUCCESS or a query answering SUCCESS (or REFUND, which only
  /// a paid order reaches). Final for the payment; refunds are tracked as RefundRecords.
  kPaid,
  /// Closed: the close call succeeded or a query answered CLOSED.
  kClosed,
  /// WeChat answered REVOKED.
  kRevoked,
  /// WeChat answered PAYERROR.
  kPayError,
  /// The prepay call was refused with a definite answer: nothing exists at WeChat.
  kCreateFailed,
};

/// The stable name of a state as stored in the database, e.g. "PAID".
WECHATPAY_LEDGER_EXPORT std::string_view LedgerOrderStateName(LedgerOrderState state);
/// The state named `name` (as LedgerOrderStateName() spells it), or nullopt.
WECHATPAY_LEDGER_EXPORT std::optional<LedgerOrderState> ParseLedgerOrderState(
    std::string_view name);

/// The ledger's state of a refund.
enum class LedgerRefundState {
  /// Recorded before the refund call; outcome not known yet (see outcome_unknown).
  kCreating,
  /// WeChat accepted the refund: PROCESSING.
  kProcessing,
  /// SUCCESS (final).
  kSuccess,
  /// CLOSED (final).
  kClosed,
  /// ABNORMAL: the money did not reach the payer; the merchant must act (final until then).
  kAbnormal,
  /// The refund call was refused with a definite answer: no refund exists.
  kCreateFailed,
};

/// The stable name of a refund state as stored, e.g. "PROCESSING".
WECHATPAY_LEDGER_EXPORT std::string_view LedgerRefundStateName(LedgerRefundState state);
/// The refund state named `name`, or nullopt.
WECHATPAY_LEDGER_EXPORT std::optional<LedgerRefundState> ParseLedgerRefundState(
    std::string_view name);

/// Where a change came from (HistoryEntry::source).
enum class LedgerSource {
  /// The merchant's own call through the client (create, close, refund).
  kClient,
  /// A verified notification (callback).
  kCallback,
  /// A query answer the application applied.
  kQuery,
  /// The Reconciler.
  kReconciler,
  /// The application directly (e.g. clearing a review flag).
  kApplication,
};

/// The stable name of a source as stored, e.g. "CALLBACK".
WECHATPAY_LEDGER_EXPORT std::string_view LedgerSourceName(LedgerSource source);
/// The source named `name`, or nullopt.
WECHATPAY_LEDGER_EXPORT std::optional<LedgerSource> ParseLedgerSource(std::string_view name);

/// One order as the ledger knows it. Keyed by out_trade_no.
struct WECHATPAY_LEDGER_EXPORT OrderRecord {
  /// The merchant's order number (the key).
  std::string out_trade_no;
  /// The appid the order was created with ("" when the client's default was used).
  std::string appid;
  /// The order's description.
  std::string description;
  /// The total in fen.
  std::int64_t total_fen = 0;
  /// The currency ("CNY").
  std::string currency = "CNY";
  /// The ledger's state.
  LedgerOrderState state = LedgerOrderState::kCreating;
  /// WeChat's last known trade_state ("" before any answer said one).
  std::string trade_state;
  /// The code_url, once WeChat returned it.
  std::string code_url;
  /// When the code_url stops working (the order's time_expire, else WeChat's 2 hours), 0 when
  /// unknown.
  LedgerTime code_url_expires_at = 0;
  /// The deadline after which the Reconciler closes the order if it is still unpaid.
  LedgerTime close_deadline = 0;
  /// WeChat's transaction_id, once paid.
  std::string transaction_id;
  /// What the payer paid in fen (amount.payer_total), once paid.
  std::optional<std::int64_t> payer_total_fen;
  /// WeChat's success_time (RFC 3339, as received), once paid.
  std::string success_time;
  /// When the record was created.
  LedgerTime created_at = 0;
  /// When the record last changed.
  LedgerTime updated_at = 0;
  /// Increases by one with every change (starts at 1): lets a watcher tell new from seen.
  std::int64_t version = 0;
  /// True while the outcome of the last call that could have changed the order at WeChat is
  /// unknown (a create or close that was sent but not answered): the Reconciler resolves it.
  bool outcome_unknown = false;
  /// The last error of a call for this order ("" when none): category, code and message,
  /// never a secret.
  std::string last_error;
  /// Why the order needs a person's review ("" when it does not): an amount mismatch, a
  /// payment for an order the ledger did not create, a payment after a close, ...
  std::string review_reason;
  /// When the Reconciler should look at the order next (0: not scheduled).
  LedgerTime next_check_at = 0;
  /// The instance holding the Reconciler's lease on the order ("" when none).
  std::string lease_owner;
  /// When that lease ends.
  LedgerTime lease_until = 0;
};

/// One refund as the ledger knows it. Keyed by out_refund_no; belongs to one order.
struct WECHATPAY_LEDGER_EXPORT RefundRecord {
  /// The merchant's refund number (the key).
  std::string out_refund_no;
  /// The order it refunds.
  std::string out_trade_no;
  /// WeChat's refund_id, once known.
  std::string refund_id;
  /// The refund amount in fen.
  std::int64_t refund_fen = 0;
  /// The order's total in fen, as the refund request said.
  std::int64_t total_fen = 0;
  /// The currency ("CNY").
  std::string currency = "CNY";
  /// The ledger's state.
  LedgerRefundState state = LedgerRefundState::kCreating;
  /// WeChat's last known refund status ("" before any answer said one).
  std::string refund_status;
  /// When the record was created.
  LedgerTime created_at = 0;
  /// When the record last changed.
  LedgerTime updated_at = 0;
  /// True while the refund call's outcome is unknown.
  bool outcome_unknown = false;
  /// The last error of a call for this refund ("" when none; never a secret).
  std::string last_error;
  /// Why the refund needs review ("" when it does not).
  std::string review_reason;
};

/// One change of an order or of one of its refunds, for audits.
struct WECHATPAY_LEDGER_EXPORT HistoryEntry {
  /// The order.
  std::string out_trade_no;
  /// The refund, when the change was to a refund ("" otherwise).
  std::string out_refund_no;
  /// Position in the order's history, from 1, assigned by the store.
  std::int64_t seq = 0;
  /// When it happened.
  LedgerTime at = 0;
  /// Where it came from.
  LedgerSource source = LedgerSource::kApplication;
  /// The state before ("" for a new record), as stored (LedgerOrderStateName or
  /// LedgerRefundStateName).
  std::string from_state;
  /// The state after.
  std::string to_state;
  /// The notification id when the change came from a callback ("" otherwise).
  std::string notification_id;
  /// What changed, in words (e.g. "code_url recorded", "amount mismatch: flagged").
  std::string detail;
};

}  // namespace wechatpay
