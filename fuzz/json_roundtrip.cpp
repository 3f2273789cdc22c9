// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the request writers. A prepay request, a refund request and a flat object are
// built from fuzzed fields (any bytes: NUL, quotes, control characters, invalid UTF-8, extreme
// integers), written, and parsed back; the result must be exactly the members the writer
// documents, in the documented order, with byte-identical values. The expected document is
// built here through RapidJSON's DOM, independently of the writer's SAX code.

#include <fuzzer/FuzzedDataProvider.h>
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "json/json_codec.hpp"
#include "json/time_expire.hpp"

namespace {

using namespace wechatpay;
using rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

constexpr std::size_t kMaxString = 48;
constexpr int kMaxItems = 3;

std::string Text(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(kMaxString); }

std::optional<std::string> MaybeText(FuzzedDataProvider& in) {
  if (!in.ConsumeBool()) return std::nullopt;
  return Text(in);
}

std::optional<std::int64_t> MaybeInt(FuzzedDataProvider& in) {
  if (!in.ConsumeBool()) return std::nullopt;
  return in.ConsumeIntegral<std::int64_t>();
}

std::optional<bool> MaybeBool(FuzzedDataProvider& in) {
  if (!in.ConsumeBool()) return std::nullopt;
  return in.ConsumeBool();
}

// Builds the expected object member by member.
class Expected {
 public:
  Expected(Value& object, Allocator& alloc) : object_(object), alloc_(alloc) {}

  void Str(char const* key, std::string_view value) {
    object_.AddMember(Value(key, alloc_),
                      Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc_),
                      alloc_);
  }
  void Str(char const* key, std::optional<std::string> const& value) {
    if (value) Str(key, std::string_view(*value));
  }
  void StrIfNotEmpty(char const* key, std::string_view value) {
    if (!value.empty()) Str(key, value);
  }
  void Int(char const* key, std::int64_t value) {
    object_.AddMember(Value(key, alloc_), Value(value), alloc_);
  }
  void Int(char const* key, std::optional<std::int64_t> const& value) {
    if (value) Int(key, *value);
  }
  void Bool(char const* key, std::optional<bool> const& value) {
    if (value) object_.AddMember(Value(key, alloc_), Value(*value), alloc_);
  }
  Value& Object(char const* key) {
    object_.AddMember(Value(key, alloc_), Value(rapidjson::kObjectType), alloc_);
    return object_[key];
  }
  Value& Array(char const* key) {
    object_.AddMember(Value(key, alloc_), Value(rapidjson::kArrayType), alloc_);
    return object_[key];
  }

 private:
  Value& object_;
  Allocator& alloc_;
};

// Equality that also requires the same member order (RapidJSON's operator== ignores it).
bool SameInOrder(Value const& a, Value const& b) {
  if (a.IsObject() != b.IsObject() || a.IsArray() != b.IsArray()) return false;
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto x = a.MemberBegin(), y = b.MemberBegin(); x != a.MemberEnd(); ++x, ++y) {
      if (!(x->name == y->name) || !SameInOrder(x->value, y->value)) return false;
    }
    return true;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!SameInOrder(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// Parses what the writer produced (it must be JSON) and compares it with `expected`.
void CheckWritten(std::string const& json, Value const& expected, char const* what) {
  rapidjson::Document parsed;
  parsed.Parse(json.data(), json.size());
  wechatpay::fuzz::Check(!parsed.HasParseError(), what);
  wechatpay::fuzz::Check(SameInOrder(parsed, expected), what);
}

void PrepayRoundTrip(FuzzedDataProvider& in) {
  NativePrepayRequest request;
  internal::PrepayInjection injection;
  injection.action = Text(in);
  injection.appid = Text(in);
  injection.mchid = Text(in);
  injection.notify_url = Text(in);
  injection.write_use_service_account = in.ConsumeBool();
  request.use_service_account = in.ConsumeBool();
  request.appid = MaybeText(in);
  request.description = Text(in);
  request.out_trade_no = Text(in);
  request.time_expire = MaybeText(in);
  if (in.ConsumeBool()) {
    // A valid-looking time with a fraction, so that the cut is exercised, not only skipped.
    request.time_expire =
        "2018-06-08T10:34:56." + std::to_string(in.ConsumeIntegral<std::uint32_t>()) + Text(in);
  }
  request.attach = MaybeText(in);
  request.notify_url = MaybeText(in);
  request.goods_tag = MaybeText(in);
  for (int n = in.ConsumeIntegralInRange(0, kMaxItems); n > 0; --n) {
    request.limit_pay.push_back(Text(in));
  }
  request.support_fapiao = MaybeBool(in);
  request.amount.total = in.ConsumeIntegral<std::int64_t>();
  request.amount.currency = MaybeText(in);
  if (in.ConsumeBool()) {
    OrderDetail detail;
    detail.cost_price = MaybeInt(in);
    detail.invoice_id = MaybeText(in);
    for (int n = in.ConsumeIntegralInRange(0, kMaxItems); n > 0; --n) {
      GoodsDetail goods;
      goods.merchant_goods_id = Text(in);
      goods.wechatpay_goods_id = MaybeText(in);
      goods.goods_name = MaybeText(in);
      goods.quantity = in.ConsumeIntegral<std::int64_t>();
      goods.unit_price = in.ConsumeIntegral<std::int64_t>();
      detail.goods_detail.push_back(std::move(goods));
    }
    request.detail = std::move(detail);
  }
  if (in.ConsumeBool()) {
    SceneInfo scene;
    scene.payer_client_ip = Text(in);
    scene.device_id = MaybeText(in);
    if (in.ConsumeBool()) {
      StoreInfo store;
      store.id = Text(in);
      store.name = MaybeText(in);
      store.area_code = MaybeText(in);
      store.address = MaybeText(in);
      scene.store_info = std::move(store);
    }
    request.scene_info = std::move(scene);
  }
  if (in.ConsumeBool()) request.settle_info = SettleInfo{MaybeBool(in)};

  // NativePrepayToJson's contract (json_codec.hpp), spelled out.
  rapidjson::Document expected(rapidjson::kObjectType);
  auto& alloc = expected.GetAllocator();
  Expected e(expected, alloc);
  e.StrIfNotEmpty("_action", injection.action);
  if (injection.write_use_service_account && request.use_service_account)
    e.Bool("useServiceAccount", true);
  e.StrIfNotEmpty("appid",
                  request.appid && !request.appid->empty() ? *request.appid : injection.appid);
  e.StrIfNotEmpty("mchid", injection.mchid);
  e.Str("description", std::string_view(request.description));
  e.Str("out_trade_no", std::string_view(request.out_trade_no));
  // time_expire goes out as TimeExpireOnWire() gives it (its own unit test pins that down).
  if (request.time_expire) {
    e.Str("time_expire", std::string_view(internal::TimeExpireOnWire(*request.time_expire)));
  }
  e.Str("attach", request.attach);
  e.StrIfNotEmpty("notify_url", request.notify_url && !request.notify_url->empty()
                                    ? *request.notify_url
                                    : injection.notify_url);
  e.Str("goods_tag", request.goods_tag);
  if (!request.limit_pay.empty()) {
    Value& list = e.Array("limit_pay");
    for (auto const& method : request.limit_pay) {
      list.PushBack(Value(method.data(), static_cast<rapidjson::SizeType>(method.size()), alloc),
                    alloc);
    }
  }
  e.Bool("support_fapiao", request.support_fapiao);
  Expected amount(e.Object("amount"), alloc);
  amount.Int("total", request.amount.total);
  amount.Str("currency", request.amount.currency);
  if (request.detail) {
    Expected detail(e.Object("detail"), alloc);
    detail.Int("cost_price", request.detail->cost_price);
    detail.Str("invoice_id", request.detail->invoice_id);
    if (!request.detail->goods_detail.empty()) {
      Value& list = detail.Array("goods_detail");
      for (auto const& goods : request.detail->goods_detail) {
        Value item(rapidjson::kObjectType);
        Expected g(item, alloc);
        g.Str("merchant_goods_id", std::string_view(goods.merchant_goods_id));
        g.Str("wechatpay_goods_id", goods.wechatpay_goods_id);
        g.Str("goods_name", goods.goods_name);
        g.Int("quantity", goods.quantity);
        g.Int("unit_price", goods.unit_price);
        list.PushBack(item, alloc);
      }
    }
  }
  if (request.scene_info) {
    Expected scene(e.Object("scene_info"), alloc);
    scene.Str("payer_client_ip", std::string_view(request.scene_info->payer_client_ip));
    scene.Str("device_id", request.scene_info->device_id);
    if (auto const& store = request.scene_info->store_info) {
      Expected s(scene.Object("store_info"), alloc);
      s.Str("id", std::string_view(store->id));
      s.Str("name", store->name);
      s.Str("area_code", store->area_code);
      s.Str("address", store->address);
    }
  }
  if (request.settle_info) {
    Expected settle(e.Object("settle_info"), alloc);
    settle.Bool("profit_sharing", request.settle_info->profit_sharing);
  }
  CheckWritten(internal::NativePrepayToJson(request, injection), expected,
               "NativePrepayToJson writes exactly the documented members, in order");
}

void RefundRoundTrip(FuzzedDataProvider& in) {
  CreateRefundRequest request;
  std::string const action = Text(in);
  request.transaction_id = MaybeText(in);
  request.out_trade_no = MaybeText(in);
  request.out_refund_no = Text(in);
  request.reason = MaybeText(in);
  request.notify_url = MaybeText(in);
  request.funds_account = MaybeText(in);
  request.amount.refund = in.ConsumeIntegral<std::int64_t>();
  request.amount.total = in.ConsumeIntegral<std::int64_t>();
  request.amount.currency = Text(in);
  for (int n = in.ConsumeIntegralInRange(0, kMaxItems); n > 0; --n) {
    request.amount.from.push_back(FundsFromItem{Text(in), in.ConsumeIntegral<std::int64_t>()});
  }
  for (int n = in.ConsumeIntegralInRange(0, kMaxItems); n > 0; --n) {
    RefundGoodsDetail goods;
    goods.merchant_goods_id = Text(in);
    goods.wechatpay_goods_id = MaybeText(in);
    goods.goods_name = MaybeText(in);
    goods.unit_price = in.ConsumeIntegral<std::int64_t>();
    goods.refund_amount = in.ConsumeIntegral<std::int64_t>();
    goods.refund_quantity = in.ConsumeIntegral<std::int64_t>();
    request.goods_detail.push_back(std::move(goods));
  }

  rapidjson::Document expected(rapidjson::kObjectType);
  auto& alloc = expected.GetAllocator();
  Expected e(expected, alloc);
  e.StrIfNotEmpty("_action", action);
  e.Str("transaction_id", request.transaction_id);
  e.Str("out_trade_no", request.out_trade_no);
  e.Str("out_refund_no", std::string_view(request.out_refund_no));
  e.Str("reason", request.reason);
  e.Str("notify_url", request.notify_url);
  e.Str("funds_account", request.funds_account);
  Expected amount(e.Object("amount"), alloc);
  amount.Int("refund", request.amount.refund);
  if (!request.amount.from.empty()) {
    Value& list = amount.Array("from");
    for (auto const& from : request.amount.from) {
      Value item(rapidjson::kObjectType);
      Expected f(item, alloc);
      f.Str("account", std::string_view(from.account));
      f.Int("amount", from.amount);
      list.PushBack(item, alloc);
    }
  }
  amount.Int("total", request.amount.total);
  amount.Str("currency", std::string_view(request.amount.currency));
  if (!request.goods_detail.empty()) {
    Value& list = e.Array("goods_detail");
    for (auto const& goods : request.goods_detail) {
      Value item(rapidjson::kObjectType);
      Expected g(item, alloc);
      g.Str("merchant_goods_id", std::string_view(goods.merchant_goods_id));
      g.Str("wechatpay_goods_id", goods.wechatpay_goods_id);
      g.Str("goods_name", goods.goods_name);
      g.Int("unit_price", goods.unit_price);
      g.Int("refund_amount", goods.refund_amount);
      g.Int("refund_quantity", goods.refund_quantity);
      list.PushBack(item, alloc);
    }
  }
  CheckWritten(internal::CreateRefundToJson(request, action), expected,
               "CreateRefundToJson writes exactly the documented members, in order");
}

void FlatObjectRoundTrip(FuzzedDataProvider& in) {
  std::string const k1 = Text(in);
  std::string const v1 = Text(in);
  std::string const k2 = Text(in);
  std::string const v2 = Text(in);
  std::string const json = internal::StringObjectToJson({{k1, v1}, {k2, v2}});
  rapidjson::Document parsed;
  parsed.Parse(json.data(), json.size());
  wechatpay::fuzz::Check(!parsed.HasParseError() && parsed.IsObject() && parsed.MemberCount() == 2,
                         "StringObjectToJson writes an object with both members");
  auto it = parsed.MemberBegin();
  auto same = [](Value const& v, std::string const& s) {
    return v.IsString() && std::string(v.GetString(), v.GetStringLength()) == s;
  };
  wechatpay::fuzz::Check(same(it->name, k1) && same(it->value, v1) && same((it + 1)->name, k2) &&
                             same((it + 1)->value, v2),
                         "StringObjectToJson keeps keys and values byte for byte, in order");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0:
      PrepayRoundTrip(in);
      break;
    case 1:
      RefundRoundTrip(in);
      break;
    default:
      FlatObjectRoundTrip(in);
      break;
  }
  return 0;
}
