// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay`: sign and verify by hand, check captured callbacks, and call the Native payment
// API from a shell. Documented in docs/cli.md.

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "help.hpp"

namespace {

using wechatpay::cli::CommandFn;
using wechatpay::cli::GlobalOptions;

struct Command {
  char const* name;
  CommandFn run;
};

int RunHelp(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunVersion(std::vector<std::string> const& argv, GlobalOptions& globals);

// What each command does and accepts is in the help table (help_table.cpp).
constexpr Command kCommands[] = {
    {"help", RunHelp},
    {"version", RunVersion},
    {"sign", wechatpay::cli::RunSign},
    {"verify", wechatpay::cli::RunVerify},
    {"decrypt", wechatpay::cli::RunDecrypt},
    {"notify", wechatpay::cli::RunNotify},
    {"certificates", wechatpay::cli::RunCertificates},
    {"order", wechatpay::cli::RunOrder},
    {"query", wechatpay::cli::RunQuery},
    {"close", wechatpay::cli::RunClose},
    {"refund", wechatpay::cli::RunRefund},
    {"refund-query", wechatpay::cli::RunRefundQuery},
    {"bill", wechatpay::cli::RunBill},
    {"request", wechatpay::cli::RunRequest},
#ifdef WECHATPAY_HAS_SANDBOX
    {"sandbox", wechatpay::cli::RunSandbox},
#endif
    {"qr", wechatpay::cli::RunQr},
    {"watch", wechatpay::cli::RunWatch},
    {"checkout", wechatpay::cli::RunCheckout},
    {"ledger", wechatpay::cli::RunLedger},
    {"reconcile", wechatpay::cli::RunReconcile},
#ifdef WECHATPAY_HAS_SANDBOX
    {"demo", wechatpay::cli::RunDemo},
#endif
};

std::string Overview() {
  std::vector<std::string_view> names;
  for (auto const& command : kCommands) names.emplace_back(command.name);
  return wechatpay::cli::RenderOverview(names);
}

// `help [COMMAND [SUBCOMMAND]]`: the overview, or the same text as `COMMAND [SUBCOMMAND] --help`.
int RunHelp(std::vector<std::string> const& argv, GlobalOptions&) {
  std::string name;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") {
      name = "help";
      break;
    }
    // Global options (help takes no other), e.g. `wechatpay --config cfg.json help order`.
    if (argv[i].rfind("--", 0) == 0 && wechatpay::cli::IsGlobalValueOption(argv[i].substr(2))) {
      ++i;
      continue;
    }
    if (argv[i].rfind("--", 0) == 0) continue;
    name += (name.empty() ? "" : " ") + argv[i];
  }
  if (name.empty()) {
    std::cout << Overview();
    return wechatpay::cli::kExitOk;
  }
  auto const* entry = wechatpay::cli::FindCommandHelp(name);
  if (entry == nullptr || *entry->name == '\0') {
    return wechatpay::cli::UsageError("no command '" + name + "' (see wechatpay help)");
  }
  std::cout << wechatpay::cli::RenderCommandHelp(*entry);
  return wechatpay::cli::kExitOk;
}

// `version` and `--version`: the library's version first (scripts read the first line), then
// what a bug report needs: the OpenSSL and libcurl the library runs with, and the optional
// components compiled into this tool.
int RunVersion(std::vector<std::string> const& argv, GlobalOptions& globals) {
  if (wechatpay::cli::HelpRequested(argv)) return RunHelp({"version"}, globals);
  struct Component {
    char const* name;
    bool built;
  };
  constexpr Component kComponents[] = {
#ifdef WECHATPAY_HAS_QR
      {"qr", true},
#else
      {"qr", false},
#endif
#ifdef WECHATPAY_HAS_SANDBOX
      {"sandbox", true},
#else
      {"sandbox", false},
#endif
#ifdef WECHATPAY_HAS_LEDGER
      {"ledger", true},
#else
      {"ledger", false},
#endif
#ifdef WECHATPAY_HAS_POSTGRES
      {"postgres", true},
#else
      {"postgres", false},
#endif
  };
  std::cout << "wechatpay " << wechatpay::VersionString() << "\n"
            << "openssl: " << wechatpay::OpenSslVersion() << "\n"
            << "libcurl: " << wechatpay::CurlVersion() << "\n"
            << "components:";
  for (auto const& component : kComponents) {
    std::cout << " " << component.name << (component.built ? "=yes" : "=no");
  }
  std::cout << std::endl;
  return wechatpay::cli::kExitOk;
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
      std::cout << Overview();
      return 0;
    }
    if (args[i] == "--version") return RunVersion({}, globals);
    leading.push_back(args[i]);
    bool const takes_value = wechatpay::cli::IsGlobalValueOption(args[i].substr(2));
    if (takes_value && i + 1 < args.size()) leading.push_back(args[++i]);
    ++i;
  }
  if (i >= args.size()) {
    std::cout << Overview();
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
