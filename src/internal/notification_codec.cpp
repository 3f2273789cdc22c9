// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "internal/notification_codec.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace wechatpay::internal {
namespace {

// RapidJSON recurses once per nesting level; a notification nests 3 levels, its resource 4.
constexpr int kMaxNesting = 32;

// Validating the encoding costs little and means every string handed to the application (and
// printed by the CLI) is valid UTF-8.
constexpr unsigned kParseFlags = rapidjson::kParseValidateEncodingFlag;

// Rejects NUL bytes (RapidJSON reads NUL as the end of the input, so "{}\0junk" would pass) and
// nesting deeper than kMaxNesting, in one pass before RapidJSON sees the text.
std::string PreScan(std::string_view json) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : json) {
    if (c == '\0') return "contains a NUL byte";
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxNesting) return "nests deeper than " + std::to_string(kMaxNesting);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return {};
}

// Parses `text` into `doc` as one JSON object; `field` and `what` name it in errors.
Status ParseObject(std::string_view text, std::string_view field, std::string_view what,
                   rapidjson::Document& doc) {
  std::string const prefix = std::string(what) + " is not a JSON object: ";
  if (auto problem = PreScan(text); !problem.empty()) {
    return NotificationError(field, prefix + "the text " + problem);
  }
  // RapidJSON asserts on a null pointer even for length 0.
  doc.Parse<kParseFlags>(text.empty() ? "" : text.data(), text.size());
  if (doc.HasParseError()) {
    return NotificationError(field, prefix + rapidjson::GetParseError_En(doc.GetParseError()) +
                                        " at offset " + std::to_string(doc.GetErrorOffset()));
  }
  if (!doc.IsObject()) return NotificationError(field, prefix + "the JSON value is not an object");
  return {};
}

// Reads members of one object, keeping the first error (later reads become no-ops), so a
// reader is a list of fields and one check at the end. JSON null reads as absent.
class Reader {
 public:
  Reader(rapidjson::Value const& object, std::string path, Status* error)
      : object_(object), path_(std::move(path)), error_(error) {}

  std::string PathOf(char const* name) const { return path_ + name; }

  // A string member; `required` means present and non-empty.
  void String(char const* name, std::string& out, bool required) {
    std::optional<std::string> value;
    String(name, value);
    if (value) {
      out = std::move(*value);
    }
    if (required && out.empty()) Missing(name, "a non-empty string");
  }

  void String(char const* name, std::optional<std::string>& out) {
    auto const* v = Find(name);
    if (v == nullptr) return;
    if (!v->IsString()) return Fail(name, "must be a string");
    out.emplace(v->GetString(), v->GetStringLength());
  }

  // A required integer (int64; 1.0, "1" and out-of-range numbers are refused).
  void Integer(char const* name, std::int64_t& out) {
    auto const* v = Find(name);
    if (v == nullptr) return Missing(name, "an integer");
    if (!v->IsInt64()) return Fail(name, "must be an integer");
    out = v->GetInt64();
  }

  // A required object, or nullptr.
  rapidjson::Value const* Object(char const* name) {
    auto const* v = Find(name);
    if (v == nullptr) {
      Missing(name, "an object");
      return nullptr;
    }
    if (!v->IsObject()) {
      Fail(name, "must be an object");
      return nullptr;
    }
    return v;
  }

 private:
  rapidjson::Value const* Find(char const* name) const {
    if (!error_->ok()) return nullptr;
    auto it = object_.FindMember(name);
    if (it == object_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }

  void Missing(char const* name, char const* kind) {
    if (error_->ok()) Fail(name, std::string("is missing (must be ") + kind + ")");
  }

  void Fail(char const* name, std::string const& rule) {
    if (!error_->ok()) return;
    *error_ = NotificationError(PathOf(name), PathOf(name) + " " + rule);
  }

  rapidjson::Value const& object_;
  std::string path_;
  Status* error_;
};

}  // namespace

Status NotificationError(std::string_view field, std::string message) {
  ErrorInfo info;
  info.field = std::string(field);
  return Status(StatusCode::kMalformedResponse, "notification rejected: " + std::move(message),
                std::move(info));
}

StatusOr<NotificationEnvelope> ParseNotificationEnvelope(std::string_view body) {
  rapidjson::Document doc;
  if (auto status = ParseObject(body, "envelope", "the notification body", doc); !status.ok()) {
    return status;
  }
  Status error;
  NotificationEnvelope e;
  Reader r(doc, "", &error);
  r.String("id", e.id, /*required=*/true);
  r.String("create_time", e.create_time, false);
  r.String("event_type", e.event_type, /*required=*/true);
  r.String("resource_type", e.resource_type, false);
  r.String("summary", e.summary, false);
  if (auto const* resource = r.Object("resource")) {
    Reader rr(*resource, "resource.", &error);
    rr.String("original_type", e.original_type, false);
    rr.String("algorithm", e.algorithm, false);
    rr.String("ciphertext", e.ciphertext, /*required=*/true);
    rr.String("nonce", e.nonce, /*required=*/true);
    // May be empty; absent reads as "" as in the official Java SDK. The GCM tag covers it.
    rr.String("associated_data", e.associated_data, false);
  }
  if (!error.ok()) return error;
  return e;
}

Status CheckPlaintextIsJsonObject(std::string_view text) {
  rapidjson::Document doc;
  return ParseObject(text, "plaintext", "the decrypted resource", doc);
}

StatusOr<RefundNotification> ParseRefundNotification(std::string_view text) {
  rapidjson::Document doc;
  if (auto status = ParseObject(text, "plaintext", "the decrypted resource", doc); !status.ok()) {
    return status;
  }
  Status error;
  RefundNotification n;
  Reader r(doc, "plaintext.", &error);
  r.String("mchid", n.mchid, /*required=*/true);
  r.String("transaction_id", n.transaction_id, /*required=*/true);
  r.String("out_trade_no", n.out_trade_no, /*required=*/true);
  r.String("refund_id", n.refund_id, /*required=*/true);
  r.String("out_refund_no", n.out_refund_no, /*required=*/true);
  r.String("refund_status", n.refund_status, /*required=*/true);
  r.String("success_time", n.success_time);
  r.String("user_received_account", n.user_received_account);
  if (auto const* amount = r.Object("amount")) {
    Reader ar(*amount, "plaintext.amount.", &error);
    ar.Integer("total", n.amount.total);
    ar.Integer("refund", n.amount.refund);
    ar.Integer("payer_total", n.amount.payer_total);
    ar.Integer("payer_refund", n.amount.payer_refund);
  }
  if (!error.ok()) return error;
  n.raw_json = std::string(text);
  return n;
}

}  // namespace wechatpay::internal
