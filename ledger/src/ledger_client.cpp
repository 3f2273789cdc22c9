// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// LedgerClient and its recording channel: a NativePayChannel decorator that records every call
// in the ledger around the wrapped channel. A decorator rather than a wrapper of the client's
// functions, so that whatever takes a NativePayClient (PaymentWatcher) is recorded too, and
// NativePayClient's validation runs before anything is recorded.

#include "wechatpay/ledger/ledger_client.hpp"

#include <string>
#include <utility>

#include "ledger_rules.hpp"

namespace wechatpay {
namespace {

bool EndedUnpaidOrPaid(LedgerOrderState state) {
  return state == LedgerOrderState::kPaid || state == LedgerOrderState::kClosed ||
         state == LedgerOrderState::kRevoked || state == LedgerOrderState::kPayError;
}

class RecordingChannel final : public NativePayChannel {
 public:
  RecordingChannel(std::shared_ptr<NativePayChannel> inner, std::shared_ptr<Ledger> ledger,
                   LedgerClientOptions options)
      : inner_(std::move(inner)), ledger_(std::move(ledger)), options_(std::move(options)) {}

  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request,
                                              CallOptions const& options) override {
    // Recorded first, or not sent at all: an order WeChat has and the ledger does not is the
    // gap the ledger exists to close.
    auto recorded = ledger_->RecordOrderCreating(request);
    if (!recorded) return recorded.status();
    if (EndedUnpaidOrPaid(recorded->state)) {
      return ledger_internal::ExistsDifferently(
          "out_trade_no", "order " + request.out_trade_no + " is already " +
                              std::string(LedgerOrderStateName(recorded->state)) +
                              " in the ledger; nothing was sent");
    }
    auto result = inner_->NativePrepay(request, options);
    // With the request: its time_expire caps a renewed code_url's expiry too.
    Check(ledger_->RecordPrepayResult(request, result).status(),
          "the prepay result of order " + request.out_trade_no);
    return result;
  }

  StatusOr<Transaction> QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const& request,
                                               CallOptions const& options) override {
    auto result = inner_->QueryOrderByOutTradeNo(request, options);
    if (result)
      Check(ledger_->ApplyQuery(*result).status(), "the query of " + request.out_trade_no);
    return result;
  }

  StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request,
                                       CallOptions const& options) override {
    auto result = inner_->QueryOrderById(request, options);
    if (result) {
      Check(ledger_->ApplyQuery(*result).status(), "the query of " + request.transaction_id);
    }
    return result;
  }

  StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request,
                                          CallOptions const& options) override {
    auto result = inner_->CloseOrder(request, options);
    Check(ledger_->RecordClose(request.out_trade_no, result.status()).status(),
          "the close of order " + request.out_trade_no);
    return result;
  }

  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request,
                                CallOptions const& options) override {
    auto recorded = ledger_->RecordRefundCreating(request);
    if (!recorded) return recorded.status();
    auto result = inner_->CreateRefund(request, options);
    Check(ledger_->RecordRefundResult(request.out_refund_no, result).status(),
          "the refund result of " + request.out_refund_no);
    return result;
  }

  StatusOr<Refund> QueryRefund(QueryRefundRequest const& request,
                               CallOptions const& options) override {
    auto result = inner_->QueryRefund(request, options);
    if (result) {
      Check(ledger_->ApplyRefundQuery(*result).status(), "the query of " + request.out_refund_no);
    }
    return result;
  }

 private:
  // The call was made and its answer is returned whatever the ledger says; a failure to record
  // it is logged (the Reconciler resolves the record from WeChat).
  void Check(Status const& status, std::string const& what) const {
    if (status.ok() || !options_.logger) return;
    // An order the ledger never recorded (created elsewhere) is no failure of the ledger.
    if (status.code() == StatusCode::kInvalidArgument &&
        (status.info().field == "out_trade_no" || status.info().field == "out_refund_no")) {
      options_.logger(LogLevel::kDebug, "ledger: not recorded, " + what + ": " + status.ToString());
      return;
    }
    options_.logger(LogLevel::kWarning,
                    "ledger: could not record " + what + ": " + status.ToString());
  }

  std::shared_ptr<NativePayChannel> inner_;
  std::shared_ptr<Ledger> ledger_;
  LedgerClientOptions options_;
};

}  // namespace

LedgerClient::LedgerClient(NativePayClient client, std::shared_ptr<Ledger> ledger,
                           LedgerClientOptions options)
    : inner_(std::move(client)),
      recording_(std::make_shared<RecordingChannel>(inner_.channel(), ledger, std::move(options)),
                 inner_.validation()),
      ledger_(std::move(ledger)) {}

StatusOr<NativePrepayResponse> LedgerClient::NativePrepay(NativePrepayRequest const& request,
                                                          CallOptions const& options) const {
  return recording_.NativePrepay(request, options);
}

StatusOr<Transaction> LedgerClient::QueryOrderByOutTradeNo(std::string const& out_trade_no,
                                                           CallOptions const& options) const {
  return recording_.QueryOrderByOutTradeNo(out_trade_no, options);
}

StatusOr<Transaction> LedgerClient::QueryOrderById(std::string const& transaction_id,
                                                   CallOptions const& options) const {
  return recording_.QueryOrderById(transaction_id, options);
}

StatusOr<CloseOrderResponse> LedgerClient::CloseOrder(std::string const& out_trade_no,
                                                      CallOptions const& options) const {
  return recording_.CloseOrder(out_trade_no, options);
}

StatusOr<Refund> LedgerClient::CreateRefund(CreateRefundRequest const& request,
                                            CallOptions const& options) const {
  return recording_.CreateRefund(request, options);
}

StatusOr<Refund> LedgerClient::QueryRefund(std::string const& out_refund_no,
                                           CallOptions const& options) const {
  return recording_.QueryRefund(out_refund_no, options);
}

StatusOr<NotificationParser> LedgerClient::MakeNotificationParser(
    NotificationParserOptions options) const {
  return inner_.MakeNotificationParser(std::move(options));
}

}  // namespace wechatpay
