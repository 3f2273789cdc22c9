// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The example programs as a new user first meets them: `--help` prints the usage on stdout and
// exits 0, and a port that is taken is reported as "address already in use". Each program is
// run when it was built (WECHATPAY_BUILD_EXAMPLES, cpp-httplib, wechatpay::qr).

#include <unistd.h>

#include <string>
#include <vector>

#include "catch.hpp"
#include "support/run_process.hpp"
#include "support/taken_port.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

using testing::TakenPort;
using testing::TempDir;

struct Example {
  std::string name;
  std::string path;
};

std::vector<Example> BuiltExamples() {
  std::vector<Example> built;
  for (Example example : {Example{"callback_server", WECHATPAY_CALLBACK_SERVER_PATH},
                          Example{"cashier", WECHATPAY_CASHIER_PATH},
                          Example{"sign_and_verify", WECHATPAY_SIGN_AND_VERIFY_PATH},
                          Example{"quickstart", WECHATPAY_QUICKSTART_PATH},
                          Example{"beast_checkout", WECHATPAY_BEAST_CHECKOUT_PATH}}) {
    if (!example.path.empty() && access(example.path.c_str(), X_OK) == 0) built.push_back(example);
  }
  return built;
}

TEST_CASE("the examples answer --help with their usage on stdout and exit 0") {
  auto const examples = BuiltExamples();
  for (auto const& example : examples) {
    for (std::string const flag : {"--help", "-h"}) {
      CAPTURE(example.name, flag);
      auto r = testing::RunProcess(example.path, {flag});
      CHECK(r.exit_code == 0);
      CHECK(r.out.rfind("usage: " + example.name, 0) == 0);
      CHECK(r.err.empty());
    }
    // A wrong call still gets the usage on stderr and exit 2.
    auto wrong = testing::RunProcess(example.path, {"--no-such-option", "x", "y"});
    CAPTURE(example.name);
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err.find("usage: " + example.name) != std::string::npos);
    CHECK(wrong.out.empty());
  }
  WARN(examples.size() << " example programs built");
}

TEST_CASE("the example servers say 'address already in use' when the port is taken") {
  TakenPort taken;
  std::string const callback_server = WECHATPAY_CALLBACK_SERVER_PATH;
  if (!callback_server.empty()) {
    TempDir dir;
    testing::WriteFile(
        dir.File("config.json"),
        R"({"apiV3Key":")" + std::string(testing::TestMerchant::kApiV3Key) +
            R"(","wxPayPublicKey":")" + testing::DataPath("keys/java_wechat_pay_public_key.pem") +
            R"(","wxPayPublicKeyId":")" + testing::TestMerchant::kPublicKeyId + R"("})");
    auto r = testing::RunProcess(callback_server,
                                 {"--config", dir.File("config.json"), "--listen", taken.Listen()});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("error: cannot listen on " + taken.Listen() + ": address already in use") !=
          std::string::npos);
  }
  for (std::string const server : {WECHATPAY_CASHIER_PATH, WECHATPAY_BEAST_CHECKOUT_PATH}) {
    if (server.empty()) continue;
    auto r = testing::RunProcess(server, {"--sandbox", "--listen", taken.Listen()});
    INFO(server << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("error: cannot listen on " + taken.Listen() + ": address already in use") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay
