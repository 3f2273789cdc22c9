// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/v3_validation.hpp"

#include <initializer_list>
#include <vector>

#include "http/json_util.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay::sandbox::internal {
namespace {

using rapidjson::Value;
using Problem = std::optional<Answer>;

// WeChat's limits in bytes, the same as the SDK's (docs/protocol.md gives their sources).
constexpr std::size_t kDescriptionMaxBytes = 127;
constexpr std::size_t kAttachMaxBytes = 128;
constexpr std::size_t kGoodsTagMaxBytes = 32;
constexpr std::size_t kReasonMaxBytes = 80;
constexpr std::size_t kSensitiveCiphertextMaxBytes = 1024;  // bank_account, real_name: string(1024)
constexpr std::size_t kAppIdMaxBytes = 32;
constexpr std::size_t kInvoiceIdMaxBytes = 32;
constexpr std::size_t kGoodsIdMaxBytes = 32;
constexpr std::size_t kGoodsNameMaxBytes = 256;
constexpr std::size_t kDeviceIdMaxBytes = 32;
constexpr std::size_t kStoreIdMaxBytes = 32;
constexpr std::size_t kStoreNameMaxBytes = 256;
constexpr std::size_t kAreaCodeMaxBytes = 32;
constexpr std::size_t kAddressMaxBytes = 512;

std::string Pointer(std::string const& base, std::string_view key) {
  std::string escaped;
  for (char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return base + "/" + escaped;
}

Problem Missing(std::string const& pointer) {
  return ParamError(pointer, std::nullopt, pointer.substr(1) + " is required (必填)");
}

Problem WrongType(std::string const& pointer, Value const& value, char const* type) {
  return ParamError(pointer, ToJson(value), pointer.substr(1) + " must be " + type);
}

// WeChat refuses members it does not know ("非法额外参数"): a typo or a misplaced field must
// not be silently ignored, and a backend leaking e.g. `_action` into the direct API shows up.
Problem CheckKnownMembers(Value const& object, std::string const& base,
                          std::initializer_list<char const*> known) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    std::string_view const name(it->name.GetString(), it->name.GetStringLength());
    bool found = false;
    for (char const* k : known) found = found || name == k;
    if (!found) {
      Answer answer = ParamError(Pointer(base, name), ToJson(it->value),
                                 "unknown parameter " + std::string(name) + " (非法额外参数)");
      answer.internal_code = wechat_code::kExtraParameter;
      return answer;
    }
  }
  return std::nullopt;
}

Problem GetObject(Value const& parent, std::string const& base, char const* key, bool required,
                  Value const*& out) {
  out = Member(parent, key);
  std::string const pointer = Pointer(base, key);
  if (out == nullptr) return required ? Missing(pointer) : std::nullopt;
  if (!out->IsObject()) return WrongType(pointer, *out, "an object");
  return std::nullopt;
}

Problem GetStringValue(Value const& parent, std::string const& base, char const* key, bool required,
                       std::optional<std::string>& out) {
  auto const* value = Member(parent, key);
  std::string const pointer = Pointer(base, key);
  if (value == nullptr) return required ? Missing(pointer) : std::nullopt;
  if (!value->IsString()) return WrongType(pointer, *value, "a string");
  out = std::string(value->GetString(), value->GetStringLength());
  if (required && out->empty()) {
    return ParamError(pointer, ToJson(*value), pointer.substr(1) + " must not be empty");
  }
  return std::nullopt;
}

Problem GetRequiredString(Value const& parent, std::string const& base, char const* key,
                          std::string& out) {
  std::optional<std::string> value;
  if (auto p = GetStringValue(parent, base, key, true, value)) return p;
  out = *std::move(value);
  return std::nullopt;
}

Problem GetInteger(Value const& parent, std::string const& base, char const* key, bool required,
                   std::int64_t minimum, std::optional<std::int64_t>& out) {
  auto const* value = Member(parent, key);
  std::string const pointer = Pointer(base, key);
  if (value == nullptr) return required ? Missing(pointer) : std::nullopt;
  if (!value->IsInt64()) return WrongType(pointer, *value, "an integer");
  // Every integer of these bodies is a 32-bit signed integer on WeChat's side.
  if (value->GetInt64() < minimum || value->GetInt64() > kMaxWireInteger) {
    Answer answer = ParamError(pointer, ToJson(*value),
                               pointer.substr(1) + " must be " + std::to_string(minimum) + " to " +
                                   std::to_string(kMaxWireInteger) + " (got " +
                                   std::to_string(value->GetInt64()) + ")");
    answer.internal_code = wechat_code::kOutOfRange;
    return answer;
  }
  out = value->GetInt64();
  return std::nullopt;
}

Problem GetBoolean(Value const& parent, std::string const& base, char const* key) {
  auto const* value = Member(parent, key);
  if (value != nullptr && !value->IsBool()) {
    return WrongType(Pointer(base, key), *value, "a boolean");
  }
  return std::nullopt;
}

// A string present in the body: 1 to `max` bytes. WeChat's field validator counts bytes
// ("字节数 145，大于最大值 127") and its minimum for these fields is 1.
Problem ByteLength(std::string const& pointer, std::optional<std::string> const& value,
                   std::size_t max) {
  if (!value) return std::nullopt;
  if (value->empty()) {
    return ParamError(pointer, JsonQuote(*value), "字符串规则校验失败，字节数 0，小于最小值 1");
  }
  if (value->size() <= max) return std::nullopt;
  return ParamLengthError(pointer, value->size(), max);
}

// An optional string member of `parent` checked by ByteLength().
Problem GetText(Value const& parent, std::string const& base, char const* key, std::size_t max) {
  std::optional<std::string> text;
  if (auto p = GetStringValue(parent, base, key, false, text)) return p;
  return ByteLength(Pointer(base, key), text, max);
}

// The SDK's public rules are WeChat's documented rules; only the error shape differs.
Problem FromStatus(Status const& status, std::string const& pointer, std::string const& value,
                   std::string_view location = "body") {
  if (status.ok()) return std::nullopt;
  return ParamError(pointer, JsonQuote(value), status.message(), location);
}

Problem CheckGoodsDetail(Value const& list, std::string const& base, bool refund) {
  if (!list.IsArray()) return WrongType(base, list, "an array");
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    std::string const item = base + "/" + std::to_string(i);
    Value const& goods = list[i];
    if (!goods.IsObject()) return WrongType(item, goods, "an object");
    std::string merchant_goods_id;
    std::optional<std::int64_t> number;
    if (refund) {
      if (auto p = CheckKnownMembers(goods, item,
                                     {"merchant_goods_id", "wechatpay_goods_id", "goods_name",
                                      "unit_price", "refund_amount", "refund_quantity"})) {
        return p;
      }
    } else if (auto p = CheckKnownMembers(goods, item,
                                          {"merchant_goods_id", "wechatpay_goods_id", "goods_name",
                                           "quantity", "unit_price"})) {
      return p;
    }
    if (auto p = GetRequiredString(goods, item, "merchant_goods_id", merchant_goods_id)) return p;
    if (auto p = ByteLength(item + "/merchant_goods_id", merchant_goods_id, kGoodsIdMaxBytes)) {
      return p;
    }
    if (auto p = GetText(goods, item, "wechatpay_goods_id", kGoodsIdMaxBytes)) return p;
    if (auto p = GetText(goods, item, "goods_name", kGoodsNameMaxBytes)) return p;
    if (auto p = GetInteger(goods, item, "unit_price", true, 0, number)) return p;
    if (refund) {
      if (auto p = GetInteger(goods, item, "refund_amount", true, 0, number)) return p;
      if (auto p = GetInteger(goods, item, "refund_quantity", true, 1, number)) return p;
    } else if (auto p = GetInteger(goods, item, "quantity", true, 1, number)) {
      return p;
    }
  }
  return std::nullopt;
}

Problem CheckDetail(Value const& body) {
  Value const* detail = nullptr;
  if (auto p = GetObject(body, "", "detail", false, detail)) return p;
  if (detail == nullptr) return std::nullopt;
  if (auto p =
          CheckKnownMembers(*detail, "/detail", {"cost_price", "invoice_id", "goods_detail"})) {
    return p;
  }
  std::optional<std::int64_t> cost_price;
  if (auto p = GetInteger(*detail, "/detail", "cost_price", false, 0, cost_price)) return p;
  if (auto p = GetText(*detail, "/detail", "invoice_id", kInvoiceIdMaxBytes)) return p;
  if (auto const* goods = Member(*detail, "goods_detail")) {
    return CheckGoodsDetail(*goods, "/detail/goods_detail", false);
  }
  return std::nullopt;
}

Problem CheckSceneInfo(Value const& body) {
  Value const* scene = nullptr;
  if (auto p = GetObject(body, "", "scene_info", false, scene)) return p;
  if (scene == nullptr) return std::nullopt;
  if (auto p = CheckKnownMembers(*scene, "/scene_info",
                                 {"payer_client_ip", "device_id", "store_info"})) {
    return p;
  }
  std::string ip;
  if (auto p = GetRequiredString(*scene, "/scene_info", "payer_client_ip", ip)) return p;
  if (auto p = GetText(*scene, "/scene_info", "device_id", kDeviceIdMaxBytes)) return p;
  Value const* store = nullptr;
  if (auto p = GetObject(*scene, "/scene_info", "store_info", false, store)) return p;
  if (store == nullptr) return std::nullopt;
  std::string const base = "/scene_info/store_info";
  if (auto p = CheckKnownMembers(*store, base, {"id", "name", "area_code", "address"})) return p;
  std::string id;
  if (auto p = GetRequiredString(*store, base, "id", id)) return p;
  if (auto p = ByteLength(base + "/id", id, kStoreIdMaxBytes)) return p;
  if (auto p = GetText(*store, base, "name", kStoreNameMaxBytes)) return p;
  if (auto p = GetText(*store, base, "area_code", kAreaCodeMaxBytes)) return p;
  return GetText(*store, base, "address", kAddressMaxBytes);
}

Problem CheckSettleAndLimits(Value const& body) {
  Value const* settle = nullptr;
  if (auto p = GetObject(body, "", "settle_info", false, settle)) return p;
  if (settle != nullptr) {
    if (auto p = CheckKnownMembers(*settle, "/settle_info", {"profit_sharing"})) return p;
    if (auto p = GetBoolean(*settle, "/settle_info", "profit_sharing")) return p;
  }
  if (auto p = GetBoolean(body, "", "support_fapiao")) return p;
  auto const* limit_pay = Member(body, "limit_pay");
  if (limit_pay == nullptr) return std::nullopt;
  if (!limit_pay->IsArray()) return WrongType("/limit_pay", *limit_pay, "an array");
  for (rapidjson::SizeType i = 0; i < limit_pay->Size(); ++i) {
    Value const& item = (*limit_pay)[i];
    std::string_view const value =
        item.IsString() ? std::string_view(item.GetString(), item.GetStringLength()) : "";
    if (value != "no_balance" && value != "no_credit" && value != "no_debit" &&
        value != "balance_only") {
      return ParamError("/limit_pay/" + std::to_string(i), ToJson(item),
                        "limit_pay items are no_balance, no_credit, no_debit or balance_only");
    }
  }
  return std::nullopt;
}

Problem CheckCurrency(std::string const& pointer, std::string const& currency) {
  // "境内商户号仅支持人民币": the sandbox merchant is a mainland merchant.
  if (currency == "CNY") return std::nullopt;
  return ParamError(pointer, JsonQuote(currency),
                    "Currency code is invalid (only CNY is supported)");
}

// Depth-first search for what no body may contain.
Problem FindForbiddenValue(Value const& value, std::string const& pointer) {
  if (value.IsNull()) {
    return ParamError(pointer.empty() ? "/" : pointer, "null",
                      "null is not allowed; leave optional parameters out");
  }
  if (value.IsString()) {
    for (rapidjson::SizeType i = 0; i < value.GetStringLength(); ++i) {
      if (static_cast<unsigned char>(value.GetString()[i]) >= 0xF0) {
        return ParamError(pointer, ToJson(value),
                          "4-byte UTF-8 characters (such as emoji) are not supported");
      }
    }
  } else if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      std::string_view const name(it->name.GetString(), it->name.GetStringLength());
      if (auto p = FindForbiddenValue(it->value, Pointer(pointer, name))) return p;
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (auto p = FindForbiddenValue(value[i], pointer + "/" + std::to_string(i))) return p;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Answer> CheckBodyValues(rapidjson::Value const& body) {
  return FindForbiddenValue(body, "");
}

std::optional<Answer> CheckPrepayBody(rapidjson::Value const& body, PrepayInput& out) {
  if (auto p = CheckKnownMembers(body, "",
                                 {"appid", "mchid", "description", "out_trade_no", "time_expire",
                                  "attach", "notify_url", "goods_tag", "support_fapiao", "amount",
                                  "detail", "scene_info", "settle_info", "limit_pay"})) {
    return p;
  }
  if (auto p = GetRequiredString(body, "", "appid", out.appid)) return p;
  if (out.appid.size() > kAppIdMaxBytes) {
    return ParamLengthError("/appid", out.appid.size(), kAppIdMaxBytes);
  }
  if (auto p = GetRequiredString(body, "", "mchid", out.mchid)) return p;
  if (auto p = GetRequiredString(body, "", "description", out.description)) return p;
  if (auto p = ByteLength("/description", out.description, kDescriptionMaxBytes)) return p;
  if (auto p = GetRequiredString(body, "", "out_trade_no", out.out_trade_no)) return p;
  if (auto p =
          FromStatus(ValidateOutTradeNo(out.out_trade_no), "/out_trade_no", out.out_trade_no)) {
    return p;
  }
  if (auto p = GetStringValue(body, "", "time_expire", false, out.time_expire)) return p;
  if (out.time_expire) {
    if (auto p =
            FromStatus(ValidateTimeExpire(*out.time_expire), "/time_expire", *out.time_expire)) {
      return p;
    }
  }
  if (auto p = GetStringValue(body, "", "attach", false, out.attach)) return p;
  if (auto p = ByteLength("/attach", out.attach, kAttachMaxBytes)) return p;
  if (auto p = GetRequiredString(body, "", "notify_url", out.notify_url)) return p;
  if (auto p = FromStatus(ValidateNotifyUrl(out.notify_url), "/notify_url", out.notify_url)) {
    return p;
  }
  if (auto p = GetText(body, "", "goods_tag", kGoodsTagMaxBytes)) return p;

  Value const* amount = nullptr;
  if (auto p = GetObject(body, "", "amount", true, amount)) return p;
  if (auto p = CheckKnownMembers(*amount, "/amount", {"total", "currency"})) return p;
  std::optional<std::int64_t> total;
  if (auto p = GetInteger(*amount, "/amount", "total", true, 1, total)) return p;
  out.total = *total;
  std::optional<std::string> currency;
  if (auto p = GetStringValue(*amount, "/amount", "currency", false, currency)) return p;
  if (currency) {
    if (auto p = CheckCurrency("/amount/currency", *currency)) return p;
    out.currency = *currency;
  }
  if (auto p = CheckDetail(body)) return p;
  if (auto p = CheckSceneInfo(body)) return p;
  return CheckSettleAndLimits(body);
}

std::optional<Answer> CheckRefundBody(rapidjson::Value const& body, RefundInput& out) {
  if (auto p = CheckKnownMembers(body, "",
                                 {"transaction_id", "out_trade_no", "out_refund_no", "reason",
                                  "notify_url", "funds_account", "amount", "goods_detail"})) {
    return p;
  }
  if (auto p = GetStringValue(body, "", "transaction_id", false, out.transaction_id)) return p;
  if (auto p = GetStringValue(body, "", "out_trade_no", false, out.out_trade_no)) return p;
  // One is required; both may be sent (WeChat's own example does), naming the same order.
  if (!out.transaction_id && !out.out_trade_no) {
    return ParamError("/out_trade_no", std::nullopt,
                      "transaction_id or out_trade_no is required (二选一)");
  }
  if (out.transaction_id) {
    if (auto p = FromStatus(ValidateTransactionId(*out.transaction_id), "/transaction_id",
                            *out.transaction_id)) {
      return p;
    }
  }
  if (out.out_trade_no) {
    if (auto p = FromStatus(ValidateExistingOutTradeNo(*out.out_trade_no), "/out_trade_no",
                            *out.out_trade_no)) {
      return p;
    }
  }
  if (auto p = GetRequiredString(body, "", "out_refund_no", out.out_refund_no)) return p;
  if (auto p =
          FromStatus(ValidateOutRefundNo(out.out_refund_no), "/out_refund_no", out.out_refund_no)) {
    return p;
  }
  if (auto p = GetStringValue(body, "", "reason", false, out.reason)) return p;
  if (auto p = ByteLength("/reason", out.reason, kReasonMaxBytes)) return p;
  if (auto p = GetStringValue(body, "", "notify_url", false, out.notify_url)) return p;
  if (out.notify_url) {
    if (auto p =
            FromStatus(ValidateRefundNotifyUrl(*out.notify_url), "/notify_url", *out.notify_url)) {
      return p;
    }
  }
  if (auto p = GetStringValue(body, "", "funds_account", false, out.funds_account)) return p;
  if (out.funds_account && *out.funds_account != "AVAILABLE" && *out.funds_account != "UNSETTLED") {
    return ParamError("/funds_account", JsonQuote(*out.funds_account),
                      "funds_account must be AVAILABLE or UNSETTLED");
  }

  Value const* amount = nullptr;
  if (auto p = GetObject(body, "", "amount", true, amount)) return p;
  if (auto p = CheckKnownMembers(*amount, "/amount", {"refund", "from", "total", "currency"})) {
    return p;
  }
  std::optional<std::int64_t> number;
  if (auto p = GetInteger(*amount, "/amount", "refund", true, 1, number)) return p;
  out.refund = *number;
  if (auto p = GetInteger(*amount, "/amount", "total", true, 1, number)) return p;
  out.total = *number;
  if (out.refund > out.total) {
    return ParamError("/amount/refund", std::to_string(out.refund),
                      "amount.refund must not exceed amount.total (退款金额不能大于订单金额)");
  }
  if (auto p = GetRequiredString(*amount, "/amount", "currency", out.currency)) return p;
  if (auto p = CheckCurrency("/amount/currency", out.currency)) return p;
  if (auto const* from = Member(*amount, "from")) {
    if (!from->IsArray()) return WrongType("/amount/from", *from, "an array");
    // "账户类型不能重复" and "出资金额之和等于退款金额".
    std::int64_t sum = 0;
    std::vector<std::string> accounts;
    for (rapidjson::SizeType i = 0; i < from->Size(); ++i) {
      std::string const item = "/amount/from/" + std::to_string(i);
      Value const& entry = (*from)[i];
      if (!entry.IsObject()) return WrongType(item, entry, "an object");
      if (auto p = CheckKnownMembers(entry, item, {"account", "amount"})) return p;
      std::string account;
      if (auto p = GetRequiredString(entry, item, "account", account)) return p;
      if (account != "AVAILABLE" && account != "UNAVAILABLE") {
        return ParamError(item + "/account", JsonQuote(account),
                          "account must be AVAILABLE or UNAVAILABLE");
      }
      for (auto const& seen : accounts) {
        if (seen == account) {
          return ParamError(item + "/account", JsonQuote(account),
                            "each account at most once (账户类型不能重复)");
        }
      }
      accounts.push_back(account);
      if (auto p = GetInteger(entry, item, "amount", true, 1, number)) return p;
      sum += *number;  // at most two items below 2^31 each
    }
    if (from->Size() > 0 && sum != out.refund) {
      return ParamError("/amount/from", std::to_string(sum),
                        "the from amounts must sum to amount.refund (出资金额之和等于退款金额)");
    }
  }
  if (auto const* goods = Member(body, "goods_detail")) {
    return CheckGoodsDetail(*goods, "/goods_detail", true);
  }
  return std::nullopt;
}

std::optional<Answer> CheckCloseBody(rapidjson::Value const& body) {
  if (auto p = CheckKnownMembers(body, "", {"mchid"})) return p;
  std::string mchid;
  return GetRequiredString(body, "", "mchid", mchid);
}

std::optional<Answer> CheckAbnormalRefundBody(rapidjson::Value const& body,
                                              AbnormalRefundInput& out) {
  if (auto p = CheckKnownMembers(
          body, "", {"out_refund_no", "type", "bank_type", "bank_account", "real_name"})) {
    return p;
  }
  if (auto p = GetRequiredString(body, "", "out_refund_no", out.out_refund_no)) return p;
  if (auto p =
          FromStatus(ValidateOutRefundNo(out.out_refund_no), "/out_refund_no", out.out_refund_no)) {
    return p;
  }
  if (auto p = GetRequiredString(body, "", "type", out.type)) return p;
  if (auto p = GetStringValue(body, "", "bank_type", false, out.bank_type)) return p;
  // The ciphertexts are measured, never echoed: a PARAM_ERROR shows their length only.
  for (auto [key, field] :
       {std::pair{"bank_account", &out.bank_account}, std::pair{"real_name", &out.real_name}}) {
    if (auto p = GetStringValue(body, "", key, false, *field)) return p;
    if (auto p = ByteLength(std::string("/") + key, *field, kSensitiveCiphertextMaxBytes)) return p;
  }
  return std::nullopt;
}

std::optional<Answer> CheckPathParameter(std::string_view name, std::string const& value) {
  std::string const field(name);
  if (name == "out_trade_no") {
    return FromStatus(ValidateExistingOutTradeNo(value), field, value, "path");
  }
  if (name == "transaction_id") {
    return FromStatus(ValidateTransactionId(value), field, value, "path");
  }
  if (name == "refund_id") return FromStatus(ValidateRefundId(value), field, value, "path");
  return FromStatus(ValidateOutRefundNo(value), field, value, "path");
}

}  // namespace wechatpay::sandbox::internal
