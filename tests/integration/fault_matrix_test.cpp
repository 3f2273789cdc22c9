// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The fault-injection matrix (issue 9, item 3): every operation × every sandbox fault, over
// HTTPS, with a short timeout and no-wait retries. Each cell asserts the documented error
// category (docs/direct-backend.md "Retries and unknown outcomes"), the exact number of
// requests the sandbox received (so retries happen exactly where they are safe), and
// outcome_unknown exactly where a POST may have been applied. Never success.
// The hostile answers (an endless body, a 200 KB header) run against the gateway backend too:
// the transport's size limits end them, and neither backend retries them.
//
// Every cell uses a fresh client, hence a fresh connection: libcurl silently resends a request
// once when a *reused* keep-alive connection ends with no answer (src/http/curl_transport.cpp),
// which would add a request the SDK did not decide on. On a fresh connection the counts are the
// SDK's.

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::SandboxFixture;

enum class Op { kOrder, kQueryByOutTradeNo, kQueryById, kClose, kRefund, kRefundQuery };

struct OpInfo {
  Op op;
  char const* name;
  char const* method;
  char const* path;  // regex searched in the request path
};

OpInfo const kOps[] = {
    {Op::kOrder, "order", "POST", "^/v3/pay/transactions/native$"},
    {Op::kQueryByOutTradeNo, "query-out-trade-no", "GET", "^/v3/pay/transactions/out-trade-no/"},
    {Op::kQueryById, "query-transaction-id", "GET", "^/v3/pay/transactions/id/"},
    {Op::kClose, "close", "POST", "/close$"},
    {Op::kRefund, "refund", "POST", "^/v3/refund/domestic/refunds$"},
    {Op::kRefundQuery, "refund-query", "GET", "^/v3/refund/domestic/refunds/"},
};

enum class Kind { kService, kDeadline, kTransport, kVerification, kTooLarge };

struct FaultInfo {
  char const* action;
  Kind kind;
  VerificationFailure failure;
  // kTooLarge: ErrorInfo::field of the error ("body" or "headers").
  char const* field;
};

FaultInfo const kFaults[] = {
    {"status:500", Kind::kService, VerificationFailure::kNone, ""},
    {"status:503", Kind::kService, VerificationFailure::kNone, ""},
    {"status:429", Kind::kService, VerificationFailure::kNone, ""},
    {"delay:1500", Kind::kDeadline, VerificationFailure::kNone, ""},
    {"drop", Kind::kTransport, VerificationFailure::kNone, ""},
    {"truncate", Kind::kTransport, VerificationFailure::kNone, ""},
    {"endless-body", Kind::kTooLarge, VerificationFailure::kNone, "body"},
    {"huge-header", Kind::kTooLarge, VerificationFailure::kNone, "headers"},
    {"bad-signature", Kind::kVerification, VerificationFailure::kSignatureMismatch, ""},
    {"signtest", Kind::kVerification, VerificationFailure::kSignTestProbe, ""},
    {"no-signature", Kind::kVerification, VerificationFailure::kMissingHeaders, ""},
    {"stale-timestamp", Kind::kVerification, VerificationFailure::kTimestampSkew, ""},
    {"wrong-serial", Kind::kVerification, VerificationFailure::kUnknownSerial, ""},
};

// The gateway backend's answers are not signed, so only the answers no backend can read apply.
FaultInfo const kGatewayFaults[] = {
    {"endless-body", Kind::kTooLarge, VerificationFailure::kNone, "body"},
    {"huge-header", Kind::kTooLarge, VerificationFailure::kNone, "headers"},
};

constexpr int kMaxRetries = 2;

// What the documentation promises for one cell: the status code, how many attempts reach the
// sandbox and whether the outcome is unknown.
struct Expected {
  StatusCode code;
  std::size_t requests;
  bool outcome_unknown;
};

Expected Expect(FaultInfo const& fault, bool post, Op op, bool gateway) {
  std::string const action = fault.action;
  if (!gateway && op == Op::kClose && (action == "truncate" || action == "endless-body")) {
    // A 204 has no body to truncate or to make endless (RFC 9110: its Content-Length and any
    // bytes after its headers are not a body), and the signature over the empty body is
    // genuine: the close was applied and verified, so success is the truth here. The cell
    // checks that the order is closed. (Through the gateway a close answers 200 with a body.)
    return {StatusCode::kOk, 1, false};
  }
  switch (fault.kind) {
    case Kind::kService:
      // 5xx and 429: WeChat says "retry with the original parameters"; retried every time.
      // A POST whose last answer was an error may still have been applied before it.
      return {StatusCode::kServiceError, 1 + kMaxRetries, post};
    case Kind::kDeadline:
      // A GET that timed out is safe to repeat; a POST that was sent is never resent.
      return {StatusCode::kDeadlineExceeded, post ? 1u : 1 + kMaxRetries, post};
    case Kind::kTransport:
      return {StatusCode::kTransport, post ? 1u : 1 + kMaxRetries, post};
    case Kind::kVerification:
      // A forged or unverifiable answer is never retried: retrying would hide an attack.
      return {StatusCode::kVerificationFailed, 1, post};
    case Kind::kTooLarge:
      // Over the transport's size limit: the transfer ends at the limit, and is never retried
      // (the same answer would come again, and a GET would download it three times).
      return {StatusCode::kMalformedResponse, 1, post};
  }
  return {};
}

std::string CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kServiceError:
      return "service";
    case StatusCode::kDeadlineExceeded:
      return "deadline";
    case StatusCode::kTransport:
      return "transport";
    case StatusCode::kVerificationFailed:
      return "verification";
    case StatusCode::kMalformedResponse:
      return "malformed";
    case StatusCode::kOk:
      return "OK";
    default:
      return "other(" + std::to_string(static_cast<int>(code)) + ")";
  }
}

// The identifiers a cell's operation works on, prepared before the fault is armed.
struct Subject {
  std::string out_trade_no;
  std::string transaction_id;
  std::string out_refund_no;
};

// Callbacks to a closed loopback port: the sandbox's own notify sink would count every
// payment and refund callback as a request, and they arrive at unpredictable moments. Set on
// each request too, because through the gateway pay-common injects its own (the sandbox's sink).
constexpr char kNotifyUrl[] = "https://127.0.0.1:9/wechatpay/notify";

NativePrepayRequest OrderRequest(std::string const& out_trade_no) {
  NativePrepayRequest request;
  request.out_trade_no = out_trade_no;
  request.description = "故障矩阵";
  request.amount.total = 10;
  request.notify_url = kNotifyUrl;
  return request;
}

CreateRefundRequest RefundRequest(Subject const& subject) {
  CreateRefundRequest request;
  request.out_trade_no = subject.out_trade_no;
  request.out_refund_no = subject.out_refund_no;
  request.amount.refund = 1;
  request.amount.total = 10;
  request.notify_url = kNotifyUrl;
  return request;
}

Subject Prepare(SandboxFixture const& f, NativePayClient const& setup, Op op, int cell) {
  Subject s;
  s.out_trade_no = "FMX" + std::to_string(100000 + cell);
  s.out_refund_no = "FMXR" + std::to_string(100000 + cell);
  if (op == Op::kOrder) return s;  // the faulted call creates it
  f.Order(setup, s.out_trade_no, 10);
  if (op == Op::kQueryByOutTradeNo || op == Op::kClose) return s;
  REQUIRE(f.sandbox().Pay(s.out_trade_no).ok());
  auto paid = setup.QueryOrderByOutTradeNo(s.out_trade_no);
  REQUIRE(paid.ok());
  REQUIRE(paid.value().transaction_id.has_value());
  s.transaction_id = *paid.value().transaction_id;
  if (op == Op::kRefundQuery) REQUIRE(setup.CreateRefund(RefundRequest(s)).ok());
  return s;
}

// Runs the operation through the asynchronous path (the future form): the same decisions,
// driven by the client's I/O thread.
Status RunAsync(NativePayClient const& client, Op op, Subject const& s) {
  switch (op) {
    case Op::kOrder:
      return client.NativePrepayAsync(OrderRequest(s.out_trade_no)).get().status();
    case Op::kQueryByOutTradeNo:
      return client.QueryOrderByOutTradeNoAsync(s.out_trade_no).get().status();
    case Op::kQueryById:
      return client.QueryOrderByIdAsync(s.transaction_id).get().status();
    case Op::kClose:
      return client.CloseOrderAsync(s.out_trade_no).get().status();
    case Op::kRefund:
      return client.CreateRefundAsync(RefundRequest(s)).get().status();
    case Op::kRefundQuery:
      return client.QueryRefundAsync(s.out_refund_no).get().status();
  }
  return Status();
}

// Runs the operation; returns its status and, when it failed, its error info.
Status Run(NativePayClient const& client, Op op, Subject const& s) {
  switch (op) {
    case Op::kOrder:
      return client.NativePrepay(OrderRequest(s.out_trade_no)).status();
    case Op::kQueryByOutTradeNo:
      return client.QueryOrderByOutTradeNo(s.out_trade_no).status();
    case Op::kQueryById:
      return client.QueryOrderById(s.transaction_id).status();
    case Op::kClose:
      return client.CloseOrder(s.out_trade_no).status();
    case Op::kRefund:
      return client.CreateRefund(RefundRequest(s)).status();
    case Op::kRefundQuery:
      return client.QueryRefund(s.out_refund_no).status();
  }
  return Status();
}

// One backend's matrix: every operation of kOps × every fault of `faults`.
struct MatrixRun {
  SandboxFixture const& f;
  NativePayClient const& setup;  // direct, prepares each cell's order
  MerchantConfig config;         // the faulted client's
  MerchantConfig short_timeout;  // the same, for the delay cells
  bool gateway = false;
  int first_cell = 0;  // keeps out_trade_no apart from other runs
  bool async = false;  // the asynchronous calls instead of the blocking ones
};

// Returns how many cells succeeded (verified successes, each checked to have closed the order).
std::size_t RunMatrix(MatrixRun const& run, FaultInfo const* faults, std::size_t fault_count) {
  SandboxFixture const& f = run.f;
  ClientOptions options;
  options.retry.max_retries = kMaxRetries;
  options.retry.initial_backoff = std::chrono::milliseconds(1);
  options.sleep = [](std::chrono::milliseconds) {};
  char const* const backend = run.gateway ? "gateway" : run.async ? "direct, async" : "direct";

  std::ostringstream table;
  std::size_t cells = 0, passed = 0, total_requests = 0, unknown = 0, successes = 0;
  int cell = run.first_cell;
  for (auto const& op : kOps) {
    bool const post = std::string(op.method) == "POST";
    for (std::size_t k = 0; k < fault_count; ++k) {
      FaultInfo const& fault = faults[k];
      ++cell;
      Subject const subject = Prepare(f, run.setup, op.op, cell);
      Expected const want = Expect(fault, post, op.op, run.gateway);
      // Enough faults for every attempt the SDK may make; leftovers are cleared below. Every
      // gateway operation is a POST to the same function path.
      sandbox::Fault armed;
      armed.method = run.gateway ? "POST" : op.method;
      armed.path = run.gateway ? "^/v1/functions/" : op.path;
      armed.action = fault.action;
      armed.count = 1 + kMaxRetries;
      REQUIRE(f.sandbox().AddFault(armed).ok());
      f.sandbox().ResetStats();

      Status status;
      {
        auto client =  // fresh connection
            NativePayClient::Create(fault.kind == Kind::kDeadline ? run.short_timeout : run.config,
                                    options)
                .value();
        status = run.async ? RunAsync(client, op.op, subject) : Run(client, op.op, subject);
      }
      auto const stats = f.sandbox().GetStats();
      f.sandbox().ClearFaults();

      INFO(backend << ": " << op.name << " x " << fault.action << ": " << status.ToString());
      ++cells;
      total_requests += stats.requests;
      if (!status.ok() && status.info().outcome_unknown) ++unknown;
      bool const field_ok =
          fault.kind != Kind::kTooLarge || status.ok() || status.info().field == fault.field;
      bool const ok = status.code() == want.code && stats.requests == want.requests &&
                      status.info().outcome_unknown == want.outcome_unknown &&
                      status.info().verification_failure == fault.failure && field_ok;
      if (ok) ++passed;
      table << "  " << op.name << " x " << fault.action << ": " << CodeName(status.code())
            << ", requests " << stats.requests << ", outcome_unknown "
            << (status.info().outcome_unknown ? "yes" : "no") << (ok ? "" : "  <-- MISMATCH")
            << "\n";

      CHECK(status.code() == want.code);
      if (status.ok()) {
        ++successes;
        auto closed = run.setup.QueryOrderByOutTradeNo(subject.out_trade_no);
        REQUIRE(closed.ok());
        CHECK(closed.value().trade_state == "CLOSED");
      }
      CHECK(stats.requests == want.requests);
      CHECK(status.info().outcome_unknown == want.outcome_unknown);
      CHECK(status.info().verification_failure == fault.failure);
      CHECK(field_ok);
      if (fault.kind == Kind::kVerification) {
        // Close answers 204: an empty answer must be signed too.
        CHECK(status.info().http_status == (op.op == Op::kClose ? 204 : 200));
      }
    }
  }
  // Printed unconditionally so that CI logs show the matrix (issue 9: counts in the output).
  std::cout << "fault matrix (" << backend << "):\n"
            << table.str() << "fault matrix summary (" << backend << "): " << cells << " cells ("
            << std::size(kOps) << " operations x " << fault_count << " faults), " << passed
            << " as documented, " << total_requests << " requests, " << unknown
            << " outcome_unknown, " << successes << " verified successes\n";
  CHECK(passed == cells);
  return successes;
}

NativePayClient SetupClient(MerchantConfig const& config) {
  ClientOptions o;
  o.sleep = [](std::chrono::milliseconds) {};
  return NativePayClient::Create(config, o).value();
}

// The direct backend's matrix, through the blocking or the asynchronous calls.
void RunDirectMatrix(bool async, int first_cell) {
  SandboxFixture f;
  auto config = f.Config();
  config.notify_url = kNotifyUrl;
  auto setup = SetupClient(config);

  // Only the delay cells get a short attempt timeout (short enough that delay:1500 always
  // times out): on a loaded machine a 300-500 ms budget for handshake and answer can run out by
  // itself, which would add a retry that the fault did not cause. The call's bound (timeoutMs
  // covers every attempt and wait) leaves room for all three attempts of a GET.
  auto short_timeout = config;
  short_timeout.timeouts.total = std::chrono::milliseconds(2500);
  short_timeout.timeouts.attempt = std::chrono::milliseconds(500);
  MatrixRun run{f, setup, config, short_timeout, false, first_cell};
  run.async = async;
  auto const successes = RunMatrix(run, kFaults, std::size(kFaults));
  CHECK(successes == 2);  // close x truncate and close x endless-body: a 204 has no body
}

TEST_CASE("fault matrix: every operation x every fault reports the documented outcome",
          "[fault-matrix]") {
  RunDirectMatrix(false, 0);
}

TEST_CASE("fault matrix (asynchronous): the same cells through the I/O thread, the same outcomes",
          "[fault-matrix][async]") {
  RunDirectMatrix(true, 1000);
}

TEST_CASE("fault matrix (gateway): hostile answers end at the size limits, never retried",
          "[fault-matrix]") {
  SandboxFixture f;
  auto direct = f.Config();
  direct.notify_url = kNotifyUrl;
  auto setup = SetupClient(direct);
  auto gateway = f.sandbox().GatewayClientConfig();
  REQUIRE(gateway.ok());
  auto const successes = RunMatrix(MatrixRun{f, setup, gateway.value(), gateway.value(), true, 500},
                                   kGatewayFaults, std::size(kGatewayFaults));
  CHECK(successes == 0);
}

}  // namespace
}  // namespace wechatpay
