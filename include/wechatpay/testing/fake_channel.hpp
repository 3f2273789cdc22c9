// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file testing/fake_channel.hpp
/// FakeNativePayChannel: a NativePayChannel whose answers the test scripts, per operation, and
/// which records every request it got. Put it under a NativePayClient (or a PaymentWatcher) to
/// test application code without a network, keys or a sandbox.

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "wechatpay/channel/channel.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/status_or.hpp"
#include "wechatpay/testing/export.hpp"

namespace wechatpay::testing {

/// The script and the record of one operation of a fake channel. Each call is recorded, then
/// answered by the first queued answer if any (each is used once, in order), else by the
/// handler if one is set, else with kInternal saying that nothing was scripted.
///
/// @par Thread Safety
/// All member functions are safe to call from any thread. The handler runs without any lock
/// held, so it may block (to hold a call in flight) and may script this operation again.
template <typename Request, typename Response>
class ScriptedOperation {
 public:
  /// Computes an answer from the request.
  using Handler = std::function<StatusOr<Response>(Request const&)>;

  /// `name` is the operation's name, for the error of an unscripted call.
  explicit ScriptedOperation(std::string name) : name_(std::move(name)) {}

  /// Queues one answer, used by one call (after the answers queued before it).
  void Queue(StatusOr<Response> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(answer));
  }
  /// Answers every call once the queue is empty; replaces any earlier handler.
  void SetHandler(Handler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = std::move(handler);
  }
  /// Forgets the queued answers, the handler and the recorded requests.
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.clear();
    handler_ = nullptr;
    requests_.clear();
  }

  /// Every request received so far, oldest first.
  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  /// The number of calls so far.
  std::size_t calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }

  /// Records `request` and answers it as described above; the fake channel calls this.
  StatusOr<Response> Answer(Request const& request) {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      if (!queue_.empty()) {
        auto answer = std::move(queue_.front());
        queue_.pop_front();
        return answer;
      }
      handler = handler_;
    }
    if (handler) return handler(request);
    return Status(StatusCode::kInternal, "FakeNativePayChannel: no answer scripted for " + name_);
  }

 private:
  std::string const name_;
  mutable std::mutex mu_;  // guards everything below
  std::deque<StatusOr<Response>> queue_;
  Handler handler_;
  std::vector<Request> requests_;
};

/// A NativePayChannel answering from scripts: one ScriptedOperation per operation.
///
/// @code
/// auto channel = std::make_shared<wechatpay::testing::FakeNativePayChannel>();
/// wechatpay::NativePrepayResponse answer;
/// answer.code_url = "weixin://wxpay/bizpayurl?pr=test";
/// channel->native_prepay().Queue(answer);
/// wechatpay::NativePayClient client(channel);
/// // ... code under test calls client.NativePrepay(...) ...
/// auto sent = channel->native_prepay().requests();  // what the code under test asked for
/// @endcode
///
/// The requests a NativePayClient passes on have already passed its validation; a request it
/// refuses never reaches the channel, so it is not recorded.
///
/// @par Thread Safety
/// Safe to call from many threads at once, like every channel.
class WECHATPAY_TESTING_EXPORT FakeNativePayChannel : public NativePayChannel {
 public:
  FakeNativePayChannel() = default;
  FakeNativePayChannel(FakeNativePayChannel const&) = delete;
  FakeNativePayChannel& operator=(FakeNativePayChannel const&) = delete;

  /// The script of NativePrepay.
  ScriptedOperation<NativePrepayRequest, NativePrepayResponse>& native_prepay() {
    return native_prepay_;
  }
  /// The script of QueryOrderByOutTradeNo.
  ScriptedOperation<QueryOrderByOutTradeNoRequest, Transaction>& query_order_by_out_trade_no() {
    return query_by_out_trade_no_;
  }
  /// The script of QueryOrderById.
  ScriptedOperation<QueryOrderByIdRequest, Transaction>& query_order_by_id() {
    return query_by_id_;
  }
  /// The script of CloseOrder.
  ScriptedOperation<CloseOrderRequest, CloseOrderResponse>& close_order() { return close_; }
  /// The script of CreateRefund.
  ScriptedOperation<CreateRefundRequest, Refund>& create_refund() { return create_refund_; }
  /// The script of QueryRefund.
  ScriptedOperation<QueryRefundRequest, Refund>& query_refund() { return query_refund_; }

  /// Answers from native_prepay().
  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request,
                                              CallOptions const& options) override;
  /// Answers from query_order_by_out_trade_no().
  StatusOr<Transaction> QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const& request,
                                               CallOptions const& options) override;
  /// Answers from query_order_by_id().
  StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request,
                                       CallOptions const& options) override;
  /// Answers from close_order().
  StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request,
                                          CallOptions const& options) override;
  /// Answers from create_refund().
  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request,
                                CallOptions const& options) override;
  /// Answers from query_refund().
  StatusOr<Refund> QueryRefund(QueryRefundRequest const& request,
                               CallOptions const& options) override;

 private:
  ScriptedOperation<NativePrepayRequest, NativePrepayResponse> native_prepay_{"NativePrepay"};
  ScriptedOperation<QueryOrderByOutTradeNoRequest, Transaction> query_by_out_trade_no_{
      "QueryOrderByOutTradeNo"};
  ScriptedOperation<QueryOrderByIdRequest, Transaction> query_by_id_{"QueryOrderById"};
  ScriptedOperation<CloseOrderRequest, CloseOrderResponse> close_{"CloseOrder"};
  ScriptedOperation<CreateRefundRequest, Refund> create_refund_{"CreateRefund"};
  ScriptedOperation<QueryRefundRequest, Refund> query_refund_{"QueryRefund"};
};

}  // namespace wechatpay::testing
