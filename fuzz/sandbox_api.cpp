// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the sandbox's request handling behind authentication: the WeChat Pay v3 routes
// (v3_api.cpp: paths, parameters, body parsing and every rule of v3_validation.cpp, the order
// book), the CloudBase gateway and pay-common (gateway.cpp, pay_common.cpp), and the small
// parsers of the control API (fault actions, RFC 3339 times).
//
// Input: up to 16 steps separated by a line "%%". A step is an HTTP request (fuzz_support.hpp)
// or a control command on one line: "PAY <out_trade_no>", "FAIL <out_trade_no>",
// "SCAN <out_trade_no>", "REFUND-DONE <out_refund_no>", "REFUND-ABNORMAL <out_refund_no>",
// "REFUND-CLOSE <out_refund_no>", "NOT-ENOUGH <1|2>" (refuse the next refunds),
// "FAULT <action>", "TIME <rfc3339>". Requests to /v3/ with
// `Authorization: SIGN` are signed here with the merchant key; requests to /v1/functions/ with
// `Authorization: Bearer TOKEN` get a valid token. The order book is new for every input, so
// a crash reproduces from its input alone.
//
// Every answer must be an HTTP status with a JSON body (or none).

#include <rapidjson/document.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "control/faults.hpp"
#include "fuzz_support.hpp"
#include "gateway/gateway.hpp"
#include "gateway/pay_common.hpp"
#include "gateway/token_store.hpp"
#include "sandbox_request.hpp"
#include "state/clock.hpp"
#include "state/order_book.hpp"
#include "v3/request_auth.hpp"
#include "v3/v3_api.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/protocol/signing.hpp"

namespace {

using namespace wechatpay;
namespace sb = wechatpay::sandbox::internal;

constexpr int kMaxSteps = 16;
constexpr std::string_view kSeparator = "\n%%\n";

struct Fixture {
  Fixture()
      : signer([] {
          auto key = PrivateKey::FromPem(fuzz::ReadTestData(fuzz::kSandboxMerchantPrivateKey));
          fuzz::Check(key.ok(), "the merchant private key loads");
          auto made =
              RequestSigner::Create(fuzz::kSandboxMerchantId, fuzz::kSandboxMerchantSerial, *key);
          fuzz::Check(made.ok(), "the request signer is created");
          return *made;
        }()),
        public_key([] {
          auto key = PublicKey::FromPem(fuzz::ReadTestData(fuzz::kSandboxMerchantPublicKey));
          fuzz::Check(key.ok(), "the merchant public key loads");
          return *key;
        }()),
        tokens(""),
        token(tokens.Create(sandbox::TokenOptions{})) {}

  RequestSigner signer;
  PublicKey public_key;
  sb::TokenStore tokens;
  std::string token;
};

Fixture& World() {
  static Fixture fixture;
  return fixture;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

void CheckAnswer(sb::Answer const& answer) {
  fuzz::Check(answer.status >= 200 && answer.status <= 599, "an answer has an HTTP status");
  if (answer.body.empty()) return;
  rapidjson::Document doc;
  doc.Parse(answer.body.data(), answer.body.size());
  fuzz::Check(!doc.HasParseError(), "an answer body is JSON");
}

// One control command; false when `line` is not one.
bool Command(std::string_view line, sb::OrderBook& orders) {
  auto const space = line.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view const verb = line.substr(0, space);
  std::string const argument(line.substr(space + 1));
  if (verb == "PAY") {
    orders.Pay(argument, sandbox::PayOptions{});
  } else if (verb == "FAIL") {
    orders.Fail(argument);
  } else if (verb == "SCAN") {
    orders.Scan(argument);
  } else if (verb == "REFUND-DONE") {
    orders.CompleteRefund(argument);
  } else if (verb == "REFUND-ABNORMAL") {
    orders.EndRefund(argument, "ABNORMAL");
  } else if (verb == "REFUND-CLOSE") {
    orders.EndRefund(argument, "CLOSED");
  } else if (verb == "NOT-ENOUGH") {
    orders.RefuseNextRefunds(argument == "2" ? 2 : 1);
  } else if (verb == "FAULT") {
    sb::ParseFaultAction(argument);
  } else if (verb == "TIME") {
    sb::ParseRfc3339(argument);
  } else {
    return false;
  }
  return true;
}

void Request(std::string_view text, sb::V3Api const& v3, sb::Gateway const& gateway) {
  auto& world = World();
  auto request = fuzz::ToInbound(fuzz::ParseHttpMessage(text));
  if (StartsWith(request.path, "/v3/")) {
    if (request.headers.Get("Authorization") == fuzz::kSignPlaceholder) {
      auto const now = sb::UnixSeconds(sb::SystemClock::now());
      // Refused for a method or target that cannot be signed: the placeholder then stays.
      if (auto value = world.signer.Authorization(request.method, request.target, request.body, now,
                                                  "fuzz0123456789")) {
        request.headers.Set("Authorization", *value);
      }
    }
    CheckAnswer(v3.Handle(request));
  } else if (StartsWith(request.path, sb::kFunctionsPrefix)) {
    if (request.headers.Get("Authorization") == fuzz::kTokenPlaceholder) {
      request.headers.Set("Authorization", "Bearer " + world.token);
    }
    CheckAnswer(gateway.Handle(request));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto& world = World();
  sb::OrderBook orders("", sb::TimeScale(0.001));
  sb::V3Api v3(fuzz::kSandboxAppId, fuzz::kSandboxServiceAppId,
               sb::RequestAuthenticator(fuzz::kSandboxMerchantId, fuzz::kSandboxMerchantSerial,
                                        world.public_key),
               orders, nullptr);
  sb::PayCommon pay_common(sb::PayCommonSettings{fuzz::kSandboxAppId, fuzz::kSandboxServiceAppId,
                                                 fuzz::kSandboxMerchantId, fuzz::kSandboxNotifyUrl,
                                                 fuzz::kSandboxRefundNotifyUrl},
                           v3);
  sb::Gateway gateway(fuzz::kSandboxFunction, world.tokens, pay_common);

  std::string_view input = fuzz::AsText(data, size);
  for (int step = 0; step < kMaxSteps && !input.empty(); ++step) {
    auto const end = input.find(kSeparator);
    std::string_view const text = input.substr(0, end);
    input =
        end == std::string_view::npos ? std::string_view() : input.substr(end + kSeparator.size());
    if (text.find('\n') == std::string_view::npos && Command(text, orders)) continue;
    Request(text, v3, gateway);
  }
  return 0;
}
