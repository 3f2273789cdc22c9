// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay bill trade|fundflow`: apply for a day's bill and download it at once (its URL
// expires within seconds), digest-checked. Nothing of a bill is printed or kept before its
// SHA-1 matched the signed answer: with --output the file appears only then (the library's
// temporary file and rename), and without it the bill is downloaded into a temporary file and
// copied to stdout afterwards.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "cli.hpp"
#include "common/nonce.hpp"
#include "help.hpp"

namespace wechatpay::cli {
namespace {

// Copies the verified bill at `path` to stdout.
Status CopyToStdout(std::filesystem::path const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kInternal, "cannot read back the downloaded bill");
  std::cout << in.rdbuf();
  std::cout.flush();
  if (!std::cout) return Status(StatusCode::kInternal, "writing the bill to stdout failed");
  return Status();
}

// Downloads into `output`, or through a temporary file to stdout.
int Download(NativePayClient const& client, BillDownloadInfo const& info,
             std::optional<std::string> const& output) {
  if (output) {
    auto written = client.DownloadBillToFile(info, *output);
    if (!written) return Fail(written.status());
    std::cerr << "wrote " << written->bill_bytes << " bytes to " << *output << " (SHA-1 verified, "
              << written->downloaded_bytes << " bytes downloaded)" << std::endl;
    return kExitOk;
  }
  std::error_code ec;
  auto const folder = std::filesystem::temp_directory_path(ec);
  if (ec) return Fail(Status(StatusCode::kInternal, "no temporary folder: " + ec.message()));
  auto const temporary = folder / ("wechatpay-bill-" + internal::GenerateNonce() + ".csv");
  auto written = client.DownloadBillToFile(info, temporary.string());
  if (!written) return Fail(written.status());
  auto copied = CopyToStdout(temporary);
  std::filesystem::remove(temporary, ec);
  if (!copied.ok()) return Fail(copied);
  return kExitOk;
}

int RunTrade(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"bill trade",
                         "bill trade --date YYYY-MM-DD [--type T] [--gzip] [--output FILE]",
                         {"date", "type", "output"},
                         {"gzip"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  auto args = ParseArgs(spec, argv, globals);
  int exit_code = 0;
  if (!Check(args, exit_code)) return exit_code;
  TradeBillRequest request;
  auto date = Required(*args, "date");
  if (!Check(date, exit_code)) return exit_code;
  request.bill_date = *date;
  request.bill_type = args->Get("type");
  if (args->Has("gzip")) request.tar_type = "GZIP";
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto client = MakeApiClient(*config, globals);
  if (!Check(client, exit_code)) return exit_code;
  auto info = client->TradeBill(request);
  if (!info) return Fail(info.status());
  return Download(*client, *info, args->Get("output"));
}

int RunFundFlow(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "bill fundflow",
      "bill fundflow --date YYYY-MM-DD [--account-type A] [--gzip] [--output FILE]",
      {"date", "account-type", "output"},
      {"gzip"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  auto args = ParseArgs(spec, argv, globals);
  int exit_code = 0;
  if (!Check(args, exit_code)) return exit_code;
  FundFlowBillRequest request;
  auto date = Required(*args, "date");
  if (!Check(date, exit_code)) return exit_code;
  request.bill_date = *date;
  request.account_type = args->Get("account-type");
  if (args->Has("gzip")) request.tar_type = "GZIP";
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto client = MakeApiClient(*config, globals);
  if (!Check(client, exit_code)) return exit_code;
  auto info = client->FundFlowBill(request);
  if (!info) return Fail(info.status());
  return Download(*client, *info, args->Get("output"));
}

}  // namespace

int RunBill(std::vector<std::string> const& argv, GlobalOptions& globals) {
  // The group's help (help_table.cpp) lists the subcommands.
  auto const usage = [] { std::cout << RenderCommandHelp(*FindCommandHelp("bill")); };
  std::vector<std::string> rest = argv;
  auto const command = TakeWord(rest, {"date", "type", "account-type", "output"});
  if (!command) {  // `bill`, `bill --help` (global options may come first)
    usage();
    return HelpRequested(argv) ? kExitOk : kExitUsage;
  }
  if (*command == "trade") return RunTrade(rest, globals);
  if (*command == "fundflow") return RunFundFlow(rest, globals);
  return UsageError("unknown bill command '" + *command + "' (trade or fundflow)");
}

}  // namespace wechatpay::cli
