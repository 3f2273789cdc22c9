// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "control/faults.hpp"

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/json_util.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::int64_t kMaxDelayMs = 600000;

// libstdc++'s default matcher backtracks, exponentially for patterns like (.*)*x, on every
// request; its polynomial one (an extension) does not, and refuses back-references instead.
// Other standard libraries get ECMAScript as it is.
std::regex::flag_type PatternFlags() {
#if defined(__GLIBCXX__)
  return std::regex::ECMAScript | std::regex_constants::__polynomial;
#else
  return std::regex::ECMAScript;
#endif
}

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
      {"corrupt-bill", FaultKind::kCorruptBill},
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
  return Invalid(
      "unknown action '" + std::string(text) +
      "' (status:CODE, delay:MS, drop, bad-signature, signtest, no-signature, "
      "stale-timestamp, wrong-serial, truncate, endless-body, huge-header, corrupt-bill)");
}

StatusOr<std::int64_t> FaultRegistry::Add(Fault const& fault) {
  auto action = ParseFaultAction(fault.action);
  if (!action) return action.status();
  if (fault.count < 1) return Invalid("count must be at least 1");
  if (fault.path.size() > kMaxPatternBytes) {
    return Invalid("path must be a regular expression of at most " +
                   std::to_string(kMaxPatternBytes) + " bytes (got " +
                   std::to_string(fault.path.size()) + ")");
  }
  auto entry = std::make_shared<Entry>();
  entry->method = fault.method == "*" ? std::string() : fault.method;
  entry->path = fault.path;
  try {
    entry->regex = std::regex(fault.path, PatternFlags());
  } catch (std::regex_error const& e) {
    return Invalid("path '" + fault.path + "' is not a regular expression (without " +
                   "back-references): " + e.what());
  }
  entry->action = *std::move(action);
  entry->remaining = fault.count;
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= kMaxPending) {
    return Invalid("at most " + std::to_string(kMaxPending) +
                   " faults can be pending; clear them first");
  }
  entry->id = next_id_++;
  entries_.push_back(entry);
  return entry->id;
}

void FaultRegistry::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  // A Take() matching outside the lock may still hold an entry: used up, it is never taken.
  for (auto const& entry : entries_) entry->remaining = 0;
  entries_.clear();
}

std::optional<FaultAction> FaultRegistry::Take(std::string_view method, std::string const& path) {
  std::vector<std::shared_ptr<Entry>> candidates;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto const& entry : entries_) {
      if (entry->method.empty() || entry->method == method) candidates.push_back(entry);
    }
  }
  // The patterns run without the lock, in order; a fault used up meanwhile by another request
  // is passed over for the next one that matches.
  for (auto const& entry : candidates) {
    if (!entry->path.empty() &&
        (path.size() > kMaxMatchedPathBytes || !std::regex_search(path, entry->regex))) {
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (entry->remaining == 0) continue;
    if (--entry->remaining == 0) entries_.remove(entry);
    return entry->action;
  }
  return std::nullopt;
}

std::string FaultRegistry::ListJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> items;
  for (auto const& entry : entries_) {
    items.push_back(JsonObject()
                        .Int("id", entry->id)
                        .Str("method", entry->method.empty() ? "*" : entry->method)
                        .Str("path", entry->path)
                        .Str("action", entry->action.text)
                        .Int("remaining", entry->remaining)
                        .Build());
  }
  return JsonObject().Raw("faults", JsonArray(items)).Build();
}

}  // namespace wechatpay::sandbox::internal
