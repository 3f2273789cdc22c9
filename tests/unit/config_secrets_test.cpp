// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Configuration errors never quote a secret (issue 14, findings 1 and 7). Every credential
// (private key, WeChat Pay public key, APIv3 key, access token, proxy and URL passwords) in
// every malformed form, through every way a configuration arrives (the MerchantConfig struct,
// a configuration file, environment variables) and every factory (NativePayClient::Create,
// MakeDirectChannel, MakeGatewayChannel, MakeNotificationParser and the credential loaders).
// Each attempt must fail with an error naming the setting, and no message, ToString(),
// exception text or log line may contain any 16-character piece of the secret.

#include <stdlib.h>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "common/base64.hpp"
#include "common/json_text.hpp"
#include "common/text.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::ReadData;
using testing::RecordingTransport;
using testing::TempDir;
using testing::TestMerchant;

constexpr std::size_t kPiece = 16;

// Every text the SDK produced, and every 16-byte piece of every secret.
class LeakCheck {
 public:
  void AddSecret(std::string_view secret) {
    for (std::size_t i = 0; i + kPiece <= secret.size(); ++i) {
      pieces_.insert(std::string(secret.substr(i, kPiece)));
    }
  }
  void Add(std::string text) { texts_.push_back(std::move(text)); }
  void Add(Status const& status) {
    Add(status.message());
    Add(status.ToString());
    Add(RuntimeStatusError(status).what());
  }
  LogSink Logger() {
    return [this](LogLevel, std::string_view line) { Add(std::string(line)); };
  }
  std::size_t texts() const { return texts_.size(); }
  // Texts holding a piece of a secret.
  std::vector<std::string> Leaks() const {
    std::vector<std::string> leaks;
    for (auto const& text : texts_) {
      for (std::size_t i = 0; i + kPiece <= text.size(); ++i) {
        if (pieces_.count(text.substr(i, kPiece)) != 0) {
          leaks.push_back(text);
          break;
        }
      }
    }
    return leaks;
  }

 private:
  std::unordered_set<std::string> pieces_;
  std::vector<std::string> texts_;
};

// Expects `status` to be an error of `code` naming `field`, and records its texts.
void Expect(LeakCheck& check, Status const& status, std::string const& field,
            StatusCode code = StatusCode::kConfiguration) {
  INFO(status.ToString());
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == code);
  CHECK(status.info().field == field);
  CHECK(status.message().find(field) != std::string::npos);
  check.Add(status);
}

void CheckNoLeak(LeakCheck const& check) {
  auto const leaks = check.Leaks();
  for (auto const& leak : leaks) UNSCOPED_INFO("leak in: " << leak);
  CHECK(check.texts() > 0);
  CHECK(leaks.empty());
}

// Sets environment variables for one scope and restores the previous values.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, std::string const& value) : name_(std::move(name)) {
    if (char const* old = getenv(name_.c_str())) old_ = old;
    setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(ScopedEnv const&) = delete;
  ScopedEnv& operator=(ScopedEnv const&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// The Base64 body of a PEM text: its lines without the BEGIN and END lines.
std::vector<std::string> BodyLines(std::string const& pem) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < pem.size()) {
    auto end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    auto line = pem.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.rfind("-----", 0) != 0) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string Join(std::vector<std::string> const& lines, std::string const& separator) {
  std::string out;
  for (auto const& line : lines) out += (out.empty() ? "" : separator) + line;
  return out;
}

// A PEM key in every malformed form a configuration has been seen to hold, by name.
std::vector<std::pair<std::string, std::string>> MalformedPems(std::string const& pem,
                                                               std::string const& label) {
  auto const lines = BodyLines(pem);
  auto const body = Join(lines, "\n");
  auto const one_line = Join(lines, "");
  auto const begin = "-----BEGIN " + label + "-----\n";
  auto const end = "\n-----END " + label + "-----\n";
  auto garbage = pem;
  garbage[garbage.size() / 2] = '!';
  auto escaped = begin + body + end;
  for (std::size_t at = escaped.find('\n'); at != std::string::npos; at = escaped.find('\n', at))
    escaped.replace(at, 1, "\\n");
  escaped[escaped.size() / 2] = '*';
  auto const fake_label = one_line.substr(0, 40);
  return {
      {"bare Base64 body", body},
      {"bare Base64 body on one line", one_line},
      {"bare Base64 body with CRLF", Join(lines, "\r\n")},
      {"four-dash header",
       "----BEGIN " + label + "----\n" + body + "\n----END " + label + "----\n"},
      {"header without dashes", "BEGIN " + label + "\n" + body + "\nEND " + label + "\n"},
      {"truncated", pem.substr(0, pem.size() / 2)},
      {"truncated body", begin + body.substr(0, body.size() / 2) + end},
      {"garbage in the body", garbage},
      {"garbage lines", begin + "this is not Base64!\n" + body + end},
      {"all on one line",
       "-----BEGIN " + label + "-----" + one_line + "-----END " + label + "-----"},
      {"escaped newlines, corrupted", escaped},
      {"the body as the label",
       "-----BEGIN " + fake_label + "-----\n" + body + "\n-----END " + fake_label + "-----\n"},
  };
}

void AddPemSecret(LeakCheck& check, std::string const& pem) {
  auto const lines = BodyLines(pem);
  REQUIRE(lines.size() > 5);
  check.AddSecret(Join(lines, "\n"));
  check.AddSecret(Join(lines, ""));
}

ClientOptions FakeOptions(LeakCheck& check) {
  ClientOptions options;
  options.transport = std::make_shared<RecordingTransport>();
  options.logger = check.Logger();
  return options;
}

// A configuration file with `config`'s settings and `key` set to `value`, in `dir`.
std::string WriteConfigFile(TempDir const& dir, MerchantConfig const& config,
                            std::string const& key, std::string const& value) {
  std::map<std::string, std::string> values = {
      {"appId", config.app_id},
      {"merchantId", config.merchant_id},
      {"apiV3Key", config.api_v3_key},
      {"merchantSerialNumber", config.merchant_serial_number},
      {"privateKey", config.private_key},
      {"wxPayPublicKey", config.wx_pay_public_key},
      {"wxPayPublicKeyId", config.wx_pay_public_key_id},
      {"notifyUrl", config.notify_url},
      {"baseUrl", config.base_url}};
  values[key] = value;
  std::string json = "{";
  for (auto const& [name, text] : values) {
    json +=
        (json.size() > 1 ? "," : "") + internal::JsonQuote(name) + ":" + internal::JsonQuote(text);
  }
  auto const path = dir.File("wechatpay.json");
  testing::WriteFile(path, json + "}");
  return path;
}

// Creates clients from `config` every way there is, recording every error.
void CreateEveryWay(LeakCheck& check, MerchantConfig const& config, std::string const& field) {
  Expect(check, NativePayClient::Create(config, FakeOptions(check)).status(), field);
  ClientOptions curl;  // no transport: the default curl transport
  curl.logger = check.Logger();
  Expect(check, NativePayClient::Create(config, curl).status(), field);
  Expect(check, MakeDirectChannel(config, FakeOptions(check)).status(), field);
}

TEST_CASE("privateKey errors never quote the key, in any malformed form, from any source",
          "[secrets][config]") {
  LeakCheck check;
  auto const pem = ReadData("keys/official_doc_test_key.pem");
  AddPemSecret(check, pem);
  auto const config = TestMerchant::Config();
  TempDir dir;
  for (auto const& [name, value] : MalformedPems(pem, "PRIVATE KEY")) {
    INFO(name);
    auto bad = config;
    bad.private_key = value;
    CreateEveryWay(check, bad, "privateKey");
    Expect(check, MakeRequestSigner(bad).status(), "privateKey");
    auto const loaded = LoadPem(value, "privateKey");
    if (!loaded.ok()) Expect(check, loaded.status(), "privateKey");

    auto const file = WriteConfigFile(dir, config, "privateKey", value);
    auto from_file = LoadMerchantConfigFile(file);
    REQUIRE(from_file.ok());
    Expect(check, NativePayClient::Create(*from_file, FakeOptions(check)).status(), "privateKey");

    ScopedEnv env("WECHATPAY_PRIVATE_KEY", value);
    auto from_env = LoadMerchantConfig(WriteConfigFile(dir, config, "appId", TestMerchant::kAppId));
    REQUIRE(from_env.ok());
    Expect(check, NativePayClient::Create(*from_env, FakeOptions(check)).status(), "privateKey");
  }
  CheckNoLeak(check);
}

TEST_CASE("wxPayPublicKey errors never quote the key material", "[secrets][config]") {
  LeakCheck check;
  auto const pem = ReadData("keys/java_wechat_pay_public_key.pem");
  AddPemSecret(check, pem);
  auto const config = TestMerchant::Config();
  TempDir dir;
  for (auto const& [name, value] : MalformedPems(pem, "PUBLIC KEY")) {
    INFO(name);
    auto bad = config;
    bad.wx_pay_public_key = value;
    CreateEveryWay(check, bad, "wxPayPublicKey");
    Expect(check, MakeNotificationParser(bad).status(), "wxPayPublicKey");
    Expect(check, MakeSignatureVerifier(bad).status(), "wxPayPublicKey");

    ScopedEnv env("WECHATPAY_PUBLIC_KEY", value);
    auto from_env = LoadMerchantConfig(WriteConfigFile(dir, config, "appId", TestMerchant::kAppId));
    REQUIRE(from_env.ok());
    Expect(check, MakeNotificationParser(*from_env).status(), "wxPayPublicKey");
  }
  CheckNoLeak(check);
}

TEST_CASE("apiV3Key errors never quote the key, whatever its length or encoding",
          "[secrets][config]") {
  LeakCheck check;
  std::string const key = TestMerchant::kApiV3Key;
  check.AddSecret(key);
  std::string hex;
  for (unsigned char c : key) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[c >> 4];
    hex += kHex[c & 0x0f];
  }
  std::vector<std::pair<std::string, std::string>> const forms = {
      {"31 bytes", key.substr(1)},
      {"33 bytes", key + "x"},
      {"trailing newline", key + "\n"},
      {"CRLF inside", key.substr(0, 16) + "\r\n" + key.substr(16)},
      {"spaces around", " " + key + " "},
      {"Base64 of the key", internal::Base64Encode(key)},
      {"hex of the key", hex},
      {"twice", key + key},
  };
  auto const config = TestMerchant::Config();
  TempDir dir;
  for (auto const& [name, value] : forms) {
    INFO(name);
    check.AddSecret(value);
    auto bad = config;
    bad.api_v3_key = value;
    CreateEveryWay(check, bad, "apiV3Key");
    Expect(check, MakeNotificationParser(bad).status(), "apiV3Key");
    Expect(check, MakeAesGcmCipher(bad).status(), "apiV3Key");

    auto from_file = LoadMerchantConfigFile(WriteConfigFile(dir, config, "apiV3Key", value));
    REQUIRE(from_file.ok());
    Expect(check, MakeNotificationParser(*from_file).status(), "apiV3Key");

    ScopedEnv env("WECHATPAY_API_V3_KEY", value);
    auto from_env = LoadMerchantConfig(WriteConfigFile(dir, config, "appId", TestMerchant::kAppId));
    REQUIRE(from_env.ok());
    Expect(check, MakeNotificationParser(*from_env).status(), "apiV3Key");
  }
  // A configuration file that is not valid JSON around the key: the parser's error gives an
  // offset, never the text.
  for (auto const& text :
       {R"({"apiV3Key": ")" + key + R"(})", R"({"apiV3Key": )" + key + "}",
        R"({"apiV3Key" ")" + key + R"("})", R"({"apiV3Key": [")" + key + R"("})"}) {
    auto const path = dir.File("broken.json");
    testing::WriteFile(path, text);
    Expect(check, LoadMerchantConfigFile(path).status(), "config");
  }
  CheckNoLeak(check);
}

TEST_CASE("gateway.accessToken errors never quote the token", "[secrets][config]") {
  LeakCheck check;
  std::string const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTk5In0.TOKEN-SECRET-SIGNATURE";
  check.AddSecret(token);
  std::vector<std::pair<std::string, std::string>> const forms = {
      {"Bearer prefix", "Bearer " + token},
      {"space inside", token.substr(0, 20) + " " + token.substr(20)},
      {"trailing CRLF", token + "\r\n"},
      {"LF inside", token.substr(0, 30) + "\n" + token.substr(30)},
      {"CR inside", token.substr(0, 30) + "\r" + token.substr(30)},
      {"tab", token + "\t"},
      {"non-ASCII", token + "\xE2\x80\x8B"},
      {"NUL-free control byte", token + "\x01"},
  };
  auto config = TestMerchant::Config();
  GatewayConfig gateway;
  gateway.env_id = "test-env-1a2b";
  gateway.function_name = "pay-common";
  config.gateway = gateway;
  for (auto const& [name, value] : forms) {
    INFO(name);
    auto bad = config;
    bad.gateway->access_token = value;
    Expect(check, NativePayClient::Create(bad, FakeOptions(check)).status(), "gateway.accessToken");
    Expect(check, MakeGatewayChannel(bad, FakeOptions(check)).status(), "gateway.accessToken");
    {
      ScopedEnv env("WECHATPAY_ACCESS_TOKEN", value);
      ScopedEnv env_id("WECHATPAY_GATEWAY_ENV_ID", "test-env-1a2b");
      ScopedEnv function("WECHATPAY_GATEWAY_FUNCTION", "pay-common");
      auto from_env = LoadMerchantConfig(std::nullopt);
      REQUIRE(from_env.ok());
      Expect(check, NativePayClient::Create(*from_env, FakeOptions(check)).status(),
             "gateway.accessToken");
    }
    // From a provider: refused when a call needs it, still without quoting it.
    auto fixed = config;
    fixed.gateway->access_token.clear();
    auto channel = MakeGatewayChannel(fixed, FakeOptions(check), MakeFixedTokenProvider(value));
    REQUIRE(channel.ok());
    auto const call = NativePayClient(*channel).QueryOrderByOutTradeNo("ORDER-SECRET-1");
    REQUIRE_FALSE(call.ok());
    CHECK(call.status().code() == StatusCode::kUnauthenticated);
    check.Add(call.status());
  }
  CheckNoLeak(check);
}

TEST_CASE("URL settings with a password are refused without quoting them", "[secrets][config]") {
  LeakCheck check;
  std::string const password = "Pr0xy-And-Url-Passw0rd-777";
  check.AddSecret(password);
  std::vector<std::string> const urls = {
      "https://merchant:" + password + "@api.mch.weixin.qq.com",
      "https://merchant:" + password + "@api.mch.weixin.qq.com:99999/",
      "http://merchant:" + password + "@api.mch.weixin.qq.com",
      "https://merchant:" + password + " with space@api.mch.weixin.qq.com",
      "htps://merchant:" + password + "@api.mch.weixin.qq.com",
      "https://merchant:" + password + "@[::1",
      "https://" + password + "@127.0.0.1:8443?x=1",
  };
  auto const config = TestMerchant::Config();
  TempDir dir;
  for (auto const& url : urls) {
    INFO(url);
    auto bad = config;
    bad.base_url = url;
    CreateEveryWay(check, bad, "baseUrl");
    {
      ScopedEnv env("WECHATPAY_BASE_URL", url);
      auto from_env =
          LoadMerchantConfig(WriteConfigFile(dir, config, "appId", TestMerchant::kAppId));
      REQUIRE(from_env.ok());
      Expect(check, NativePayClient::Create(*from_env, FakeOptions(check)).status(), "baseUrl");
    }
    auto gateway = config;
    gateway.gateway = GatewayConfig{};
    gateway.gateway->function_name = "pay-common";
    gateway.gateway->access_token = "TOKEN-0123456789";
    gateway.gateway->url = url;
    Expect(check, NativePayClient::Create(gateway, FakeOptions(check)).status(), "gateway.url");
    Expect(check, MakeGatewayChannel(gateway, FakeOptions(check)).status(), "gateway.url");
  }
  auto with_user_info = config;
  with_user_info.base_url = urls.front();
  auto const status = NativePayClient::Create(with_user_info, FakeOptions(check)).status();
  CHECK(status.message() == "baseUrl must not contain user info (user:password@)");
  CheckNoLeak(check);
}

TEST_CASE("A proxy password is never quoted, even when libcurl cannot parse the proxy",
          "[secrets][config]") {
  LeakCheck check;
  std::string const password = "Pr0xy-Passw0rd-Never-Shown";
  check.AddSecret(password);
  // All fail before any name is resolved: a malformed proxy, or one on a closed loopback port.
  std::vector<std::string> const proxies = {
      "http://user:" + password + "@[bad",
      "htp://user:" + password + "@proxy.example:3128",
      "http://user:" + password + " space@proxy.example:3128",
      "http://user:" + password + "@proxy.example:99999",
      "socks9://user:" + password + "@proxy.example",
      "http://user:" + password + "@127.0.0.1:1",
      "user:" + password + "@127.0.0.1:1",
  };
  for (auto const& proxy : proxies) {
    INFO(proxy);
    CurlTransportOptions transport_options;
    transport_options.proxy = proxy;
    transport_options.connect_timeout = std::chrono::milliseconds(2000);
    transport_options.timeout = std::chrono::milliseconds(2000);
    auto const transport = MakeCurlTransport(transport_options);
    HttpRequest request;
    request.method = "GET";
    request.url = "https://api.mch.weixin.qq.com/v3/certificates";
    auto const sent = transport->Send(request);
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.status().code() == StatusCode::kTransport);
    check.Add(sent.status());

    ClientOptions options;
    options.transport = transport;
    options.logger = check.Logger();
    options.retry.max_retries = 1;
    options.sleep = [](std::chrono::milliseconds) {};
    auto client = NativePayClient::Create(TestMerchant::Config(), options);
    REQUIRE(client.ok());
    check.Add(client->QueryOrderByOutTradeNo("ORDER-PROXY-1").status());
  }
  CheckNoLeak(check);
}

}  // namespace
}  // namespace wechatpay
