// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The merchant's own calls for an order: recorded before the prepay call, its result after,
// and the result of a close.

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "common/rfc3339.hpp"
#include "ledger_rules.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/payment_watcher.hpp"
#include "wechatpay/protocol/error_codes.hpp"

namespace wechatpay {
namespace {

using ledger_internal::Context;
using ledger_internal::Entry;
using ledger_internal::ErrorText;
using ledger_internal::ExistsDifferently;
using ledger_internal::InvalidField;
using ledger_internal::Stamp;

LedgerTime ToLedgerTime(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

// A refusal that proves the order exists at WeChat: the prepay of an order already paid or
// closed. Such an order must not be recorded as "nothing exists" (kCreateFailed).
bool SaysOrderExists(Status const& status) {
  return IsServiceError(status, error_codes::kOrderPaid) ||
         IsServiceError(status, error_codes::kOrderPaidLegacy) ||
         IsServiceError(status, error_codes::kOrderClosed) ||
         IsServiceError(status, error_codes::kOrderClosedLegacy);
}

// The request's time_expire in ledger time, 0 when it has none; kInvalidArgument naming
// time_expire when it is not RFC 3339.
StatusOr<LedgerTime> TimeExpire(NativePrepayRequest const& request) {
  if (!request.time_expire) return LedgerTime{0};
  auto expire = internal::ParseRfc3339(*request.time_expire);
  if (!expire) {
    return InvalidField("time_expire", "time_expire is not an RFC 3339 date-time: " +
                                           internal::Rfc3339Problem(*request.time_expire));
  }
  return ToLedgerTime(*expire);
}

std::string NoOrder(std::string const& out_trade_no) {
  return "the ledger has no order " + out_trade_no;
}

}  // namespace

StatusOr<OrderRecord> Ledger::RecordOrderCreating(NativePrepayRequest const& request) {
  if (request.out_trade_no.empty()) {
    return InvalidField("out_trade_no", "out_trade_no is required to record an order");
  }
  if (request.amount.total <= 0) {
    return InvalidField("amount.total", "amount.total must be a positive number of fen");
  }
  Context ctx;
  ctx.now = Now();
  ctx.source = LedgerSource::kClient;
  ctx.options = &options_;
  LedgerTime deadline = ctx.now + static_cast<LedgerTime>(options_.close_after.count());
  auto parsed_expire = TimeExpire(request);
  if (!parsed_expire) return parsed_expire.status();
  LedgerTime const time_expire = *parsed_expire;
  if (time_expire > 0) deadline = std::min(deadline, time_expire);
  OrderRecord fresh;
  fresh.out_trade_no = request.out_trade_no;
  fresh.appid = request.appid.value_or("");
  fresh.description = request.description;
  fresh.total_fen = request.amount.total;
  fresh.currency = request.amount.currency.value_or("CNY");
  fresh.state = LedgerOrderState::kCreating;
  fresh.close_deadline = deadline;
  // Until a code_url exists, code_url_expires_at holds the order's own end (time_expire, 0
  // when none), so that the first code_url's expiry respects it (RecordPrepayResult()).
  fresh.code_url_expires_at = time_expire;
  fresh.created_at = ctx.now;

  auto result = store_->Mutate(
      request.out_trade_no, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        LedgerChange change;
        if (!rows.order) {
          OrderRecord order = fresh;
          Stamp(order, rows.refunds, ctx);
          change.history.push_back(
              Entry(ctx, order.out_trade_no, "", "", "CREATING",
                    "order recorded before the prepay call: " + std::to_string(order.total_fen) +
                        " fen " + order.currency));
          change.order = std::move(order);
          return change;
        }
        auto const& old = *rows.order;
        // The same out_trade_no must mean the same order: never overwrite a record, and never
        // let a second order with other terms go to WeChat under a recorded number.
        auto differs = [&](char const* field, std::string const& was, std::string const& now) {
          return ExistsDifferently(field, "order " + old.out_trade_no +
                                              " is already recorded with another " + field + " (" +
                                              was + ", this request: " + now + ")");
        };
        if (old.total_fen != fresh.total_fen) {
          return differs("amount.total", std::to_string(old.total_fen) + " fen",
                         std::to_string(fresh.total_fen) + " fen");
        }
        if (old.currency != fresh.currency) {
          return differs("amount.currency", old.currency, fresh.currency);
        }
        // The description and appid are the merchant's own texts, not secrets.
        if (old.description != fresh.description) {
          return differs("description", "\"" + old.description + "\"",
                         "\"" + fresh.description + "\"");
        }
        if (old.appid != fresh.appid) {
          return differs("appid", "\"" + old.appid + "\"", "\"" + fresh.appid + "\"");
        }
        if (old.state != LedgerOrderState::kCreateFailed) return change;  // as it is
        // A new attempt after a definite refusal (e.g. a parameter WeChat refused, now fixed
        // on WeChat's side): the order is being created again.
        OrderRecord order = old;
        order.state = LedgerOrderState::kCreating;
        Stamp(order, rows.refunds, ctx);
        change.history.push_back(Entry(ctx, order.out_trade_no, "", "CREATE_FAILED", "CREATING",
                                       "prepay attempted again"));
        change.order = std::move(order);
        return change;
      });
  if (!result) return result.status();
  return *std::move(result->rows.order);
}

StatusOr<OrderRecord> Ledger::RecordPrepayResult(std::string const& out_trade_no,
                                                 StatusOr<NativePrepayResponse> const& result) {
  return RecordPrepay(out_trade_no, 0, result);
}

StatusOr<OrderRecord> Ledger::RecordPrepayResult(NativePrepayRequest const& request,
                                                 StatusOr<NativePrepayResponse> const& result) {
  auto time_expire = TimeExpire(request);
  if (!time_expire) return time_expire.status();
  return RecordPrepay(request.out_trade_no, *time_expire, result);
}

StatusOr<OrderRecord> Ledger::RecordPrepay(std::string const& out_trade_no, LedgerTime time_expire,
                                           StatusOr<NativePrepayResponse> const& result) {
  Context ctx;
  ctx.now = Now();
  ctx.source = LedgerSource::kClient;
  ctx.options = &options_;
  auto mutated =
      store_->Mutate(out_trade_no, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        if (!rows.order) return InvalidField("out_trade_no", NoOrder(out_trade_no));
        LedgerChange change;
        OrderRecord order = *rows.order;
        auto const from = std::string(LedgerOrderStateName(order.state));
        std::string detail;
        if (result.ok()) {
          // A code_url works for 2 hours, and none beyond the order's time_expire: the
          // caller's (every code_url, a renewed one too), else the one the record keeps until
          // the first code_url (see RecordOrderCreating()).
          LedgerTime const validity =
              std::chrono::duration_cast<std::chrono::milliseconds>(kCodeUrlValidity).count();
          LedgerTime expires = ctx.now + validity;
          if (time_expire > 0) expires = std::min(expires, time_expire);
          if (order.code_url.empty() && order.code_url_expires_at > 0) {
            expires = std::min(expires, order.code_url_expires_at);
          }
          order.code_url = result->code_url;
          order.code_url_expires_at = expires;
          order.outcome_unknown = false;
          order.last_error.clear();
          // Only a creation moves the state: a late answer for an order that a callback or a
          // query has already moved on (paid, closed) keeps that state.
          if (order.state == LedgerOrderState::kCreating ||
              order.state == LedgerOrderState::kCreateFailed) {
            order.state = LedgerOrderState::kNotPaid;
            // WeChat's state of an order it has just created: a query saying NOTPAY then
            // repeats what the ledger holds and writes nothing (history records changes).
            order.trade_state = "NOTPAY";
          }
          detail = "code_url recorded";
        } else if (result.status().info().outcome_unknown || SaysOrderExists(result.status())) {
          // The order may exist (or does): nothing is decided; the Reconciler queries it.
          order.outcome_unknown = true;
          order.last_error = ErrorText(result.status());
          detail = result.status().info().outcome_unknown
                       ? "prepay outcome unknown: " + order.last_error
                       : "prepay refused, but the order exists at WeChat: " + order.last_error;
        } else {
          order.last_error = ErrorText(result.status());
          // A definite refusal creates nothing — unless an earlier attempt's outcome is still
          // unknown: that attempt may have created the order, so it stays to be queried.
          if (order.state == LedgerOrderState::kCreating && !order.outcome_unknown) {
            order.state = LedgerOrderState::kCreateFailed;
          }
          detail = "prepay refused: " + order.last_error;
        }
        Stamp(order, rows.refunds, ctx);
        change.history.push_back(Entry(ctx, out_trade_no, "", from,
                                       std::string(LedgerOrderStateName(order.state)), detail));
        change.order = std::move(order);
        return change;
      });
  if (!mutated) return mutated.status();
  return *std::move(mutated->rows.order);
}

StatusOr<OrderRecord> Ledger::RecordClose(std::string const& out_trade_no,
                                          Status const& close_status, LedgerSource source) {
  Context ctx;
  ctx.now = Now();
  ctx.source = source;
  ctx.options = &options_;
  auto mutated =
      store_->Mutate(out_trade_no, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        if (!rows.order) return InvalidField("out_trade_no", NoOrder(out_trade_no));
        LedgerChange change;
        OrderRecord order = *rows.order;
        auto const from = std::string(LedgerOrderStateName(order.state));
        std::string detail;
        bool const closed = close_status.ok() ||
                            IsServiceError(close_status, error_codes::kOrderClosed) ||
                            IsServiceError(close_status, error_codes::kOrderClosedLegacy);
        if (closed) {
          order.outcome_unknown = false;
          if (order.state == LedgerOrderState::kPaid) {
            // WeChat refuses to close a paid order; a close that succeeded contradicts the
            // ledger. The payment stays recorded (it was verified); a person looks.
            ledger_internal::AddReview(order.review_reason,
                                       "WeChat closed an order the ledger has as paid");
            detail = "close succeeded for a paid order: flagged, left paid";
          } else {
            order.state = LedgerOrderState::kClosed;
            order.trade_state = "CLOSED";
            order.last_error.clear();
            detail = close_status.ok() ? "closed" : "closed (WeChat: already closed)";
          }
        } else if (IsServiceError(close_status, error_codes::kOrderPaid) ||
                   IsServiceError(close_status, error_codes::kOrderPaidLegacy)) {
          order.last_error = ErrorText(close_status);
          if (order.state != LedgerOrderState::kPaid) {
            // Paid at WeChat, but the ledger lacks the payment (its callback has not arrived):
            // the Reconciler queries it for the transaction.
            order.outcome_unknown = true;
          }
          detail = "close refused, the order is paid: " + order.last_error;
        } else if (close_status.info().outcome_unknown) {
          order.outcome_unknown = true;
          order.last_error = ErrorText(close_status);
          detail = "close outcome unknown: " + order.last_error;
        } else {
          order.last_error = ErrorText(close_status);
          detail = "close failed: " + order.last_error;
        }
        Stamp(order, rows.refunds, ctx);
        change.history.push_back(Entry(ctx, out_trade_no, "", from,
                                       std::string(LedgerOrderStateName(order.state)), detail));
        change.order = std::move(order);
        return change;
      });
  if (!mutated) return mutated.status();
  return *std::move(mutated->rows.order);
}

}  // namespace wechatpay
