// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// Quick start: load the merchant configuration, create a Native order and print its code_url
// (the text to show as a QR code). Every error path ends in a message and an exit code; nothing
// throws.
//
//   quickstart CONFIG_FILE [OUT_TRADE_NO]
//
// Against the offline sandbox: `wechatpay sandbox --write-config cfg.json`, then
// `quickstart cfg.json`. Exit codes: 0 order created, 1 refused by WeChat Pay, 2 bad
// configuration or input, 3 network trouble with nothing applied, 4 outcome unknown.

#include <chrono>
#include <iostream>
#include <string>

#include <wechatpay/wechatpay.hpp>

namespace {

// An out_trade_no unique enough for a demo: "QS" and the Unix time in milliseconds.
std::string NewOutTradeNo() {
  auto const now = std::chrono::system_clock::now().time_since_epoch();
  return "QS" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

// Says what went wrong; every message names the field or WeChat's code, never a secret.
void Explain(char const* what, wechatpay::Status const& status) {
  std::cerr << what << ": " << status.ToString() << "\n";
  if (!status.info().request_id.empty()) {
    std::cerr << "  Request-ID (quote it to WeChat Pay support): " << status.info().request_id
              << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  char const* const usage =
      "usage: quickstart CONFIG_FILE [OUT_TRADE_NO]\n"
      "Creates a Native order with the configuration in CONFIG_FILE (the wechatpay CLI's JSON;\n"
      "WECHATPAY_* variables override it) and prints its code_url.\n";
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << usage;  // asked for: stdout, success
    return 0;
  }
  if (argc < 2 || argc > 3) {
    std::cerr << usage;
    return 2;
  }

  // The file's keys, then any WECHATPAY_* environment variable on top (docs/cli.md).
  wechatpay::StatusOr<wechatpay::MerchantConfig> config =
      wechatpay::LoadMerchantConfig(std::string(argv[1]));
  if (!config) {
    Explain("configuration", config.status());
    return 2;
  }

  // Keys are parsed and checked once, here: a bad key is reported now, not at the first order.
  wechatpay::StatusOr<wechatpay::NativePayClient> client =
      wechatpay::NativePayClient::Create(*config);
  if (!client) {
    Explain("client", client.status());
    return 2;
  }

  wechatpay::NativePrepayRequest order;
  order.out_trade_no = argc == 3 ? argv[2] : NewOutTradeNo();
  order.description = "Quick start - cola";
  order.amount.total = 300;  // fen: 3.00 CNY
  // appid, mchid and notify_url come from the configuration.

  wechatpay::StatusOr<wechatpay::NativePrepayResponse> placed = client->NativePrepay(order);
  if (placed) {
    std::cout << "out_trade_no " << order.out_trade_no << "\n"
              << "code_url " << placed->code_url << "\n";
    return 0;
  }

  wechatpay::Status const& status = placed.status();
  if (status.info().outcome_unknown) {
    // The request may have reached WeChat Pay. Never order again under a new out_trade_no:
    // query this one, or retry with identical parameters (WeChat answers the same code_url).
    Explain("outcome unknown, query before retrying", status);
    return 4;
  }
  switch (status.code()) {
    case wechatpay::StatusCode::kInvalidArgument:
    case wechatpay::StatusCode::kConfiguration:
      Explain("not sent, fix the input", status);  // info().field names the field
      return 2;
    case wechatpay::StatusCode::kTransport:
    case wechatpay::StatusCode::kDeadlineExceeded:
      Explain("not applied, safe to retry later", status);
      return 3;
    default:
      // kServiceError (WeChat's code and message), kVerificationFailed (an answer that failed
      // its signature check: never trust it), kUnauthenticated, kMalformedResponse, ...
      Explain("refused", status);
      return 1;
  }
}
