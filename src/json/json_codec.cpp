// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/json_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/printable.hpp"
#include "common/text.hpp"
#include "json/json_writer.hpp"
#include "json/time_expire.hpp"

namespace wechatpay::internal {
namespace {

// ---------------------------------------------------------------------------------------------
// Writing (json_writer.hpp: how strings are escaped)

void WriteString(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  w.String(value);
}

void WriteInt(JsonWriter& w, std::string_view key, std::int64_t value) {
  w.Key(key);
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
  w.Key(key);
  w.Bool(*value);
}

void WriteIfNotEmpty(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) WriteString(w, key, value);
}
void WriteOrderDetail(JsonWriter& w, OrderDetail const& detail) {
  w.Key("detail");
  w.StartObject();
  WriteOptional(w, "cost_price", detail.cost_price);
  WriteOptional(w, "invoice_id", detail.invoice_id);
  if (!detail.goods_detail.empty()) {
    w.Key("goods_detail");
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
  w.Key("scene_info");
  w.StartObject();
  WriteString(w, "payer_client_ip", scene.payer_client_ip);
  WriteOptional(w, "device_id", scene.device_id);
  if (scene.store_info) {
    auto const& store = *scene.store_info;
    w.Key("store_info");
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

// ---------------------------------------------------------------------------------------------
// Reading (json_reader.hpp: the parse policy and the object reader)

Status Malformed(std::string message) {
  return Status(StatusCode::kMalformedResponse, std::move(message));
}

// Errors of the response models: "malformed transaction: /amount/total must be an integer".
constexpr JsonErrorStyle kPrepayStyle{JsonErrorStyle::Path::kPointer,
                                      "malformed prepay response: ", false};
constexpr JsonErrorStyle kTransactionStyle{JsonErrorStyle::Path::kPointer,
                                           "malformed transaction: ", false};
constexpr JsonErrorStyle kRefundStyle{JsonErrorStyle::Path::kPointer, "malformed refund: ", false};
constexpr JsonErrorStyle kBillStyle{JsonErrorStyle::Path::kPointer,
                                    "malformed bill answer: ", false};

// Parses `json` (already trimmed) as one object into `doc`; `what` names it in errors.
Status ParseObject(std::string_view json, std::string_view what, JsonDocument& doc) {
  if (auto problem = doc.ParseObject(json); !problem.empty()) {
    return Malformed("malformed " + std::string(what) + ": the JSON text " + problem);
  }
  return {};
}

void ParsePromotionGoods(JsonObjectReader& r, PromotionGoodsDetail& g) {
  r.Read("goods_id", g.goods_id);
  r.Read("quantity", g.quantity);
  r.Read("unit_price", g.unit_price);
  r.Read("discount_amount", g.discount_amount);
  r.Read("goods_remark", g.goods_remark);
}

void ParsePromotion(JsonObjectReader& r, PromotionDetail& p) {
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

void ParseRefundAmount(JsonObjectReader& r, RefundAmount& a) {
  r.Read("total", a.total);
  r.Read("refund", a.refund);
  r.ReadObjects("from", a.from, ReadFundsFrom);
  r.Read("payer_total", a.payer_total);
  r.Read("payer_refund", a.payer_refund);
  r.Read("settlement_refund", a.settlement_refund);
  r.Read("settlement_total", a.settlement_total);
  r.Read("discount_refund", a.discount_refund);
  r.Read("currency", a.currency);
  r.Read("refund_fee", a.refund_fee);
}

void ParseRefundPromotionGoods(JsonObjectReader& r, RefundPromotionGoodsDetail& g) {
  r.Read("merchant_goods_id", g.merchant_goods_id);
  r.Read("wechatpay_goods_id", g.wechatpay_goods_id);
  r.Read("goods_name", g.goods_name);
  r.Read("unit_price", g.unit_price);
  r.Read("refund_amount", g.refund_amount);
  r.Read("refund_quantity", g.refund_quantity);
}

}  // namespace

void ReadFundsFrom(JsonObjectReader& r, FundsFromItem& f) {
  r.Read("account", f.account);
  r.ReadRequired("amount", f.amount);
}

void ReadRefundPromotion(JsonObjectReader& r, RefundPromotionDetail& p) {
  r.Read("promotion_id", p.promotion_id);
  r.Read("scope", p.scope);
  r.Read("type", p.type);
  r.Read("amount", p.amount);
  r.Read("refund_amount", p.refund_amount);
  r.ReadObjects("goods_detail", p.goods_detail, ParseRefundPromotionGoods);
}

std::string NativePrepayToJson(NativePrepayRequest const& request,
                               PrepayInjection const& injection) {
  JsonWriter w(kBodyCapacity);
  w.StartObject();
  WriteIfNotEmpty(w, "_action", injection.action);
  if (injection.write_use_service_account && request.use_service_account) {
    w.Key("useServiceAccount");
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
    w.Key("limit_pay");
    w.StartArray();
    for (auto const& method : request.limit_pay) w.String(method);
    w.EndArray();
  }
  WriteOptional(w, "support_fapiao", request.support_fapiao);
  w.Key("amount");
  w.StartObject();
  WriteInt(w, "total", request.amount.total);
  WriteOptional(w, "currency", request.amount.currency);
  w.EndObject();
  if (request.detail) WriteOrderDetail(w, *request.detail);
  if (request.scene_info) WriteSceneInfo(w, *request.scene_info);
  if (request.settle_info) {
    w.Key("settle_info");
    w.StartObject();
    WriteOptional(w, "profit_sharing", request.settle_info->profit_sharing);
    w.EndObject();
  }
  w.EndObject();
  return w.Text();
}

std::string ApplyAbnormalRefundToJson(ApplyAbnormalRefundRequest const& request,
                                      AbnormalRefundCiphertexts const& encrypted) {
  JsonWriter w(kBodyCapacity);
  w.StartObject();
  WriteString(w, "out_refund_no", request.out_refund_no);
  WriteString(w, "type", request.type);
  WriteOptional(w, "bank_type", request.bank_type);
  WriteOptional(w, "bank_account", encrypted.bank_account);
  WriteOptional(w, "real_name", encrypted.real_name);
  w.EndObject();
  return w.Text();
}

std::string CreateRefundToJson(CreateRefundRequest const& request, std::string_view action) {
  JsonWriter w(kBodyCapacity);
  w.StartObject();
  WriteIfNotEmpty(w, "_action", action);
  WriteOptional(w, "transaction_id", request.transaction_id);
  WriteOptional(w, "out_trade_no", request.out_trade_no);
  WriteString(w, "out_refund_no", request.out_refund_no);
  WriteOptional(w, "reason", request.reason);
  WriteOptional(w, "notify_url", request.notify_url);
  WriteOptional(w, "funds_account", request.funds_account);
  w.Key("amount");
  w.StartObject();
  WriteInt(w, "refund", request.amount.refund);
  if (!request.amount.from.empty()) {
    w.Key("from");
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
    w.Key("goods_detail");
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
  return w.Text();
}

std::string StringObjectToJson(
    std::initializer_list<std::pair<std::string_view, std::string_view>> members) {
  JsonWriter w(kBodyCapacity);
  w.StartObject();
  for (auto const& [key, value] : members) WriteString(w, key, value);
  w.EndObject();
  return w.Text();
}

StatusOr<NativePrepayResponse> ParseNativePrepayResponse(std::string_view json) {
  JsonDocument doc;
  if (auto status = ParseObject(Trim(json), "prepay response", doc); !status.ok()) return status;
  Status error;
  JsonObjectReader reader(doc.root(), kPrepayStyle, "", &error);
  NativePrepayResponse response;
  // Kept exactly as decoded: the QR code must encode the very bytes WeChat issued.
  reader.ReadRequired("code_url", response.code_url);
  if (!error.ok()) return error;
  return response;
}

StatusOr<BillDownloadInfo> ParseBillDownloadInfo(std::string_view json) {
  auto const text = Trim(json);
  JsonDocument doc;
  if (auto status = ParseObject(text, "bill answer", doc); !status.ok()) return status;
  Status error;
  JsonObjectReader reader(doc.root(), kBillStyle, "", &error);
  BillDownloadInfo info;
  reader.ReadRequired("hash_type", info.hash_type);
  reader.ReadRequired("hash_value", info.hash_value);
  reader.ReadRequired("download_url", info.download_url);
  if (!error.ok()) return error;
  info.raw_json = std::string(text);
  return info;
}

StatusOr<Transaction> ParseTransaction(std::string_view json) {
  auto text = Trim(json);
  JsonDocument doc;
  if (auto status = ParseObject(text, "transaction", doc); !status.ok()) return status;
  Status error;
  JsonObjectReader r(doc.root(), kTransactionStyle, "", &error);
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
  r.ReadObject("payer", t.payer,
               [](JsonObjectReader& pr, Payer& p) { pr.Read("openid", p.openid); });
  r.ReadObject("amount", t.amount, [](JsonObjectReader& ar, TransactionAmount& a) {
    ar.Read("total", a.total);
    ar.Read("payer_total", a.payer_total);
    ar.Read("currency", a.currency);
    ar.Read("payer_currency", a.payer_currency);
  });
  r.ReadObject("scene_info", t.scene_info, [](JsonObjectReader& sr, TransactionSceneInfo& s) {
    sr.Read("device_id", s.device_id);
  });
  r.ReadObjects("promotion_detail", t.promotion_detail, ParsePromotion);
  if (!error.ok()) return error;
  t.raw_json = std::string(text);
  return t;
}

StatusOr<Refund> ParseRefund(std::string_view json) {
  auto text = Trim(json);
  JsonDocument doc;
  if (auto status = ParseObject(text, "refund", doc); !status.ok()) return status;
  Status error;
  JsonObjectReader r(doc.root(), kRefundStyle, "", &error);
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
  r.ReadObjects("promotion_detail", refund.promotion_detail, ReadRefundPromotion);
  if (!error.ok()) return error;
  refund.raw_json = std::string(text);
  return refund;
}

ServiceErrorBody ParseServiceErrorBody(std::string_view json) {
  ServiceErrorBody body;
  JsonDocument doc;
  if (!doc.ParseObject(Trim(json)).empty()) return body;
  auto const* root = &doc.root();
  // An error body is not signed: whatever it says goes into messages and logs printable and
  // bounded (common/printable.hpp).
  auto string_member = [root](std::string_view name) -> std::string {
    auto const* value = JsonMember(root, name);
    if (value == nullptr || !value->IsString()) return {};
    return PrintableUntrusted(StringValue(*value));
  };
  body.code = string_member("code");
  body.message = string_member("message");
  // The detail's shape varies by error (SIGN_ERROR nests another "detail"), so it is kept as
  // compact JSON rather than mapped.
  if (auto const* detail = JsonMember(root, "detail")) {
    body.detail = PrintableUntrusted(SerializeJson(*detail), kMaxDetailBytes);
  }
  return body;
}

}  // namespace wechatpay::internal
