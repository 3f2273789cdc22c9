// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The protocol tools: sign, verify, decrypt. Each needs only the settings it uses.

#include <algorithm>
#include <chrono>
#include <iostream>
#include <iterator>

#include "cli.hpp"
#include "common/base64.hpp"
#include "common/nonce.hpp"
#include "common/url.hpp"

namespace wechatpay::cli {
namespace {

// The methods of API v3. The library signs any upper-case token (HTTP allows extension
// methods), but a person typing `--method get` or `--method GTE` means one of these.
constexpr char const* kHttpMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

// The request target to sign: --url as given when it starts with '/', or the path and query of
// a full http(s) URL pasted from a log or the documentation.
StatusOr<std::string> SignedTarget(std::string const& url) {
  if (!url.empty() && url.front() == '/') return url;
  auto parsed = internal::ParseUrl(url);
  if (!parsed) {
    return Status(StatusCode::kInvalidArgument,
                  "--url must be a request target starting with '/' (path and query) or a full "
                  "https:// URL, " +
                      internal::UrlForMessage(url));
  }
  if (parsed->has_fragment) {
    return Status(StatusCode::kInvalidArgument,
                  "--url must not have a #fragment: it is never sent, so it cannot be signed");
  }
  return parsed->target;
}

// AEAD_AES_256_GCM's nonce: 12 bytes, as WeChat sends it (docs/protocol.md, "Notifications").
constexpr std::size_t kAeadNonceBytes = 12;
// Its authentication tag, which ends every ciphertext.
constexpr std::size_t kAeadTagBytes = 16;

}  // namespace

int RunSign(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "sign",
      "sign --method METHOD --url PATH_AND_QUERY|URL [--body TEXT | --body-file FILE] "
      "[--timestamp SECONDS] [--nonce TEXT]",
      {"method", "url", "body", "body-file", "timestamp", "nonce"},
      {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  auto method = Required(*args, "method");
  if (!Check(method, exit_code)) return exit_code;
  if (std::find(std::begin(kHttpMethods), std::end(kHttpMethods), *method) ==
      std::end(kHttpMethods)) {
    return UsageError("--method must be GET, POST, PUT, PATCH or DELETE, in capitals as sent");
  }
  auto url_text = Required(*args, "url");
  if (!Check(url_text, exit_code)) return exit_code;
  auto url = SignedTarget(*url_text);
  if (!Check(url, exit_code)) return exit_code;
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
  // The shape of what was typed or pasted is bad input (exit 2); only a ciphertext that does
  // not authenticate under this key, nonce and associated data is a decryption failure (3).
  if (nonce->size() != kAeadNonceBytes) {
    return UsageError("--nonce must be the 12 characters of the resource's nonce (got " +
                      std::to_string(nonce->size()) + ")");
  }
  auto decoded = internal::Base64Decode(*ciphertext);
  if (!decoded || decoded->size() < kAeadTagBytes) {
    return UsageError(
        "--ciphertext must be the resource's ciphertext: standard Base64 of at least the 16-byte "
        "tag");
  }
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
