// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "notify/notification_codec.hpp"

// Every notification's envelope is parsed here, and most of an envelope is one ~1 KiB Base64
// string (the ciphertext). RapidJSON scans strings and whitespace 16 bytes at a time with SSE2,
// but only when RAPIDJSON_SSE2 is defined, and that macro changes the definition of its reader
// classes. So that the rest of the library keeps its one definition of rapidjson:: (no ODR
// clash), this file compiles its own copy of RapidJSON in a private namespace. The SIMD code
// reads up to 15 bytes past the terminating NUL (within an aligned 16-byte block); it runs only
// on in-situ buffers padded for that (ParseObject), never on caller memory.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2) && !defined(RAPIDJSON_SSE42)
#define RAPIDJSON_SSE2
#endif
#define RAPIDJSON_NAMESPACE wechatpay_notification_rapidjson
#define RAPIDJSON_NAMESPACE_BEGIN namespace wechatpay_notification_rapidjson {
#define RAPIDJSON_NAMESPACE_END }
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/printable.hpp"
#include "json/json_duplicates.hpp"
#include "json/json_prescan.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rapidjson = wechatpay_notification_rapidjson;

namespace wechatpay::internal {
namespace {

// Validating the encoding costs little and means every string handed to the application (and
// printed by the CLI) is valid UTF-8.
constexpr unsigned kParseFlags = rapidjson::kParseValidateEncodingFlag;

// RapidJSON 1.1.0's SSE2 string scanners test "c < 0x20" as max(c, 0x19) == 0x19 (reader.h),
// so they let the control characters 0x1A-0x1F through unescaped, where the scalar parser
// refuses them (RFC 8259 §7). True when `text` holds a byte in 0x18-0x1F: such a text must not
// take the SSE2 path (0x18 and 0x19 are flagged too; they are never valid JSON either).
// Found by fuzz/json_models, kept in fuzz/regressions/json_models.
bool HasSse2MissedControl(std::string_view text) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__)
  __m128i const high5 = _mm_set1_epi8(static_cast<char>(0xF8));
  __m128i const x18 = _mm_set1_epi8(0x18);
  for (; text.size() - i >= 16; i += 16) {
    __m128i const v = _mm_loadu_si128(reinterpret_cast<__m128i const*>(text.data() + i));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, high5), x18)) != 0) return true;
  }
#endif
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xF8) == 0x18) return true;
  }
  return false;
}

// A parsed JSON text. The document's strings may point into `text` (in-situ parsing), so the
// two live and die together. The values live in `pool_buffer` (a whole envelope fits) rather
// than in a 64 KiB chunk malloc()ed per parse. Members are destroyed in reverse order: `doc`,
// `allocator`, `pool_buffer`, `text`. Neither copied nor moved: `doc` points at `allocator`,
// which points at `pool_buffer`.
struct ParsedJson {
  ParsedJson() = default;
  ParsedJson(ParsedJson const&) = delete;
  ParsedJson& operator=(ParsedJson const&) = delete;

  std::vector<char> text;
  alignas(std::max_align_t) char pool_buffer[2048];
  rapidjson::MemoryPoolAllocator<> allocator{pool_buffer, sizeof pool_buffer};
  rapidjson::Document doc{&allocator};
};

// Bytes after the terminating NUL of an in-situ buffer: RapidJSON's SSE2 code loads the whole
// aligned 16-byte block that holds the NUL.
constexpr std::size_t kSimdPadding = 16;

// Parses `text` into `parsed.doc` as one JSON object; `field` and `what` name it in errors.
Status ParseObject(std::string_view text, std::string_view field, std::string_view what,
                   ParsedJson& parsed) {
  auto prefix = [what] { return std::string(what) + " is not a JSON object: "; };
  if (auto problem = PreScanJson(text); !problem.empty()) {
    return NotificationError(field, prefix() + "the text " + problem);
  }
  auto& doc = parsed.doc;
  // The fast path. RapidJSON's encoding validation decodes every character one by one (about
  // 2 us for a 1 KiB envelope, more than the AES-GCM decryption), and it accepts exactly the
  // well-formed UTF-8 in strings (anything else outside strings is a syntax error either way):
  // a text that passes IsWellFormedUtf8() parses to the same values without it. In-situ
  // parsing of a padded copy (no NUL inside: PreScanJson() checked) lets the SSE2 scanner run.
  if (IsWellFormedUtf8(text) && !HasSse2MissedControl(text)) {
    parsed.text.assign(text.begin(), text.end());
    parsed.text.resize(text.size() + 1 + kSimdPadding, '\0');
    doc.ParseInsitu<kParseFlags & ~rapidjson::kParseValidateEncodingFlag>(parsed.text.data());
    if (!doc.HasParseError() && doc.IsObject()) return {};
  }
  // Everything else, and every failure, goes through the reference path, so each error is the
  // one it always was, with RapidJSON's message and offset. RapidJSON asserts on a null pointer
  // even for length 0.
  doc.Parse<kParseFlags>(text.empty() ? "" : text.data(), text.size());
  if (doc.HasParseError()) {
    return NotificationError(field, prefix() + rapidjson::GetParseError_En(doc.GetParseError()) +
                                        " at offset " + std::to_string(doc.GetErrorOffset()));
  }
  if (!doc.IsObject()) {
    return NotificationError(field, prefix() + "the JSON value is not an object");
  }
  return {};
}

// Reads members of one object, keeping the first error (later reads become no-ops), so a
// reader is a list of fields and one check at the end. JSON null reads as absent.
class Reader {
 public:
  Reader(rapidjson::Value const& object, std::string path, Status* error)
      : object_(object), path_(std::move(path)), error_(error) {
    // Like every object the SDK maps (json_duplicates.hpp): a name that occurs twice would
    // mean one thing here and another to whatever reads the raw JSON.
    if (!error_->ok()) return;
    if (auto name = DuplicateMemberName(object_)) {
      std::string const member = path_ + PrintableUntrusted(*name, 64);
      *error_ = NotificationError(member, member +
                                              " occurs twice (an object with a duplicated "
                                              "member name is refused)");
    }
  }

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

  // An optional integer, same rules.
  void Integer(char const* name, std::optional<std::int64_t>& out) {
    auto const* v = Find(name);
    if (v == nullptr) return;
    if (!v->IsInt64()) return Fail(name, "must be an integer");
    out = v->GetInt64();
  }

  // Calls parse(Reader&, T&) for each element of the optional array member `name`, every
  // element an object, appending the results to `out`.
  template <typename T, typename Parse>
  void Objects(char const* name, std::vector<T>& out, Parse parse) {
    auto const* v = Find(name);
    if (v == nullptr) return;
    if (!v->IsArray()) return Fail(name, "must be an array");
    for (rapidjson::SizeType i = 0; i < v->Size() && error_->ok(); ++i) {
      std::string const element = PathOf(name) + "[" + std::to_string(i) + "]";
      if (!(*v)[i].IsObject()) {
        *error_ = NotificationError(element, element + " must be an object");
        return;
      }
      Reader reader((*v)[i], element + ".", error_);
      T item;
      parse(reader, item);
      out.push_back(std::move(item));
    }
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
  ParsedJson parsed;
  if (auto status = ParseObject(body, "envelope", "the notification body", parsed); !status.ok()) {
    return status;
  }
  auto const& doc = parsed.doc;
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

bool PassesPlaintextEncodingCheck(std::string_view text) { return IsWellFormedUtf8(text); }

Status CheckPlaintextIsJsonObject(std::string_view text) {
  ParsedJson parsed;
  return ParseObject(text, "plaintext", "the decrypted resource", parsed);
}

namespace {

void ReadFundsFrom(Reader& r, FundsFromItem& item) {
  r.String("account", item.account, false);
  r.Integer("amount", item.amount);
}

void ReadPromotionGoods(Reader& r, RefundPromotionGoodsDetail& goods) {
  r.String("merchant_goods_id", goods.merchant_goods_id);
  r.String("wechatpay_goods_id", goods.wechatpay_goods_id);
  r.String("goods_name", goods.goods_name);
  r.Integer("unit_price", goods.unit_price);
  r.Integer("refund_amount", goods.refund_amount);
  r.Integer("refund_quantity", goods.refund_quantity);
}

void ReadPromotion(Reader& r, RefundPromotionDetail& promotion) {
  r.String("promotion_id", promotion.promotion_id);
  r.String("scope", promotion.scope);
  r.String("type", promotion.type);
  r.Integer("amount", promotion.amount);
  r.Integer("refund_amount", promotion.refund_amount);
  r.Objects("goods_detail", promotion.goods_detail, ReadPromotionGoods);
}

}  // namespace

StatusOr<RefundNotification> ParseRefundNotification(std::string_view text) {
  ParsedJson parsed;
  if (auto status = ParseObject(text, "plaintext", "the decrypted resource", parsed);
      !status.ok()) {
    return status;
  }
  auto const& doc = parsed.doc;
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
  // The members below WeChat's table: what the official Java SDK's model reads.
  r.String("create_time", n.create_time);
  r.String("channel", n.channel);
  r.String("funds_account", n.funds_account);
  r.Objects("promotion_detail", n.promotion_detail, ReadPromotion);
  if (auto const* amount = r.Object("amount")) {
    Reader ar(*amount, "plaintext.amount.", &error);
    ar.Integer("total", n.amount.total);
    ar.Integer("refund", n.amount.refund);
    ar.Integer("payer_total", n.amount.payer_total);
    ar.Integer("payer_refund", n.amount.payer_refund);
    ar.Objects("from", n.amount.from, ReadFundsFrom);
    ar.Integer("settlement_refund", n.amount.settlement_refund);
    ar.Integer("settlement_total", n.amount.settlement_total);
    ar.Integer("discount_refund", n.amount.discount_refund);
    ar.String("currency", n.amount.currency);
    ar.Integer("refund_fee", n.amount.refund_fee);
  }
  if (!error.ok()) return error;
  n.raw_json = std::string(text);
  return n;
}

}  // namespace wechatpay::internal
