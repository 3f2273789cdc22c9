// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The stored names of the ledger's states and sources. They are written into the database, so
// they never change once released; each Parse* is the exact inverse of its *Name.
#include "wechatpay/ledger/records.hpp"

#include <array>
#include <utility>

namespace wechatpay {
namespace {

template <typename Enum, std::size_t N>
std::string_view NameIn(std::array<std::pair<Enum, std::string_view>, N> const& table, Enum value) {
  for (auto const& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "UNKNOWN";  // only for a value outside the enum
}

template <typename Enum, std::size_t N>
std::optional<Enum> ParseIn(std::array<std::pair<Enum, std::string_view>, N> const& table,
                            std::string_view name) {
  for (auto const& [value, candidate] : table) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<LedgerOrderState, std::string_view>, 7> kOrderStates{{
    {LedgerOrderState::kCreating, "CREATING"},
    {LedgerOrderState::kNotPaid, "NOT_PAID"},
    {LedgerOrderState::kPaid, "PAID"},
    {LedgerOrderState::kClosed, "CLOSED"},
    {LedgerOrderState::kRevoked, "REVOKED"},
    {LedgerOrderState::kPayError, "PAY_ERROR"},
    {LedgerOrderState::kCreateFailed, "CREATE_FAILED"},
}};

constexpr std::array<std::pair<LedgerRefundState, std::string_view>, 6> kRefundStates{{
    {LedgerRefundState::kCreating, "CREATING"},
    {LedgerRefundState::kProcessing, "PROCESSING"},
    {LedgerRefundState::kSuccess, "SUCCESS"},
    {LedgerRefundState::kClosed, "CLOSED"},
    {LedgerRefundState::kAbnormal, "ABNORMAL"},
    {LedgerRefundState::kCreateFailed, "CREATE_FAILED"},
}};

constexpr std::array<std::pair<LedgerSource, std::string_view>, 5> kSources{{
    {LedgerSource::kClient, "CLIENT"},
    {LedgerSource::kCallback, "CALLBACK"},
    {LedgerSource::kQuery, "QUERY"},
    {LedgerSource::kReconciler, "RECONCILER"},
    {LedgerSource::kApplication, "APPLICATION"},
}};

}  // namespace

std::string_view LedgerOrderStateName(LedgerOrderState state) {
  return NameIn(kOrderStates, state);
}

std::optional<LedgerOrderState> ParseLedgerOrderState(std::string_view name) {
  return ParseIn(kOrderStates, name);
}

std::string_view LedgerRefundStateName(LedgerRefundState state) {
  return NameIn(kRefundStates, state);
}

std::optional<LedgerRefundState> ParseLedgerRefundState(std::string_view name) {
  return ParseIn(kRefundStates, name);
}

std::string_view LedgerSourceName(LedgerSource source) { return NameIn(kSources, source); }

std::optional<LedgerSource> ParseLedgerSource(std::string_view name) {
  return ParseIn(kSources, name);
}

}  // namespace wechatpay
