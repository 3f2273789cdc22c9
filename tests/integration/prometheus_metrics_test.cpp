// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// examples/prometheus_metrics --sandbox: started as a child process, /metrics scraped. The page
// must be valid Prometheus text (a # HELP and a # TYPE line before each metric's samples,
// every sample line well formed, cumulative histogram buckets) and its counters must match
// the calls the example made: two orders, two queries, one query of a missing order.

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/background_process.hpp"

namespace wechatpay {
namespace {

using testing::BackgroundProcess;

TEST_CASE("prometheus_metrics --sandbox serves its calls as Prometheus text", "[examples]") {
  std::string const program = WECHATPAY_PROMETHEUS_METRICS_PATH;
  if (program.empty() || access(program.c_str(), X_OK) != 0) {
    WARN("prometheus_metrics was not built (cpp-httplib missing)");
    return;
  }
  BackgroundProcess process(program, {"--sandbox", "--listen", "127.0.0.1:0"});
  auto const first = process.ReadLine(std::chrono::seconds(60));
  REQUIRE(first);
  REQUIRE(first->rfind("listening on http://127.0.0.1:", 0) == 0);
  httplib::Client client(first->substr(std::string("listening on ").size()));
  client.set_read_timeout(10, 0);
  auto res = client.Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);

  // Parse: metric families (HELP, TYPE) and samples (name{labels} -> value).
  std::map<std::string, std::string> types;
  std::map<std::string, bool> helped;
  std::map<std::string, std::string> samples;
  std::regex const sample_line(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*")*\})? ([-+]?[0-9.eE+-]+|\+Inf|NaN))");
  std::istringstream lines(res->body);
  std::string line;
  int sample_count = 0;
  while (std::getline(lines, line)) {
    CAPTURE(line);
    if (line.rfind("# HELP ", 0) == 0) {
      auto const name = line.substr(7, line.find(' ', 7) - 7);
      CHECK_FALSE(helped[name]);  // once per family
      helped[name] = true;
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      CHECK(helped[name]);  // HELP comes first
      CHECK((type == "counter" || type == "histogram"));
      CHECK(types.count(name) == 0);
      types[name] = type;
      continue;
    }
    std::smatch match;
    REQUIRE(std::regex_match(line, match, sample_line));
    ++sample_count;
    std::string family = match[1];
    // A histogram's samples belong to the family without the _bucket/_sum/_count suffix.
    for (char const* suffix : {"_bucket", "_sum", "_count"}) {
      std::string const s(suffix);
      if (family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0 &&
          types.count(family.substr(0, family.size() - s.size())) != 0) {
        family = family.substr(0, family.size() - s.size());
      }
    }
    CHECK(types.count(family) == 1);  // its TYPE line came before
    samples[std::string(match[1]) + std::string(match[2])] = match[4];
  }
  CHECK(sample_count > 10);
  CHECK(types["wechatpay_calls_total"] == "counter");
  CHECK(types["wechatpay_attempts_total"] == "counter");
  CHECK(types["wechatpay_retries_total"] == "counter");
  CHECK(types["wechatpay_call_duration_seconds"] == "histogram");

  // The calls the example made: two orders (OK), two queries of them (OK), one query of an
  // order that does not exist (WeChat's 404 ORDER_NOT_EXIST: not retried).
  CHECK(samples[R"(wechatpay_calls_total{operation="native_prepay",outcome="OK"})"] == "2");
  CHECK(samples[R"(wechatpay_calls_total{operation="query_order_by_out_trade_no",outcome="OK"})"] ==
        "2");
  CHECK(
      samples
          [R"(wechatpay_calls_total{operation="query_order_by_out_trade_no",outcome="SERVICE_ERROR"})"] ==
      "1");
  CHECK(samples[R"(wechatpay_attempts_total{operation="native_prepay"})"] == "2");
  CHECK(samples[R"(wechatpay_attempts_total{operation="query_order_by_out_trade_no"})"] == "3");
  std::string const query = R"({operation="query_order_by_out_trade_no")";
  CHECK(samples["wechatpay_call_duration_seconds_count" + query + "}"] == "3");
  CHECK(samples["wechatpay_call_duration_seconds_bucket" + query + R"(,le="+Inf"})"] == "3");
  // Buckets are cumulative: never decreasing with the bound.
  double previous = 0;
  for (char const* le :
       {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"}) {
    auto const key =
        "wechatpay_call_duration_seconds_bucket" + query + ",le=\"" + std::string(le) + "\"}";
    CAPTURE(key);
    REQUIRE(samples.count(key) == 1);
    double const value = std::stod(samples[key]);
    CHECK(value >= previous);
    previous = value;
  }
  CHECK(process.Terminate(std::chrono::seconds(10)) == 0);
}

}  // namespace
}  // namespace wechatpay
