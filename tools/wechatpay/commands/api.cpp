// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The API commands: order, query, close, refund, refund-query, and request (any API v3 path).
// Arguments are parsed and the
// client created (which checks the whole configuration) before anything is sent; the library
// validates each request against the documented rules before sending it.

#include <iostream>

#include "cli.hpp"
#include "common/json_text.hpp"

namespace wechatpay::cli {
namespace {

// Parses the command line and builds the client; returns nullopt (with exit_code set) on error.
std::optional<std::pair<Args, NativePayClient>> Prepare(CommandSpec const& spec,
                                                        std::vector<std::string> const& argv,
                                                        GlobalOptions& globals, int& exit_code) {
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return std::nullopt;
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return std::nullopt;
  auto client = MakeApiClient(*config, globals);
  if (!Check(client, exit_code)) return std::nullopt;
  return std::make_pair(*std::move(args), *std::move(client));
}

// Reads an amount in fen. Whether it is positive is the library's rule, checked before sending.
bool ReadAmount(Args const& args, std::string const& name, std::int64_t& out, int& exit_code) {
  auto text = Required(args, name);
  if (!Check(text, exit_code)) return false;
  auto value = ParseIntegerOption(name, *text);
  if (!Check(value, exit_code)) return false;
  out = *value;
  return true;
}

// Exactly one of --out-trade-no and --transaction-id.
bool OrderKey(Args const& args, std::optional<std::string>& out_trade_no,
              std::optional<std::string>& transaction_id, int& exit_code) {
  out_trade_no = args.Get("out-trade-no");
  transaction_id = args.Get("transaction-id");
  if (out_trade_no.has_value() == transaction_id.has_value()) {
    exit_code = UsageError("give exactly one of --out-trade-no and --transaction-id");
    return false;
  }
  return true;
}

}  // namespace

int RunOrder(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "order",
      "order --out-trade-no X --description D --total FEN [--currency CNY] "
      "[--time-expire RFC3339] [--attach TEXT] [--goods-tag TAG] [--notify-url URL] "
      "[--use-service-account]",
      {"out-trade-no", "description", "total", "currency", "time-expire", "attach", "goods-tag",
       "notify-url"},
      {"use-service-account"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto prepared = Prepare(spec, argv, globals, exit_code);
  if (!prepared) return exit_code;
  auto& [args, client] = *prepared;
  NativePrepayRequest request;
  auto out_trade_no = Required(args, "out-trade-no");
  if (!Check(out_trade_no, exit_code)) return exit_code;
  auto description = Required(args, "description");
  if (!Check(description, exit_code)) return exit_code;
  request.out_trade_no = *out_trade_no;
  request.description = *description;
  if (!ReadAmount(args, "total", request.amount.total, exit_code)) return exit_code;
  request.amount.currency = args.Get("currency");
  request.time_expire = args.Get("time-expire");
  request.attach = args.Get("attach");
  request.goods_tag = args.Get("goods-tag");
  request.notify_url = args.Get("notify-url");
  request.use_service_account = args.Has("use-service-account");
  auto response = client.NativePrepay(request);
  if (!response) return Fail(response.status());
  PrintLine("{\"code_url\":" + internal::JsonQuote(response->code_url) + "}");
  return kExitOk;
}

int RunQuery(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"query",
                         "query (--out-trade-no X | --transaction-id Y)",
                         {"out-trade-no", "transaction-id"},
                         {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto prepared = Prepare(spec, argv, globals, exit_code);
  if (!prepared) return exit_code;
  auto& [args, client] = *prepared;
  std::optional<std::string> out_trade_no, transaction_id;
  if (!OrderKey(args, out_trade_no, transaction_id, exit_code)) return exit_code;
  auto transaction = out_trade_no ? client.QueryOrderByOutTradeNo(*out_trade_no)
                                  : client.QueryOrderById(*transaction_id);
  if (!transaction) return Fail(transaction.status());
  PrintLine(transaction->raw_json);
  return kExitOk;
}

int RunClose(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"close", "close --out-trade-no X", {"out-trade-no"}, {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto prepared = Prepare(spec, argv, globals, exit_code);
  if (!prepared) return exit_code;
  auto& [args, client] = *prepared;
  auto out_trade_no = Required(args, "out-trade-no");
  if (!Check(out_trade_no, exit_code)) return exit_code;
  auto closed = client.CloseOrder(*out_trade_no);
  if (!closed) return Fail(closed.status());
  PrintLine("{}");
  return kExitOk;
}

int RunRefund(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "refund",
      "refund (--out-trade-no X | --transaction-id Y) --out-refund-no R --refund FEN --total FEN "
      "[--currency CNY] [--reason TEXT] [--notify-url URL]",
      {"out-trade-no", "transaction-id", "out-refund-no", "refund", "total", "currency", "reason",
       "notify-url"},
      {}};
  // `refund abnormal ...` is its own command; `refund --...` creates a refund as always.
  std::vector<std::string> rest = argv;
  if (TakeWord(rest, spec.value_options) == std::optional<std::string>("abnormal")) {
    return RunRefundAbnormal(rest, globals);
  }
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto prepared = Prepare(spec, argv, globals, exit_code);
  if (!prepared) return exit_code;
  auto& [args, client] = *prepared;
  CreateRefundRequest request;
  if (!OrderKey(args, request.out_trade_no, request.transaction_id, exit_code)) return exit_code;
  auto out_refund_no = Required(args, "out-refund-no");
  if (!Check(out_refund_no, exit_code)) return exit_code;
  request.out_refund_no = *out_refund_no;
  if (!ReadAmount(args, "refund", request.amount.refund, exit_code)) return exit_code;
  if (!ReadAmount(args, "total", request.amount.total, exit_code)) return exit_code;
  if (auto currency = args.Get("currency")) request.amount.currency = *currency;
  request.reason = args.Get("reason");
  request.notify_url = args.Get("notify-url");
  auto refund = client.CreateRefund(request);
  if (!refund) return Fail(refund.status());
  PrintLine(refund->raw_json);
  return kExitOk;
}

int RunRefundQuery(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"refund-query", "refund-query --out-refund-no R", {"out-refund-no"}, {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto prepared = Prepare(spec, argv, globals, exit_code);
  if (!prepared) return exit_code;
  auto& [args, client] = *prepared;
  auto out_refund_no = Required(args, "out-refund-no");
  if (!Check(out_refund_no, exit_code)) return exit_code;
  auto refund = client.QueryRefund(*out_refund_no);
  if (!refund) return Fail(refund.status());
  PrintLine(refund->raw_json);
  return kExitOk;
}

// Any API v3 endpoint: `request METHOD PATH [--body JSON | --body-file F]`. The verified answer's
// body goes to stdout exactly as received (pipe it to jq); its status and Request-ID to stderr.
int RunRequest(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "request", "request METHOD PATH [--body JSON | --body-file FILE]", {"body", "body-file"}, {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  std::vector<std::string> rest = argv;
  auto method = TakeWord(rest, spec.value_options);
  auto path = TakeWord(rest, spec.value_options);
  if (!method || !path) {
    return UsageError("request needs METHOD and PATH, e.g. request GET /v3/certificates");
  }
  int exit_code = 0;
  auto prepared = Prepare(spec, rest, globals, exit_code);
  if (!prepared) return exit_code;
  auto& [args, client] = *prepared;
  auto body = ReadBody(args);
  if (!Check(body, exit_code)) return exit_code;
  auto answer = client.Request({*method, *path, *body});
  if (!answer) return Fail(answer.status());
  std::cerr << "HTTP " << answer->meta.http_status << " Request-ID "
            << (answer->meta.request_id.empty() ? "-" : answer->meta.request_id) << "\n";
  std::cout << answer->body;
  if (!answer->body.empty() && answer->body.back() != '\n') std::cout << "\n";
  std::cout.flush();
  return kExitOk;
}

}  // namespace wechatpay::cli
