// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/validation.hpp"

#if defined(_WIN32)
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <sys/socket.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/config_error.hpp"
#include "common/rfc3339.hpp"
#include "common/url.hpp"
#include "common/utf8.hpp"

namespace wechatpay {
namespace {

// Limits in bytes, from WeChat's field tables; docs/protocol.md gives the source of each.
constexpr std::size_t kDescriptionMaxBytes = 127;
constexpr std::size_t kAttachMaxBytes = 128;
constexpr std::size_t kGoodsTagMaxBytes = 32;
constexpr std::size_t kReasonMaxBytes = 80;
constexpr std::size_t kAppIdMaxBytes = 32;
constexpr std::size_t kInvoiceIdMaxBytes = 32;
constexpr std::size_t kGoodsIdMaxBytes = 32;  // merchant_goods_id and wechatpay_goods_id
constexpr std::size_t kGoodsNameMaxBytes = 256;
constexpr std::size_t kDeviceIdMaxBytes = 32;
constexpr std::size_t kStoreIdMaxBytes = 32;
constexpr std::size_t kStoreNameMaxBytes = 256;
constexpr std::size_t kAreaCodeMaxBytes = 32;
constexpr std::size_t kAddressMaxBytes = 512;
constexpr std::size_t kBankTypeMaxBytes = 16;
constexpr std::size_t kBankAccountMaxDigits = 32;

// Fields are named by string_view and messages built only on failure: validation runs before
// every call, and on the success path it allocates nothing but the names of indexed fields.
Status Invalid(std::string_view field, std::string message) {
  return internal::InvalidArgument(field, std::move(message));
}

std::string Got(std::size_t n) { return " (got " + std::to_string(n) + ")"; }

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// An identifier made of ASCII letters, digits and the characters in `extra`, whose length is in
// [min, max]. `charset` is the class as the docs write it, for the message. Length is checked
// in bytes; since only ASCII is allowed, bytes and characters agree whenever the value is valid.
Status CheckIdentifier(std::string_view field, std::string_view value, std::size_t min,
                       std::size_t max, std::string_view extra, std::string_view charset) {
  auto rule = [&] {
    return std::string(field) + " must be " + std::to_string(min) + "-" + std::to_string(max) +
           " characters of " + std::string(charset);
  };
  if (value.size() < min || value.size() > max) return Invalid(field, rule() + Got(value.size()));
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (!IsAsciiAlnum(c) && extra.find(c) == std::string_view::npos) {
      return Invalid(field, rule() + " (invalid character at index " + std::to_string(i) + ")");
    }
  }
  return {};
}

// Any text that goes into a request body: well-formed UTF-8 (the JSON writer passes bytes
// through, so ill-formed input would make ill-formed JSON) without 4-byte characters, which
// WeChat Pay does not accept (docs/protocol.md, "Text").
Status CheckEncoding(std::string_view field, std::string_view value) {
  auto scan = internal::ScanUtf8(value);
  if (!scan.valid) {
    return Invalid(field, std::string(field) +
                              " must be valid UTF-8 (ill-formed byte sequence at offset " +
                              std::to_string(scan.error_offset) + ")");
  }
  if (scan.has_four_byte) {
    return Invalid(field, std::string(field) +
                              " must not contain 4-byte UTF-8 characters such as emoji (WeChat "
                              "Pay accepts only 1-3-byte characters)");
  }
  return {};
}

// Text of 1 to `max_bytes` bytes, counted as WeChat's validator counts them ("字节数"). Used for
// required strings and for optional ones that are present: WeChat's minimum is 1 for both.
Status CheckText(std::string_view field, std::string_view value, std::size_t max_bytes) {
  if (value.empty()) return Invalid(field, std::string(field) + " must not be empty");
  if (value.size() > max_bytes) {
    return Invalid(field, std::string(field) + " must be at most " + std::to_string(max_bytes) +
                              " bytes of UTF-8, as WeChat counts it; a Chinese character takes "
                              "3 bytes (got " +
                              std::to_string(value.size()) + " bytes)");
  }
  return CheckEncoding(field, value);
}

Status CheckOptionalText(std::string_view field, std::optional<std::string> const& value,
                         std::size_t max_bytes) {
  return value ? CheckText(field, *value, max_bytes) : Status();
}

Status CheckAppId(std::optional<std::string> const& appid) {
  if (!appid) return {};
  // AppIDs look like "wx" + 16 hex digits; the rule stays looser than that (any visible ASCII)
  // so that an unusual but valid id is not refused here, while spaces and control characters
  // (copy-paste accidents) are.
  std::string const rule = "appid must be 1-32 visible ASCII characters";
  if (appid->empty() || appid->size() > kAppIdMaxBytes) {
    return Invalid("appid", rule + Got(appid->size()));
  }
  for (char c : *appid) {
    if (c <= 0x20 || c >= 0x7F)
      return Invalid("appid", rule + " (got a space or control character)");
  }
  return {};
}

// An integer WeChat receives: every amount, price and quantity of the v3 API is a 32-bit signed
// integer (the official Java SDK models them as Integer), so [min, 2147483647]. `unit` ("fen"
// or "") is for the message.
Status CheckWireInteger(std::string_view field, std::int64_t value, std::int64_t min,
                        std::string_view unit = "fen") {
  std::string const suffix = unit.empty() ? std::string() : " " + std::string(unit);
  if (value < min) {
    return Invalid(field, std::string(field) + " must be at least " + std::to_string(min) + suffix +
                              " (got " + std::to_string(value) + ")");
  }
  if (value > kMaxWireInteger) {
    return Invalid(
        field, std::string(field) + " must be at most " + std::to_string(kMaxWireInteger) + suffix +
                   " (WeChat's integers are 32-bit) (got " + std::to_string(value) + ")");
  }
  return {};
}

Status CheckCurrency(std::string_view currency) {
  bool ok = currency.size() == 3;
  for (char c : currency) ok = ok && c >= 'A' && c <= 'Z';
  if (!ok)
    return Invalid("amount.currency", "amount.currency must be 3 upper-case letters, e.g. CNY");
  return {};
}

std::string Indexed(std::string_view array, std::size_t i, std::string_view member) {
  return std::string(array) + "[" + std::to_string(i) + "]." + std::string(member);
}

// The members a goods line has in both an order and a refund.
Status CheckGoodsIdentity(std::string_view array, std::size_t i,
                          std::string const& merchant_goods_id,
                          std::optional<std::string> const& wechatpay_goods_id,
                          std::optional<std::string> const& goods_name) {
  // "由半角的大小写字母、数字、中划线、下划线中的一种或几种组成".
  if (auto s = CheckIdentifier(Indexed(array, i, "merchant_goods_id"), merchant_goods_id, 1,
                               kGoodsIdMaxBytes, "_-", "[0-9A-Za-z_-]");
      !s.ok()) {
    return s;
  }
  if (auto s = CheckOptionalText(Indexed(array, i, "wechatpay_goods_id"), wechatpay_goods_id,
                                 kGoodsIdMaxBytes);
      !s.ok()) {
    return s;
  }
  return CheckOptionalText(Indexed(array, i, "goods_name"), goods_name, kGoodsNameMaxBytes);
}

Status CheckOrderDetail(OrderDetail const& detail) {
  if (detail.cost_price) {
    if (auto s = CheckWireInteger("detail.cost_price", *detail.cost_price, 0); !s.ok()) return s;
  }
  if (auto s = CheckOptionalText("detail.invoice_id", detail.invoice_id, kInvoiceIdMaxBytes);
      !s.ok()) {
    return s;
  }
  constexpr std::string_view kArray = "detail.goods_detail";
  for (std::size_t i = 0; i < detail.goods_detail.size(); ++i) {
    auto const& goods = detail.goods_detail[i];
    if (auto s = CheckGoodsIdentity(kArray, i, goods.merchant_goods_id, goods.wechatpay_goods_id,
                                    goods.goods_name);
        !s.ok()) {
      return s;
    }
    if (auto s = CheckWireInteger(Indexed(kArray, i, "quantity"), goods.quantity, 1, ""); !s.ok()) {
      return s;
    }
    if (auto s = CheckWireInteger(Indexed(kArray, i, "unit_price"), goods.unit_price, 0); !s.ok()) {
      return s;
    }
  }
  return {};
}

bool IsIpAddress(std::string const& ip) {
  // inet_pton reads a C string: an embedded NUL would hide whatever follows it.
  if (ip.find('\0') != std::string::npos) return false;
  unsigned char buffer[16];
  return inet_pton(AF_INET, ip.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, ip.c_str(), buffer) == 1;
}

Status CheckSceneInfo(SceneInfo const& scene) {
  constexpr std::string_view ip_field = "scene_info.payer_client_ip";
  if (scene.payer_client_ip.empty())
    return Invalid(ip_field, std::string(ip_field) + " must not be empty");
  // An IPv4 or IPv6 address in text form is at most 45 bytes, WeChat's limit for the field.
  if (!IsIpAddress(scene.payer_client_ip)) {
    return Invalid(ip_field, std::string(ip_field) + " must be an IPv4 or IPv6 address");
  }
  if (auto s = CheckOptionalText("scene_info.device_id", scene.device_id, kDeviceIdMaxBytes);
      !s.ok()) {
    return s;
  }
  if (!scene.store_info) return {};
  auto const& store = *scene.store_info;
  if (auto s = CheckText("scene_info.store_info.id", store.id, kStoreIdMaxBytes); !s.ok()) {
    return s;
  }
  if (auto s = CheckOptionalText("scene_info.store_info.name", store.name, kStoreNameMaxBytes);
      !s.ok()) {
    return s;
  }
  if (auto s =
          CheckOptionalText("scene_info.store_info.area_code", store.area_code, kAreaCodeMaxBytes);
      !s.ok()) {
    return s;
  }
  return CheckOptionalText("scene_info.store_info.address", store.address, kAddressMaxBytes);
}

Status CheckLimitPay(std::vector<std::string> const& limit_pay) {
  for (std::size_t i = 0; i < limit_pay.size(); ++i) {
    auto const& value = limit_pay[i];
    if (value != "no_balance" && value != "no_credit" && value != "no_debit" &&
        value != "balance_only") {
      std::string const field = "limit_pay[" + std::to_string(i) + "]";
      return Invalid(field, field + " must be no_balance, no_credit, no_debit or balance_only");
    }
  }
  return {};
}

Status CheckNotifyUrl(std::string_view field, std::string_view url, std::size_t max_bytes,
                      ValidationOptions const& options) {
  std::string const name(field);
  if (url.empty()) return Invalid(field, name + " must not be empty");
  if (url.size() > max_bytes) {
    return Invalid(
        field, name + " must be at most " + std::to_string(max_bytes) + " bytes" + Got(url.size()));
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return Invalid(field, name + " must be ASCII (percent-encode other characters)");
    }
  }
  auto parsed = internal::ParseUrl(url);
  if (!parsed) return Invalid(field, name + " must be an absolute https URL");
  if (parsed->scheme != "https" && !options.allow_http_notify_url &&
      !internal::IsLoopbackHost(parsed->host)) {
    return Invalid(field, name +
                              " must use https (http only for a loopback host, or for any host "
                              "when allowHttpNotifyUrl / WECHATPAY_ALLOW_HTTP_NOTIFY_URL is set, "
                              "which WeChat allows only for merchants on a dedicated line)");
  }
  // WeChat appends nothing to the URL and refuses one with parameters ("不能携带参数").
  if (parsed->has_query) return Invalid(field, name + " must not have a query string");
  if (parsed->has_fragment) return Invalid(field, name + " must not have a fragment");
  // WeChat's pattern would take user information, but it would put a credential into every
  // callback request line and into WeChat's records (docs/protocol.md, "notify_url").
  if (parsed->has_userinfo) return Invalid(field, name + " must not contain user information");
  return {};
}

Status CheckRefundAmount(RefundRequestAmount const& amount) {
  if (auto s = CheckWireInteger("amount.total", amount.total, 1); !s.ok()) return s;
  if (auto s = CheckWireInteger("amount.refund", amount.refund, 1); !s.ok()) return s;
  if (amount.refund > amount.total) {
    return Invalid("amount.refund", "amount.refund (" + std::to_string(amount.refund) +
                                        ") must not exceed amount.total (" +
                                        std::to_string(amount.total) + ")");
  }
  if (auto s = CheckCurrency(amount.currency); !s.ok()) return s;
  // "账户类型不能重复" and "出资金额之和等于退款金额" (docs/protocol.md, "amount.from").
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < amount.from.size(); ++i) {
    auto const& from = amount.from[i];
    auto account_field = Indexed("amount.from", i, "account");
    if (from.account != "AVAILABLE" && from.account != "UNAVAILABLE") {
      return Invalid(account_field, account_field + " must be AVAILABLE or UNAVAILABLE");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (amount.from[j].account == from.account) {
        return Invalid(account_field, account_field + " repeats amount.from[" + std::to_string(j) +
                                          "].account (" + from.account +
                                          "): each account at most once");
      }
    }
    if (auto s = CheckWireInteger(Indexed("amount.from", i, "amount"), from.amount, 1); !s.ok()) {
      return s;
    }
    sum += from.amount;  // at most two items of at most 2^31 - 1 each: no overflow
  }
  if (!amount.from.empty() && sum != amount.refund) {
    return Invalid("amount.from", "the amount.from shares must sum to amount.refund (" +
                                      std::to_string(amount.refund) + "; got " +
                                      std::to_string(sum) + ")");
  }
  return {};
}

Status CheckRefundGoods(std::vector<RefundGoodsDetail> const& lines) {
  constexpr std::string_view kArray = "goods_detail";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto const& goods = lines[i];
    if (auto s = CheckGoodsIdentity(kArray, i, goods.merchant_goods_id, goods.wechatpay_goods_id,
                                    goods.goods_name);
        !s.ok()) {
      return s;
    }
    if (auto s = CheckWireInteger(Indexed(kArray, i, "unit_price"), goods.unit_price, 0); !s.ok()) {
      return s;
    }
    if (auto s = CheckWireInteger(Indexed(kArray, i, "refund_amount"), goods.refund_amount, 0);
        !s.ok()) {
      return s;
    }
    if (auto s =
            CheckWireInteger(Indexed(kArray, i, "refund_quantity"), goods.refund_quantity, 1, "");
        !s.ok()) {
      return s;
    }
  }
  return {};
}

}  // namespace

Status ValidateOutTradeNo(std::string_view out_trade_no) {
  return CheckIdentifier("out_trade_no", out_trade_no, 6, 32, "_-|*", "[0-9A-Za-z_-|*]");
}

Status ValidateExistingOutTradeNo(std::string_view out_trade_no) {
  return CheckIdentifier("out_trade_no", out_trade_no, 1, 32, "_-|*", "[0-9A-Za-z_-|*]");
}

Status ValidateOutRefundNo(std::string_view out_refund_no) {
  return CheckIdentifier("out_refund_no", out_refund_no, 1, 64, "_-|*@", "[0-9A-Za-z_-|*@]");
}

Status ValidateTransactionId(std::string_view transaction_id) {
  return CheckIdentifier("transaction_id", transaction_id, 1, 32, "", "[0-9A-Za-z]");
}

Status ValidateRefundId(std::string_view refund_id) {
  return CheckIdentifier("refund_id", refund_id, 1, 32, "", "[0-9A-Za-z]");
}

Status ValidateNotifyUrl(std::string_view url, std::string_view field,
                         ValidationOptions const& options) {
  return CheckNotifyUrl(field, url, kPrepayNotifyUrlMaxBytes, options);
}

Status ValidateRefundNotifyUrl(std::string_view url, ValidationOptions const& options) {
  return CheckNotifyUrl("notify_url", url, kRefundNotifyUrlMaxBytes, options);
}

Status ValidateTimeExpire(std::string_view time_expire) {
  auto problem = internal::Rfc3339Problem(time_expire);
  if (problem.empty()) return {};
  return Invalid("time_expire",
                 "time_expire must be an RFC 3339 date-time with an offset, e.g. "
                 "2018-06-08T10:34:56+08:00 (" +
                     problem + ")");
}

Status Validate(NativePrepayRequest const& request, ValidationOptions const& options) {
  if (auto s = CheckAppId(request.appid); !s.ok()) return s;
  if (auto s = CheckText("description", request.description, kDescriptionMaxBytes); !s.ok()) {
    return s;
  }
  if (auto s = ValidateOutTradeNo(request.out_trade_no); !s.ok()) return s;
  if (request.time_expire) {
    if (auto s = ValidateTimeExpire(*request.time_expire); !s.ok()) return s;
  }
  if (auto s = CheckOptionalText("attach", request.attach, kAttachMaxBytes); !s.ok()) return s;
  if (request.notify_url) {
    if (auto s = ValidateNotifyUrl(*request.notify_url, "notify_url", options); !s.ok()) {
      return s;
    }
  }
  if (auto s = CheckOptionalText("goods_tag", request.goods_tag, kGoodsTagMaxBytes); !s.ok()) {
    return s;
  }
  if (auto s = CheckLimitPay(request.limit_pay); !s.ok()) return s;
  if (auto s = CheckWireInteger("amount.total", request.amount.total, 1); !s.ok()) return s;
  if (request.amount.currency) {
    if (auto s = CheckCurrency(*request.amount.currency); !s.ok()) return s;
  }
  if (request.detail) {
    if (auto s = CheckOrderDetail(*request.detail); !s.ok()) return s;
  }
  if (request.scene_info) {
    if (auto s = CheckSceneInfo(*request.scene_info); !s.ok()) return s;
  }
  return {};
}

Status Validate(CreateRefundRequest const& request, ValidationOptions const& options) {
  // "transaction_id和out_trade_no必须二选一进行传参": one is required. Both may be sent, as
  // WeChat's own examples and the official Go and Java SDKs do (docs/protocol.md).
  if (!request.transaction_id && !request.out_trade_no) {
    return Invalid("out_trade_no",
                   "a refund needs transaction_id or out_trade_no (got neither; both are allowed)");
  }
  if (request.transaction_id) {
    if (auto s = ValidateTransactionId(*request.transaction_id); !s.ok()) return s;
  }
  if (request.out_trade_no) {
    if (auto s = ValidateExistingOutTradeNo(*request.out_trade_no); !s.ok()) return s;
  }
  if (auto s = ValidateOutRefundNo(request.out_refund_no); !s.ok()) return s;
  if (auto s = CheckOptionalText("reason", request.reason, kReasonMaxBytes); !s.ok()) return s;
  if (request.notify_url) {
    if (auto s = ValidateRefundNotifyUrl(*request.notify_url, options); !s.ok()) return s;
  }
  if (request.funds_account && *request.funds_account != "AVAILABLE" &&
      *request.funds_account != "UNSETTLED") {
    return Invalid("funds_account", "funds_account must be AVAILABLE or UNSETTLED");
  }
  if (auto s = CheckRefundAmount(request.amount); !s.ok()) return s;
  return CheckRefundGoods(request.goods_detail);
}

Status Validate(ApplyAbnormalRefundRequest const& request) {
  if (auto s = ValidateRefundId(request.refund_id); !s.ok()) return s;
  if (auto s = ValidateOutRefundNo(request.out_refund_no); !s.ok()) return s;
  bool const to_user = request.type == kAbnormalRefundToUserBankCard;
  if (!to_user && request.type != kAbnormalRefundToMerchantBankCard) {
    return Invalid("type", "type must be USER_BANK_CARD or MERCHANT_BANK_CARD");
  }
  if (!to_user) {
    // Nothing WeChat needs: the payer's card data would be sent (and encrypted) for nothing.
    for (auto const& [field, value] : {std::pair{"bank_type", &request.bank_type},
                                       std::pair{"bank_account", &request.bank_account},
                                       std::pair{"real_name", &request.real_name}}) {
      if (value->has_value()) {
        return Invalid(field,
                       std::string(field) + " must be absent when type is MERCHANT_BANK_CARD");
      }
    }
    return {};
  }
  for (auto const& [field, value] : {std::pair{"bank_type", &request.bank_type},
                                     std::pair{"bank_account", &request.bank_account},
                                     std::pair{"real_name", &request.real_name}}) {
    if (!value->has_value()) {
      return Invalid(field, std::string(field) + " is required when type is USER_BANK_CARD");
    }
  }
  if (auto s = CheckIdentifier("bank_type", *request.bank_type, 1, kBankTypeMaxBytes, "_",
                               "[0-9A-Za-z_]");
      !s.ok()) {
    return s;
  }
  // Card numbers are digits; a space or dash would reach WeChat encrypted, where nothing can
  // point at it. The messages give lengths and positions, never the value.
  std::string const& account = *request.bank_account;
  if (account.empty() || account.size() > kBankAccountMaxDigits) {
    return Invalid("bank_account", "bank_account must be 1-" +
                                       std::to_string(kBankAccountMaxDigits) + " digits" +
                                       Got(account.size()));
  }
  for (std::size_t i = 0; i < account.size(); ++i) {
    if (account[i] < '0' || account[i] > '9') {
      return Invalid("bank_account",
                     "bank_account must be ASCII digits only (not a digit at index " +
                         std::to_string(i) + ")");
    }
  }
  return CheckText("real_name", *request.real_name, kSensitiveFieldMaxBytes);
}

Status Validate(QueryOrderByOutTradeNoRequest const& request) {
  return ValidateExistingOutTradeNo(request.out_trade_no);
}

Status Validate(QueryOrderByIdRequest const& request) {
  return ValidateTransactionId(request.transaction_id);
}

Status Validate(CloseOrderRequest const& request) {
  return ValidateExistingOutTradeNo(request.out_trade_no);
}

Status Validate(QueryRefundRequest const& request) {
  return ValidateOutRefundNo(request.out_refund_no);
}

namespace {

// Beijing time has no daylight saving: UTC+8 all year.
constexpr std::int64_t kBeijingOffsetSeconds = 8 * 3600;

std::string DateText(internal::CivilDate const& date) {
  char buffer[40];  // room for any int, so the compiler sees nothing cut off
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

// One of the documented values of an enumeration sent as a string.
Status CheckOneOf(std::string_view field, std::optional<std::string> const& value,
                  std::initializer_list<std::string_view> allowed) {
  if (!value) return {};
  for (auto name : allowed) {
    if (*value == name) return {};
  }
  std::string rule = std::string(field) + " must be one of";
  char separator = ' ';
  for (auto name : allowed) {
    rule += separator;
    rule += name;
    separator = ',';
  }
  return Invalid(field, rule);
}

Status CheckTarType(std::optional<std::string> const& tar_type) {
  return CheckOneOf("tar_type", tar_type, {"GZIP"});
}

}  // namespace

Status ValidateBillDate(std::string_view bill_date, std::chrono::system_clock::time_point now) {
  auto const problem = internal::DateProblem(bill_date);
  if (!problem.empty()) {
    return Invalid("bill_date",
                   "bill_date must be a calendar date written yyyy-MM-dd (" + problem + ")");
  }
  auto const date = *internal::ParseDate(bill_date);
  auto const seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // Floor division: the Beijing day of `now`, also before 1970.
  std::int64_t const local = seconds + kBeijingOffsetSeconds;
  std::int64_t const today = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  auto const today_date = internal::CivilFromDays(today);
  int earliest_year = today_date.year;
  int earliest_month = today_date.month - kBillHistoryMonths;
  while (earliest_month < 1) {
    earliest_month += 12;
    --earliest_year;
  }
  internal::CivilDate const earliest{
      earliest_year, earliest_month,
      std::min(today_date.day, internal::DaysInMonth(earliest_year, earliest_month))};
  std::int64_t const day = internal::DaysFromCivil(date.year, date.month, date.day);
  if (day >= today) {
    return Invalid("bill_date",
                   "bill_date must be yesterday or earlier in Beijing time (the "
                   "latest allowed is " +
                       DateText(internal::CivilFromDays(today - 1)) +
                       "): a day's bill exists from the next day");
  }
  if (day < internal::DaysFromCivil(earliest.year, earliest.month, earliest.day)) {
    return Invalid("bill_date", "bill_date must be within the last " +
                                    std::to_string(kBillHistoryMonths) +
                                    " months in Beijing time (the earliest allowed is " +
                                    DateText(earliest) + ")");
  }
  return {};
}

Status Validate(TradeBillRequest const& request, std::chrono::system_clock::time_point now) {
  if (auto status = ValidateBillDate(request.bill_date, now); !status.ok()) return status;
  if (auto status = CheckOneOf("bill_type", request.bill_type,
                               {"ALL", "SUCCESS", "REFUND", "RECHARGE_REFUND", "ALL_SPECIAL",
                                "SUC_SPECIAL", "REF_SPECIAL"});
      !status.ok()) {
    return status;
  }
  return CheckTarType(request.tar_type);
}

Status Validate(FundFlowBillRequest const& request, std::chrono::system_clock::time_point now) {
  if (auto status = ValidateBillDate(request.bill_date, now); !status.ok()) return status;
  if (auto status =
          CheckOneOf("account_type", request.account_type, {"BASIC", "OPERATION", "FEES"});
      !status.ok()) {
    return status;
  }
  return CheckTarType(request.tar_type);
}

Status Validate(BillDownloadInfo const& info) {
  if (info.hash_type.empty()) return Invalid("hash_type", "hash_type is required");
  if (info.hash_value.empty()) return Invalid("hash_value", "hash_value is required");
  auto const url = internal::ParseUrl(info.download_url);
  if (!url) {
    return Invalid("download_url", "download_url must be an absolute http(s) URL");
  }
  if (url->has_userinfo || url->has_fragment) {
    return Invalid("download_url", "download_url must not contain user information or a fragment");
  }
  if (url->scheme != "https" && !internal::IsLoopbackHost(url->host)) {
    return Invalid("download_url", "download_url must use https (http only for a loopback host)");
  }
  return {};
}

}  // namespace wechatpay
