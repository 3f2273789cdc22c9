// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/request_auth.hpp"

#include <cstdlib>

#include "http/json_util.hpp"
#include "wechatpay/protocol/constants.hpp"

namespace wechatpay::sandbox::internal {
namespace {

// The wire constants are the SDK's (wechatpay/protocol/constants.hpp, each pinned to its
// documented value by tests/unit/wire_constants_test.cpp).
constexpr std::string_view kScheme = wechatpay::kAuthorizationScheme;
// WeChat's tolerance is not published (docs/protocol.md, "The request timestamp window"); 5 minutes
// is what its troubleshooting guide and the SDKs' response checks use, with "≥ 300 s" refused as
// the Go and Java SDKs do.
constexpr std::int64_t kToleranceSeconds = wechatpay::kTimestampWindow.count();
// Observed WeChat messages (docs/protocol.md, "Request signing").
constexpr char kFormatMessage[] =
    "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》";
constexpr char kMissingMessage[] =
    "Http头缺少Authorization，请参考《微信支付商户REST API签名规则》";

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::string* FieldSlot(AuthorizationFields& fields, std::string_view key) {
  if (key == "mchid") return &fields.mchid;
  if (key == "nonce_str") return &fields.nonce_str;
  if (key == "timestamp") return &fields.timestamp;
  if (key == "serial_no") return &fields.serial_no;
  if (key == "signature") return &fields.signature;
  return nullptr;
}

// The message WeChat verifies: five lines, each ending in '\n', the last one included.
std::string SignMessage(std::string_view method, std::string_view target,
                        std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string message;
  message.reserve(method.size() + target.size() + timestamp.size() + nonce.size() + body.size() +
                  5);
  for (auto part : {method, target, timestamp, nonce, body}) {
    message.append(part);
    message.push_back('\n');
  }
  return message;
}

// `answer` with the reason the request log shows (exchange.hpp, Answer::refusal).
Answer Refused(Answer answer, std::string reason) {
  answer.refusal = std::move(reason);
  return answer;
}

}  // namespace

std::optional<AuthorizationFields> ParseAuthorization(std::string_view header) {
  if (header.size() <= kScheme.size() + 1 || header.substr(0, kScheme.size()) != kScheme ||
      header[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  AuthorizationFields fields;
  std::string_view rest = header.substr(kScheme.size() + 1);
  while (!rest.empty()) {
    // Spaces between parameters are tolerated: the SDKs write none, but the order of the five
    // parameters is free ("无顺序要求") and a reader should not be stricter than that.
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    auto const eq = rest.find("=\"");
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view const key = rest.substr(0, eq);
    auto const close = rest.find('"', eq + 2);
    if (close == std::string_view::npos) return std::nullopt;
    std::string* slot = FieldSlot(fields, key);
    if (slot == nullptr || !slot->empty()) return std::nullopt;
    *slot = std::string(rest.substr(eq + 2, close - eq - 2));
    if (slot->empty()) return std::nullopt;
    rest.remove_prefix(close + 1);
    if (rest.empty()) break;
    if (rest.front() != ',') return std::nullopt;
    rest.remove_prefix(1);
  }
  for (auto* value : {&fields.mchid, &fields.nonce_str, &fields.timestamp, &fields.serial_no,
                      &fields.signature}) {
    if (value->empty()) return std::nullopt;
  }
  return fields;
}

Answer SignError(std::string_view message, std::string_view detail_json) {
  return WeChatError(401, "SIGN_ERROR", message, wechat_code::kSignError, detail_json);
}

std::optional<Answer> RequestAuthenticator::Check(Inbound const& request, std::int64_t now) const {
  if (request.headers.Get("Accept").empty() || request.headers.Get("User-Agent").empty()) {
    return Refused(WeChatError(400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent"),
                   "missing header Accept or User-Agent");
  }
  auto const* header = request.headers.Find("Authorization");
  if (header == nullptr || header->empty()) {
    return Refused(SignError(kMissingMessage), "missing header Authorization");
  }
  auto fields = ParseAuthorization(*header);
  if (!fields) {
    return Refused(SignError(kFormatMessage),
                   "malformed Authorization: not WECHATPAY2-SHA256-RSA2048 with mchid, nonce_str, "
                   "timestamp, serial_no and signature, each once and quoted");
  }
  if (fields->mchid != merchant_id_) {
    return Refused(
        SignError("Http头Authorization中的商户号mchid(" + fields->mchid +
                  ")不存在或与签名证书不匹配"),
        "unknown mchid in Authorization (the sandbox's merchant is " + merchant_id_ + ")");
  }
  if (!EqualsIgnoreCase(fields->serial_no, serial_number_)) {
    // Serial numbers are public (they are in the certificate), so both are shown.
    return Refused(SignError("商户证书序列号有误。请使用签名私钥匹配的证书序列号"),
                   "unknown serial_no " + fields->serial_no +
                       " in Authorization (the merchant certificate's is " + serial_number_ + ")");
  }
  if (!AllDigits(fields->timestamp) || fields->timestamp.size() > 12) {
    return Refused(SignError("Http头Authorization中的timestamp必须是以秒为单位的Unix时间戳"),
                   "timestamp in Authorization is not Unix time in seconds");
  }
  std::int64_t const timestamp = std::strtoll(fields->timestamp.c_str(), nullptr, 10);
  std::int64_t const skew = timestamp > now ? timestamp - now : now - timestamp;
  if (skew >= kToleranceSeconds) {
    return Refused(
        SignError("Http头Authorization中的timestamp与服务器时间相差超过5分钟，请检查系统时间"),
        "stale timestamp: " + std::to_string(skew) + " s " +
            (timestamp > now ? "ahead of" : "behind") + " the sandbox's clock (at most " +
            std::to_string(kToleranceSeconds - 1) + " s)");
  }
  std::string const message = SignMessage(request.method, request.target, fields->timestamp,
                                          fields->nonce_str, request.body);
  if (!key_.VerifySha256(message, fields->signature).ok()) {
    // The shape WeChat was observed to answer with (docs/protocol.md, "Error body"): where to look,
    // and the start of the message it verified, which is what a developer compares with their own.
    std::string const sign_information =
        JsonObject()
            .Str("method", request.method)
            .Int("sign_message_length", static_cast<std::int64_t>(message.size()))
            .Str("truncated_sign_message", message.substr(0, 200))
            .Str("url", request.target)
            .Build();
    std::string const detail = JsonObject()
                                   .Raw("detail", R"({"issue":"sign not match"})")
                                   .Str("field", "signature")
                                   .Str("location", "authorization")
                                   .Raw("sign_information", sign_information)
                                   .Build();
    // The message's shape, not its contents (the query may hold values that are secrets).
    return Refused(SignError("签名错误，请检查后再试", detail),
                   "bad signature: does not verify with the merchant certificate's public key "
                   "over METHOD\\nTARGET\\nTIMESTAMP\\nNONCE\\nBODY\\n (" +
                       std::to_string(message.size()) + " bytes, body " +
                       std::to_string(request.body.size()) + " bytes)");
  }
  return std::nullopt;
}

}  // namespace wechatpay::sandbox::internal
