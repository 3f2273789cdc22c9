// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/json_codec.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/printable.hpp"
#include "common/text.hpp"
#include "json/json_duplicates.hpp"
#include "json/json_prescan.hpp"
#include "json/time_expire.hpp"

namespace wechatpay::internal {
namespace {

// Default flags: UTF-8 in, UTF-8 out, no validation and no \uXXXX for non-ASCII, so Chinese text
// goes out as raw UTF-8 (what WeChat expects). RapidJSON 1.1 escapes only '"', '\\' and control
// characters; '/' is written as is. Input text is checked by validation.cpp before it gets here.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// ---------------------------------------------------------------------------------------------
// Writing

// RapidJSON asserts on a null pointer even for length 0 (an empty std::string_view may have
// one), so always hand it a real pointer.
char const* DataOf(std::string_view s) { return s.empty() ? "" : s.data(); }

rapidjson::SizeType SizeOf(std::string_view s) {
  return static_cast<rapidjson::SizeType>(s.size());
}

void WriteKey(JsonWriter& w, std::string_view key) { w.Key(DataOf(key), SizeOf(key)); }

void WriteString(JsonWriter& w, std::string_view key, std::string_view value) {
  WriteKey(w, key);
  w.String(DataOf(value), SizeOf(value));
}

void WriteInt(JsonWriter& w, std::string_view key, std::int64_t value) {
  WriteKey(w, key);
  w.Int64(value);
}

void WriteOptional(JsonWriter& w, std::string_view key, std::optional<std::string> const& value) {
  if (value) WriteString(w, key, *value);
}

void WriteOptional(JsonWriter& w, std::string_view key, std::optional<std::int64_t> const& value) {
  if (value) WriteInt(w, key, *value);
}

void WriteOptional(JsonWriter& w, std::string_view key, std::optional<bool> const& value) {
  if (!value) return;
  WriteKey(w, key);
  w.Bool(*value);
}

void WriteIfNotEmpty(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) WriteString(w, key, value);
}

void WriteOrderDetail(JsonWriter& w, OrderDetail const& detail) {
  WriteKey(w, "detail");
  w.StartObject();
  WriteOptional(w, "cost_price", detail.cost_price);
  WriteOptional(w, "invoice_id", detail.invoice_id);
  if (!detail.goods_detail.empty()) {
    WriteKey(w, "goods_detail");
    w.StartArray();
    for (auto const& goods : detail.goods_detail) {
      w.StartObject();
      WriteString(w, "merchant_goods_id", goods.merchant_goods_id);
      WriteOptional(w, "wechatpay_goods_id", goods.wechatpay_goods_id);
      WriteOptional(w, "goods_name", goods.goods_name);
      WriteInt(w, "quantity", goods.quantity);
      WriteInt(w, "unit_price", goods.unit_price);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void WriteSceneInfo(JsonWriter& w, SceneInfo const& scene) {
  WriteKey(w, "scene_info");
  w.StartObject();
  WriteString(w, "payer_client_ip", scene.payer_client_ip);
  WriteOptional(w, "device_id", scene.device_id);
  if (scene.store_info) {
    auto const& store = *scene.store_info;
    WriteKey(w, "store_info");
    w.StartObject();
    WriteString(w, "id", store.id);
    WriteOptional(w, "name", store.name);
    WriteOptional(w, "area_code", store.area_code);
    WriteOptional(w, "address", store.address);
    w.EndObject();
  }
  w.EndObject();
}

// Room for a whole request body up front: a StringBuffer starts at 256 bytes and would grow
// (and copy) twice for a typical order.
constexpr std::size_t kBodyCapacity = 1024;

// An error's detail (e.g. {"location":"body","value":...}) is a few hundred bytes at most.
constexpr std::size_t kMaxDetailBytes = 2048;

std::string Finish(rapidjson::StringBuffer const& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

// ---------------------------------------------------------------------------------------------
// Reading

Status Malformed(std::string message) {
  return Status(StatusCode::kMalformedResponse, std::move(message));
}

// A parsed JSON text. Parsed in situ: the document's strings point into `text` instead of being
// copied one by one into the document's allocator, and RapidJSON reads a NUL-terminated buffer
// faster than a length-bounded stream. The document's values live in `pool_buffer` (a whole
// transaction fits) instead of a 64 KiB chunk malloc()ed per parse; a larger document continues
// in heap chunks. Members are destroyed in reverse order: `doc`, `allocator`, `pool_buffer`,
// `text`. Neither copied nor moved: `doc` points at `allocator`, which points at `pool_buffer`.
struct ParsedJson {
  ParsedJson() = default;
  ParsedJson(ParsedJson const&) = delete;
  ParsedJson& operator=(ParsedJson const&) = delete;

  std::string text;
  alignas(std::max_align_t) char pool_buffer[4096];
  rapidjson::MemoryPoolAllocator<> allocator{pool_buffer, sizeof pool_buffer};
  rapidjson::Document doc{&allocator};
};

// Parses `json` (already trimmed) into `parsed`; `what` names the object in error messages.
Status ParseObject(std::string_view json, std::string_view what, ParsedJson& parsed) {
  auto malformed = [what](std::string problem) {
    return Malformed("malformed " + std::string(what) + ": " + problem);
  };
  if (auto problem = PreScanJson(json); !problem.empty()) {
    return malformed("the JSON text " + problem);
  }
  // No NUL inside (PreScanJson() checked), so the terminating NUL is the end of the text, as
  // the length was; the error offsets are the same.
  parsed.text.assign(json);
  auto& doc = parsed.doc;
  doc.ParseInsitu(parsed.text.data());
  if (doc.HasParseError()) {
    return malformed("not valid JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                     rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return malformed("the JSON text is not an object");
  return {};
}

// Reads the mapped members of one JSON object. Every accessor checks the JSON type before
// touching the value (RapidJSON only asserts). The first error is kept in *error and makes every
// later call a no-op, so a parser reads like a list of fields and checks once at the end.
// Absent members and JSON null leave the output untouched: older WeChat docs allow null for
// "no value", and being lenient here costs nothing because the model has "absent" anyway.
class ObjectReader {
 public:
  /// Reads the root object.
  ObjectReader(rapidjson::Value const& object, std::string const& what, Status* error)
      : object_(object), what_(what), error_(error) {
    RefuseDuplicateNames();
  }

  /// Reads `object`, the member `name` of `parent`'s object or, with `index` >= 0, element
  /// `index` of that member (an array).
  ObjectReader(rapidjson::Value const& object, ObjectReader const& parent, char const* name,
               long index = -1)
      : object_(object),
        parent_(&parent),
        name_(name),
        index_(index),
        what_(parent.what_),
        error_(parent.error_) {
    RefuseDuplicateNames();
  }

  /// The JSON Pointer of this object ("" for the root). Built only for an error message: on
  /// the success path no reader allocates a path.
  std::string Path() const {
    if (parent_ == nullptr) return {};
    std::string path = parent_->PathOf(name_);
    if (index_ >= 0) path += "/" + std::to_string(index_);
    return path;
  }

  std::string PathOf(std::string_view name) const { return Path() + "/" + std::string(name); }

  void Read(char const* name, std::optional<std::string>& out) {
    if (auto const* v = Find(name)) {
      if (v->IsString()) {
        out.emplace(v->GetString(), v->GetStringLength());
      } else {
        Fail(PathOf(name) + " must be a string");
      }
    }
  }

  void Read(char const* name, std::string& out) {
    std::optional<std::string> value;
    Read(name, value);
    if (value) out = std::move(*value);
  }

  void Read(char const* name, std::optional<std::int64_t>& out) {
    if (auto const* v = Find(name)) {
      // IsInt64 is false for 1.5, 1.0, 1e2 (parsed as double), "1" and integers beyond int64.
      if (v->IsInt64()) {
        out = v->GetInt64();
      } else {
        Fail(PathOf(name) + " must be an integer");
      }
    }
  }

  void Read(char const* name, std::int64_t& out) {
    std::optional<std::int64_t> value;
    Read(name, value);
    if (value) out = *value;
  }

  /// A mandatory non-empty string member.
  void ReadRequired(char const* name, std::string& out) {
    if (!Ok()) return;
    if (Find(name) == nullptr) {
      Fail(PathOf(name) + " is missing");
      return;
    }
    Read(name, out);
    if (Ok() && out.empty()) Fail(PathOf(name) + " must not be empty");
  }

  /// The member as an object, or nullptr when absent/null or after an error.
  rapidjson::Value const* Object(char const* name) {
    auto const* v = Find(name);
    if (v == nullptr) return nullptr;
    if (!v->IsObject()) {
      Fail(PathOf(name) + " must be an object");
      return nullptr;
    }
    return v;
  }

  /// The member as an array, or nullptr when absent/null or after an error.
  rapidjson::Value const* Array(char const* name) {
    auto const* v = Find(name);
    if (v == nullptr) return nullptr;
    if (!v->IsArray()) {
      Fail(PathOf(name) + " must be an array");
      return nullptr;
    }
    return v;
  }

  /// Calls parse(ObjectReader&, T&) for every element of the array member `name`, appending
  /// the results to `out`; every element must be an object.
  template <typename T, typename Parse>
  void ReadObjects(char const* name, std::vector<T>& out, Parse parse) {
    auto const* array = Array(name);
    if (array == nullptr) return;
    for (rapidjson::SizeType i = 0; i < array->Size() && Ok(); ++i) {
      auto const& element = (*array)[i];
      ObjectReader reader(element, *this, name, static_cast<long>(i));
      if (!element.IsObject()) {
        Fail(reader.Path() + " must be an object");
        return;
      }
      T item;
      parse(reader, item);
      out.push_back(std::move(item));
    }
  }

  /// Calls parse(ObjectReader&, T&) on the object member `name` when present.
  template <typename T, typename Parse>
  void ReadObject(char const* name, std::optional<T>& out, Parse parse) {
    auto const* object = Object(name);
    if (object == nullptr) return;
    ObjectReader reader(*object, *this, name);
    T item;
    parse(reader, item);
    out = std::move(item);
  }

 private:
  bool Ok() const { return error_->ok(); }

  // The member's value, or nullptr when absent, null, or an error has already occurred.
  // The first member named `name` (as FindMember() would find it), null when absent or JSON
  // null. A loop of its own because it runs for every field of every answer: comparing the
  // length and the first byte before memcmp() skips most of RapidJSON's per-member calls.
  rapidjson::Value const* Find(char const* name) const {
    if (!Ok()) return nullptr;
    std::size_t const length = std::strlen(name);
    for (auto it = object_.MemberBegin(); it != object_.MemberEnd(); ++it) {
      auto const& key = it->name;
      if (key.GetStringLength() != length) continue;
      char const* const chars = key.GetString();
      if (length > 0 && (chars[0] != name[0] || std::memcmp(chars, name, length) != 0)) continue;
      return it->value.IsNull() ? nullptr : &it->value;
    }
    return nullptr;
  }

  void Fail(std::string message) {
    if (Ok()) *error_ = Malformed("malformed " + what_ + ": " + message);
  }

  // Every object the SDK maps is checked once, when its reader is made (json_duplicates.hpp).
  void RefuseDuplicateNames() {
    if (!Ok() || !object_.IsObject()) return;
    if (auto name = DuplicateMemberName(object_)) {
      Fail(PathOf(PrintableUntrusted(*name, 64)) +
           " occurs twice (an object with a duplicated member name is refused)");
    }
  }

  rapidjson::Value const& object_;
  ObjectReader const* parent_ = nullptr;  // nullptr for the root
  char const* name_ = nullptr;            // this object's member name in the parent's object
  long index_ = -1;                       // this object's index in that member, or -1
  std::string const& what_;
  Status* error_;
};

void ParsePromotionGoods(ObjectReader& r, PromotionGoodsDetail& g) {
  r.Read("goods_id", g.goods_id);
  r.Read("quantity", g.quantity);
  r.Read("unit_price", g.unit_price);
  r.Read("discount_amount", g.discount_amount);
  r.Read("goods_remark", g.goods_remark);
}

void ParsePromotion(ObjectReader& r, PromotionDetail& p) {
  r.Read("coupon_id", p.coupon_id);
  r.Read("name", p.name);
  r.Read("scope", p.scope);
  r.Read("type", p.type);
  r.Read("amount", p.amount);
  r.Read("stock_id", p.stock_id);
  r.Read("wechatpay_contribute", p.wechatpay_contribute);
  r.Read("merchant_contribute", p.merchant_contribute);
  r.Read("other_contribute", p.other_contribute);
  r.Read("currency", p.currency);
  r.ReadObjects("goods_detail", p.goods_detail, ParsePromotionGoods);
}

void ParseFundsFrom(ObjectReader& r, FundsFromItem& f) {
  r.Read("account", f.account);
  r.Read("amount", f.amount);
}

void ParseRefundAmount(ObjectReader& r, RefundAmount& a) {
  r.Read("total", a.total);
  r.Read("refund", a.refund);
  r.ReadObjects("from", a.from, ParseFundsFrom);
  r.Read("payer_total", a.payer_total);
  r.Read("payer_refund", a.payer_refund);
  r.Read("settlement_refund", a.settlement_refund);
  r.Read("settlement_total", a.settlement_total);
  r.Read("discount_refund", a.discount_refund);
  r.Read("currency", a.currency);
  r.Read("refund_fee", a.refund_fee);
}

void ParseRefundPromotionGoods(ObjectReader& r, RefundPromotionGoodsDetail& g) {
  r.Read("merchant_goods_id", g.merchant_goods_id);
  r.Read("wechatpay_goods_id", g.wechatpay_goods_id);
  r.Read("goods_name", g.goods_name);
  r.Read("unit_price", g.unit_price);
  r.Read("refund_amount", g.refund_amount);
  r.Read("refund_quantity", g.refund_quantity);
}

void ParseRefundPromotion(ObjectReader& r, RefundPromotionDetail& p) {
  r.Read("promotion_id", p.promotion_id);
  r.Read("scope", p.scope);
  r.Read("type", p.type);
  r.Read("amount", p.amount);
  r.Read("refund_amount", p.refund_amount);
  r.ReadObjects("goods_detail", p.goods_detail, ParseRefundPromotionGoods);
}

}  // namespace

std::string NativePrepayToJson(NativePrepayRequest const& request,
                               PrepayInjection const& injection) {
  rapidjson::StringBuffer buffer(nullptr, kBodyCapacity);
  JsonWriter w(buffer);
  w.StartObject();
  WriteIfNotEmpty(w, "_action", injection.action);
  if (injection.write_use_service_account && request.use_service_account) {
    WriteKey(w, "useServiceAccount");
    w.Bool(true);
  }
  bool own_appid = request.appid && !request.appid->empty();
  WriteIfNotEmpty(w, "appid", own_appid ? *request.appid : injection.appid);
  WriteIfNotEmpty(w, "mchid", injection.mchid);
  WriteString(w, "description", request.description);
  WriteString(w, "out_trade_no", request.out_trade_no);
  if (request.time_expire) WriteString(w, "time_expire", TimeExpireOnWire(*request.time_expire));
  WriteOptional(w, "attach", request.attach);
  bool own_notify_url = request.notify_url && !request.notify_url->empty();
  WriteIfNotEmpty(w, "notify_url", own_notify_url ? *request.notify_url : injection.notify_url);
  WriteOptional(w, "goods_tag", request.goods_tag);
  // Where the official Go and Java SDKs write it: after goods_tag, before support_fapiao.
  if (!request.limit_pay.empty()) {
    WriteKey(w, "limit_pay");
    w.StartArray();
    for (auto const& method : request.limit_pay) w.String(DataOf(method), SizeOf(method));
    w.EndArray();
  }
  WriteOptional(w, "support_fapiao", request.support_fapiao);
  WriteKey(w, "amount");
  w.StartObject();
  WriteInt(w, "total", request.amount.total);
  WriteOptional(w, "currency", request.amount.currency);
  w.EndObject();
  if (request.detail) WriteOrderDetail(w, *request.detail);
  if (request.scene_info) WriteSceneInfo(w, *request.scene_info);
  if (request.settle_info) {
    WriteKey(w, "settle_info");
    w.StartObject();
    WriteOptional(w, "profit_sharing", request.settle_info->profit_sharing);
    w.EndObject();
  }
  w.EndObject();
  return Finish(buffer);
}

std::string CreateRefundToJson(CreateRefundRequest const& request, std::string_view action) {
  rapidjson::StringBuffer buffer(nullptr, kBodyCapacity);
  JsonWriter w(buffer);
  w.StartObject();
  WriteIfNotEmpty(w, "_action", action);
  WriteOptional(w, "transaction_id", request.transaction_id);
  WriteOptional(w, "out_trade_no", request.out_trade_no);
  WriteString(w, "out_refund_no", request.out_refund_no);
  WriteOptional(w, "reason", request.reason);
  WriteOptional(w, "notify_url", request.notify_url);
  WriteOptional(w, "funds_account", request.funds_account);
  WriteKey(w, "amount");
  w.StartObject();
  WriteInt(w, "refund", request.amount.refund);
  if (!request.amount.from.empty()) {
    WriteKey(w, "from");
    w.StartArray();
    for (auto const& from : request.amount.from) {
      w.StartObject();
      WriteString(w, "account", from.account);
      WriteInt(w, "amount", from.amount);
      w.EndObject();
    }
    w.EndArray();
  }
  WriteInt(w, "total", request.amount.total);
  WriteString(w, "currency", request.amount.currency);
  w.EndObject();
  if (!request.goods_detail.empty()) {
    WriteKey(w, "goods_detail");
    w.StartArray();
    for (auto const& goods : request.goods_detail) {
      w.StartObject();
      WriteString(w, "merchant_goods_id", goods.merchant_goods_id);
      WriteOptional(w, "wechatpay_goods_id", goods.wechatpay_goods_id);
      WriteOptional(w, "goods_name", goods.goods_name);
      WriteInt(w, "unit_price", goods.unit_price);
      WriteInt(w, "refund_amount", goods.refund_amount);
      WriteInt(w, "refund_quantity", goods.refund_quantity);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return Finish(buffer);
}

std::string StringObjectToJson(
    std::initializer_list<std::pair<std::string_view, std::string_view>> members) {
  rapidjson::StringBuffer buffer(nullptr, kBodyCapacity);
  JsonWriter w(buffer);
  w.StartObject();
  for (auto const& [key, value] : members) WriteString(w, key, value);
  w.EndObject();
  return Finish(buffer);
}

StatusOr<NativePrepayResponse> ParseNativePrepayResponse(std::string_view json) {
  ParsedJson parsed;
  if (auto status = ParseObject(Trim(json), "prepay response", parsed); !status.ok()) {
    return status;
  }
  auto const& doc = parsed.doc;
  Status error;
  std::string const what = "prepay response";
  ObjectReader reader(doc, what, &error);
  NativePrepayResponse response;
  // Kept exactly as decoded: the QR code must encode the very bytes WeChat issued.
  reader.ReadRequired("code_url", response.code_url);
  if (!error.ok()) return error;
  return response;
}

StatusOr<Transaction> ParseTransaction(std::string_view json) {
  auto text = Trim(json);
  ParsedJson parsed;
  if (auto status = ParseObject(text, "transaction", parsed); !status.ok()) return status;
  auto const& doc = parsed.doc;
  Status error;
  std::string const what = "transaction";
  ObjectReader r(doc, what, &error);
  Transaction t;
  r.Read("appid", t.appid);
  r.Read("mchid", t.mchid);
  r.Read("out_trade_no", t.out_trade_no);
  r.Read("transaction_id", t.transaction_id);
  r.Read("trade_type", t.trade_type);
  r.ReadRequired("trade_state", t.trade_state);
  r.Read("trade_state_desc", t.trade_state_desc);
  r.Read("bank_type", t.bank_type);
  r.Read("attach", t.attach);
  r.Read("success_time", t.success_time);
  r.ReadObject("payer", t.payer, [](ObjectReader& pr, Payer& p) { pr.Read("openid", p.openid); });
  r.ReadObject("amount", t.amount, [](ObjectReader& ar, TransactionAmount& a) {
    ar.Read("total", a.total);
    ar.Read("payer_total", a.payer_total);
    ar.Read("currency", a.currency);
    ar.Read("payer_currency", a.payer_currency);
  });
  r.ReadObject("scene_info", t.scene_info, [](ObjectReader& sr, TransactionSceneInfo& s) {
    sr.Read("device_id", s.device_id);
  });
  r.ReadObjects("promotion_detail", t.promotion_detail, ParsePromotion);
  if (!error.ok()) return error;
  t.raw_json = std::string(text);
  return t;
}

StatusOr<Refund> ParseRefund(std::string_view json) {
  auto text = Trim(json);
  ParsedJson parsed;
  if (auto status = ParseObject(text, "refund", parsed); !status.ok()) return status;
  auto const& doc = parsed.doc;
  Status error;
  std::string const what = "refund";
  ObjectReader r(doc, what, &error);
  Refund refund;
  r.Read("refund_id", refund.refund_id);
  r.Read("out_refund_no", refund.out_refund_no);
  r.Read("transaction_id", refund.transaction_id);
  r.Read("out_trade_no", refund.out_trade_no);
  r.Read("channel", refund.channel);
  r.Read("user_received_account", refund.user_received_account);
  r.Read("success_time", refund.success_time);
  r.Read("create_time", refund.create_time);
  r.ReadRequired("status", refund.status);
  r.Read("funds_account", refund.funds_account);
  r.ReadObject("amount", refund.amount, ParseRefundAmount);
  r.ReadObjects("promotion_detail", refund.promotion_detail, ParseRefundPromotion);
  if (!error.ok()) return error;
  refund.raw_json = std::string(text);
  return refund;
}

ServiceErrorBody ParseServiceErrorBody(std::string_view json) {
  ServiceErrorBody body;
  auto text = Trim(json);
  if (!PreScanJson(text).empty()) return body;
  rapidjson::Document doc;
  doc.Parse(DataOf(text), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return body;
  // An error body is not signed: whatever it says goes into messages and logs printable and
  // bounded (internal/printable.hpp).
  auto string_member = [&doc](char const* name) -> std::string {
    auto it = doc.FindMember(name);
    if (it == doc.MemberEnd() || !it->value.IsString()) return {};
    return PrintableUntrusted(std::string_view(it->value.GetString(), it->value.GetStringLength()));
  };
  body.code = string_member("code");
  body.message = string_member("message");
  // The detail's shape varies by error (SIGN_ERROR nests another "detail"), so it is kept as
  // compact JSON rather than mapped.
  auto detail = doc.FindMember("detail");
  if (detail != doc.MemberEnd() && !detail->value.IsNull()) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    if (detail->value.Accept(w)) body.detail = PrintableUntrusted(Finish(buffer), kMaxDetailBytes);
  }
  return body;
}

}  // namespace wechatpay::internal
