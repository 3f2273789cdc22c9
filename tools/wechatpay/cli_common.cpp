// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli.hpp"
#include "help.hpp"

namespace wechatpay::cli {
namespace {

// `field` names the option (e.g. "--total") for --json-errors.
Status Usage(std::string message, std::string field = {}) {
  ErrorInfo info;
  info.field = std::move(field);
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(info));
}

bool Contains(std::vector<std::string> const& list, std::string const& name) {
  for (auto const& item : list) {
    if (item == name) return true;
  }
  return false;
}

}  // namespace

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
    bool const is_flag =
        Contains(spec.flag_options, name) || name == "verbose" || name == "json-errors";
    bool const is_value = Contains(spec.value_options, name) || IsGlobalValueOption(name);
    if (!is_flag && !is_value) {
      return Usage("unknown option --" + name + " for " + spec.name + " (see wechatpay " +
                       spec.name + " --help)",
                   "--" + name);
    }
    if (is_flag) {
      if (inline_value) return Usage("option --" + name + " takes no value", "--" + name);
      if (name == "verbose") {
        globals.verbose = true;
      } else if (name == "json-errors") {
        globals.json_errors = true;  // main() has already switched the error format
      } else {
        args.SetFlag(name);
      }
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= argv.size()) return Usage("option --" + name + " needs a value", "--" + name);
      value = argv[++i];
    }
    if (name == "config") {
      globals.config_path = value;
    } else if (name == "proxy") {
      globals.proxy = value;
    } else if (name == "timeout") {
      char* end = nullptr;
      errno = 0;
      double seconds = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || errno != 0 || !(seconds > 0) ||
          seconds > 3600) {
        return Usage("--timeout must be a number of seconds in (0, 3600] (got '" + value + "')",
                     "--timeout");
      }
      globals.timeout_seconds = seconds;
    } else {
      if (args.Get(name)) return Usage("option --" + name + " given twice", "--" + name);
      args.SetValue(name, value);
    }
  }
  return args;
}

StatusOr<std::string> Required(Args const& args, std::string const& name) {
  auto value = args.Get(name);
  if (!value) return Usage("--" + name + " is required", "--" + name);
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
    return Usage("--" + name + " must be a whole number (got '" + text + "')", "--" + name);
  std::int64_t value = 0;
  std::size_t i = 0;
  bool negative = text[0] == '-';
  if (negative) i = 1;
  if (i == text.size())
    return Usage("--" + name + " must be a whole number (got '" + text + "')", "--" + name);
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9')
      return Usage("--" + name + " must be a whole number (got '" + text + "')", "--" + name);
    value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}

StatusOr<MerchantConfig> LoadConfig(GlobalOptions const& globals) {
  auto config = LoadMerchantConfig(globals.config_path);
  if (!config) return config.status();
  if (globals.proxy) config->proxy = *globals.proxy;  // the command line wins
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

StatusOr<NativePayClient> MakeApiClient(MerchantConfig const& config,
                                        GlobalOptions const& globals) {
  if (!config.gateway) return NativePayClient::Create(config, MakeClientOptions(globals));
  // The first token is the one already loaded; each forced refresh re-reads the configuration.
  auto first = std::make_shared<std::optional<std::string>>(config.gateway->access_token);
  auto tokens = MakeCallbackTokenProvider([first, globals]() -> StatusOr<std::string> {
    if (*first) {
      std::string token = **first;
      first->reset();
      return token;
    }
    auto reloaded = LoadConfig(globals);
    if (!reloaded) return reloaded.status();
    if (!reloaded->gateway || reloaded->gateway->access_token.empty()) {
      return Status(StatusCode::kUnauthenticated,
                    "the configuration read again has no gateway.accessToken");
    }
    return reloaded->gateway->access_token;
  });
  auto channel = MakeGatewayChannel(config, MakeClientOptions(globals), std::move(tokens));
  if (!channel) return channel.status();
  ValidationOptions validation;
  validation.allow_http_notify_url = config.allow_http_notify_url;
  return NativePayClient(*std::move(channel), validation);
}

void ApplyPlatformCertificatesOption(Args const& args, MerchantConfig& config) {
  auto const path = args.Get("platform-certificates");
  if (!path) return;
  config.platform_certificates = *path;
  if (config.verification_keys == VerificationKeys::kPublicKey) {
    config.verification_keys = config.wx_pay_public_key.empty()
                                   ? VerificationKeys::kPlatformCertificates
                                   : VerificationKeys::kBoth;
  }
}

bool DownloadsCertificates(MerchantConfig const& config) {
  return config.verification_keys != VerificationKeys::kPublicKey &&
         config.platform_certificates.empty();
}

StatusOr<SignatureVerifier> MakeCliVerifier(MerchantConfig const& config,
                                            GlobalOptions const& globals) {
  if (!DownloadsCertificates(config)) return MakeSignatureVerifier(config);
  auto keys = PlatformKeys::Create(config, MakeClientOptions(globals));
  if (!keys) return keys.status();
  // The verifier keeps the keys' state alive, and downloads on its first unknown serial.
  return (*keys)->Verifier();
}

bool IsGlobalValueOption(std::string_view name) {
  return name == "config" || name == "timeout" || name == "proxy";
}

std::optional<std::string> TakeWord(std::vector<std::string>& argv,
                                    std::vector<std::string> const& value_options) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string const& arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      std::string word = arg;
      argv.erase(argv.begin() + static_cast<std::ptrdiff_t>(i));
      return word;
    }
    std::string const name = arg.substr(2);
    if (name.find('=') != std::string::npos) continue;
    bool const takes_value =
        IsGlobalValueOption(name) ||
        std::find(value_options.begin(), value_options.end(), name) != value_options.end();
    if (takes_value) ++i;
  }
  return std::nullopt;
}

void PrintLine(std::string const& text) { std::cout << text << std::endl; }

int MaybeHelp(CommandSpec const& spec, std::vector<std::string> const& argv) {
  if (!HelpRequested(argv)) return -1;
  auto const* entry = FindCommandHelp(spec.name);
  if (entry != nullptr) {
    std::cout << RenderCommandHelp(*entry);
  } else {
    std::cout << "usage: wechatpay [GLOBAL OPTIONS] " << spec.usage << "\n";
  }
  // The parser and the help table disagreeing is a bug of the tool: say so, and fail, so that
  // the help test (which runs every command's --help) catches an option left unexplained.
  auto const mismatches = HelpMismatches(spec);
  for (auto const& mismatch : mismatches) {
    std::cerr << "wechatpay: internal: help of " << spec.name << ": " << mismatch << std::endl;
  }
  return mismatches.empty() ? kExitOk : kExitServiceError;
}

}  // namespace wechatpay::cli
