// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The default bodies of NativePayChannel: kUnimplemented, so a channel overrides only the
// operations it serves.

#include "wechatpay/channel/channel.hpp"

#include <string>
#include <string_view>

namespace wechatpay {
namespace {

Status Unimplemented(std::string_view operation) {
  return Status(StatusCode::kUnimplemented,
                "this channel does not implement " + std::string(operation) + "; nothing was sent");
}

// The bill operations exist only in WeChat's API v3 itself: the CloudBase gateway's
// pay-common has no route for them.
Status BillsUnimplemented(std::string_view operation) {
  return Status(StatusCode::kUnimplemented,
                "this channel does not implement " + std::string(operation) +
                    ": bills need the direct API v3 backend (the CloudBase gateway has no bill "
                    "download); nothing was sent");
}

}  // namespace

StatusOr<NativePrepayResponse> NativePayChannel::NativePrepay(NativePrepayRequest const&,
                                                              CallOptions const&) {
  return Unimplemented("NativePrepay");
}

StatusOr<Transaction> NativePayChannel::QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const&,
                                                               CallOptions const&) {
  return Unimplemented("QueryOrderByOutTradeNo");
}

StatusOr<Transaction> NativePayChannel::QueryOrderById(QueryOrderByIdRequest const&,
                                                       CallOptions const&) {
  return Unimplemented("QueryOrderById");
}

StatusOr<CloseOrderResponse> NativePayChannel::CloseOrder(CloseOrderRequest const&,
                                                          CallOptions const&) {
  return Unimplemented("CloseOrder");
}

StatusOr<Refund> NativePayChannel::CreateRefund(CreateRefundRequest const&, CallOptions const&) {
  return Unimplemented("CreateRefund");
}

StatusOr<Refund> NativePayChannel::QueryRefund(QueryRefundRequest const&, CallOptions const&) {
  return Unimplemented("QueryRefund");
}

StatusOr<BillDownloadInfo> NativePayChannel::TradeBill(TradeBillRequest const&,
                                                       CallOptions const&) {
  return BillsUnimplemented("TradeBill");
}

StatusOr<BillDownloadInfo> NativePayChannel::FundFlowBill(FundFlowBillRequest const&,
                                                          CallOptions const&) {
  return BillsUnimplemented("FundFlowBill");
}

StatusOr<ResponseMetadata> NativePayChannel::DownloadBill(BillDownloadInfo const&,
                                                          HttpBodySink const&, CallOptions const&) {
  return BillsUnimplemented("DownloadBill");
}

StatusOr<ApiResponse> NativePayChannel::Request(ApiRequest const&, CallOptions const&) {
  return Status(StatusCode::kUnimplemented,
                "this channel does not implement Request: a request to any API v3 path needs the "
                "direct API v3 backend (the CloudBase gateway routes only its own actions); "
                "nothing was sent");
}

StatusOr<Refund> NativePayChannel::ApplyAbnormalRefund(ApplyAbnormalRefundRequest const&,
                                                       CallOptions const&) {
  return Unimplemented("ApplyAbnormalRefund");
}

// The asynchronous defaults: the blocking operation, on the calling thread.
void NativePayChannel::NativePrepayAsync(NativePrepayRequest const& request,
                                         CallOptions const& options,
                                         Completion<NativePrepayResponse> done) {
  done(NativePrepay(request, options));
}

void NativePayChannel::QueryOrderByOutTradeNoAsync(QueryOrderByOutTradeNoRequest const& request,
                                                   CallOptions const& options,
                                                   Completion<Transaction> done) {
  done(QueryOrderByOutTradeNo(request, options));
}

void NativePayChannel::QueryOrderByIdAsync(QueryOrderByIdRequest const& request,
                                           CallOptions const& options,
                                           Completion<Transaction> done) {
  done(QueryOrderById(request, options));
}

void NativePayChannel::CloseOrderAsync(CloseOrderRequest const& request, CallOptions const& options,
                                       Completion<CloseOrderResponse> done) {
  done(CloseOrder(request, options));
}

void NativePayChannel::CreateRefundAsync(CreateRefundRequest const& request,
                                         CallOptions const& options, Completion<Refund> done) {
  done(CreateRefund(request, options));
}

void NativePayChannel::QueryRefundAsync(QueryRefundRequest const& request,
                                        CallOptions const& options, Completion<Refund> done) {
  done(QueryRefund(request, options));
}

void NativePayChannel::ApplyAbnormalRefundAsync(ApplyAbnormalRefundRequest const& request,
                                                CallOptions const& options,
                                                Completion<Refund> done) {
  done(ApplyAbnormalRefund(request, options));
}

void NativePayChannel::TradeBillAsync(TradeBillRequest const& request, CallOptions const& options,
                                      Completion<BillDownloadInfo> done) {
  done(TradeBill(request, options));
}

void NativePayChannel::FundFlowBillAsync(FundFlowBillRequest const& request,
                                         CallOptions const& options,
                                         Completion<BillDownloadInfo> done) {
  done(FundFlowBill(request, options));
}

void NativePayChannel::RequestAsync(ApiRequest const& request, CallOptions const& options,
                                    Completion<ApiResponse> done) {
  done(Request(request, options));
}

void NativePayChannel::DownloadBillAsync(BillDownloadInfo const& info, HttpBodySink sink,
                                         CallOptions const& options,
                                         Completion<ResponseMetadata> done) {
  done(DownloadBill(info, sink, options));
}

}  // namespace wechatpay
