// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient's asynchronous payment calls: validated here as the blocking ones are, then
// handed to the channel's asynchronous operation (the bills' and Request()'s are next to their
// blocking forms).

#include "client_async.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay {

using internal::FutureOf;
using internal::ValidateThenStart;

void NativePayClient::NativePrepayAsync(NativePrepayRequest const& request,
                                        CallOptions const& options,
                                        Completion<NativePrepayResponse> done) const {
  ValidateThenStart(Validate(request, validation_), done,
                    [&] { channel_->NativePrepayAsync(request, options, std::move(done)); });
}

std::future<StatusOr<NativePrepayResponse>> NativePayClient::NativePrepayAsync(
    NativePrepayRequest const& request, CallOptions const& options) const {
  return FutureOf<NativePrepayResponse>(
      [&](auto done) { NativePrepayAsync(request, options, std::move(done)); });
}

void NativePayClient::QueryOrderByOutTradeNoAsync(std::string const& out_trade_no,
                                                  CallOptions const& options,
                                                  Completion<Transaction> done) const {
  QueryOrderByOutTradeNoRequest const request{out_trade_no};
  ValidateThenStart(Validate(request), done, [&] {
    channel_->QueryOrderByOutTradeNoAsync(request, options, std::move(done));
  });
}

std::future<StatusOr<Transaction>> NativePayClient::QueryOrderByOutTradeNoAsync(
    std::string const& out_trade_no, CallOptions const& options) const {
  return FutureOf<Transaction>(
      [&](auto done) { QueryOrderByOutTradeNoAsync(out_trade_no, options, std::move(done)); });
}

void NativePayClient::QueryOrderByIdAsync(std::string const& transaction_id,
                                          CallOptions const& options,
                                          Completion<Transaction> done) const {
  QueryOrderByIdRequest const request{transaction_id};
  ValidateThenStart(Validate(request), done,
                    [&] { channel_->QueryOrderByIdAsync(request, options, std::move(done)); });
}

std::future<StatusOr<Transaction>> NativePayClient::QueryOrderByIdAsync(
    std::string const& transaction_id, CallOptions const& options) const {
  return FutureOf<Transaction>(
      [&](auto done) { QueryOrderByIdAsync(transaction_id, options, std::move(done)); });
}

void NativePayClient::CloseOrderAsync(std::string const& out_trade_no, CallOptions const& options,
                                      Completion<CloseOrderResponse> done) const {
  CloseOrderRequest const request{out_trade_no};
  ValidateThenStart(Validate(request), done,
                    [&] { channel_->CloseOrderAsync(request, options, std::move(done)); });
}

std::future<StatusOr<CloseOrderResponse>> NativePayClient::CloseOrderAsync(
    std::string const& out_trade_no, CallOptions const& options) const {
  return FutureOf<CloseOrderResponse>(
      [&](auto done) { CloseOrderAsync(out_trade_no, options, std::move(done)); });
}

void NativePayClient::CreateRefundAsync(CreateRefundRequest const& request,
                                        CallOptions const& options, Completion<Refund> done) const {
  ValidateThenStart(Validate(request, validation_), done,
                    [&] { channel_->CreateRefundAsync(request, options, std::move(done)); });
}

std::future<StatusOr<Refund>> NativePayClient::CreateRefundAsync(CreateRefundRequest const& request,
                                                                 CallOptions const& options) const {
  return FutureOf<Refund>([&](auto done) { CreateRefundAsync(request, options, std::move(done)); });
}

void NativePayClient::QueryRefundAsync(std::string const& out_refund_no, CallOptions const& options,
                                       Completion<Refund> done) const {
  QueryRefundRequest const request{out_refund_no};
  ValidateThenStart(Validate(request), done,
                    [&] { channel_->QueryRefundAsync(request, options, std::move(done)); });
}

std::future<StatusOr<Refund>> NativePayClient::QueryRefundAsync(std::string const& out_refund_no,
                                                                CallOptions const& options) const {
  return FutureOf<Refund>(
      [&](auto done) { QueryRefundAsync(out_refund_no, options, std::move(done)); });
}

void NativePayClient::ApplyAbnormalRefundAsync(ApplyAbnormalRefundRequest const& request,
                                               CallOptions const& options,
                                               Completion<Refund> done) const {
  ValidateThenStart(Validate(request), done,
                    [&] { channel_->ApplyAbnormalRefundAsync(request, options, std::move(done)); });
}

std::future<StatusOr<Refund>> NativePayClient::ApplyAbnormalRefundAsync(
    ApplyAbnormalRefundRequest const& request, CallOptions const& options) const {
  return FutureOf<Refund>(
      [&](auto done) { ApplyAbnormalRefundAsync(request, options, std::move(done)); });
}

}  // namespace wechatpay
