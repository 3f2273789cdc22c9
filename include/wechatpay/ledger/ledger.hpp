// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/ledger.hpp
/// Ledger: the payment rules of the ledger (docs/ledger.md), written once above every
/// LedgerStore. Each operation is one LedgerStore::Mutate(): it reads the order's rows, decides
/// the transition, writes the rows and a HistoryEntry saying where the change came from, all in
/// one transaction. Repeating an operation with the same input changes nothing the second time.
///
/// Typical use (LedgerClient and LedgerNotificationApplier do the recording for you):
/// @code
///   auto store = wechatpay::OpenLedgerStore("sqlite:/var/lib/shop/ledger.db").value();
///   auto ledger = std::make_shared<wechatpay::Ledger>(store);
///   ledger->RecordOrderCreating(request);                 // before the prepay call
///   ledger->RecordPrepayResult(request, client.NativePrepay(request));
///   ledger->ApplyNotification(notification);              // from the verified callback
/// @endcode
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wechatpay/ledger/records.hpp"
#include "wechatpay/ledger/store.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/payment_watcher.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// What the ledger does with a payment (or refund) for an out_trade_no it has no record of: an
/// order created by another system, or before the ledger was used.
enum class UnknownOrderPolicy {
  /// Record the order from what WeChat says, flagged for review (review_reason), and answer the
  /// callback success: nothing is lost, and a person decides what the money was for.
  kRecordFlagged,
  /// Refuse it: ApplyNotification() fails with kInvalidArgument (field "out_trade_no"), nothing
  /// is written, and the callback is answered 5xx so that WeChat redelivers it — for a notify
  /// URL shared with another system that may know the order.
  kRefuse,
};

/// How a Ledger behaves.
struct WECHATPAY_LEDGER_EXPORT LedgerOptions {
  /// The ledger's time (WallNow() is used); null means SystemWatcherClock(). Tests pass a
  /// wechatpay::testing::FakeClock.
  std::shared_ptr<WatcherClock> clock;
  /// An unpaid order's close deadline, counted from its creation; the order's time_expire wins
  /// when it is earlier. Positive.
  std::chrono::milliseconds close_after{std::chrono::minutes(10)};
  /// When the Reconciler looks again at an order whose outcome is unknown (a create, close or
  /// refund call that was not answered, or a creation that was never followed by its result),
  /// and at an order with a refund in PROCESSING. Positive.
  std::chrono::milliseconds recheck_after{std::chrono::minutes(1)};
  /// What to do with a payment or refund for an order the ledger has no record of.
  UnknownOrderPolicy unknown_order = UnknownOrderPolicy::kRecordFlagged;
  /// This instance's name, for the Reconciler's leases (LedgerStore::LeaseDue); empty means one
  /// made of the host name, the process id and a random number.
  std::string instance_id;
};

/// What applying a notification or a query answer did. Flagged and applied may both hold: a
/// payment of an order the ledger had closed is recorded as paid (WeChat's verified word wins:
/// the money moved) and flagged for review.
struct WECHATPAY_LEDGER_EXPORT LedgerApplyResult {
  /// The notification id had been processed before: nothing was run or written.
  bool duplicate = false;
  /// The order (or refund) changed as the event says.
  bool applied = false;
  /// The event was flagged for review (review_reason says why). A flagged mismatch (amount,
  /// out_trade_no, a second transaction) is never applied.
  bool flagged = false;
  /// Why it was flagged ("" when not).
  std::string review_reason;
  /// The order after the operation (nullopt when the ledger has none).
  std::optional<OrderRecord> order;
  /// The refund after the operation, for refund events.
  std::optional<RefundRecord> refund;
};

/// The payment ledger: every order the merchant creates and every refund, their states, and
/// the history of every change (docs/ledger.md has the state machine).
///
/// Errors of every operation: those of the store (kUnavailable when the database cannot be
/// reached, kAborted after a persisting conflict: nothing was written, retrying is safe), and
/// kInvalidArgument naming the field for input the ledger cannot record.
///
/// @par Thread Safety
/// Every member is safe to call from many threads, and from many processes on one PostgreSQL
/// database: the store serializes the operations on one order.
class WECHATPAY_LEDGER_EXPORT Ledger {
 public:
  /// A ledger over `store` (must not be null).
  explicit Ledger(std::shared_ptr<LedgerStore> store, LedgerOptions options = {});

  /// Records `request` before its prepay call: a new order in kCreating, with its close
  /// deadline, scheduled for the Reconciler (in case the result is never recorded). Idempotent:
  /// an order with the same out_trade_no, amount, currency, description and appid is returned
  /// as it is (one in kCreateFailed goes back to kCreating for the new attempt). Errors:
  /// kAlreadyExists naming the first differing field (amount.total, amount.currency,
  /// description, appid) — the record is never overwritten; kInvalidArgument for an empty
  /// out_trade_no, a non-positive amount or a time_expire that is not RFC 3339.
  StatusOr<OrderRecord> RecordOrderCreating(NativePrepayRequest const& request);

  /// Records the prepay call's result. A code_url: kNotPaid (trade_state NOTPAY, WeChat's
  /// state of an order it has just created), the code_url and its expiry: 2 hours, and the
  /// first code_url's not beyond the order's time_expire (kept in the record until then; a
  /// renewed code_url's cap needs the request: use the overload below). An unknown outcome
  /// (ErrorInfo::outcome_unknown, as the client's retry table marks it): stays kCreating with
  /// outcome_unknown and next_check_at for the Reconciler. A definite refusal: kCreateFailed with
  /// last_error — unless an earlier attempt's outcome is still unknown, or WeChat says the order
  /// exists (ORDER_PAID, ORDER_CLOSED): then outcome_unknown, so the Reconciler queries it. Errors:
  /// kInvalidArgument (field out_trade_no) when the ledger has no such order.
  StatusOr<OrderRecord> RecordPrepayResult(std::string const& out_trade_no,
                                           StatusOr<NativePrepayResponse> const& result);

  /// The same, for the prepay call of `request` (the one passed to RecordOrderCreating(), or
  /// the identical one ordered again for a fresh code_url): every code_url's expiry — a renewed
  /// one's too — is capped by request.time_expire, which WeChat enforces on the order whatever
  /// the code_url's own 2 hours. LedgerClient uses this one. Errors: as above, and
  /// kInvalidArgument (field time_expire) for a time_expire that is not RFC 3339.
  StatusOr<OrderRecord> RecordPrepayResult(NativePrepayRequest const& request,
                                           StatusOr<NativePrepayResponse> const& result);

  /// Applies a verified notification (TRANSACTION.SUCCESS or REFUND.*), deduplicated by its id
  /// in the same transaction: a redelivery is `duplicate` and changes nothing. A payment is
  /// checked against the record (CheckPayment(): out_trade_no, amount.total, transaction_id)
  /// and applied only if the order is unpaid; a mismatch is flagged and never applied. An
  /// unknown out_trade_no follows LedgerOptions::unknown_order. Errors: kInvalidArgument for
  /// another event type, a notification without its resource, or a refused unknown order.
  StatusOr<LedgerApplyResult> ApplyNotification(Notification const& notification);

  /// Applies a query answer: trade_state → ledger state (SUCCESS and REFUND: kPaid; NOTPAY and
  /// USERPAYING: kNotPaid; CLOSED, REVOKED, PAYERROR), with the checks of ApplyNotification().
  /// A state that contradicts the ledger (a paid order that WeChat calls CLOSED) is flagged,
  /// not applied. An unknown order is recorded (per the policy) only when WeChat says it was
  /// paid. Errors: kInvalidArgument without out_trade_no or with an unknown trade_state.
  /// With `source` LedgerSource::kReconciler the order is always written (an unchanged answer
  /// as "checked" in the history), its lease released and next_check_at moved on; the same
  /// holds for ApplyRefundQuery() and RecordClose().
  StatusOr<LedgerApplyResult> ApplyQuery(Transaction const& transaction,
                                         LedgerSource source = LedgerSource::kQuery);

  /// Records the close call's result: OK (or ORDER_CLOSED) → kClosed; a paid order never
  /// becomes closed (a success is flagged); ORDER_PAID → outcome_unknown so that the
  /// Reconciler learns the payment; an unknown outcome → outcome_unknown; another error →
  /// last_error only. Errors: kInvalidArgument (field out_trade_no) for an unknown order.
  StatusOr<OrderRecord> RecordClose(std::string const& out_trade_no, Status const& close_status,
                                    LedgerSource source = LedgerSource::kClient);

  /// Records `request` before its refund call (kCreating). The order must be in the ledger and
  /// paid, `request.out_trade_no` set, amount.total the order's total, and the refunds not
  /// closed or failed plus this one at most the total. Idempotent like RecordOrderCreating().
  /// Errors: kInvalidArgument naming the field; kAlreadyExists naming the differing field.
  StatusOr<RefundRecord> RecordRefundCreating(CreateRefundRequest const& request);

  /// Records the refund call's result: the refund's status (PROCESSING, SUCCESS, CLOSED,
  /// ABNORMAL) with its amount cross-checked (a mismatch is flagged, not applied); an unknown
  /// outcome → outcome_unknown; a definite refusal (e.g. NOT_ENOUGH) → kCreateFailed.
  /// Errors: kInvalidArgument (field out_refund_no) for a refund the ledger has no record of.
  StatusOr<RefundRecord> RecordRefundResult(std::string const& out_refund_no,
                                            StatusOr<Refund> const& result);

  /// Applies a refund query answer (PROCESSING, SUCCESS, CLOSED, ABNORMAL), amount checked.
  /// A final state (SUCCESS, CLOSED) is never left; a contradiction is flagged. Refunds whose
  /// sum goes above the order's total are flagged.
  StatusOr<LedgerApplyResult> ApplyRefundQuery(Refund const& refund,
                                               LedgerSource source = LedgerSource::kQuery);

  /// Clears the order's review flag (and its refunds'), with `note` in the history (source
  /// kApplication). Errors: kInvalidArgument for an unknown order or an empty note.
  StatusOr<OrderRecord> ClearReview(std::string const& out_trade_no, std::string const& note);

  /// The order, or nullopt.
  StatusOr<std::optional<OrderRecord>> GetOrder(std::string const& out_trade_no) const;
  /// The order's refunds, oldest first.
  StatusOr<std::vector<RefundRecord>> Refunds(std::string const& out_trade_no) const;
  /// The order's history, oldest first.
  StatusOr<std::vector<HistoryEntry>> History(std::string const& out_trade_no) const;
  /// Orders matching `query`, newest first.
  StatusOr<std::vector<OrderRecord>> List(LedgerQuery const& query) const;
  /// Calls `on_event` for every committed change (LedgerStore::Subscribe()).
  StatusOr<std::unique_ptr<LedgerSubscription>> Subscribe(
      std::function<void(LedgerEvent const&)> on_event) const;

  /// The store.
  std::shared_ptr<LedgerStore> const& store() const noexcept { return store_; }
  /// The options in effect (clock and instance_id filled in).
  LedgerOptions const& options() const noexcept { return options_; }
  /// The ledger's time now, in milliseconds since the epoch.
  LedgerTime Now() const;

 private:
  // RecordPrepayResult(), with the order's time_expire when the caller knows it (0: unknown).
  StatusOr<OrderRecord> RecordPrepay(std::string const& out_trade_no, LedgerTime time_expire,
                                     StatusOr<NativePrepayResponse> const& result);

  std::shared_ptr<LedgerStore> store_;
  LedgerOptions options_;
};

}  // namespace wechatpay
