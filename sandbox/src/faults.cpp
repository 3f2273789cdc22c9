// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "faults.hpp"

#include <cstdlib>

#include "json_util.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::int64_t kMaxDelayMs = 600000;

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, "sandbox fault: " + std::move(message));
}

std::optional<std::int64_t> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

StatusOr<FaultAction> ParseFaultAction(std::string_view text) {
  FaultAction action;
  action.text = std::string(text);
  static constexpr std::pair<std::string_view, FaultKind> kSimple[] = {
      {"drop", FaultKind::kDrop},
      {"bad-signature", FaultKind::kBadSignature},
      {"signtest", FaultKind::kSignTest},
      {"no-signature", FaultKind::kNoSignature},
      {"stale-timestamp", FaultKind::kStaleTimestamp},
      {"wrong-serial", FaultKind::kWrongSerial},
      {"truncate", FaultKind::kTruncate},
      {"endless-body", FaultKind::kEndlessBody},
      {"huge-header", FaultKind::kHugeHeader},
  };
  for (auto const& [name, kind] : kSimple) {
    if (text == name) {
      action.kind = kind;
      return action;
    }
  }
  if (text.rfind("status:", 0) == 0) {
    auto code = ParseNumber(text.substr(7));
    // 2xx answers other than 202 need a body the fault cannot invent; 202 ("accepted, not
    // processed") is WeChat's retry-me answer.
    if (!code || !(*code == 202 || (*code >= 400 && *code <= 599))) {
      return Invalid("status:CODE needs CODE 202 or 400-599 (got '" + std::string(text) + "')");
    }
    action.kind = FaultKind::kStatus;
    action.status = static_cast<int>(*code);
    return action;
  }
  if (text.rfind("delay:", 0) == 0) {
    auto ms = ParseNumber(text.substr(6));
    if (!ms || *ms > kMaxDelayMs) {
      return Invalid("delay:MS needs MS in 0-600000 (got '" + std::string(text) + "')");
    }
    action.kind = FaultKind::kDelay;
    action.delay = std::chrono::milliseconds(*ms);
    return action;
  }
  return Invalid("unknown action '" + std::string(text) +
                 "' (status:CODE, delay:MS, drop, bad-signature, signtest, no-signature, "
                 "stale-timestamp, wrong-serial, truncate, endless-body, huge-header)");
}

StatusOr<std::int64_t> FaultRegistry::Add(Fault const& fault) {
  auto action = ParseFaultAction(fault.action);
  if (!action) return action.status();
  if (fault.count < 1) return Invalid("count must be at least 1");
  Entry entry;
  entry.method = fault.method == "*" ? std::string() : fault.method;
  entry.path = fault.path;
  try {
    entry.regex = std::regex(fault.path, std::regex::ECMAScript);
  } catch (std::regex_error const& e) {
    return Invalid("path '" + fault.path + "' is not a regular expression: " + e.what());
  }
  entry.action = *std::move(action);
  entry.remaining = fault.count;
  std::lock_guard<std::mutex> lock(mu_);
  entry.id = next_id_++;
  entries_.push_back(std::move(entry));
  return entries_.back().id;
}

void FaultRegistry::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

std::optional<FaultAction> FaultRegistry::Take(std::string_view method, std::string const& path) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!it->method.empty() && it->method != method) continue;
    if (!it->path.empty() && !std::regex_search(path, it->regex)) continue;
    FaultAction action = it->action;
    if (--it->remaining == 0) entries_.erase(it);
    return action;
  }
  return std::nullopt;
}

std::string FaultRegistry::ListJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> items;
  for (auto const& entry : entries_) {
    items.push_back(JsonObject()
                        .Int("id", entry.id)
                        .Str("method", entry.method.empty() ? "*" : entry.method)
                        .Str("path", entry.path)
                        .Str("action", entry.action.text)
                        .Int("remaining", entry.remaining)
                        .Build());
  }
  return JsonObject().Raw("faults", JsonArray(items)).Build();
}

}  // namespace wechatpay::sandbox::internal
