// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay reconcile --bill-date`: the usage errors, which are found before any file or
// database is opened (exit code 2).

#include <string>

#include "catch.hpp"
#include "support/run_process.hpp"

namespace wechatpay {
namespace {

using testing::RunCli;

TEST_CASE("wechatpay reconcile --bill-date refuses bad usage with exit code 2", "[ledger][cli]") {
  auto bad_date = RunCli({"reconcile", "--ledger", "sqlite:/nonexistent/x.db", "--bill-date",
                          "2026-02-30", "--bill-file", "/nonexistent/bill.csv"});
  CHECK(bad_date.exit_code == 2);
  CHECK(bad_date.err.find("--bill-date: bill_date is not a real date") != std::string::npos);

  auto no_date = RunCli({"reconcile", "--ledger", "sqlite:/nonexistent/x.db", "--bill-file",
                         "/nonexistent/bill.csv"});
  CHECK(no_date.exit_code == 2);
  CHECK(no_date.err.find("--bill-file needs --bill-date") != std::string::npos);

  auto watch = RunCli({"reconcile", "--ledger", "sqlite:/nonexistent/x.db", "--bill-date",
                       "2026-12-06", "--bill-file", "/nonexistent/bill.csv", "--watch"});
  CHECK(watch.exit_code == 2);
}

}  // namespace
}  // namespace wechatpay
