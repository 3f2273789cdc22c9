// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli.hpp"

namespace wechatpay::cli {
namespace {

Status Usage(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

bool Contains(std::vector<std::string> const& list, std::string const& name) {
  for (auto const& item : list) {
    if (item == name) return true;
  }
  return false;
}

}  // namespace

int ExitCodeFor(Status const& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kConfiguration:
      return kExitUsage;
    case StatusCode::kVerificationFailed:
    case StatusCode::kDecryptionFailed:
      return kExitVerification;
    case StatusCode::kTransport:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kUnavailable:  // the ledger's database could not be reached
      return kExitTransport;
    case StatusCode::kUnauthenticated:
      return kExitUnauthenticated;
    case StatusCode::kServiceError:
    case StatusCode::kMalformedResponse:
    case StatusCode::kCancelled:
    case StatusCode::kInternal:
    case StatusCode::kUnimplemented:
    case StatusCode::kAborted:
    case StatusCode::kAlreadyExists:
      return kExitServiceError;
  }
  return kExitServiceError;
}

int Fail(Status const& status) {
  std::string line = "error: " + status.message();
  auto const& info = status.info();
  std::string facts;
  if (info.http_status != 0) facts += "HTTP " + std::to_string(info.http_status);
  if (!info.request_id.empty())
    facts += (facts.empty() ? "" : ", ") + std::string("Request-ID ") + info.request_id;
  if (!facts.empty()) line += " (" + facts + ")";
  std::cerr << line << std::endl;
  return ExitCodeFor(status);
}

int UsageError(std::string const& message) {
  std::cerr << "error: " << message << std::endl;
  return kExitUsage;
}

std::optional<std::string> Args::Get(std::string const& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

StatusOr<Args> ParseArgs(CommandSpec const& spec, std::vector<std::string> const& argv,
                         GlobalOptions& globals) {
  Args args;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string const& arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      return Usage("unexpected argument '" + arg + "' for " + spec.name + " (see wechatpay " +
                   spec.name + " --help)");
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    bool const is_flag = Contains(spec.flag_options, name) || name == "verbose";
    bool const is_value =
        Contains(spec.value_options, name) || name == "config" || name == "timeout";
    if (!is_flag && !is_value) {
      return Usage("unknown option --" + name + " for " + spec.name + " (see wechatpay " +
                   spec.name + " --help)");
    }
    if (is_flag) {
      if (inline_value) return Usage("option --" + name + " takes no value");
      if (name == "verbose") {
        globals.verbose = true;
      } else {
        args.SetFlag(name);
      }
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= argv.size()) return Usage("option --" + name + " needs a value");
      value = argv[++i];
    }
    if (name == "config") {
      globals.config_path = value;
    } else if (name == "timeout") {
      char* end = nullptr;
      errno = 0;
      double seconds = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || errno != 0 || !(seconds > 0) ||
          seconds > 3600) {
        return Usage("--timeout must be a number of seconds in (0, 3600] (got '" + value + "')");
      }
      globals.timeout_seconds = seconds;
    } else {
      if (args.Get(name)) return Usage("option --" + name + " given twice");
      args.SetValue(name, value);
    }
  }
  return args;
}

StatusOr<std::string> Required(Args const& args, std::string const& name) {
  auto value = args.Get(name);
  if (!value) return Usage("--" + name + " is required");
  return *value;
}

StatusOr<std::string> ReadBody(Args const& args) {
  auto text = args.Get("body");
  auto file = args.Get("body-file");
  if (text && file) return Usage("give either --body or --body-file, not both");
  if (text) return *text;
  if (!file) return std::string();
  std::ifstream in(*file, std::ios::binary);
  if (!in) return Usage("--body-file: cannot read " + *file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

StatusOr<std::int64_t> ParseIntegerOption(std::string const& name, std::string const& text) {
  if (text.empty() || text.size() > 18)
    return Usage("--" + name + " must be a whole number (got '" + text + "')");
  std::int64_t value = 0;
  std::size_t i = 0;
  bool negative = text[0] == '-';
  if (negative) i = 1;
  if (i == text.size()) return Usage("--" + name + " must be a whole number (got '" + text + "')");
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9')
      return Usage("--" + name + " must be a whole number (got '" + text + "')");
    value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}

StatusOr<MerchantConfig> LoadConfig(GlobalOptions const& globals) {
  auto config = LoadMerchantConfig(globals.config_path);
  if (!config) return config.status();
  if (globals.timeout_seconds) {
    auto ms =
        std::chrono::milliseconds(static_cast<std::int64_t>(*globals.timeout_seconds * 1000.0));
    if (ms.count() < 1) ms = std::chrono::milliseconds(1);
    config->timeouts.total = ms;
    if (config->timeouts.connect > ms) config->timeouts.connect = ms;
  }
  return config;
}

ClientOptions MakeClientOptions(GlobalOptions const& globals) {
  ClientOptions options;
  if (globals.verbose) {
    options.logger = [](LogLevel, std::string_view line) {
      std::cerr << "wechatpay: " << line << std::endl;
    };
  }
  return options;
}

void PrintLine(std::string const& text) { std::cout << text << std::endl; }

int MaybeHelp(CommandSpec const& spec, std::vector<std::string> const& argv) {
  for (auto const& arg : argv) {
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: wechatpay [--config FILE] [--timeout SECONDS] [--verbose] " << spec.usage
                << "\n";
      return kExitOk;
    }
  }
  return -1;
}

}  // namespace wechatpay::cli
