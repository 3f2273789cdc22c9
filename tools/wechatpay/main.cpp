// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay`: sign and verify by hand, check captured callbacks, and call the Native payment
// API from a shell. Documented in docs/cli.md.

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace {

using wechatpay::cli::CommandFn;
using wechatpay::cli::GlobalOptions;

struct Command {
  char const* name;
  CommandFn run;
  char const* summary;
};

constexpr Command kCommands[] = {
    {"sign", wechatpay::cli::RunSign, "print the Authorization header of a request"},
    {"verify", wechatpay::cli::RunVerify, "check a response or notification signature"},
    {"decrypt", wechatpay::cli::RunDecrypt,
     "decrypt an AEAD_AES_256_GCM resource with the APIv3 key"},
    {"notify", wechatpay::cli::RunNotify, "verify and decrypt a captured callback"},
    {"certificates", wechatpay::cli::RunCertificates,
     "download, verify and print the platform certificates"},
    {"order", wechatpay::cli::RunOrder, "create a Native order and print its code_url"},
    {"query", wechatpay::cli::RunQuery, "query an order by out_trade_no or transaction_id"},
    {"close", wechatpay::cli::RunClose, "close an unpaid order"},
    {"refund", wechatpay::cli::RunRefund,
     "refund an order; refund abnormal: pay out an ABNORMAL one"},
    {"refund-query", wechatpay::cli::RunRefundQuery, "query a refund"},
#ifdef WECHATPAY_HAS_SANDBOX
    {"sandbox", wechatpay::cli::RunSandbox, "run the local WeChat Pay v3 + CloudBase emulator"},
#endif
    {"qr", wechatpay::cli::RunQr, "render a text (code_url) byte for byte as a QR code"},
    {"watch", wechatpay::cli::RunWatch, "wait for an order's terminal trade state"},
    {"checkout", wechatpay::cli::RunCheckout, "order, show the QR code, wait for the payment"},
    {"ledger", wechatpay::cli::RunLedger, "list the ledger's orders, show one with its history"},
    {"reconcile", wechatpay::cli::RunReconcile,
     "settle the ledger with WeChat: query, close, follow refunds"},
#ifdef WECHATPAY_HAS_SANDBOX
    {"demo", wechatpay::cli::RunDemo, "the whole Native flow offline against an embedded sandbox"},
#endif
};

void PrintHelp() {
  std::cout
      << "usage: wechatpay [--config FILE] [--timeout SECONDS] [--verbose] COMMAND [OPTIONS]\n\n"
         "WeChat Pay API v3 Native payments from the command line (wechatpay-cpp "
      << wechatpay::VersionString() << ").\n\nCommands:\n";
  for (auto const& command : kCommands) {
    std::cout << "  " << command.name << std::string(14 - std::strlen(command.name), ' ')
              << command.summary << "\n";
  }
  std::cout
      << "\nGlobal options:\n"
         "  --config FILE       JSON configuration (appId, merchantId, apiV3Key, "
         "merchantSerialNumber,\n"
         "                      privateKey, wxPayPublicKey, wxPayPublicKeyId, notifyUrl, "
         "allowHttpNotifyUrl,\n"
         "                      baseUrl, caFile);\n"
         "                      WECHATPAY_* environment variables override it\n"
         "  --timeout SECONDS   time allowed for a whole request\n"
         "  --verbose           request line, status and Request-ID to stderr (never a secret)\n"
         "  --json-errors       each error as one JSON object on stderr instead of a line\n\n"
         "Exit codes: 0 success, 1 service error or unpaid order, 2 bad usage/input/configuration\n"
         "(nothing sent), 3 verification failed, 4 transport failure, 5 not authorized by the\n"
         "CloudBase gateway, 6 outcome unknown (query before retrying), 130 interrupted (SIGINT).\n"
         "Run 'wechatpay COMMAND --help' for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  GlobalOptions globals;
  // Anywhere on the line, and before anything is parsed: a usage error must already be JSON.
  for (auto const& arg : args) {
    if (arg == "--json-errors") wechatpay::cli::SetJsonErrors(true);
  }
  // Global options may come before the command; ParseArgs accepts them after it too.
  std::size_t i = 0;
  std::vector<std::string> leading;
  while (i < args.size() && args[i].rfind("--", 0) == 0) {
    if (args[i] == "--help" || args[i] == "-h") {
      PrintHelp();
      return 0;
    }
    if (args[i] == "--version") {
      std::cout << "wechatpay " << wechatpay::VersionString() << "\n";
      return 0;
    }
    leading.push_back(args[i]);
    bool takes_value = (args[i] == "--config" || args[i] == "--timeout");
    if (takes_value && i + 1 < args.size()) leading.push_back(args[++i]);
    ++i;
  }
  if (i >= args.size()) {
    PrintHelp();
    return wechatpay::cli::kExitUsage;
  }
  std::string const name = args[i];
  std::vector<std::string> rest(leading);
  rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  for (auto const& command : kCommands) {
    if (name == command.name) {
      try {
        return command.run(rest, globals);
      } catch (std::exception const& e) {
        // The library does not throw; this guards the tool's own code paths.
        std::cerr << "error: internal failure: " << e.what() << std::endl;
        return wechatpay::cli::kExitServiceError;
      }
    }
  }
  return wechatpay::cli::UsageError("unknown command '" + name + "' (see wechatpay --help)");
}
