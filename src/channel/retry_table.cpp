// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/retry_table.hpp"

#include <array>
#include <cstddef>
#include <string>

#include "wechatpay/protocol/error_codes.hpp"

namespace wechatpay::internal {
namespace {

namespace codes = error_codes;

struct Row {
  FailureClass failure;
  RetryRule rule;
};

// The table. Idempotency decides the columns: a read changes nothing, so it is repeated
// whenever a repeat may help. A write is repeated only when the request provably did not reach
// the server, or when the answer asks for the identical request again (WeChat's operations are
// reentrant with identical parameters: the same out_trade_no orders once, the same
// out_refund_no refunds once, closing a closed order succeeds). A write that may have been
// applied reports its outcome as unknown, so the caller queries before doing anything else.
// retry_later is for a later, separate call (the payment watcher's next query). The two
// failover columns say when a retry goes to the backup domain instead (docs/protocol.md,
// "The backup domain"): a read whenever the primary host may be what failed (nothing sent,
// no answer, a 5xx); a write only when nothing reached WeChat, so the backup host cannot
// apply it a second time.
//             retry_read retry_write write_outcome_unknown retry_later failover_read/_write
constexpr std::array<Row, 13> kTable{{
    // Nothing left the process: repeating fails the same way, and nothing can have happened.
    {FailureClass::kLocal, {false, false, false, false, false, false}},
    // Never reached the server: safe to send again, read or write, and nothing was applied.
    {FailureClass::kNotDelivered, {true, true, false, true, true, true}},
    // May have been applied: a read is repeated; a write is not (a blind resend is how
    // payments are doubled) and its outcome is open until a query settles it.
    {FailureClass::kNoAnswer, {true, false, true, true, true, false}},
    // 202/USER_PAYING: WeChat asks for the same request again; the write is pending on its
    // side, so if the retries run out its outcome is open.
    {FailureClass::kNotProcessed, {true, true, true, true, false, false}},
    // WeChat's 429 asks to slow down and repeat. A repeat is safe (reentrant); when retries
    // run out the write is reported open, conservatively: an earlier attempt of the same call
    // (a 5xx) may have been applied, and WeChat does not promise a 429 changed nothing.
    {FailureClass::kRateLimited, {true, true, true, true, false, false}},
    // The gateway refused before invoking pay-common: nothing ran, so repeat and nothing
    // was applied.
    {FailureClass::kGatewayRateLimited, {true, true, false, true, false, false}},
    // WeChat (or the function) failed midway: repeat with identical parameters, as WeChat
    // asks; until an answer says otherwise the write may have been applied.
    {FailureClass::kServerError, {true, true, true, true, true, false}},
    // A final answer: the same request gets the same refusal, and a refusal applied nothing.
    {FailureClass::kRefused, {false, false, false, false, false, false}},
    // pay-common failed after its WeChat call may have succeeded (its hooks run after the
    // call): not repeated (its failure is its own and would recur), but the write is open.
    {FailureClass::kFailedAfterCall, {false, false, true, false, false, false}},
    // WeChat deliberately mis-signs a few answers to check that merchants verify. Within the
    // call it fails like any unverifiable answer (no immediate re-request on an answer that
    // cannot be trusted; a write's outcome is open), but a later query gets a properly
    // signed answer, so the watcher asks again at its next interval.
    {FailureClass::kSignTestProbe, {false, false, true, true, false, false}},
    // A forged, stale or tampered answer points at an attacker or a misconfiguration and must
    // surface; whatever happened to a write is unknown.
    {FailureClass::kUntrustedAnswer, {false, false, true, false, false, false}},
    // The server answered 2xx, so it applied the request, but the answer cannot be read; a
    // repeat would fail to read the same way.
    {FailureClass::kUnreadableAnswer, {false, false, true, false, false, false}},
    // Part of a streamed answer is with the caller already (a download is a read): a repeat
    // would deliver it again, so the call fails and the caller starts over.
    {FailureClass::kDeliveredInPart, {false, false, false, false, false, false}},
}};

// Codes whose HTTP status is unverified or may not be passed through by a gateway
// (docs/protocol.md, "Codes and Request-ID numbers"): decided by name as well.
bool IsAnyOf(std::string const& code, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    if (code == name) return true;
  }
  return false;
}

FailureClass ClassifyServiceError(ErrorInfo const& info) {
  auto const& code = info.service_code;
  int const http = info.http_status;
  // No HTTP answer at all behind a service error: the gateway's pay-common reached out to
  // WeChat and got nothing back (the transport failure of the hop it made).
  if (http == 0 && code.empty()) return FailureClass::kNoAnswer;
  if (http >= 500 || IsAnyOf(code, {codes::kSystemError, codes::kSystemErrorLegacy,
                                    codes::kBankError, codes::kServiceUnavailable})) {
    return FailureClass::kServerError;
  }
  if (http == 429 || IsAnyOf(code, {codes::kFrequencyLimited, codes::kRateLimitExceeded})) {
    return FailureClass::kRateLimited;
  }
  if (http == 202 || code == codes::kUserPaying) return FailureClass::kNotProcessed;
  return FailureClass::kRefused;
}

}  // namespace

RetryRule RuleFor(FailureClass failure) {
  for (auto const& row : kTable) {
    if (row.failure == failure) return row.rule;
  }
  return RetryRule{};  // unreachable: every class has a row (checked by the unit test)
}

FailureClass ClassifyStatus(Status const& status) {
  switch (status.code()) {
    case StatusCode::kTransport:
    case StatusCode::kDeadlineExceeded:
      return status.info().outcome_unknown ? FailureClass::kNoAnswer : FailureClass::kNotDelivered;
    case StatusCode::kServiceError:
      return ClassifyServiceError(status.info());
    case StatusCode::kUnauthenticated:
      return FailureClass::kRefused;
    case StatusCode::kVerificationFailed:
      return status.info().verification_failure == VerificationFailure::kSignTestProbe
                 ? FailureClass::kSignTestProbe
                 : FailureClass::kUntrustedAnswer;
    case StatusCode::kMalformedResponse:
      return FailureClass::kUnreadableAnswer;
    case StatusCode::kOk:
    case StatusCode::kInvalidArgument:
    case StatusCode::kConfiguration:
    case StatusCode::kDecryptionFailed:
    case StatusCode::kCancelled:
    case StatusCode::kInternal:
    case StatusCode::kUnimplemented:
    case StatusCode::kUnavailable:  // the ledger's database, or a bill not generated yet
    case StatusCode::kAborted:
    case StatusCode::kAlreadyExists:  // the ledger's refusal, before anything is sent
      return FailureClass::kLocal;
  }
  return FailureClass::kLocal;
}

bool IsTransient(Status const& status) {
  return !status.ok() && RuleFor(ClassifyStatus(status)).retry_later;
}

}  // namespace wechatpay::internal
