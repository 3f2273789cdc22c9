// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The stored names of states and sources: stable, distinct, and parsed back exactly.
#include <set>
#include <string>
#include <vector>

#include "catch.hpp"
#include "wechatpay/ledger/records.hpp"

namespace wechatpay {
namespace {

TEST_CASE("Order states have stable names that parse back", "[ledger][records]") {
  std::vector<LedgerOrderState> const all = {
      LedgerOrderState::kCreating,    LedgerOrderState::kNotPaid, LedgerOrderState::kPaid,
      LedgerOrderState::kClosed,      LedgerOrderState::kRevoked, LedgerOrderState::kPayError,
      LedgerOrderState::kCreateFailed};
  std::set<std::string> names;
  for (auto state : all) {
    auto name = std::string(LedgerOrderStateName(state));
    INFO(name);
    CHECK(name != "UNKNOWN");
    CHECK(ParseLedgerOrderState(name) == state);
    names.insert(name);
  }
  CHECK(names.size() == all.size());
  CHECK(LedgerOrderStateName(LedgerOrderState::kPaid) == "PAID");
  CHECK(LedgerOrderStateName(LedgerOrderState::kNotPaid) == "NOT_PAID");
  CHECK(LedgerOrderStateName(LedgerOrderState::kCreateFailed) == "CREATE_FAILED");
  CHECK_FALSE(ParseLedgerOrderState("paid").has_value());  // exact, case-sensitive
  CHECK_FALSE(ParseLedgerOrderState("").has_value());
  CHECK_FALSE(ParseLedgerOrderState("NOTPAY").has_value());  // WeChat's name, not the ledger's
}

TEST_CASE("Refund states have stable names that parse back", "[ledger][records]") {
  std::vector<LedgerRefundState> const all = {
      LedgerRefundState::kCreating, LedgerRefundState::kProcessing,
      LedgerRefundState::kSuccess,  LedgerRefundState::kClosed,
      LedgerRefundState::kAbnormal, LedgerRefundState::kCreateFailed};
  std::set<std::string> names;
  for (auto state : all) {
    auto name = std::string(LedgerRefundStateName(state));
    INFO(name);
    CHECK(name != "UNKNOWN");
    CHECK(ParseLedgerRefundState(name) == state);
    names.insert(name);
  }
  CHECK(names.size() == all.size());
  CHECK(LedgerRefundStateName(LedgerRefundState::kProcessing) == "PROCESSING");
  CHECK(LedgerRefundStateName(LedgerRefundState::kAbnormal) == "ABNORMAL");
  CHECK_FALSE(ParseLedgerRefundState("processing").has_value());
}

TEST_CASE("Sources have stable names that parse back", "[ledger][records]") {
  std::vector<LedgerSource> const all = {LedgerSource::kClient, LedgerSource::kCallback,
                                         LedgerSource::kQuery, LedgerSource::kReconciler,
                                         LedgerSource::kApplication};
  std::set<std::string> names;
  for (auto source : all) {
    auto name = std::string(LedgerSourceName(source));
    INFO(name);
    CHECK(name != "UNKNOWN");
    CHECK(ParseLedgerSource(name) == source);
    names.insert(name);
  }
  CHECK(names.size() == all.size());
  CHECK(LedgerSourceName(LedgerSource::kCallback) == "CALLBACK");
  CHECK_FALSE(ParseLedgerSource("WEBHOOK").has_value());
}

}  // namespace
}  // namespace wechatpay
