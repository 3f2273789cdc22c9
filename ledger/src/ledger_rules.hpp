// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The pieces every Ledger operation shares: the time and source of one operation, how a
// change is stamped (version, updated_at, next_check_at, history), the mapping of WeChat's
// states onto the ledger's, and the errors. Decisions are pure functions of the rows they are
// given, because a store may run a mutation more than once.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/records.hpp"
#include "wechatpay/ledger/store.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::ledger_internal {

/// One operation's fixed facts, taken before the mutation runs.
struct Context {
  LedgerTime now = 0;
  LedgerSource source = LedgerSource::kApplication;
  std::string notification_id;
  LedgerOptions const* options = nullptr;
};

/// What a mutation decided besides the rows, reset at every run of the mutation.
struct Decision {
  bool applied = false;
  bool flagged = false;
  std::string review_reason;

  void Reset() { *this = Decision{}; }
  /// Marks the decision flagged with `reason` (the first reason wins in the result).
  void Flag(std::string reason) {
    flagged = true;
    if (review_reason.empty()) review_reason = std::move(reason);
  }
};

/// A history entry for the order (and refund, when `out_refund_no` is set).
HistoryEntry Entry(Context const& ctx, std::string const& out_trade_no,
                   std::string const& out_refund_no, std::string from_state, std::string to_state,
                   std::string detail);

/// The order's state name, "" for none.
std::string StateName(std::optional<OrderRecord> const& order);

/// Adds `reason` to a review_reason (reasons are joined with "; ", the text bounded).
void AddReview(std::string& review_reason, std::string const& reason);

/// Stamps a changed order: version + 1, updated_at, and when the Reconciler should look at it
/// next (an unknown outcome, a creation not yet answered or a refund in flight: recheck_after
/// from now; an unpaid order: its close deadline; otherwise never). A change by the Reconciler
/// also releases its lease.
void Stamp(OrderRecord& order, std::vector<RefundRecord> const& refunds, Context const& ctx);

/// `change`, or — when it writes no order, the order exists and the Reconciler is the source —
/// a change that only stamps the order (lease released, next_check_at moved on) with a history
/// entry saying it was checked and found unchanged.
LedgerChange CheckedByReconciler(LedgerRows const& rows, LedgerChange change, Context const& ctx);

/// The error text kept in last_error: the status's code, message, HTTP status and Request-ID
/// (Status::ToString(), which never holds a secret), bounded.
std::string ErrorText(Status const& status);

/// The ledger state a trade_state maps to; nullopt for an unknown trade_state.
std::optional<LedgerOrderState> OrderStateOf(std::string const& trade_state);

/// The ledger state a refund status maps to; nullopt for an unknown status.
std::optional<LedgerRefundState> RefundStateOf(std::string const& refund_status);

/// True when the refund's amount still counts against the order's total (not failed, closed).
bool CountsAgainstTotal(LedgerRefundState state);

/// kInvalidArgument naming `field`.
Status InvalidField(std::string field, std::string message);

/// kAlreadyExists naming `field`.
Status ExistsDifferently(std::string field, std::string message);

/// The decision on a payment or query answer for the rows of its out_trade_no (ledger_payments).
StatusOr<LedgerChange> DecideTransaction(LedgerRows const& rows, Transaction const& transaction,
                                         Context const& ctx, Decision& decision);

/// The decision on a refund's state as WeChat reports it (a notification, a refund call's
/// answer or a query), normalised to the notification's form so that CheckRefundAmount()
/// applies to all three (ledger_refunds).
StatusOr<LedgerChange> DecideRefund(LedgerRows const& rows, RefundNotification const& refund,
                                    Context const& ctx, Decision& decision);

/// Applies a refund's state as WeChat reports it in one Mutate() on its order (with the
/// context's notification id), after checking that the ledger does not hold the refund under
/// another order (ledger_refunds).
StatusOr<LedgerApplyResult> ApplyRefundFacts(LedgerStore& store, RefundNotification const& refund,
                                             Context const& ctx);

/// A refund API answer in the notification's form (amount.refund -1 when absent, which no
/// check accepts).
RefundNotification AsNotification(Refund const& refund);

}  // namespace wechatpay::ledger_internal
