// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay certificates`: downloads GET /v3/certificates with the merchant's credentials
// through PlatformKeys — the download, decryption, checks and signature verification every
// client runs — and prints the platform certificates it then holds (docs/cli.md). Nothing here
// talks to the network or reads a certificate itself.

#include <ctime>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "cli.hpp"
#include "common/json_text.hpp"

namespace wechatpay::cli {
namespace {

// "2026-12-07T03:05:15Z": RFC 3339 in UTC, the form WeChat's own dates parse with.
std::string Utc(std::chrono::system_clock::time_point t) {
  std::time_t const seconds = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// The serial a client would name in Wechatpay-Serial without a public key: the certificate
// valid now with the latest not_before (KeySet::SerialToSend()'s rule for certificates).
std::string NewestSerial(std::vector<PlatformCertificate const*> const& certificates,
                         std::chrono::system_clock::time_point now) {
  PlatformCertificate const* newest = nullptr;
  for (auto const* certificate : certificates) {
    if (!certificate->ValidAt(now)) continue;
    if (newest == nullptr || certificate->not_before() > newest->not_before()) {
      newest = certificate;
    }
  }
  return newest == nullptr ? std::string() : newest->serial();
}

Status WritePem(std::string const& dir, PlatformCertificate const& certificate) {
  // The serial is hexadecimal (ReadPlatformCertificates() checked it): a safe file name.
  auto const path = (std::filesystem::path(dir) / (certificate.serial() + ".pem")).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << certificate.pem();
  out.close();
  if (!out) {
    return Status(StatusCode::kInvalidArgument, "--output-dir: cannot write " + path);
  }
  return Status();
}

}  // namespace

int RunCertificates(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"certificates", "certificates [--output-dir DIR]", {"output-dir"}, {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  auto const output_dir = args->Get("output-dir");
  if (output_dir) {
    std::error_code error;
    std::filesystem::create_directories(*output_dir, error);
    if (error || !std::filesystem::is_directory(*output_dir)) {
      return UsageError("--output-dir: cannot create the folder " + *output_dir);
    }
  }
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  // The download is the same in every mode; a public-key configuration downloads too (the
  // answer is then also verifiable with the public key), one without a public key as a
  // certificate-only merchant.
  if (config->verification_keys == VerificationKeys::kPublicKey) {
    config->verification_keys = config->wx_pay_public_key.empty()
                                    ? VerificationKeys::kPlatformCertificates
                                    : VerificationKeys::kBoth;
  }
  auto keys = PlatformKeys::Create(*config, MakeClientOptions(globals));
  if (!Check(keys, exit_code)) return exit_code;
  if (auto status = (*keys)->Refresh(); !status.ok()) return Fail(status);

  auto const now = std::chrono::system_clock::now();
  auto const set = (*keys)->holder()->Get();
  std::vector<PlatformCertificate const*> certificates;
  for (auto const& entry : set->entries()) {
    if (entry.certificate) certificates.push_back(&*entry.certificate);
  }
  auto const newest = NewestSerial(certificates, now);
  std::vector<std::string> items;
  for (auto const* certificate : certificates) {
    if (output_dir) {
      if (auto status = WritePem(*output_dir, *certificate); !status.ok()) return Fail(status);
    }
    items.push_back(internal::JsonObject()
                        .Str("serial_no", certificate->serial())
                        .Str("effective_time", Utc(certificate->not_before()))
                        .Str("expire_time", Utc(certificate->not_after()))
                        .Bool("newest", certificate->serial() == newest)
                        .Build());
  }
  PrintLine(internal::JsonObject()
                .Raw("certificates", internal::JsonArray(items))
                .Str("newest", newest)
                .Build());
  return kExitOk;
}

}  // namespace wechatpay::cli
