// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Secret hygiene (issue 9, item 6): every operation of both backends, their failure paths
// (service errors, timeouts, dropped and truncated answers, forged answers, expired tokens),
// configuration errors and notification failures, with a logger capturing every line at every
// level, and an on_request hook capturing every text field of every event. No log line, event,
// error message or exception text may contain the merchant private key
// (any PEM body line), the APIv3 key, the signature of an Authorization value or an access
// token. The CLI's --verbose output is not covered here (see docs/security.md).

#include <atomic>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

using testing::SandboxFixture;

// Everything the SDK said: log lines, status texts and exception texts.
struct Said {
  std::mutex mu;
  std::vector<std::string> texts;
  void Add(std::string text) {
    std::lock_guard<std::mutex> lock(mu);
    texts.push_back(std::move(text));
  }
  void Add(Status const& status) {
    Add(status.ToString());
    Add(std::string(status.message()));
    Add(std::string(RuntimeStatusError(status).what()));
  }
};

// Wraps the real transport to learn the Authorization values the SDK sent.
class RecordingTransport : public HttpTransport {
 public:
  explicit RecordingTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  StatusOr<HttpResponse> Send(HttpRequest const& request) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      authorizations_.emplace_back(request.headers.Get("Authorization"));
    }
    return inner_->Send(request);
  }
  std::vector<std::string> authorizations() const {
    std::lock_guard<std::mutex> lock(mu_);
    return authorizations_;
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
  mutable std::mutex mu_;
  std::vector<std::string> authorizations_;
};

std::string ReadFile(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The base64 lines of a PEM file (not the BEGIN/END lines): any of them leaking leaks the key.
std::vector<std::string> PemBodyLines(std::string const& pem) {
  std::vector<std::string> lines;
  std::istringstream in(pem);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() >= 16 && line.rfind("-----", 0) != 0) lines.push_back(line);
  }
  return lines;
}

// The secret part of an Authorization value: the signature, or the bearer token.
std::string SecretPart(std::string const& authorization) {
  auto const signature = authorization.find("signature=\"");
  if (signature != std::string::npos) {
    auto const start = signature + 11;
    return authorization.substr(start, authorization.find('"', start) - start);
  }
  auto const bearer = authorization.find("Bearer ");
  if (bearer != std::string::npos) return authorization.substr(bearer + 7);
  return {};
}

sandbox::Fault MakeFault(std::string method, std::string path, std::string action) {
  sandbox::Fault fault;
  fault.method = std::move(method);
  fault.path = std::move(path);
  fault.action = std::move(action);
  fault.count = 2;  // first attempt and the one retry
  return fault;
}

char const* const kActions[] = {"status:500", "status:429",   "delay:1000",      "drop",
                                "truncate",   "endless-body", "huge-header",     "bad-signature",
                                "signtest",   "no-signature", "stale-timestamp", "wrong-serial"};

// Runs every operation once on `no` (a fresh order each time), collecting every status.
void RunAll(NativePayClient const& client, SandboxFixture const& f, std::string const& no,
            Said& said) {
  NativePrepayRequest order;
  order.out_trade_no = no;
  order.description = "密钥卫生";
  order.amount.total = 5;
  said.Add(client.NativePrepay(order).status());
  said.Add(client.QueryOrderByOutTradeNo(no).status());
  (void)f.sandbox().Pay(no);
  auto paid = client.QueryOrderByOutTradeNo(no);
  said.Add(paid.status());
  said.Add(client
               .QueryOrderById(paid.ok() && paid.value().transaction_id
                                   ? *paid.value().transaction_id
                                   : std::string("4200000000000000000000000000"))
               .status());
  CreateRefundRequest refund;
  refund.out_trade_no = no;
  refund.out_refund_no = "R" + no;
  refund.amount.refund = 1;
  refund.amount.total = 5;
  said.Add(client.CreateRefund(refund).status());
  said.Add(client.QueryRefund(refund.out_refund_no).status());
  said.Add(client.CloseOrder(no).status());
}

TEST_CASE("secret hygiene: no secret in any log line, error or exception text", "[secrets]") {
  SandboxFixture f;
  Said said;
  auto const transport = std::make_shared<RecordingTransport>([&] {
    CurlTransportOptions curl;
    curl.ca_file = f.identity().ca_file;
    curl.timeout = std::chrono::milliseconds(300);
    return MakeCurlTransport(curl);
  }());
  ClientOptions options;
  options.transport = transport;
  options.retry.max_retries = 1;
  options.sleep = [](std::chrono::milliseconds) {};
  options.logger = [&said](LogLevel, std::string_view line) { said.Add(std::string(line)); };
  // Every text field of every per-request event (ClientOptions::on_request).
  std::atomic<std::size_t> events{0};
  options.on_request = [&said, &events](RequestEvent const& event) {
    ++events;
    for (std::string_view text :
         {event.operation, std::string_view(event.method), std::string_view(event.path),
          std::string_view(event.service_code), std::string_view(event.request_id), event.outcome,
          RetryDecisionName(event.retry)}) {
      said.Add(std::string(text));
    }
  };

  auto direct_config = f.Config();
  direct_config.timeouts.total = std::chrono::milliseconds(300);
  auto gateway_config_or = f.sandbox().GatewayClientConfig();
  REQUIRE(gateway_config_or.ok());
  auto gateway_config = gateway_config_or.value();
  gateway_config.timeouts.total = std::chrono::milliseconds(300);
  std::vector<std::string> tokens = {gateway_config.gateway->access_token};

  auto direct = NativePayClient::Create(direct_config, options);
  REQUIRE(direct.ok());
  auto gateway = NativePayClient::Create(gateway_config, options);
  REQUIRE(gateway.ok());

  int n = 0;
  auto next_no = [&n] { return "SECRET" + std::to_string(100000 + n++); };
  // Success paths of both backends, then every fault on every path of both.
  RunAll(direct.value(), f, next_no(), said);
  RunAll(gateway.value(), f, next_no(), said);
  for (char const* action : kActions) {
    REQUIRE(f.sandbox().AddFault(MakeFault("*", "^/v3/", action)).ok());
    RunAll(direct.value(), f, next_no(), said);
    f.sandbox().ClearFaults();
    REQUIRE(f.sandbox().AddFault(MakeFault("*", "^/v1/functions/", action)).ok());
    RunAll(gateway.value(), f, next_no(), said);
    f.sandbox().ClearFaults();
  }

  // An expired access token: the gateway refuses it.
  sandbox::TokenOptions expired;
  expired.ttl = std::chrono::seconds(0);
  auto expired_config = f.sandbox().GatewayClientConfig(expired);
  REQUIRE(expired_config.ok());
  tokens.push_back(expired_config.value().gateway->access_token);
  auto expired_client = NativePayClient::Create(expired_config.value(), options);
  REQUIRE(expired_client.ok());
  RunAll(expired_client.value(), f, next_no(), said);

  // Configuration errors around the secrets themselves.
  auto const private_pem = ReadFile(f.identity().merchant_private_key_file);
  {
    auto bad = direct_config;
    bad.api_v3_key = f.identity().api_v3_key.substr(1);  // 31 bytes
    said.Add(NativePayClient::Create(bad, options).status());
    bad = direct_config;
    auto broken_pem = private_pem;
    broken_pem[broken_pem.size() / 2] = '!';  // a corrupt PEM body must not be quoted back
    bad.private_key = broken_pem;
    said.Add(NativePayClient::Create(bad, options).status());
    bad = direct_config;
    bad.private_key = f.identity().wechatpay_public_key_file;  // a public key, not a private one
    said.Add(NativePayClient::Create(bad, options).status());
    auto no_token = gateway_config;
    no_token.gateway->access_token.clear();
    said.Add(NativePayClient::Create(no_token, options).status());
    said.Add(MakeNotificationParser(bad).status());
  }

  // Notification failures: wrong APIv3 key, tampered body, missing headers.
  {
    using testing::TestMerchant;
    NotificationParserOptions parser_options;
    parser_options.clock = [] { return testing::FixedTime(testing::kNotifyNow); };
    auto parser = MakeNotificationParser(TestMerchant::Config(), parser_options).value();
    testing::NotificationSpec spec;
    spec.api_v3_key = "0123456789abcdef0123456789abcdef";
    auto wrong_key = testing::MakeNotification(spec);
    said.Add(parser.Parse(wrong_key.headers, wrong_key.body).status());
    auto good = testing::MakeNotification(testing::NotificationSpec{});
    auto tampered = good.body;
    tampered[tampered.size() / 2] ^= 1;
    said.Add(parser.Parse(good.headers, tampered).status());
    said.Add(parser.Parse(HttpHeaders(), good.body).status());
    NotificationHandler handler(parser, {kEventTransactionSuccess}, [](Notification const&) {
      return Status(StatusCode::kInternal, "database down");
    });
    auto handled = handler.Handle(good.headers, good.body);
    said.Add(handled.status);
    said.Add(handled.answer.body);
    auto rejected = handler.Handle(good.headers, tampered);
    said.Add(rejected.status);
    said.Add(rejected.answer.body);
  }

  std::vector<std::string> secrets = PemBodyLines(private_pem);
  REQUIRE(secrets.size() > 10);
  auto const pem_lines = secrets.size();
  secrets.push_back(f.identity().api_v3_key);
  secrets.push_back(testing::TestMerchant::kApiV3Key);
  std::size_t signatures = 0;
  for (auto const& authorization : transport->authorizations()) {
    auto part = SecretPart(authorization);
    if (part.size() >= 16) {
      secrets.push_back(part);
      ++signatures;
    }
  }
  for (auto const& token : tokens) {
    REQUIRE(token.size() >= 16);
    secrets.push_back(token);
  }

  std::size_t leaks = 0;
  for (auto const& text : said.texts) {
    for (auto const& secret : secrets) {
      if (text.find(secret) != std::string::npos) {
        ++leaks;
        UNSCOPED_INFO("leak in: " << text);
      }
    }
  }
  std::cout << "secret hygiene: " << said.texts.size() << " texts (" << events.load()
            << " request events) checked against " << secrets.size() << " secrets (" << pem_lines
            << " PEM lines, 2 APIv3 keys, " << signatures << " Authorization values, "
            << tokens.size() << " tokens): " << leaks << " leaks\n";
  CHECK(signatures > 50);
  CHECK(events.load() > 100);
  CHECK(leaks == 0);
}

}  // namespace
}  // namespace wechatpay
