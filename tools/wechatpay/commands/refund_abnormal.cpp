// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay refund abnormal`: apply for the payout of a refund that ended ABNORMAL. The
// payer's card number and name are personal data: they are read from files (or stdin), never
// from the command line, where `ps` and the shell history would show them to anyone, and the
// memory that held them is wiped once the request is sent.

#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "common/file_path.hpp"
#include "common/wipe.hpp"

namespace wechatpay::cli {
namespace {

// A card number or a name is a few dozen bytes; a bigger file is the wrong file.
constexpr std::size_t kMaxSecretFileBytes = 4096;

// The secret in the file named by --`option` ("-": stdin), without one trailing "\n" or
// "\r\n". Errors name the option and the problem, never the contents.
bool ReadSecretFile(Args const& args, std::string const& option, std::optional<std::string>& out,
                    int& exit_code) {
  auto path = args.Get(option);
  if (!path) return true;
  internal::WipedString secret;
  if (*path == "-") {
    secret.value.assign(kMaxSecretFileBytes + 1, '\0');
    std::cin.read(secret.value.data(), static_cast<std::streamsize>(secret.value.size()));
    secret.value.resize(static_cast<std::size_t>(std::cin.gcount()));
    if (secret.value.size() > kMaxSecretFileBytes) {
      exit_code = UsageError("--" + option + ": stdin holds more than " +
                             std::to_string(kMaxSecretFileBytes) + " bytes");
      return false;
    }
  } else {
    auto contents = internal::ReadWholeFile(*path, kMaxSecretFileBytes);
    // Copied, then wiped: a moved short string leaves its bytes behind in the source.
    secret.Reset(contents.text);
    internal::Wipe(contents.text);
    if (contents.problem != internal::FileProblem::kNone) {
      exit_code = UsageError("--" + option + ": the file " +
                             std::string(internal::DescribeFileProblem(contents.problem)));
      return false;
    }
  }
  std::string& text = secret.value;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  out = text;  // `secret` wipes its copy on return
  return true;
}

}  // namespace

int RunRefundAbnormal(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "refund abnormal",
      "refund abnormal --refund-id ID --out-refund-no R --type T [--bank-type "
      "B --bank-account-file F --real-name-file F]",
      {"refund-id", "out-refund-no", "type", "bank-type", "bank-account-file", "real-name-file"},
      {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  if (args->Get("bank-account-file") == std::optional<std::string>("-") &&
      args->Get("real-name-file") == std::optional<std::string>("-")) {
    return UsageError("--bank-account-file and --real-name-file cannot both read stdin");
  }
  ApplyAbnormalRefundRequest request;
  for (auto [option, field] :
       {std::pair{"refund-id", &request.refund_id},
        std::pair{"out-refund-no", &request.out_refund_no}, std::pair{"type", &request.type}}) {
    auto value = Required(*args, option);
    if (!Check(value, exit_code)) return exit_code;
    *field = *value;
  }
  request.bank_type = args->Get("bank-type");
  // The plaintext lives in the request until the call returns, then is wiped.
  struct WipeOnExit {
    ApplyAbnormalRefundRequest& request;
    ~WipeOnExit() {
      if (request.bank_account) internal::Wipe(*request.bank_account);
      if (request.real_name) internal::Wipe(*request.real_name);
    }
  } wipe{request};
  if (!ReadSecretFile(*args, "bank-account-file", request.bank_account, exit_code) ||
      !ReadSecretFile(*args, "real-name-file", request.real_name, exit_code)) {
    return exit_code;
  }
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto client = MakeApiClient(*config, globals);
  if (!Check(client, exit_code)) return exit_code;
  auto refund = client->ApplyAbnormalRefund(request);
  if (!refund) return Fail(refund.status());
  PrintLine(refund->raw_json);
  return kExitOk;
}

}  // namespace wechatpay::cli
