// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The public test doubles (wechatpay/testing/) as an application uses them: the example of
// docs/testing.md, compiled and run as written there, and the behaviour the doubles promise
// (what an unscripted call answers, queues before handlers, what the signer refuses).

#include <chrono>
#include <future>
#include <string>

#include "catch.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/fake_channel.hpp"
#include "wechatpay/testing/fake_clock.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/testing/wechatpay_signer.hpp"
#include "wechatpay/wechatpay.hpp"

// --- docs/testing.md, "An example" (keep the two in step) ---------------------------------------

// The application code under test: places an order and waits for its outcome.
bool SellCola(wechatpay::NativePayClient& client, wechatpay::PaymentWatcher& watcher,
              std::string const& out_trade_no) {
  wechatpay::NativePrepayRequest order;
  order.out_trade_no = out_trade_no;
  order.description = "Cola";
  order.amount.total = 300;
  if (!client.NativePrepay(order)) return false;
  wechatpay::WatchOptions options;
  options.timeout = std::chrono::minutes(5);
  return watcher.Watch(out_trade_no, options).get().paid();
}

TEST_CASE("docs/testing.md: an unpaid order is closed after the timeout, without waiting") {
  using namespace wechatpay;
  auto channel = std::make_shared<testing::FakeNativePayChannel>();
  NativePrepayResponse placed;
  placed.code_url = "weixin://wxpay/bizpayurl?pr=test";
  channel->native_prepay().Queue(placed);
  channel->query_order_by_out_trade_no().SetHandler([](QueryOrderByOutTradeNoRequest const& r) {
    Transaction unpaid;
    unpaid.out_trade_no = r.out_trade_no;
    unpaid.trade_state = "NOTPAY";
    return StatusOr<Transaction>(unpaid);
  });
  channel->close_order().Queue(CloseOrderResponse{});

  auto clock = std::make_shared<testing::FakeClock>();
  PaymentWatcherOptions watcher_options;
  watcher_options.clock = clock;
  NativePayClient client(channel);
  PaymentWatcher watcher(client, watcher_options);

  // SellCola blocks until the watch ends; fake time runs meanwhile on this thread.
  auto sold = std::async(std::launch::async, [&] { return SellCola(client, watcher, "COLA0001"); });
  REQUIRE(clock->RunUntil([&] { return channel->close_order().calls() == 1; }));
  CHECK_FALSE(sold.get());
  CHECK(channel->native_prepay().requests().at(0).amount.total == 300);
  CHECK(channel->close_order().requests().at(0).out_trade_no == "COLA0001");
  // Polled every 2 s (the default interval) for 5 minutes, plus the query after the close.
  CHECK(channel->query_order_by_out_trade_no().calls() == 5 * 30 + 1);
}

TEST_CASE("docs/testing.md: a signed notification passes the application's parser") {
  using namespace wechatpay;
  // In an application: a key pair generated for the tests, and the configuration under test
  // holding its public half. Here: the project's test keys.
  auto signer = testing::WeChatPaySigner::Create(
                    testing::ReadData("keys/java_wechat_pay_private_key.pem"),
                    "PUB_KEY_ID_0114232134912410000000000000", "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb")
                    .value();
  auto parser = MakeNotificationParser(testing::TestMerchant::Config()).value();

  testing::NotificationSpec spec;
  spec.plaintext = testing::TransactionPlaintext("COLA0002", 300, "SUCCESS");
  auto notification = signer.MakeNotification(spec).value();
  auto parsed = parser.Parse(notification.headers, notification.body);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->transaction);
  CHECK(parsed->transaction->out_trade_no == "COLA0002");
  CHECK(parsed->transaction->trade_state == "SUCCESS");
}

// --- The doubles' own promises ------------------------------------------------------------------

namespace wechatpay {
namespace {

TEST_CASE("FakeNativePayChannel: queued answers first, then the handler, else kInternal") {
  testing::FakeNativePayChannel channel;
  QueryRefundRequest request;
  request.out_refund_no = "REFUND0001";
  auto unscripted = channel.QueryRefund(request, {});
  REQUIRE_FALSE(unscripted.ok());
  CHECK(unscripted.status().code() == StatusCode::kInternal);
  CHECK(unscripted.status().message().find("QueryRefund") != std::string::npos);

  Refund queued;
  queued.out_refund_no = "QUEUED";
  channel.query_refund().Queue(queued);
  channel.query_refund().SetHandler([](QueryRefundRequest const&) {
    Refund handled;
    handled.out_refund_no = "HANDLED";
    return StatusOr<Refund>(handled);
  });
  CHECK(channel.QueryRefund(request, {})->out_refund_no == "QUEUED");
  CHECK(channel.QueryRefund(request, {})->out_refund_no == "HANDLED");
  CHECK(channel.query_refund().calls() == 3);
  CHECK(channel.query_refund().requests().back().out_refund_no == "REFUND0001");
  CHECK(channel.create_refund().calls() == 0);
}

TEST_CASE("RecordingTransport: records every request; unscripted requests fail with kInternal") {
  testing::RecordingTransport transport;
  HttpRequest request;
  request.method = "GET";
  request.url = "https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/A";
  CHECK(transport.Send(request).status().code() == StatusCode::kInternal);
  transport.PushResult(Status(StatusCode::kTransport, "connection reset"));
  transport.SetHandler([](HttpRequest const&) { return StatusOr<HttpResponse>(HttpResponse{}); });
  CHECK(transport.pending() == 1);
  CHECK(transport.Send(request).status().code() == StatusCode::kTransport);
  CHECK(transport.Send(request).ok());
  CHECK(transport.count() == 3);
  CHECK(transport.requests()[2].url == request.url);
}

TEST_CASE("WeChatPaySigner: refuses bad keys by name, never quoting them") {
  auto const pem = testing::ReadData("keys/java_wechat_pay_private_key.pem");
  auto bad_pem =
      testing::WeChatPaySigner::Create("not a key", "PUB_KEY_ID_1", std::string(32, 'k'));
  CHECK(bad_pem.status().info().field == "private_key_pem");
  auto short_key = testing::WeChatPaySigner::Create(pem, "PUB_KEY_ID_1", "secret-apiv3-key");
  CHECK(short_key.status().code() == StatusCode::kInvalidArgument);
  CHECK(short_key.status().info().field == "api_v3_key");
  CHECK(short_key.status().message().find("secret-apiv3-key") == std::string::npos);
  auto signer = testing::WeChatPaySigner::Create(pem, "PUB_KEY_ID_1", std::string(32, 'k')).value();
  testing::NotificationSpec spec;
  spec.nonce = "short";
  CHECK(signer.NotificationBody(spec).status().info().field == "nonce");
}

TEST_CASE("CheckAuthorization: a client's signed request passes; a changed body does not") {
  auto transport = std::make_shared<testing::RecordingTransport>();
  transport->Push([](HttpRequest const&) {
    return StatusOr<HttpResponse>(
        testing::TestWeChat().Signed(200, R"({"code_url":"weixin://wxpay/bizpayurl?pr=x"})"));
  });
  ClientOptions options;
  options.transport = transport;
  auto client = NativePayClient::Create(testing::TestMerchant::Config(), options).value();
  NativePrepayRequest order;
  order.out_trade_no = "SIGNED0001";
  order.description = "Cola";
  order.amount.total = 1;
  REQUIRE(client.NativePrepay(order).ok());  // the signer's answer verified
  auto sent = transport->requests().at(0);
  CHECK(testing::CheckAuthorization(sent, testing::TestMerchant::Key()).ok());
  sent.body += " ";
  auto refused = testing::CheckAuthorization(sent, testing::TestMerchant::Key());
  CHECK(refused.code() == StatusCode::kUnauthenticated);
  CHECK(refused.message().find("signature") != std::string::npos);
}

}  // namespace
}  // namespace wechatpay
