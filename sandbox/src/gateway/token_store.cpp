// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "gateway/token_store.hpp"

#include "common/base64.hpp"
#include "http/json_util.hpp"
#include "state/clock.hpp"
#include "state/random_ids.hpp"
#include "state/state_files.hpp"

namespace wechatpay::sandbox::internal {
namespace {

// Tokens expired this long ago are forgotten (then "unknown" instead of "expired").
constexpr std::int64_t kForgetAfterMs = 24 * 3600 * 1000;

std::string Base64Url(std::string_view bytes) {
  std::string text = wechatpay::internal::Base64Encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

}  // namespace

Status TokenStore::Load() {
  if (state_file_.empty() || !IsFile(state_file_)) return Status();
  auto text = ReadTextFile(state_file_);
  if (!text) return text.status();
  rapidjson::Document doc;
  if (!ParseJson(*text, doc) || !doc.IsObject()) {
    return Status(StatusCode::kConfiguration,
                  "sandbox: " + state_file_ + " is not a JSON object; remove it to start afresh");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto const* list = Member(doc, "tokens"); list && list->IsArray()) {
    for (auto const& item : list->GetArray()) {
      auto token = GetString(item, "token");
      if (!token) continue;
      tokens_[*token] =
          Entry{GetBool(item, "anonymous").value_or(false), GetInt(item, "expires_ms").value_or(0)};
    }
  }
  return Status();
}

void TokenStore::SaveLocked() const {
  if (state_file_.empty()) return;
  std::vector<std::string> items;
  for (auto const& [token, entry] : tokens_) {
    items.push_back(JsonObject()
                        .Str("token", token)
                        .Bool("anonymous", entry.anonymous)
                        .Int("expires_ms", entry.expires_ms)
                        .Build());
  }
  // Best effort, like the order state: the token works in memory either way.
  (void)WriteFileAtomic(state_file_, JsonObject().Raw("tokens", JsonArray(items)).Build(), true);
}

std::string TokenStore::Create(TokenOptions const& options) {
  auto const now = SystemClock::now();
  std::int64_t const expires_ms = UnixMillis(now) + options.ttl.count() * 1000;
  std::string const header = Base64Url(R"({"alg":"RS256","kid":"sandbox","typ":"JWT"})");
  std::string const payload = Base64Url(JsonObject()
                                            .Str("iss", "wechatpay-cpp-sandbox")
                                            .Str("sub", RandomUuid())
                                            .Str("scope", options.anonymous ? "anonymous" : "user")
                                            .Int("iat", UnixSeconds(now))
                                            .Int("exp", expires_ms / 1000)
                                            .Build());
  std::string const token = header + "." + payload + "." + Base64Url(RandomAlnum(64));
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    it = it->second.expires_ms + kForgetAfterMs < UnixMillis(now) ? tokens_.erase(it) : ++it;
  }
  tokens_[token] = Entry{options.anonymous, expires_ms};
  SaveLocked();
  return token;
}

TokenStore::Verdict TokenStore::Check(std::string_view token) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return Verdict::kUnknown;
  if (UnixMillis(SystemClock::now()) >= it->second.expires_ms) return Verdict::kExpired;
  return it->second.anonymous ? Verdict::kAnonymous : Verdict::kValid;
}

}  // namespace wechatpay::sandbox::internal
