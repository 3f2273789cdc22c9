// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Configuration files and the files a configuration names (privateKey, wxPayPublicKey,
// caFile): every way a path can be wrong is an ordinary configuration error naming the
// setting, never an exception, a hang or a crash (issue 14, findings 8 and 11).
//
// Regression (fuzz/regressions/config_load): a configuration file nested deeper than the stack
// allows crashed LoadMerchantConfigFile() in RapidJSON's recursive parser. It must be an
// ordinary configuration error, and deep nesting under a comment key must load.

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::TempDir;
using testing::TestMerchant;

constexpr std::size_t kMiB = 1 << 20;

// A file of exactly `size` bytes: a JSON object padded with spaces.
void WriteJsonOfSize(std::string const& path, std::size_t size) {
  std::string const json = R"({"merchantId":"1900007291"})";
  testing::WriteFile(path, std::string(size - json.size(), ' ') + json);
}

// Paths that are not readable regular files, by name, created in `dir`: {name, path, what the
// error says}.
struct BadPath {
  std::string name;
  std::string path;
  std::string says;
};

std::vector<BadPath> BadPaths(TempDir const& dir) {
  auto const fifo = dir.File("fifo");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  auto const large = dir.File("large.pem");
  WriteJsonOfSize(large, kMiB + 1);
  std::vector<BadPath> paths = {
      {"missing", dir.File("missing.pem"), "does not exist"},
      {"missing folder", dir.File("missing/key.pem"), "does not exist"},
      {"a file as a folder", large + "/key.pem", "does not exist"},
      {"directory", dir.path(), "directory"},
      {"FIFO", fifo, "not a regular file"},
      {"device", "/dev/null", "not a regular file"},
      {"too large", large, "larger than 1 MiB"},
      {"NUL in the path", dir.File("key.pem") + std::string(1, '\0') + "x", "not a valid path"},
      {"too long", "/" + std::string(5000, 'k'), "not a valid path"},
  };
  if (geteuid() != 0) {  // root reads everything
    auto const locked = dir.File("locked.pem");
    testing::WriteFile(locked, "{}");
    REQUIRE(chmod(locked.c_str(), 0) == 0);
    paths.push_back({"unreadable", locked, "cannot be read"});
  }
  return paths;
}

ClientOptions FakeOptions() {
  ClientOptions options;
  options.transport = std::make_shared<testing::RecordingTransport>();
  return options;
}

void ExpectConfigError(Status const& status, std::string const& field, std::string const& says) {
  INFO(status.ToString());
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kConfiguration);
  CHECK(status.info().field == field);
  CHECK(status.message().find(field) != std::string::npos);
  CHECK(status.message().find(says) != std::string::npos);
}

TEST_CASE("LoadMerchantConfigFile: deep nesting is an error or ignored, never a crash") {
  TempDir dir;
  auto const path = dir.File("wechatpay.json");

  testing::WriteFile(path, std::string(1000000, '['));
  auto unclosed = LoadMerchantConfigFile(path);
  REQUIRE_FALSE(unclosed.ok());
  CHECK(unclosed.status().code() == StatusCode::kConfiguration);
  CHECK(unclosed.status().message().find("not valid JSON") != std::string::npos);

  std::string const depth(200000, '[');
  testing::WriteFile(path, R"({"merchantId":"1900007291","_comment":)" + depth +
                               std::string(depth.size(), ']') + "}");
  auto commented = LoadMerchantConfigFile(path);
  REQUIRE(commented.ok());
  CHECK(commented->merchant_id == "1900007291");
}

TEST_CASE("LoadMerchantConfigFile: a path that is no readable file is an error, not an exception",
          "[config]") {
  TempDir dir;
  for (auto const& bad : BadPaths(dir)) {
    INFO(bad.name);
    StatusOr<MerchantConfig> loaded = Status();
    REQUIRE_NOTHROW(loaded = LoadMerchantConfigFile(bad.path));
    ExpectConfigError(loaded.status(), "config", bad.says);
    CHECK(loaded.status().message().rfind("configuration file ", 0) == 0);
    REQUIRE_NOTHROW(loaded = LoadMerchantConfig(bad.path));
    ExpectConfigError(loaded.status(), "config", bad.says);
  }
}

TEST_CASE("LoadMerchantConfigFile: 1 MiB is read, one byte more is refused", "[config]") {
  TempDir dir;
  auto const path = dir.File("wechatpay.json");
  WriteJsonOfSize(path, kMiB);
  auto const loaded = LoadMerchantConfigFile(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->merchant_id == "1900007291");
  WriteJsonOfSize(path, kMiB + 1);
  ExpectConfigError(LoadMerchantConfigFile(path).status(), "config", "larger than 1 MiB");
}

TEST_CASE("LoadMerchantConfigFile: the file's path is quoted bounded, control characters escaped",
          "[config]") {
  TempDir dir;
  auto const path = dir.File("bad\x1b[31mname\n" + std::string(200, 'x') + ".json");
  auto const loaded = LoadMerchantConfigFile(path);
  REQUIRE_FALSE(loaded.ok());
  auto const& message = loaded.status().message();
  INFO(message);
  CHECK(message.find('\x1b') == std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.find("\\x1B[31mname\\x0A") != std::string::npos);
  CHECK(message.find(std::string(200, 'x')) == std::string::npos);
  CHECK(message.find("...") != std::string::npos);
}

TEST_CASE("privateKey and wxPayPublicKey paths that are no readable file fail at creation",
          "[config]") {
  TempDir dir;
  for (auto const& bad : BadPaths(dir)) {
    INFO(bad.name);
    // A missing path may just as well be key material that lost its PEM header.
    bool const absent = bad.says == "does not exist" || bad.says == "not a valid path";
    std::string const says = absent ? "is neither PEM text" : bad.says;
    auto config = TestMerchant::Config();
    config.private_key = bad.path;
    StatusOr<NativePayClient> client = Status();
    REQUIRE_NOTHROW(client = NativePayClient::Create(config, FakeOptions()));
    ExpectConfigError(client.status(), "privateKey", says);
    // The value of a key setting is never quoted, even when it is a path.
    CHECK(client.status().message().find(dir.path()) == std::string::npos);

    config = TestMerchant::Config();
    config.wx_pay_public_key = bad.path;
    StatusOr<NotificationParser> parser = Status();
    REQUIRE_NOTHROW(parser = MakeNotificationParser(config));
    ExpectConfigError(parser.status(), "wxPayPublicKey", says);
    CHECK(parser.status().message().find(dir.path()) == std::string::npos);
  }
}

TEST_CASE("A key path in a configuration file naming a directory fails at creation", "[config]") {
  TempDir dir;
  auto const path = dir.File("wechatpay.json");
  // "." relative to the configuration file's folder: the folder itself.
  testing::WriteFile(path, R"({"merchantId":"1900007291","merchantSerialNumber":")" +
                               std::string(TestMerchant::kSerial) +
                               R"(","privateKey":".","wxPayPublicKey":".","apiV3Key":")" +
                               TestMerchant::kApiV3Key + R"(","appId":"wxd678efh567hg6787"})");
  auto const config = LoadMerchantConfigFile(path);
  REQUIRE(config.ok());
  ExpectConfigError(NativePayClient::Create(*config, FakeOptions()).status(), "privateKey",
                    "directory");
  ExpectConfigError(MakeNotificationParser(*config).status(), "wxPayPublicKey", "directory");
}

TEST_CASE("caFile is checked when a backend builds its curl transport on it", "[config]") {
  TempDir dir;
  auto gateway = TestMerchant::Config();
  gateway.gateway = GatewayConfig{};
  gateway.gateway->env_id = "test-env-1a2b";
  gateway.gateway->function_name = "pay-common";
  gateway.gateway->access_token = "TOKEN-0123456789";
  auto const direct = TestMerchant::Config();
  auto const ca = testing::DataPath("keys/java_wechat_pay_certificate.pem");

  for (auto const& bad : BadPaths(dir)) {
    if (bad.says == "larger than 1 MiB") continue;  // only opened, never read here
    INFO(bad.name);
    for (auto config : {direct, gateway}) {
      config.ca_file = bad.path;
      ClientOptions options;  // no transport: the curl transport gets caFile
      StatusOr<NativePayClient> client = Status();
      REQUIRE_NOTHROW(client = NativePayClient::Create(config, options));
      ExpectConfigError(client.status(), "caFile", bad.says);
      // A transport of the caller's own does not use caFile.
      CHECK(NativePayClient::Create(config, FakeOptions()).ok());
    }
    auto with_provider = gateway;
    with_provider.ca_file = bad.path;
    with_provider.gateway->access_token.clear();
    ExpectConfigError(
        MakeGatewayChannel(with_provider, {}, MakeFixedTokenProvider("TOKEN-0123456789")).status(),
        "caFile", bad.says);
    ExpectConfigError(MakeDirectChannel(with_provider).status(), "caFile", bad.says);
  }
  for (auto config : {direct, gateway}) {
    config.ca_file = ca;
    CHECK(NativePayClient::Create(config).ok());
  }
}

}  // namespace
}  // namespace wechatpay
