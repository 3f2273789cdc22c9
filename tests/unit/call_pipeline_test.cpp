// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The call pipeline: the retry loop's arithmetic (backoff growth, jitter, the cap, the
// Retry-After hint, the call's time budget), the per-call bound, and the retry table row by row.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "channel/call_pipeline.hpp"
#include "wechatpay/testing/recording_transport.hpp"

namespace wechatpay::internal {
namespace {

using std::chrono::milliseconds;

TEST_CASE("RetryAfterHint reads delta-seconds and refuses everything else", "[retry]") {
  CHECK(RetryAfterHint("3") == std::chrono::seconds(3));
  CHECK(RetryAfterHint(" 3 ") == std::chrono::seconds(3));
  CHECK(RetryAfterHint("") == milliseconds(0));
  CHECK(RetryAfterHint("0") == milliseconds(0));
  CHECK(RetryAfterHint("-5") == milliseconds(0));
  CHECK(RetryAfterHint("soon") == milliseconds(0));
  CHECK(RetryAfterHint("Wed, 21 Oct 2015 07:28:00 GMT") == milliseconds(0));
  // Values whose milliseconds would overflow int64 (fuzz/regressions/gateway_unwrap).
  CHECK(RetryAfterHint("9223372036854775807") == std::chrono::hours(24));
  CHECK(RetryAfterHint("86401") == std::chrono::hours(24));
}

TEST_CASE("BackoffDelay doubles, applies the jitter, honours Retry-After and the cap", "[retry]") {
  RetryOptions options;
  options.initial_backoff = milliseconds(200);
  options.max_backoff = milliseconds(5000);
  CHECK(BackoffDelay(options, 0, 1.0, milliseconds(0)) == milliseconds(200));
  CHECK(BackoffDelay(options, 2, 1.0, milliseconds(0)) == milliseconds(800));
  CHECK(BackoffDelay(options, 1, 0.75, milliseconds(0)) == milliseconds(300));
  CHECK(BackoffDelay(options, 30, 1.25, milliseconds(0)) == milliseconds(5000));
  CHECK(BackoffDelay(options, 0, 1.0, milliseconds(1500)) == milliseconds(1500));
  CHECK(BackoffDelay(options, 0, 1.0, RetryAfterHint("9223372036854775807")) == milliseconds(5000));
}

// Issue 14, finding 9: timeoutMs bounded each attempt, so a GET with two retries could take
// three times the configured timeout. The bound is now the whole call's.
TEST_CASE("Each attempt gets what is left of the call's timeout, capped per attempt", "[retry]") {
  Timeouts timeouts;
  timeouts.connect = milliseconds(5000);
  timeouts.total = milliseconds(3000);
  auto budget = NextAttemptBudget(timeouts, milliseconds(0));
  CHECK(budget.timeout == milliseconds(3000));
  CHECK(budget.connect_timeout == milliseconds(3000));  // never longer than the attempt
  budget = NextAttemptBudget(timeouts, milliseconds(2200));
  CHECK(budget.timeout == milliseconds(800));
  CHECK(budget.connect_timeout == milliseconds(800));
  budget = NextAttemptBudget(timeouts, milliseconds(5000));
  CHECK(budget.timeout == milliseconds(1));  // spent: never 0, which means "no bound"
  timeouts.connect = milliseconds(200);
  timeouts.attempt = milliseconds(1000);
  budget = NextAttemptBudget(timeouts, milliseconds(0));
  CHECK(budget.timeout == milliseconds(1000));
  CHECK(budget.connect_timeout == milliseconds(200));
  budget = NextAttemptBudget(timeouts, milliseconds(2500));
  CHECK(budget.timeout == milliseconds(500));
}

TEST_CASE("A retry is made only when a useful share of the call's time is left", "[retry]") {
  Timeouts timeouts;
  timeouts.total = milliseconds(2000);  // useful share: a quarter, 500 ms
  CHECK(RetryFitsBudget(timeouts, milliseconds(1000), milliseconds(500)));
  CHECK_FALSE(RetryFitsBudget(timeouts, milliseconds(1000), milliseconds(501)));
  timeouts.total = milliseconds(60000);  // a quarter would be 15 s; one second is enough
  CHECK(RetryFitsBudget(timeouts, milliseconds(58000), milliseconds(1000)));
  CHECK_FALSE(RetryFitsBudget(timeouts, milliseconds(58000), milliseconds(1001)));
}

// A pipeline over a fake transport, recording its backoff waits.
CallPipeline MakePipeline(Timeouts timeouts, RetryOptions retry,
                          std::vector<milliseconds>* sleeps = nullptr) {
  MerchantConfig config;
  config.timeouts = timeouts;
  ClientOptions options;
  options.transport = std::make_shared<testing::RecordingTransport>();
  options.retry = retry;
  options.sleep = [sleeps](milliseconds d) {
    if (sleeps != nullptr) sleeps->push_back(d);
  };
  auto pipeline = CallPipeline::Create(config, options);
  REQUIRE(pipeline.ok());
  return *std::move(pipeline);
}

TEST_CASE("The pipeline stops retrying when the call's timeout would be exceeded", "[retry]") {
  RetryOptions options;
  options.max_retries = 10;
  options.initial_backoff = milliseconds(400);
  options.max_backoff = milliseconds(1000);
  Timeouts timeouts;
  timeouts.total = milliseconds(1000);
  std::vector<milliseconds> budgets;
  std::vector<milliseconds> sleeps;
  auto const pipeline = MakePipeline(timeouts, options, &sleeps);
  auto result = pipeline.Run<int>(Operation::kQueryRefund, CallOptions{}, "test",
                                  [&](AttemptBudget const& budget) {
                                    budgets.push_back(budget.timeout);
                                    return Attempt<int>{Status(StatusCode::kTransport, "refused")};
                                  });
  REQUIRE_FALSE(result.ok());
  // The first wait is 300-500 ms (jitter), leaving at least 500 ms; a second one (600-1000 ms)
  // would leave less than the useful quarter (250 ms). Without the budget: 11 attempts.
  REQUIRE(budgets.size() == 2);
  CHECK(sleeps.size() == 1);
  CHECK(budgets[0] == milliseconds(1000));
  CHECK(budgets[1] <= milliseconds(1000) - sleeps[0]);
  CHECK(budgets[1] >= milliseconds(1000) - sleeps[0] - milliseconds(100));
}

// Every row of the retry table, with the reason it is what it is (see retry_table.cpp):
// reads are repeated whenever a repeat may help; writes only when the request provably did not
// arrive or the answer asks for it; a write that may have been applied is reported unknown.
TEST_CASE("The retry table, row by row", "[retry]") {
  struct Row {
    FailureClass failure;
    bool read, write, unknown, later;
  };
  Row const rows[] = {
      {FailureClass::kLocal, false, false, false, false},
      {FailureClass::kNotDelivered, true, true, false, true},
      {FailureClass::kNoAnswer, true, false, true, true},
      {FailureClass::kNotProcessed, true, true, true, true},
      {FailureClass::kRateLimited, true, true, true, true},
      {FailureClass::kGatewayRateLimited, true, true, false, true},
      {FailureClass::kServerError, true, true, true, true},
      {FailureClass::kRefused, false, false, false, false},
      {FailureClass::kFailedAfterCall, false, false, true, false},
      {FailureClass::kSignTestProbe, false, false, true, true},
      {FailureClass::kUntrustedAnswer, false, false, true, false},
      {FailureClass::kUnreadableAnswer, false, false, true, false},
      {FailureClass::kDeliveredInPart, false, false, false, false},
  };
  for (auto const& row : rows) {
    INFO("row " << static_cast<int>(row.failure));
    auto const rule = RuleFor(row.failure);
    CHECK(rule.retry_read == row.read);
    CHECK(rule.retry_write == row.write);
    CHECK(rule.write_outcome_unknown == row.unknown);
    CHECK(rule.retry_later == row.later);
    // A write is never repeated where a read would not be; what is repeated now may be later.
    CHECK((!rule.retry_write || rule.retry_read));
    CHECK((!rule.retry_read || rule.retry_later));
  }
}

Status Service(int http_status, std::string code) {
  ErrorInfo info;
  info.http_status = http_status;
  info.service_code = std::move(code);
  return Status(StatusCode::kServiceError, "answer", std::move(info));
}

Status Transport(StatusCode code, bool maybe_sent) {
  ErrorInfo info;
  info.outcome_unknown = maybe_sent;
  return Status(code, "transport", std::move(info));
}

Status Verification(VerificationFailure failure) {
  ErrorInfo info;
  info.verification_failure = failure;
  return Status(StatusCode::kVerificationFailed, "verification", std::move(info));
}

TEST_CASE("ClassifyStatus puts each failure in its row", "[retry]") {
  CHECK(ClassifyStatus(Status(StatusCode::kInvalidArgument, "x")) == FailureClass::kLocal);
  CHECK(ClassifyStatus(Status(StatusCode::kUnimplemented, "x")) == FailureClass::kLocal);
  // The ledger's database codes never come from a WeChat call: not retried as one.
  CHECK(ClassifyStatus(Status(StatusCode::kUnavailable, "x")) == FailureClass::kLocal);
  CHECK(ClassifyStatus(Status(StatusCode::kAborted, "x")) == FailureClass::kLocal);
  CHECK(ClassifyStatus(Status(StatusCode::kAlreadyExists, "x")) == FailureClass::kLocal);
  CHECK(ClassifyStatus(Transport(StatusCode::kTransport, false)) == FailureClass::kNotDelivered);
  CHECK(ClassifyStatus(Transport(StatusCode::kDeadlineExceeded, false)) ==
        FailureClass::kNotDelivered);
  CHECK(ClassifyStatus(Transport(StatusCode::kTransport, true)) == FailureClass::kNoAnswer);
  CHECK(ClassifyStatus(Transport(StatusCode::kDeadlineExceeded, true)) == FailureClass::kNoAnswer);
  CHECK(ClassifyStatus(Service(0, "")) == FailureClass::kNoAnswer);
  CHECK(ClassifyStatus(Service(202, "")) == FailureClass::kNotProcessed);
  CHECK(ClassifyStatus(Service(400, "USER_PAYING")) == FailureClass::kNotProcessed);
  CHECK(ClassifyStatus(Service(429, "")) == FailureClass::kRateLimited);
  CHECK(ClassifyStatus(Service(403, "FREQUENCY_LIMITED")) == FailureClass::kRateLimited);
  CHECK(ClassifyStatus(Service(400, "RATELIMIT_EXCEEDED")) == FailureClass::kRateLimited);
  CHECK(ClassifyStatus(Service(500, "")) == FailureClass::kServerError);
  CHECK(ClassifyStatus(Service(503, "SERVICE_UNAVAILABLE")) == FailureClass::kServerError);
  for (char const* code : {"SYSTEM_ERROR", "SYSTEMERROR", "BANK_ERROR"}) {
    INFO(code);
    CHECK(ClassifyStatus(Service(400, code)) == FailureClass::kServerError);
  }
  for (auto const& refusal : {Service(400, "PARAM_ERROR"), Service(404, "ORDER_NOT_EXIST"),
                              Service(403, "ORDER_PAID"), Service(401, "SIGN_ERROR")}) {
    INFO(refusal.info().service_code);
    CHECK(ClassifyStatus(refusal) == FailureClass::kRefused);
  }
  CHECK(ClassifyStatus(Status(StatusCode::kUnauthenticated, "x")) == FailureClass::kRefused);
  CHECK(ClassifyStatus(Verification(VerificationFailure::kSignTestProbe)) ==
        FailureClass::kSignTestProbe);
  CHECK(ClassifyStatus(Verification(VerificationFailure::kSignatureMismatch)) ==
        FailureClass::kUntrustedAnswer);
  CHECK(ClassifyStatus(Status(StatusCode::kMalformedResponse, "x")) ==
        FailureClass::kUnreadableAnswer);
  CHECK_FALSE(IsTransient(Status()));
  CHECK(IsTransient(Service(500, "")));
  CHECK_FALSE(IsTransient(Service(400, "PARAM_ERROR")));
}

TEST_CASE("The pipeline applies the table: retries and unknown outcomes per operation", "[retry]") {
  RetryOptions retry;
  retry.max_retries = 2;
  auto const pipeline = MakePipeline(Timeouts{}, retry);
  auto run = [&](Operation operation, Status failure, std::optional<FailureClass> failure_class,
                 int& attempts) {
    attempts = 0;
    return pipeline.Run<int>(operation, CallOptions{}, "test", [&](AttemptBudget const&) {
      ++attempts;
      return Attempt<int>{failure, failure_class, milliseconds(0)};
    });
  };
  int attempts = 0;
  // A timeout after sending: a query is repeated and known; an order is sent once and unknown.
  auto query = run(Operation::kQueryRefund, Transport(StatusCode::kDeadlineExceeded, true),
                   std::nullopt, attempts);
  CHECK(attempts == 3);
  CHECK_FALSE(query.status().info().outcome_unknown);
  auto order = run(Operation::kNativePrepay, Transport(StatusCode::kDeadlineExceeded, true),
                   std::nullopt, attempts);
  CHECK(attempts == 1);
  CHECK(order.status().info().outcome_unknown);
  CHECK(order.status().message().find("query the order by out_trade_no") != std::string::npos);
  // The gateway's own 429: a refund is repeated, and nothing was applied.
  auto refund = run(Operation::kCreateRefund, Service(429, "EXCEED_RATE_LIMIT"),
                    FailureClass::kGatewayRateLimited, attempts);
  CHECK(attempts == 3);
  CHECK_FALSE(refund.status().info().outcome_unknown);
  // WeChat's 429 by its status: repeated, and open when the retries run out.
  refund = run(Operation::kCreateRefund, Service(429, "FREQUENCY_LIMITED"), std::nullopt, attempts);
  CHECK(attempts == 3);
  CHECK(refund.status().info().outcome_unknown);
  // A refusal: final, known.
  auto close = run(Operation::kCloseOrder, Service(400, "ORDER_CLOSED"), std::nullopt, attempts);
  CHECK(attempts == 1);
  CHECK_FALSE(close.status().info().outcome_unknown);
}

TEST_CASE("CallOptions shorten the call's bound, never lengthen it", "[retry]") {
  auto const now = std::chrono::steady_clock::now();
  Timeouts configured;
  configured.total = milliseconds(10000);
  CallOptions call;
  CHECK(CallTimeouts(configured, call, now)->total == milliseconds(10000));
  call.timeout = milliseconds(250);
  CHECK(CallTimeouts(configured, call, now)->total == milliseconds(250));
  call.timeout = milliseconds(20000);
  CHECK(CallTimeouts(configured, call, now)->total == milliseconds(10000));
  call.timeout = milliseconds(0);
  call.deadline = now + milliseconds(400);
  CHECK(CallTimeouts(configured, call, now)->total == milliseconds(400));
  Timeouts unbounded;  // total 0: no bound of the client's own
  unbounded.total = milliseconds(0);
  CHECK(CallTimeouts(unbounded, call, now)->total == milliseconds(400));
  call.deadline = now - milliseconds(1);
  auto passed = CallTimeouts(configured, call, now);
  REQUIRE_FALSE(passed.ok());
  CHECK(passed.status().code() == StatusCode::kDeadlineExceeded);
  call.deadline.reset();
  call.timeout = milliseconds(-1);
  auto negative = CallTimeouts(configured, call, now);
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.status().code() == StatusCode::kInvalidArgument);
  CHECK(negative.status().info().field == "timeout");
}

TEST_CASE("A per-call timeout bounds every attempt below the client's timeout", "[retry]") {
  Timeouts timeouts;
  timeouts.total = milliseconds(30000);
  RetryOptions retry;
  retry.max_retries = 0;
  auto const pipeline = MakePipeline(timeouts, retry);
  milliseconds seen{0};
  CallOptions call;
  call.timeout = milliseconds(150);
  auto result =
      pipeline.Run<int>(Operation::kQueryRefund, call, "test", [&](AttemptBudget const& budget) {
        seen = budget.timeout;
        return Attempt<int>{1};
      });
  REQUIRE(result.ok());
  CHECK(seen == milliseconds(150));
  // A deadline already passed: nothing is attempted.
  int attempts = 0;
  call.timeout = milliseconds(0);
  call.deadline = std::chrono::steady_clock::now() - milliseconds(5);
  auto late = pipeline.Run<int>(Operation::kNativePrepay, call, "test", [&](AttemptBudget const&) {
    ++attempts;
    return Attempt<int>{1};
  });
  CHECK(attempts == 0);
  REQUIRE_FALSE(late.ok());
  CHECK(late.status().code() == StatusCode::kDeadlineExceeded);
  CHECK_FALSE(late.status().info().outcome_unknown);
}

}  // namespace
}  // namespace wechatpay::internal
