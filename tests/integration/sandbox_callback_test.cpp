// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Callbacks from the sandbox to a receiver the test runs: signed with the WeChat Pay key,
// encrypted with the APIv3 key, retried on WeChat's (scaled) schedule while the receiver fails.
// The assertions are about order and count, never about time.

#include <rapidjson/document.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::Eventually;
using testing::LoopbackServer;
using testing::SandboxFixture;

// A merchant's notify route: records each delivery and answers 500 to the first `failures`.
class Receiver {
 public:
  explicit Receiver(int failures) : failures_(failures) {
    server_.http().Post(
        "/notify", [this](httplib::Request const& request, httplib::Response& response) {
          std::lock_guard<std::mutex> lock(mu_);
          HttpRequest copy;
          copy.body = request.body;
          for (auto const& [name, value] : request.headers) copy.headers.Add(name, value);
          received_.push_back(std::move(copy));
          if (static_cast<int>(received_.size()) <= failures_) {
            response.status = 500;
            response.set_content(R"({"code":"FAIL","message":"失败"})", "application/json");
          } else {
            response.status = 200;
          }
        });
    server_.Start();
  }
  std::string Url() const { return server_.BaseUrl() + "/notify"; }
  std::vector<HttpRequest> Received() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }
  std::size_t Count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_.size();
  }

 private:
  int failures_;
  mutable std::mutex mu_;
  std::vector<HttpRequest> received_;
  LoopbackServer server_;
};

// Verifies a delivery like a merchant must (signature over the raw body first), then decrypts
// its resource; returns the plaintext.
std::string VerifyAndDecrypt(SandboxFixture const& f, HttpRequest const& delivery,
                             std::string const& original_type) {
  SignatureVerifier verifier;
  auto key = PublicKey::FromPem(testing::ReadFile(f.identity().wechatpay_public_key_file)).value();
  REQUIRE(verifier.AddKey(f.identity().wechatpay_public_key_id, key).ok());
  auto verified = verifier.Verify(SignatureHeaders::From(delivery.headers), delivery.body,
                                  std::chrono::system_clock::now());
  INFO(verified.ToString());
  REQUIRE(verified.ok());
  CHECK(delivery.headers.Get("Wechatpay-Signature-Type") == "WECHATPAY2-SHA256-RSA2048");
  CHECK(delivery.headers.Has("Request-ID"));

  rapidjson::Document envelope;
  envelope.Parse(delivery.body.c_str());
  REQUIRE(envelope.IsObject());
  CHECK(std::string(envelope["resource_type"].GetString()) == "encrypt-resource");
  auto const& resource = envelope["resource"];
  CHECK(std::string(resource["algorithm"].GetString()) == "AEAD_AES_256_GCM");
  CHECK(std::string(resource["original_type"].GetString()) == original_type);
  CHECK(std::string(resource["associated_data"].GetString()) == original_type);
  CHECK(std::string(resource["nonce"].GetString()).size() == 12);
  auto cipher = AesGcmCipher::Create(f.identity().api_v3_key).value();
  auto plaintext =
      cipher.Decrypt(resource["nonce"].GetString(), resource["associated_data"].GetString(),
                     resource["ciphertext"].GetString());
  INFO(plaintext.status().ToString());
  REQUIRE(plaintext.ok());
  return *plaintext;
}

std::string EventType(HttpRequest const& delivery) {
  rapidjson::Document envelope;
  envelope.Parse(delivery.body.c_str());
  return envelope["event_type"].GetString();
}

TEST_CASE("sandbox callbacks: TRANSACTION.SUCCESS reaches the receiver, verifiable and readable") {
  Receiver receiver(0);  // outlives the sandbox, whose connections to it close first
  SandboxFixture f;
  auto client = f.Client();
  NativePrepayRequest order;
  order.out_trade_no = "SBXNOTIFY0001";
  order.description = "回调测试";
  order.amount.total = 5;
  order.attach = "shop=7";
  order.notify_url = receiver.Url();
  REQUIRE(client.NativePrepay(order).ok());
  REQUIRE(f.sandbox().Pay("SBXNOTIFY0001").ok());

  REQUIRE(Eventually([&] { return receiver.Count() == 1; }));
  auto delivery = receiver.Received()[0];
  CHECK(EventType(delivery) == "TRANSACTION.SUCCESS");
  auto plaintext = VerifyAndDecrypt(f, delivery, "transaction");
  auto transaction = client.QueryOrderByOutTradeNo("SBXNOTIFY0001").value();
  CHECK(plaintext == transaction.raw_json);
  CHECK(plaintext.find(R"("trade_state":"SUCCESS")") != std::string::npos);
  CHECK(plaintext.find(R"("attach":"shop=7")") != std::string::npos);

  SECTION("a refund completes and REFUND.SUCCESS goes to the refund's notify_url") {
    CreateRefundRequest refund;
    refund.out_trade_no = "SBXNOTIFY0001";
    refund.out_refund_no = "SBXNOTIFYR001";
    refund.amount.refund = 2;
    refund.amount.total = 5;
    refund.notify_url = receiver.Url();
    REQUIRE(client.CreateRefund(refund).ok());
    REQUIRE(Eventually([&] { return receiver.Count() == 2; }));
    auto refunded = receiver.Received()[1];
    CHECK(EventType(refunded) == "REFUND.SUCCESS");
    auto refund_plaintext = VerifyAndDecrypt(f, refunded, "refund");
    CHECK(refund_plaintext.find(R"("refund_status":"SUCCESS")") != std::string::npos);
    CHECK(refund_plaintext.find(R"("out_refund_no":"SBXNOTIFYR001")") != std::string::npos);
    CHECK(refund_plaintext.find(R"("amount":{"total":5,"refund":2,)") != std::string::npos);
    CHECK(refund_plaintext.find(R"("success_time":")") != std::string::npos);
    CHECK(client.QueryRefund("SBXNOTIFYR001")->status == "SUCCESS");
  }
  SECTION("a refund without notify_url completes without a callback, never the order's") {
    CreateRefundRequest refund;
    refund.out_trade_no = "SBXNOTIFY0001";
    refund.out_refund_no = "SBXNOTIFYR002";
    refund.amount.refund = 2;
    refund.amount.total = 5;
    REQUIRE(client.CreateRefund(refund).ok());
    REQUIRE(Eventually([&] { return client.QueryRefund("SBXNOTIFYR002")->status == "SUCCESS"; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(receiver.Count() == 1);
  }
}

TEST_CASE("sandbox callbacks: a receiver answering 500 twice gets the notification three times") {
  Receiver receiver(2);
  SandboxFixture f(0.0001);  // 15 s of WeChat time = 1.5 ms
  auto client = f.Client();
  NativePrepayRequest order;
  order.out_trade_no = "SBXRETRY00001";
  order.description = "重试测试";
  order.amount.total = 1;
  order.notify_url = receiver.Url();
  REQUIRE(client.NativePrepay(order).ok());
  REQUIRE(f.sandbox().Pay("SBXRETRY00001").ok());

  REQUIRE(Eventually([&] {
    auto view = f.sandbox().OrderView("SBXRETRY00001");
    return view.ok() && view->find(R"("attempt":3)") != std::string::npos;
  }));
  auto received = receiver.Received();
  REQUIRE(received.size() == 3);
  // The same notification each time (same id and ciphertext), freshly signed each time.
  CHECK(received[0].body == received[1].body);
  CHECK(received[1].body == received[2].body);
  CHECK(received[0].headers.Get("Wechatpay-Nonce") != received[1].headers.Get("Wechatpay-Nonce"));
  for (auto const& delivery : received) VerifyAndDecrypt(f, delivery, "transaction");

  auto view = f.sandbox().OrderView("SBXRETRY00001").value();
  rapidjson::Document doc;
  doc.Parse(view.c_str());
  auto const& callbacks = doc["callbacks"];
  REQUIRE(callbacks.Size() == 3);
  int const expected_status[] = {500, 500, 200};
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    CHECK(callbacks[i]["attempt"].GetInt() == static_cast<int>(i) + 1);
    CHECK(callbacks[i]["status"].GetInt() == expected_status[i]);
    CHECK(std::string(callbacks[i]["event_type"].GetString()) == "TRANSACTION.SUCCESS");
  }
  CHECK(std::string(callbacks[0]["answer"].GetString()).find("FAIL") != std::string::npos);
  auto stats = f.sandbox().GetStats();
  CHECK(stats.callbacks_sent == 3);
  CHECK(stats.callback_answers[500] == 2);
  CHECK(stats.callback_answers[200] == 1);
}

TEST_CASE("sandbox callbacks: the default notify sink records what it receives") {
  SandboxFixture f;
  auto client = f.Client();
  f.Order(client, "SBXSINK000001");
  REQUIRE(f.sandbox().Pay("SBXSINK000001").ok());
  REQUIRE(Eventually([&] { return f.sandbox().NotifySinkBodies().size() == 1; }));
  HttpRequest delivery;
  delivery.body = f.sandbox().NotifySinkBodies()[0];
  CHECK(delivery.body.find("TRANSACTION.SUCCESS") != std::string::npos);
  REQUIRE(Eventually([&] {
    return f.sandbox().OrderView("SBXSINK000001")->find(R"("status":204)") != std::string::npos;
  }));
}

}  // namespace
}  // namespace wechatpay
