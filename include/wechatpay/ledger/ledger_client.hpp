// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/ledger_client.hpp
/// LedgerClient: a NativePayClient whose calls the ledger records, so the application does not
/// have to. It wraps the client's channel in a recording channel (a NativePayChannel
/// decorator): every call through client() — including those of a PaymentWatcher given it —
/// is recorded.
///
/// @code
///   wechatpay::LedgerClient shop(wechatpay::NativePayClient::Create(config).value(), ledger);
///   auto order = shop.NativePrepay(request);      // recorded before and after
///   wechatpay::PaymentWatcher watcher(shop.client());   // its queries and closes recorded too
/// @endcode
#include <memory>
#include <string>

#include "wechatpay/config.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/notify/parser.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// How a LedgerClient behaves.
struct WECHATPAY_LEDGER_EXPORT LedgerClientOptions {
  /// Receives a kWarning line when the ledger could not record the answer of a call that was
  /// made (the answer is still returned: WeChat has acted, and the record made before the call
  /// is scheduled for the Reconciler, which resolves it). Null: no logging.
  LogSink logger;
};

/// NativePayClient's operations, recorded in a Ledger.
///
/// - NativePrepay(): Ledger::RecordOrderCreating() first — when it fails (the ledger is
///   unavailable, or the out_trade_no is recorded with other terms: kAlreadyExists), nothing is
///   sent; an order the ledger has as paid, closed, revoked or failed at payment is not sent
///   either (kAlreadyExists). Then the call, then Ledger::RecordPrepayResult().
/// - CloseOrder(): the call, then Ledger::RecordClose().
/// - CreateRefund(): Ledger::RecordRefundCreating() first (out_trade_no required; nothing is
///   sent when it fails), then the call, then Ledger::RecordRefundResult().
/// - Queries: the call, then Ledger::ApplyQuery() / ApplyRefundQuery().
///
/// Every operation returns WeChat's answer as NativePayClient would. Requests are validated
/// before anything is recorded.
///
/// @par Thread Safety
/// Safe to use from many threads at once; copies share the channel and the ledger.
class WECHATPAY_LEDGER_EXPORT LedgerClient {
 public:
  /// Records the calls of `client` in `ledger` (must not be null).
  LedgerClient(NativePayClient client, std::shared_ptr<Ledger> ledger,
               LedgerClientOptions options = {});

  /// NativePayClient::NativePrepay(), recorded before and after.
  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request,
                                              CallOptions const& options = {}) const;
  /// NativePayClient::QueryOrderByOutTradeNo(), its answer applied.
  StatusOr<Transaction> QueryOrderByOutTradeNo(std::string const& out_trade_no,
                                               CallOptions const& options = {}) const;
  /// NativePayClient::QueryOrderById(), its answer applied.
  StatusOr<Transaction> QueryOrderById(std::string const& transaction_id,
                                       CallOptions const& options = {}) const;
  /// NativePayClient::CloseOrder(), its result recorded.
  StatusOr<CloseOrderResponse> CloseOrder(std::string const& out_trade_no,
                                          CallOptions const& options = {}) const;
  /// NativePayClient::CreateRefund(), recorded before and after.
  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request,
                                CallOptions const& options = {}) const;
  /// NativePayClient::QueryRefund(), its answer applied.
  StatusOr<Refund> QueryRefund(std::string const& out_refund_no,
                               CallOptions const& options = {}) const;

  /// The wrapped client's NativePayClient::MakeNotificationParser() (its keys).
  StatusOr<NotificationParser> MakeNotificationParser(NotificationParserOptions options = {}) const;

  /// A NativePayClient over the recording channel: give it to a PaymentWatcher (or any code
  /// taking a NativePayClient) and its calls are recorded as well.
  NativePayClient const& client() const noexcept { return recording_; }
  /// The ledger.
  std::shared_ptr<Ledger> const& ledger() const noexcept { return ledger_; }

 private:
  NativePayClient inner_;
  NativePayClient recording_;
  std::shared_ptr<Ledger> ledger_;
};

}  // namespace wechatpay
