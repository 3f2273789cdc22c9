// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay notify`: verifies and decrypts a captured callback with NotificationParser, the
// same code a merchant's server runs.
//
// Exit codes: 2 for usage and configuration problems (unreadable files, a headers file that is
// not `Name: value` lines, a missing or invalid apiV3Key / wxPayPublicKey); 3 for every way the
// notification itself is refused — signature checks, decryption, and also the size limit, the
// envelope and the plaintext (kMalformedResponse in the library): from the user's point of view
// they all mean "this is not a notification to act on".

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "common/json_text.hpp"

namespace wechatpay::cli {
namespace {

bool IsTokenChar(char c) {
  // RFC 9110 tchar.
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsRequestLine(std::string_view line) {
  // "POST /wechatpay/notify HTTP/1.1"
  auto const space = line.find(' ');
  return space != std::string_view::npos && space > 0 &&
         line.find(" HTTP/", space) != std::string_view::npos;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `Name: value` lines; an HTTP request line first is skipped, and an empty line after the
// fields ends them (so a whole captured request head works).
StatusOr<HttpHeaders> ParseHeadersFile(std::string const& text) {
  HttpHeaders headers;
  std::size_t pos = 0;
  int line_number = 0;
  bool started = false;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (started) break;
      continue;
    }
    if (!started && IsRequestLine(line)) {
      started = true;
      continue;
    }
    started = true;
    auto const colon = line.find(':');
    std::string_view const name = line.substr(0, colon);
    bool valid = colon != std::string_view::npos && !name.empty();
    for (char c : name) valid = valid && IsTokenChar(c);
    if (!valid) {
      return Status(StatusCode::kInvalidArgument, "--headers-file: line " +
                                                      std::to_string(line_number) +
                                                      " is not a 'Name: value' header line");
    }
    headers.Add(std::string(name), std::string(TrimSpaces(line.substr(colon + 1))));
  }
  return headers;
}

StatusOr<std::string> ReadWholeFile(std::string const& option, std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kInvalidArgument, "--" + option + ": cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The configured keys, or (a certificate mode without local certificates) PlatformKeys'
// verifier that downloads the certificates the callback names.
StatusOr<NotificationParser> MakeParser(MerchantConfig const& config, GlobalOptions const& globals,
                                        NotificationParserOptions options) {
  if (!DownloadsCertificates(config)) return MakeNotificationParser(config, std::move(options));
  auto cipher = MakeAesGcmCipher(config);
  if (!cipher) return cipher.status();
  auto verifier = MakeCliVerifier(config, globals);
  if (!verifier) return verifier.status();
  return NotificationParser::Create(*std::move(verifier), *std::move(cipher), std::move(options));
}

}  // namespace

int RunNotify(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"notify",
                         "notify --headers-file FILE --body-file FILE [--now SECONDS] "
                         "[--platform-certificates FILE|DIR]",
                         {"headers-file", "body-file", "now", "platform-certificates"},
                         {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  auto headers_path = Required(*args, "headers-file");
  if (!Check(headers_path, exit_code)) return exit_code;
  auto body_path = Required(*args, "body-file");
  if (!Check(body_path, exit_code)) return exit_code;
  auto headers_text = ReadWholeFile("headers-file", *headers_path);
  if (!Check(headers_text, exit_code)) return exit_code;
  auto headers = ParseHeadersFile(*headers_text);
  if (!Check(headers, exit_code)) return exit_code;
  // The exact bytes: the signature covers them, so nothing may be trimmed or converted.
  auto body = ReadWholeFile("body-file", *body_path);
  if (!Check(body, exit_code)) return exit_code;

  NotificationParserOptions options;
  if (auto text = args->Get("now")) {
    auto parsed = ParseIntegerOption("now", *text);
    if (!Check(parsed, exit_code)) return exit_code;
    auto const now = std::chrono::system_clock::time_point(std::chrono::seconds(*parsed));
    options.clock = [now] { return now; };
  }
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  ApplyPlatformCertificatesOption(*args, *config);
  auto parser = MakeParser(*config, globals, std::move(options));
  if (!Check(parser, exit_code)) return exit_code;

  auto notification = parser->Parse(*headers, *body);
  if (!notification) {
    Fail(notification.status());
    auto const code = notification.status().code();
    bool const refused = code == StatusCode::kVerificationFailed ||
                         code == StatusCode::kDecryptionFailed ||
                         code == StatusCode::kMalformedResponse;
    return refused ? kExitVerification : ExitCodeFor(notification.status());
  }

  // The parser has checked that the plaintext is one UTF-8 JSON object: embed it unchanged.
  PrintLine(internal::JsonObject()
                .Str("id", notification->id)
                .Str("create_time", notification->create_time)
                .Str("event_type", notification->event_type)
                .Str("resource_type", notification->resource_type)
                .Str("summary", notification->summary)
                .Raw("resource", notification->plaintext)
                .Build());
  return kExitOk;
}

}  // namespace wechatpay::cli
