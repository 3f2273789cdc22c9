// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay qr`: renders a text (a code_url) byte for byte as a QR code, to the terminal, SVG
// or PNG. Needs the optional wechatpay::qr library; without it the command says so.

#include <fstream>
#include <iostream>

#include "cli.hpp"

#if defined(WECHATPAY_HAS_QR)
#include "wechatpay/qr.hpp"
#endif

namespace wechatpay::cli {
namespace {

#if defined(WECHATPAY_HAS_QR)

// At most this much is read from --text-file (a QR code holds at most 2953 bytes): `yes |
// wechatpay qr --text-file -` must not fill the memory.
constexpr std::size_t kMaxTextFileBytes = 64 * 1024;

// Up to kMaxTextFileBytes + 1 bytes of `in`: one more than allowed tells that it is too long.
std::string ReadBounded(std::istream& in) {
  std::string bytes(kMaxTextFileBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

// The text from --text or --text-file (exact bytes: a trailing newline is kept unless
// --strip-newline drops one). FILE "-" is stdin, so that `... | wechatpay qr --text-file -` works.
bool ReadText(Args const& args, std::string& text, int& exit_code) {
  auto inline_text = args.Get("text");
  auto file = args.Get("text-file");
  if (inline_text.has_value() == file.has_value()) {
    exit_code = UsageError("give exactly one of --text and --text-file");
    return false;
  }
  if (inline_text) {
    text = *inline_text;
  } else if (*file == "-") {
    text = ReadBounded(std::cin);
  } else {
    std::ifstream in(*file, std::ios::binary);
    if (!in) {
      exit_code = UsageError("--text-file: cannot read " + *file);
      return false;
    }
    text = ReadBounded(in);
  }
  if (text.size() > kMaxTextFileBytes) {
    exit_code = UsageError("--text-file: more than " + std::to_string(kMaxTextFileBytes) +
                           " bytes (a QR code holds at most 2953)");
    return false;
  }
  // One line ending: "\n", or "\r\n" as a whole.
  auto const line_ending = [&text] {
    if (text.size() >= 2 && text.compare(text.size() - 2, 2, "\r\n") == 0) return std::size_t{2};
    return std::size_t{!text.empty() && text.back() == '\n' ? 1u : 0u};
  };
  if (args.Has("strip-newline")) text.resize(text.size() - line_ending());
  // A code_url is encoded byte for byte, so a newline becomes part of it: the payer's WeChat
  // then sees another URL. It is nearly always `echo` or a file editor, not intended.
  if (line_ending() != 0) {
    std::cerr << "wechatpay: warning: the text ends with a newline, which is encoded too (the QR "
                 "code is not of the code_url alone); --strip-newline drops one"
              << std::endl;
  }
  return true;
}

bool ReadOptions(Args const& args, QrOptions& options, int& exit_code) {
  if (auto level = args.Get("ec-level")) {
    if (*level == "L" || *level == "l") {
      options.error_correction = QrErrorCorrection::kLow;
    } else if (*level == "M" || *level == "m") {
      options.error_correction = QrErrorCorrection::kMedium;
    } else if (*level == "Q" || *level == "q") {
      options.error_correction = QrErrorCorrection::kQuartile;
    } else if (*level == "H" || *level == "h") {
      options.error_correction = QrErrorCorrection::kHigh;
    } else {
      exit_code = UsageError("--ec-level must be L, M, Q or H (got '" + *level + "')");
      return false;
    }
  }
  // Range checks are the library's (kInvalidArgument naming the option, exit 2).
  for (auto const& [name, target] : {std::pair<char const*, int*>{"size", &options.module_size},
                                     {"quiet-zone", &options.quiet_zone}}) {
    auto text = args.Get(name);
    if (!text) continue;
    auto value = ParseIntegerOption(name, *text);
    if (!Check(value, exit_code)) return false;
    if (*value < -1000000 || *value > 1000000) {
      exit_code = UsageError(std::string("--") + name + " is out of range");
      return false;
    }
    *target = static_cast<int>(*value);
  }
  if (auto colors = args.Get("terminal-colors")) {
    if (*colors == "light-on-dark") {
      options.terminal_colors = QrTerminalColors::kLightOnDark;
    } else if (*colors == "dark-on-light") {
      options.terminal_colors = QrTerminalColors::kDarkOnLight;
    } else {
      exit_code = UsageError("--terminal-colors must be light-on-dark or dark-on-light (got '" +
                             *colors + "')");
      return false;
    }
  }
  return true;
}

int Write(std::optional<std::string> const& output, std::string const& bytes) {
  if (!output) {
    std::cout << bytes << std::flush;
    return kExitOk;
  }
  std::ofstream out(*output, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return UsageError("--output: cannot write " + *output);
  return kExitOk;
}

#endif  // WECHATPAY_HAS_QR

}  // namespace

int RunQr(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "qr",
      "qr (--text TEXT | --text-file FILE) [--strip-newline] [--format terminal|svg|png] "
      "[--output FILE] [--ec-level L|M|Q|H] [--size PIXELS_PER_MODULE] [--quiet-zone MODULES] "
      "[--terminal-colors light-on-dark|dark-on-light]",
      {"text", "text-file", "format", "output", "ec-level", "size", "quiet-zone",
       "terminal-colors"},
      {"strip-newline"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
#if defined(WECHATPAY_HAS_QR)
  std::string text;
  if (!ReadText(*args, text, exit_code)) return exit_code;
  QrOptions options;
  if (!ReadOptions(*args, options, exit_code)) return exit_code;
  std::string const format = args->Get("format").value_or("terminal");
  auto const output = args->Get("output");
  StatusOr<std::string> rendered = Status(StatusCode::kInternal, "not rendered");
  if (format == "terminal") {
    rendered = RenderQrTerminal(text, options);
  } else if (format == "svg") {
    rendered = RenderQrSvg(text, options);
  } else if (format == "png") {
    // Binary data on a terminal helps nobody.
    if (!output) return UsageError("--format png needs --output FILE");
    rendered = RenderQrPng(text, options);
  } else {
    return UsageError("--format must be terminal, svg or png (got '" + format + "')");
  }
  if (!rendered) return Fail(rendered.status());
  return Write(output, *rendered);
#else
  return UsageError(
      "this wechatpay was built without QR support (CMake option WECHATPAY_WITH_QR, which needs "
      "libqrencode and libpng: on Debian install libqrencode-dev and libpng-dev and rebuild)");
#endif
}

}  // namespace wechatpay::cli
