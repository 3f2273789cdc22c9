// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Proxies, with a real forward proxy: ConnectProxy (tests/support) tunnels HTTP CONNECT to a
// local HTTPS server that has a non-loopback name (loopback hosts are never proxied) and a
// certificate for it. Checked: the configured proxy carries the calls and receives its
// credentials, which never reach a log line or an error; the standard proxy variables are used
// only when the configuration opts in, and no_proxy then sends the listed hosts around it.

#include <string>
#include <vector>

#include "catch.hpp"
#include "common/base64.hpp"
#include "support/fake_wechat_server.hpp"
#include "support/loopback_server.hpp"
#include "support/raw_socket_peers.hpp"
#include "support/scoped_environment.hpp"
#include "support/test_merchant.hpp"
#include "support/test_tls.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/native_pay_client.hpp"

namespace wechatpay {
namespace {

using testing::ConnectProxy;
using testing::FakeWeChatServer;
using testing::LoopbackCertificate;
using testing::LoopbackServer;
using testing::ScopedEnvironment;

// A name that is not loopback (so the transport proxies it) and never resolves (so a request
// that went around the proxy fails instead of reaching anything).
constexpr char kHost[] = "api.proxy-test.invalid";
constexpr char kUser[] = "merchant";
constexpr char kPassword[] = "Pr0xy-Secret-7731";

constexpr char kTransaction[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"PROXY0000001",)"
    R"("transaction_id":"4200000001202612070000000001","trade_type":"NATIVE",)"
    R"("trade_state":"NOTPAY","trade_state_desc":"未支付","amount":{"total":1,"currency":"CNY"}})";

std::string ProxyAuthorization() {
  return "Basic " + internal::Base64Encode(std::string(kUser) + ":" + kPassword);
}

std::string UserInfo() { return std::string(kUser) + ":" + kPassword; }

// A fake WeChat Pay over HTTPS under kHost, and a client configuration for it.
struct Fixture {
  LoopbackCertificate certificate{std::string("DNS:") + kHost};
  FakeWeChatServer wechat{TlsOptions()};
  std::vector<std::string> log;

  LoopbackServer::Options TlsOptions() const {
    LoopbackServer::Options options;
    options.tls_cert_file = certificate.cert_file();
    options.tls_key_file = certificate.key_file();
    return options;
  }

  MerchantConfig Config() const {
    auto config = testing::TestMerchant::Config("https://" + std::string(kHost) + ":" +
                                                std::to_string(wechat.port()));
    config.ca_file = certificate.cert_file();
    return config;
  }

  StatusOr<Transaction> Query(MerchantConfig const& config) {
    wechat.SetReply({200, kTransaction});
    ClientOptions options;
    options.retry.max_retries = 0;
    options.logger = [this](LogLevel, std::string_view line) { log.emplace_back(line); };
    auto client = NativePayClient::Create(config, options);
    if (!client) return client.status();
    return client->QueryOrderByOutTradeNo("PROXY0000001");
  }

  bool LogMentions(std::string const& text) const {
    for (auto const& line : log) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

TEST_CASE("A call goes through the configured proxy, which receives its credentials", "[proxy]") {
  Fixture fixture;
  ConnectProxy proxy(ProxyAuthorization());
  auto config = fixture.Config();
  config.proxy = proxy.Url(UserInfo());

  auto transaction = fixture.Query(config);
  REQUIRE(transaction.ok());
  CHECK(transaction->trade_state == "NOTPAY");
  REQUIRE(proxy.tunnels() == 1);
  auto const requests = proxy.requests();
  REQUIRE(requests.size() == 1);
  std::string const target = std::string(kHost) + ":" + std::to_string(fixture.wechat.port());
  CHECK(requests[0].rfind("CONNECT " + target + " HTTP/1.1\r\n", 0) == 0);
  CHECK(requests[0].find("\r\nProxy-Authorization: " + ProxyAuthorization() + "\r\n") !=
        std::string::npos);
  // The API request itself went through the tunnel, signed as usual.
  REQUIRE(fixture.wechat.requests().size() == 1);
  CHECK(fixture.wechat.requests()[0].headers.Has("Authorization"));
  REQUIRE_FALSE(fixture.log.empty());
  CHECK_FALSE(fixture.LogMentions(kPassword));
}

TEST_CASE("A proxy that refuses the credentials is a transport error without the password",
          "[proxy]") {
  Fixture fixture;
  ConnectProxy proxy("Basic c29tZW9uZTplbHNl");  // someone:else
  auto config = fixture.Config();
  config.proxy = proxy.Url(UserInfo());

  auto transaction = fixture.Query(config);
  REQUIRE_FALSE(transaction.ok());
  CHECK(transaction.status().code() == StatusCode::kTransport);
  CHECK(transaction.status().message().find(kPassword) == std::string::npos);
  CHECK(transaction.status().ToString().find(kPassword) == std::string::npos);
  CHECK_FALSE(fixture.LogMentions(kPassword));
  CHECK(proxy.tunnels() == 0);
  CHECK(fixture.wechat.requests().empty());
}

TEST_CASE("WECHATPAY_PROXY and the configuration file's proxy reach the transport", "[proxy]") {
  Fixture fixture;
  ConnectProxy proxy(ProxyAuthorization());
  ScopedEnvironment env("WECHATPAY_PROXY", proxy.Url(UserInfo()).c_str());
  auto config = fixture.Config();
  REQUIRE(ApplyEnvironment(config).ok());
  CHECK(config.proxy == proxy.Url(UserInfo()));
  REQUIRE(fixture.Query(config).ok());
  CHECK(proxy.tunnels() == 1);
}

TEST_CASE("https_proxy and no_proxy are used only when the configuration opts in", "[proxy]") {
  Fixture fixture;
  ConnectProxy proxy(ProxyAuthorization());
  ScopedEnvironment https_proxy("https_proxy", proxy.Url(UserInfo()).c_str());
  ScopedEnvironment https_proxy_upper("HTTPS_PROXY", nullptr);
  ScopedEnvironment no_proxy("no_proxy", nullptr);
  ScopedEnvironment no_proxy_upper("NO_PROXY", nullptr);

  SECTION("not opted in: the variable is ignored, the call goes direct (and cannot resolve)") {
    auto transaction = fixture.Query(fixture.Config());
    REQUIRE_FALSE(transaction.ok());
    CHECK(transaction.status().code() == StatusCode::kTransport);
    CHECK(proxy.requests().empty());
  }
  SECTION("opted in: the call goes through the proxy of https_proxy") {
    auto config = fixture.Config();
    config.proxy_from_environment = true;
    REQUIRE(fixture.Query(config).ok());
    CHECK(proxy.tunnels() == 1);
    CHECK_FALSE(fixture.LogMentions(kPassword));
  }
  SECTION("opted in, the host listed in no_proxy: direct (and cannot resolve)") {
    ScopedEnvironment listed("no_proxy", (std::string("example.com,") + kHost).c_str());
    auto config = fixture.Config();
    config.proxy_from_environment = true;
    auto transaction = fixture.Query(config);
    REQUIRE_FALSE(transaction.ok());
    CHECK(proxy.requests().empty());
  }
  SECTION("the configuration's proxy wins over the variables") {
    ConnectProxy configured(ProxyAuthorization());
    auto config = fixture.Config();
    config.proxy = configured.Url(UserInfo());
    config.proxy_from_environment = true;
    REQUIRE(fixture.Query(config).ok());
    CHECK(configured.tunnels() == 1);
    CHECK(proxy.requests().empty());
  }
}

TEST_CASE("A malformed proxy is a configuration error naming the setting, never the value",
          "[proxy]") {
  Fixture fixture;
  std::string const secret = "s3cr3t-proxy-pw";
  for (std::string const& bad :
       {"ftp://user:" + secret + "@proxy.example:21", "user:" + secret + "@proxy.example:3128",
        "http://user:" + secret + "@proxy.example:3128/path",
        "http://user:" + secret + "@proxy.example:3128/?q=1", "http://user:" + secret + "@"}) {
    INFO("case " << bad.substr(0, 4));
    auto config = fixture.Config();
    config.proxy = bad;
    auto client = NativePayClient::Create(config);
    REQUIRE_FALSE(client.ok());
    CHECK(client.status().code() == StatusCode::kConfiguration);
    CHECK(client.status().info().field == "proxy");
    CHECK(client.status().ToString().find(secret) == std::string::npos);
  }
  std::string const gopher = "gopher://user:" + secret + "@proxy.example";
  ScopedEnvironment https_proxy("https_proxy", gopher.c_str());
  auto config = fixture.Config();
  config.proxy_from_environment = true;
  auto client = NativePayClient::Create(config);
  REQUIRE_FALSE(client.ok());
  CHECK(client.status().info().field == "https_proxy");
  CHECK(client.status().ToString().find(secret) == std::string::npos);
}

}  // namespace
}  // namespace wechatpay
