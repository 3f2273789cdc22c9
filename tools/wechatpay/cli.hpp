// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared pieces of the `wechatpay` command-line tool (docs/cli.md). Every command goes
// through the library's public API, exactly as a host application would.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "wechatpay/wechatpay.hpp"

namespace wechatpay::cli {

/// Exit codes (docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitServiceError = 1,
  kExitUsage = 2,
  kExitVerification = 3,
  kExitTransport = 4,
  kExitUnauthenticated = 5,
  kExitOutcomeUnknown = 6,
  kExitDifferences = 7,   // `reconcile --bill-date`: the bill and the ledger differ
  kExitSignalBase = 128,  // + the signal number: 130 for SIGINT, 143 for SIGTERM
};

/// The exit code for a failed Status: kExitOutcomeUnknown whenever ErrorInfo::outcome_unknown is
/// set (the request may have been applied), else by the status code.
int ExitCodeFor(Status const& status);

/// One reported error (errors.cpp): the `error:` line, or with --json-errors one JSON object.
struct ErrorReport {
  std::string category;  // usage, service, unpaid, verification, transport, unauthenticated, ...
  std::string code;      // WeChat's code, a trade_state, a signal, or the StatusCode name
  std::string message;
  int http_status = 0;
  std::string request_id;
  std::string field;
  bool outcome_unknown = false;
};

/// Chooses how errors are printed: one `error: ...` line (default) or one JSON object per error
/// on stderr (--json-errors).
void SetJsonErrors(bool on);

/// Prints `report` to stderr and returns `exit_code`.
int ReportError(ErrorReport const& report, int exit_code);

/// Prints `error: <reason>` (with HTTP status and Request-ID when known) to stderr and returns
/// the matching exit code.
int Fail(Status const& status);

/// True when `value` holds a value; otherwise reports its error and sets `exit_code`.
template <typename T>
bool Check(StatusOr<T> const& value, int& exit_code) {
  if (value) return true;
  exit_code = Fail(value.status());
  return false;
}

/// Prints `error: <message>` to stderr and returns kExitUsage.
int UsageError(std::string const& message);

/// Parsed command-line options of one command.
class Args {
 public:
  /// The value of --name, if given.
  std::optional<std::string> Get(std::string const& name) const;
  /// True when the boolean flag --name was given.
  bool Has(std::string const& name) const {
    return flags_.count(name) != 0 || values_.count(name) != 0;
  }
  /// Sets a value (parser use).
  void SetValue(std::string name, std::string value) {
    values_[std::move(name)] = std::move(value);
  }
  /// Sets a flag (parser use).
  void SetFlag(std::string name) { flags_.insert(std::move(name)); }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

/// What a command accepts.
struct CommandSpec {
  std::string name;
  std::string usage;  // synopsis, printed by --help only when help_table.cpp has no entry
  std::vector<std::string> value_options;  // --name VALUE
  std::vector<std::string> flag_options;   // --name
};

/// The global options, shared by every command.
struct GlobalOptions {
  std::optional<std::string> config_path;
  std::optional<double> timeout_seconds;
  std::optional<std::string> proxy;  // --proxy URL (may hold a password: never printed)
  bool verbose = false;
  bool json_errors = false;  // --json-errors
};

/// Parses `argv` (after the command name) against `spec`; global options are accepted too and
/// written to `globals`. Errors are usage errors naming the offending argument.
StatusOr<Args> ParseArgs(CommandSpec const& spec, std::vector<std::string> const& argv,
                         GlobalOptions& globals);

/// The value of a required option, or a usage error naming it.
StatusOr<std::string> Required(Args const& args, std::string const& name);

/// A body from --body TEXT or --body-file FILE (exact bytes), "" when neither; both is an error.
StatusOr<std::string> ReadBody(Args const& args);

/// Parses a whole decimal integer option, or a usage error naming it.
StatusOr<std::int64_t> ParseIntegerOption(std::string const& name, std::string const& text);

/// The merchant configuration of --config and the environment, with --timeout applied.
StatusOr<MerchantConfig> LoadConfig(GlobalOptions const& globals);

/// Client options for --verbose (log lines to stderr; they never contain secrets).
ClientOptions MakeClientOptions(GlobalOptions const& globals);

/// The client of the API commands (NativePayClient::Create() with MakeClientOptions()). With a
/// `gateway` object its access token comes from a provider that, when the gateway refuses the
/// token (CloudBase expires them after 2 h), reads the configuration again (--config and the
/// environment, as LoadConfig()) and retries with the token found there: a long `watch` or
/// `checkout` survives the renewal of the file (`wechatpay sandbox --write-gateway-config`, or
/// the merchant's own sign-in script) instead of failing at the expiry.
StatusOr<NativePayClient> MakeApiClient(MerchantConfig const& config, GlobalOptions const& globals);

/// True for the global options that take a value (`config`, `timeout`, `proxy`: the name
/// without its dashes). The one list every parser of the command line asks.
bool IsGlobalValueOption(std::string_view name);

/// Removes and returns the first word of `argv` that is neither an option nor an option's value.
/// main() puts the global options given before the command first (`wechatpay --config F ledger
/// show X` hands `--config F show X` to the command), so a subcommand is looked for past them.
/// `value_options`: the command's options that take a value, besides the globals.
std::optional<std::string> TakeWord(std::vector<std::string>& argv,
                                    std::vector<std::string> const& value_options);

/// Writes `text` and a newline to stdout.
void PrintLine(std::string const& text);

/// A command: parses its own arguments and returns the exit code.
using CommandFn = int (*)(std::vector<std::string> const& argv, GlobalOptions& globals);

/// The protocol tools (commands_protocol.cpp).
int RunSign(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunVerify(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunDecrypt(std::vector<std::string> const& argv, GlobalOptions& globals);
/// `notify`: verify and decrypt a captured callback (commands_notify.cpp).
int RunNotify(std::vector<std::string> const& argv, GlobalOptions& globals);
/// `certificates`: download, verify and print the platform certificates
/// (commands/certificates.cpp).
int RunCertificates(std::vector<std::string> const& argv, GlobalOptions& globals);

/// Applies `--platform-certificates FILE|DIR` of `verify` and `notify` to `config`: those
/// certificates verify too (platformCertificates), and keyMode public-key becomes both when a
/// public key is configured, platform-certificate when none is.
void ApplyPlatformCertificatesOption(Args const& args, MerchantConfig& config);

/// True when `config` verifies with downloaded certificates: a certificate mode
/// (platform-certificate or both) without local platformCertificates.
bool DownloadsCertificates(MerchantConfig const& config);

/// The verifier of `verify` and `notify`: the configured keys (MakeSignatureVerifier()), or,
/// when DownloadsCertificates(), PlatformKeys' verifier, which downloads /v3/certificates with
/// the merchant's credentials for a serial it does not hold.
StatusOr<SignatureVerifier> MakeCliVerifier(MerchantConfig const& config,
                                            GlobalOptions const& globals);

/// The API commands (commands_api.cpp).
int RunOrder(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunQuery(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunClose(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunRefund(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunRefundQuery(std::vector<std::string> const& argv, GlobalOptions& globals);
/// `bill trade|fundflow`: download a day's bill, digest-checked (commands/bill.cpp).
int RunBill(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunRequest(std::vector<std::string> const& argv, GlobalOptions& globals);
/// `refund abnormal` (reached through `refund`): apply-abnormal-refund, the bank card data read
/// from files or stdin (commands/refund_abnormal.cpp).
int RunRefundAbnormal(std::vector<std::string> const& argv, GlobalOptions& globals);

/// The checkout commands: qr (commands_qr.cpp) and watch (commands_watch.cpp).
int RunQr(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunWatch(std::vector<std::string> const& argv, GlobalOptions& globals);

/// `checkout`: order, QR code, watch, close on timeout (commands_checkout.cpp).
int RunCheckout(std::vector<std::string> const& argv, GlobalOptions& globals);
/// `demo`: the whole Native flow offline in one process (commands_demo.cpp, with the sandbox).
int RunDemo(std::vector<std::string> const& argv, GlobalOptions& globals);

/// A fresh out_trade_no: `prefix`, the local time as YYYYMMDDhhmmss and 8 random letters and
/// digits, e.g. "CO20261126193012a8F3kQ2z" (WeChat allows 6–32 of [0-9A-Za-z_-|*]; keep the
/// prefix to 10 characters).
std::string NewOutTradeNo(std::string const& prefix);

/// `code_url` as a QR code in terminal text (wechatpay::qr, drawn for a dark terminal), or a
/// line saying how to render it when the tool was built without QR support.
std::string TerminalQr(std::string const& code_url);

/// Parses a number of seconds (fractions allowed) up to `max_seconds`: positive, or also 0 with
/// `allow_zero`. Errors: a usage error naming --`name`.
StatusOr<std::chrono::milliseconds> ParseSecondsOption(std::string const& name,
                                                       std::string const& text, bool allow_zero,
                                                       double max_seconds);

/// Blocks SIGINT, SIGTERM and SIGPIPE in the calling thread, and so in every thread it starts
/// afterwards: call it before any thread exists, then take the stop signals with a
/// StopSignalThread (SIGPIPE stays blocked: a peer closing a socket must not kill the tool).
void BlockStopSignals();

/// While alive, a thread waits for SIGINT or SIGTERM (blocked by BlockStopSignals()) and calls
/// `on_signal` once when one arrives, so a command can stop cleanly (close an order, remove a
/// temporary folder) instead of dying. The destructor ends the thread.
class StopSignalThread {
 public:
  explicit StopSignalThread(std::function<void()> on_signal);
  ~StopSignalThread();
  StopSignalThread(StopSignalThread const&) = delete;
  StopSignalThread& operator=(StopSignalThread const&) = delete;
  /// True once a signal arrived.
  bool received() const { return received_; }
  /// The signal that arrived (SIGINT or SIGTERM), 0 before one did.
  int signal_number() const { return signal_number_; }

 private:
  std::atomic<bool> received_{false};
  std::atomic<int> signal_number_{0};
  std::atomic<bool> ending_{false};
  std::thread thread_;
};

/// `ledger list|show` and `reconcile`: the payment ledger (commands/ledger.cpp; without
/// wechatpay::ledger they say the tool was built without it).
int RunLedger(std::vector<std::string> const& argv, GlobalOptions& globals);
int RunReconcile(std::vector<std::string> const& argv, GlobalOptions& globals);

/// `sandbox`: the WeChat Pay v3 + CloudBase gateway emulator (commands_sandbox.cpp).
int RunSandbox(std::vector<std::string> const& argv, GlobalOptions& globals);

/// When --help (or -h) is among `argv`: prints the help of `spec.name` from the help table
/// (help.hpp; `spec.usage` when the table has no entry) and returns 0, or 1 after naming on
/// stderr every option the table and `spec` disagree on. -1 when help was not asked for.
int MaybeHelp(CommandSpec const& spec, std::vector<std::string> const& argv);

}  // namespace wechatpay::cli
