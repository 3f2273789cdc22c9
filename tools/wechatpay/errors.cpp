// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// How the tool reports an error (docs/cli.md, "Output and exit codes"): one `error:` line on
// stderr, or with --json-errors one JSON object per error, so that a script reads the same facts
// (category, WeChat's code, the field, the Request-ID, whether the outcome is unknown) without
// parsing prose. The exit code is chosen here too, so that both forms agree.

#include <atomic>
#include <iostream>

#include "cli.hpp"
#include "common/json_text.hpp"

namespace wechatpay::cli {
namespace {

std::atomic<bool> json_errors{false};

// The category a script branches on; it follows the exit code except that an unknown outcome
// keeps the category of the failure that caused it (the exit code is 6 for all of them).
char const* Category(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "usage";
    case StatusCode::kConfiguration:
      return "configuration";
    case StatusCode::kVerificationFailed:
    case StatusCode::kDecryptionFailed:
      return "verification";
    case StatusCode::kTransport:
    case StatusCode::kDeadlineExceeded:
      return "transport";
    case StatusCode::kUnavailable:
    case StatusCode::kAborted:
      return "database";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kServiceError:
    case StatusCode::kMalformedResponse:
      return "service";
    case StatusCode::kAlreadyExists:
      return "ledger";
    case StatusCode::kCancelled:
    case StatusCode::kInternal:
    case StatusCode::kUnimplemented:
      return "internal";
  }
  return "internal";
}

}  // namespace

int ExitCodeFor(Status const& status) {
  if (status.ok()) return kExitOk;
  // Before anything else: a script must query before it retries, whatever went wrong.
  if (status.info().outcome_unknown) return kExitOutcomeUnknown;
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
    case StatusCode::kUnavailable:  // the ledger's database, or a bill not generated yet
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

void SetJsonErrors(bool on) { json_errors = on; }

int ReportError(ErrorReport const& report, int exit_code) {
  if (json_errors) {
    auto text_or_null = [](std::string const& text) {
      return text.empty() ? std::string("null") : internal::JsonQuote(text);
    };
    std::cerr << internal::JsonObject()
                     .Str("category", report.category)
                     .Str("code", report.code)
                     .Str("message", report.message)
                     .Raw("http_status", report.http_status != 0
                                             ? std::to_string(report.http_status)
                                             : std::string("null"))
                     .Raw("request_id", text_or_null(report.request_id))
                     .Raw("field", text_or_null(report.field))
                     .Bool("outcome_unknown", report.outcome_unknown)
                     .Build()
              << std::endl;
    return exit_code;
  }
  std::string line = "error: " + report.message;
  std::string facts;
  if (report.http_status != 0) facts += "HTTP " + std::to_string(report.http_status);
  if (!report.request_id.empty())
    facts += (facts.empty() ? "" : ", ") + std::string("Request-ID ") + report.request_id;
  if (!facts.empty()) line += " (" + facts + ")";
  std::cerr << line << std::endl;
  return exit_code;
}

int Fail(Status const& status) {
  auto const& info = status.info();
  ErrorReport report;
  report.category = Category(status.code());
  report.code =
      !info.service_code.empty() ? info.service_code : std::string(StatusCodeName(status.code()));
  report.message = status.message();
  report.http_status = info.http_status;
  report.request_id = info.request_id;
  report.field = info.field;
  report.outcome_unknown = info.outcome_unknown;
  return ReportError(report, ExitCodeFor(status));
}

int UsageError(std::string const& message) {
  ErrorReport report;
  report.category = "usage";
  report.code = std::string(StatusCodeName(StatusCode::kInvalidArgument));
  report.message = message;
  return ReportError(report, kExitUsage);
}

}  // namespace wechatpay::cli
