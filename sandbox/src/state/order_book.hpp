// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The WeChat side's order and refund state and its business rules: the order state machine
// (NOTPAY → USERPAYING | SUCCESS | CLOSED | PAYERROR, USERPAYING → SUCCESS | PAYERROR,
// SUCCESS → REFUND), reentrant prepay, close, refunds (PROCESSING → SUCCESS | ABNORMAL |
// CLOSED) and what the simulated payer does. Answers are WeChat's (status, code, body); the state
// is saved to the state file after every change when one is configured.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/exchange.hpp"
#include "state/clock.hpp"
#include "state/order_model.hpp"
#include "v3/v3_validation.hpp"
#include "wechatpay/sandbox/sandbox.hpp"

namespace wechatpay::sandbox::internal {

/// A notification to deliver: the plaintext of the encrypted resource and where it goes.
struct Notification {
  std::string out_trade_no;
  /// TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL or REFUND.CLOSED.
  std::string event_type;
  /// 支付成功 / 退款成功 / 退款异常 / 退款关闭.
  std::string summary;
  /// resource.original_type, also the associated_data: "transaction" or "refund".
  std::string original_type;
  std::string plaintext;
  std::string url;
};

/// What a control API action on an order produced.
struct ControlOutcome {
  /// 200 on success; 404 (unknown order) or 409 (wrong state) otherwise.
  int http_status = 200;
  /// Error code and message when http_status is not 200.
  std::string code;
  std::string message;
  /// The JSON to show on success.
  std::string json;
  /// A callback to deliver.
  std::optional<Notification> notification;
};

/// The orders and refunds of one merchant.
///
/// @par Thread Safety
/// Every member function is safe to call from many threads at once.
class OrderBook {
 public:
  /// `state_file` empty: memory only. `scale` converts the 2-hour code_url validity.
  OrderBook(std::string state_file, TimeScale scale)
      : state_file_(std::move(state_file)), scale_(scale) {}

  /// Reads the state file when it exists. Errors: kConfiguration (unreadable or not JSON).
  Status Load();

  /// Native prepay with a checked body: a new order, or the reentrant answer for an existing
  /// out_trade_no (same code_url while valid, a fresh one after, an error when the parameters
  /// differ or the order is paid, closed or failed).
  Answer Prepay(PrepayInput const& input);
  /// The transaction of an order, 404 ORDER_NOT_EXIST when unknown.
  Answer QueryByOutTradeNo(std::string const& out_trade_no) const;
  /// The transaction of a paid order, 404 ORDER_NOT_EXIST when unknown.
  Answer QueryByTransactionId(std::string const& transaction_id) const;
  /// Closes an unpaid order: 204, also when closed already; 400 ORDER_PAID once paid; 202
  /// USER_PAYING while the payer enters the password (USERPAYING).
  Answer Close(std::string const& out_trade_no);

  /// The answer to a refund request, and whether a new refund was accepted (its completion
  /// must then be scheduled).
  struct RefundResult {
    Answer answer;
    std::optional<std::string> accepted_out_refund_no;
  };
  /// Creates a refund (or returns the existing one for a repeated out_refund_no); 403
  /// NOT_ENOUGH instead while RefuseNextRefunds() has refusals left.
  RefundResult CreateRefund(RefundInput const& input);
  /// The refund, 404 RESOURCE_NOT_EXISTS when unknown.
  Answer QueryRefund(std::string const& out_refund_no) const;
  /// PROCESSING → SUCCESS; returns the REFUND.SUCCESS notification (nullopt when unknown, no
  /// longer processing, or the refund named no notify_url: the sandbox has no merchant-platform
  /// refund URL to fall back on, and WeChat never sends a refund result to the payment's).
  /// With `round`, only while the refund is in that processing round (RefundRound()).
  std::optional<Notification> CompleteRefund(std::string const& out_refund_no,
                                             std::optional<std::int64_t> round = std::nullopt);
  /// The refund's processing round (RefundRecord::round), 0 when unknown.
  std::int64_t RefundRound(std::string const& out_refund_no) const;
  /// PROCESSING → ABNORMAL or CLOSED (`status`), with the REFUND.ABNORMAL / REFUND.CLOSED
  /// notification when the refund named a notify_url. 404 unknown refund, 409 not PROCESSING.
  ControlOutcome EndRefund(std::string const& out_refund_no, std::string const& status);
  /// Where an abnormal refund's money goes: the refund's new channel and account text.
  struct AbnormalPayout {
    std::string channel;
    std::string received_account;
  };
  /// An abnormal-refund application for the refund `out_refund_no` whose id is `refund_id`:
  /// ABNORMAL → PROCESSING with `payout`, the refund as answer and its out_refund_no as
  /// accepted (its completion must be scheduled, as for a new refund). 404
  /// RESOURCE_NOT_EXISTS when no refund has both numbers; 400 INVALID_REQUEST when the
  /// refund is not ABNORMAL.
  RefundResult ApplyAbnormalRefund(std::string const& refund_id, std::string const& out_refund_no,
                                   AbnormalPayout const& payout);
  /// The next `count` new refunds are refused with 403 NOT_ENOUGH (the merchant's balance is
  /// short); a refusal creates nothing, so the same out_refund_no can be tried again.
  void RefuseNextRefunds(int count);
  /// Refunds still PROCESSING (to reschedule after a restart).
  std::vector<std::string> ProcessingRefunds() const;

  /// The payer scans the code and is asked for the password: NOTPAY → USERPAYING.
  ControlOutcome Scan(std::string const& out_trade_no);
  /// The payer pays (NOTPAY or USERPAYING → SUCCESS); the TRANSACTION.SUCCESS notification
  /// comes with the outcome.
  ControlOutcome Pay(std::string const& out_trade_no, PayOptions const& options);
  /// The payment fails: NOTPAY or USERPAYING → PAYERROR (no notification: WeChat notifies
  /// successful payments only).
  ControlOutcome Fail(std::string const& out_trade_no);
  /// The control API's view of an order.
  ControlOutcome View(std::string const& out_trade_no) const;
  /// Every order's out_trade_no and state.
  std::string ListJson() const;
  /// What the bills are made of: copies of the orders that were paid (a transaction_id; their
  /// callback deliveries left out) and of every refund.
  struct BillRecords {
    std::vector<OrderRecord> paid_orders;
    std::vector<RefundRecord> refunds;
  };
  /// A consistent copy of the bill records, taken under the lock.
  BillRecords BillSnapshot() const;
  /// A test and benchmark facility: `count` orders paid during the Beijing day starting at
  /// `day_begin`, written straight into the book (no prepay, no callback), for `appid` and
  /// `mchid`. Their numbers are deterministic: out_trade_no SEED<yyyyMMdd><10-digit index>,
  /// transaction_id 4200000000<yyyyMMdd><index>; amounts 1–99 999 fen; success times spread
  /// evenly over the day. Returns false, adding nothing, when one of these out_trade_no exists.
  bool SeedPaidOrders(std::int64_t count, SystemClock::time_point day_begin,
                      std::string const& appid, std::string const& mchid);
  /// Appends a callback delivery attempt to the order's record.
  void RecordDelivery(std::string const& out_trade_no, DeliveryRecord record);

 private:
  /// Writes the state file after a change to the order `changed_order` and, when not empty,
  /// the refund `changed_refund`.
  void SaveLocked(std::string const& changed_order, std::string const& changed_refund = {});
  OrderRecord const* FindLocked(std::string const& out_trade_no) const;
  // The unpaid (NOTPAY or USERPAYING) order `out_trade_no`, or nullptr with the control
  // error that says why not in `refusal` (Pay and Fail start from the same place).
  OrderRecord* UnpaidOrderLocked(std::string const& out_trade_no, ControlOutcome& refusal);
  Answer NewOrderLocked(PrepayInput const& input, SystemClock::time_point now);
  // Why the payer cannot scan `order` now (an expired code_url or time_expire), else nullopt.
  std::optional<ControlOutcome> ScanRefusalLocked(OrderRecord const& order,
                                                  SystemClock::time_point now) const;
  void IssueCodeUrlLocked(OrderRecord& order, SystemClock::time_point now);

  std::string const state_file_;
  TimeScale const scale_;
  mutable std::mutex mu_;
  std::map<std::string, OrderRecord> orders_;
  std::map<std::string, RefundRecord> refunds_;
  std::map<std::string, std::string> by_transaction_id_;
  int refuse_refunds_ = 0;  // RefuseNextRefunds(); not saved: a test's setting, not state
  // The serialised state of each order and refund, by key, for SaveLocked().
  std::map<std::string, std::string> order_state_;
  std::map<std::string, std::string> refund_state_;
  std::string state_text_;  // the state file's text, rebuilt in place by SaveLocked()
};

}  // namespace wechatpay::sandbox::internal
