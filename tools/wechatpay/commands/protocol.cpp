// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The protocol tools: sign, verify, decrypt. Each needs only the settings it uses.

#include <chrono>
#include <iostream>

#include "cli.hpp"
#include "common/nonce.hpp"

namespace wechatpay::cli {

int RunSign(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "sign",
      "sign --method METHOD --url PATH_AND_QUERY [--body TEXT | --body-file FILE] "
      "[--timestamp SECONDS] [--nonce TEXT]",
      {"method", "url", "body", "body-file", "timestamp", "nonce"},
      {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  auto method = Required(*args, "method");
  if (!Check(method, exit_code)) return exit_code;
  auto url = Required(*args, "url");
  if (!Check(url, exit_code)) return exit_code;
  if (url->empty() || url->front() != '/') {
    return UsageError("--url must be the request target, a path starting with '/' plus any query");
  }
  auto body = ReadBody(*args);
  if (!Check(body, exit_code)) return exit_code;
  std::int64_t timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  if (auto text = args->Get("timestamp")) {
    auto parsed = ParseIntegerOption("timestamp", *text);
    if (!Check(parsed, exit_code)) return exit_code;
    if (*parsed < 0) return UsageError("--timestamp must not be negative");
    timestamp = *parsed;
  }
  std::string nonce = args->Get("nonce").value_or(internal::GenerateNonce());
  if (nonce.empty()) return UsageError("--nonce must not be empty");

  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto signer = MakeRequestSigner(*config);
  if (!Check(signer, exit_code)) return exit_code;
  auto authorization = signer->Authorization(*method, *url, *body, timestamp, nonce);
  if (!Check(authorization, exit_code)) return exit_code;
  PrintLine(*authorization);
  return kExitOk;
}

int RunVerify(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"verify",
                         "verify --timestamp T --nonce N --signature S --serial SERIAL "
                         "[--body TEXT | --body-file FILE] [--now SECONDS] "
                         "[--platform-certificates FILE|DIR]",
                         {"timestamp", "nonce", "signature", "serial", "body", "body-file", "now",
                          "platform-certificates"},
                         {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  SignatureHeaders headers;
  for (auto [name, out] : {std::pair<char const*, std::string*>{"timestamp", &headers.timestamp},
                           {"nonce", &headers.nonce},
                           {"signature", &headers.signature},
                           {"serial", &headers.serial}}) {
    auto value = Required(*args, name);
    if (!Check(value, exit_code)) return exit_code;
    *out = *std::move(value);
  }
  auto body = ReadBody(*args);
  if (!Check(body, exit_code)) return exit_code;
  auto now = std::chrono::system_clock::now();
  if (auto text = args->Get("now")) {
    auto parsed = ParseIntegerOption("now", *text);
    if (!Check(parsed, exit_code)) return exit_code;
    now = std::chrono::system_clock::time_point(std::chrono::seconds(*parsed));
  }
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  ApplyPlatformCertificatesOption(*args, *config);
  auto verifier = MakeCliVerifier(*config, globals);
  if (!Check(verifier, exit_code)) return exit_code;
  auto status = verifier->Verify(headers, *body, now);
  if (!status.ok()) return Fail(status);
  PrintLine("ok");
  return kExitOk;
}

int RunDecrypt(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"decrypt",
                         "decrypt --nonce N --associated-data AD --ciphertext BASE64",
                         {"nonce", "associated-data", "ciphertext"},
                         {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  auto nonce = Required(*args, "nonce");
  if (!Check(nonce, exit_code)) return exit_code;
  // associated_data may legitimately be empty, but the option must be given explicitly.
  auto associated_data = Required(*args, "associated-data");
  if (!Check(associated_data, exit_code)) return exit_code;
  auto ciphertext = Required(*args, "ciphertext");
  if (!Check(ciphertext, exit_code)) return exit_code;
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto cipher = MakeAesGcmCipher(*config);
  if (!Check(cipher, exit_code)) return exit_code;
  auto plaintext = cipher->Decrypt(*nonce, *associated_data, *ciphertext);
  if (!Check(plaintext, exit_code)) return exit_code;
  std::cout.write(plaintext->data(), static_cast<std::streamsize>(plaintext->size()));
  std::cout.flush();
  return kExitOk;
}

}  // namespace wechatpay::cli
