// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/bill_api.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <optional>

#include "http/json_util.hpp"
#include "v3/gzip.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::size_t kBillDateLength = 10;  // string(10): yyyy-MM-dd
constexpr std::size_t kMaxEchoedBytes = 32;  // longer values are reported by their length
constexpr auto kDay = std::chrono::hours(24);

constexpr std::string_view kBillTypes[] = {
    "ALL", "SUCCESS", "REFUND", "RECHARGE_REFUND", "ALL_SPECIAL", "SUC_SPECIAL", "REF_SPECIAL"};
constexpr std::string_view kAccountTypes[] = {"BASIC", "OPERATION", "FEES"};

template <std::size_t N>
bool OneOf(std::string const& value, std::string_view const (&allowed)[N]) {
  for (auto const& candidate : allowed) {
    if (value == candidate) return true;
  }
  return false;
}

template <std::size_t N>
std::string ListOf(std::string_view const (&allowed)[N]) {
  std::string list;
  for (auto const& candidate : allowed) {
    if (!list.empty()) list += ", ";
    list += candidate;
  }
  return list;
}

// PARAM_ERROR for the query parameter `name` with `value`: a short value is echoed, a long one
// reported by its length only.
Answer QueryParamError(std::string_view name, std::string const& value, std::string_view issue) {
  if (value.size() > kMaxEchoedBytes) {
    return ParamLengthError(name, value.size(), kMaxEchoedBytes, LengthUnit::kBytes, "query");
  }
  return ParamError(name, JsonQuote(value), issue, "query");
}

// The checked enumeration parameter `name`, `fallback` when absent; an error answer otherwise.
template <std::size_t N>
std::optional<Answer> CheckEnum(Inbound const& request, std::string_view name,
                                std::string_view const (&allowed)[N], std::string_view fallback,
                                std::string& value) {
  auto given = request.Param(std::string(name));
  value = given ? *given : std::string(fallback);
  if (OneOf(value, allowed)) return std::nullopt;
  return QueryParamError(name, value, "枚举值校验失败，可选值为 " + ListOf(allowed));
}

// "yyyy-MM-dd" of a year, month and day (each in range).
std::string DateText(int year, int month, int day) {
  auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  return std::to_string(year) + "-" + two(month) + "-" + two(day);
}

// The day three calendar months before the Beijing date `today` ("yyyy-MM-dd"), the day of the
// month moved back to the month's last when that month is shorter.
SystemClock::time_point ThreeMonthsBefore(std::string const& today) {
  int year = std::stoi(today.substr(0, 4));
  int month = std::stoi(today.substr(5, 2)) - 3;
  if (month < 1) {
    month += 12;
    year -= 1;
  }
  // Every month has a 28th, so the search ends there at the latest.
  for (int day = std::stoi(today.substr(8, 2)); day > 28; --day) {
    if (auto midnight = BeijingMidnight(DateText(year, month, day))) return *midnight;
  }
  int const day = std::min(std::stoi(today.substr(8, 2)), 28);
  return BeijingMidnight(DateText(year, month, day)).value_or(SystemClock::time_point());
}

// Lower-case hex SHA-1 of `data`, as WeChat's hash_value.
std::string Sha1Hex(std::string const& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

Answer InvalidRequest(std::string message) {
  return WeChatError(400, "INVALID_REQUEST", std::move(message));
}

}  // namespace

std::string CorruptOneByte(std::string content) {
  for (auto it = content.rbegin(); it != content.rend(); ++it) {
    if (*it >= '0' && *it <= '9') {
      *it = *it == '9' ? '0' : static_cast<char>(*it + 1);
      return content;
    }
  }
  if (!content.empty()) content[content.size() / 2] ^= 0x01;
  return content;
}

Answer BillApi::TradeBill(Inbound const& request, std::string const& mchid, bool corrupt) const {
  std::string bill_type;
  if (auto error = CheckEnum(request, "bill_type", kBillTypes, "ALL", bill_type)) {
    return *std::move(error);
  }
  return Apply(request, mchid, corrupt,
               [&bill_type](OrderBook::BillRecords const& records, BillDay const& day) {
                 return TradeBillCsv(records, day, bill_type);
               });
}

Answer BillApi::FundFlowBill(Inbound const& request, std::string const& mchid, bool corrupt) const {
  std::string account_type;
  if (auto error = CheckEnum(request, "account_type", kAccountTypes, "BASIC", account_type)) {
    return *std::move(error);
  }
  return Apply(request, mchid, corrupt,
               [&account_type](OrderBook::BillRecords const& records, BillDay const& day) {
                 return FundFlowBillCsv(records, day, account_type);
               });
}

Answer BillApi::Apply(Inbound const& request, std::string const& mchid, bool corrupt,
                      Writer const& bill) const {
  auto const tar_type = request.Param("tar_type");
  if (tar_type && *tar_type != "GZIP") {
    return QueryParamError("tar_type", *tar_type, "枚举值校验失败，可选值为 GZIP，或不填");
  }
  auto const bill_date = request.Param("bill_date");
  if (!bill_date) return ParamError("bill_date", std::nullopt, "", "query");
  auto const day_begin = bill_date->size() == kBillDateLength
                             ? BeijingMidnight(*bill_date)
                             : std::optional<SystemClock::time_point>();
  if (!day_begin) {
    return QueryParamError("bill_date", *bill_date,
                           "日期格式校验失败，应为 yyyy-MM-dd 格式的有效日期");
  }
  auto const now = clock_.Now();
  std::string const today = BeijingDate(now);
  auto const today_begin = BeijingMidnight(today);
  if (*day_begin >= *today_begin) {
    return InvalidRequest(
        "账单日期不能是今天或之后的日期 (bill_date must be a day before today, "
        "Beijing time)");
  }
  if (*day_begin < ThreeMonthsBefore(today)) {
    return InvalidRequest("仅支持下载三个月内的账单 (bill_date must be within the last 3 months)");
  }
  BillDay const day{*day_begin, *day_begin + kDay};
  if (now < day.end + std::chrono::hours(settings_.ready_hour)) {
    return WeChatError(400, "STATEMENT_CREATING", "账单生成中，请稍后再试");
  }
  auto const records = orders_.BillSnapshot();
  if (!HasBillActivity(records, day)) {
    return WeChatError(400, "NO_STATEMENT_EXIST", "账单文件不存在");
  }
  BillFile file;
  file.mchid = mchid;
  file.content = bill(records, day);
  file.gzip = tar_type.has_value();
  file.expires = now + settings_.url_lifetime;
  // The digest is WeChat's: of the uncompressed file as generated. The fault spoils the file
  // afterwards, as a damaged download would.
  std::string const hash = Sha1Hex(file.content);
  if (hash.empty()) return WeChatError(500, "SYSTEM_ERROR", "系统异常，请稍后重试");
  if (corrupt) file.content = CorruptOneByte(std::move(file.content));
  std::string const token = files_.Issue(std::move(file), now);
  return JsonAnswer(
      200, JsonObject()
               .Str("hash_type", "SHA1")
               .Str("hash_value", hash)
               .Str("download_url", base_url_ + std::string(kBillDownloadPath) + "?token=" + token)
               .Build());
}

Answer BillApi::Download(Inbound const& request, std::string const& mchid, bool corrupt) const {
  auto const token = request.Param("token");
  BillFiles::Verdict verdict = BillFiles::Verdict::kUnknown;
  auto const file = token ? files_.Find(*token, clock_.Now(), verdict) : nullptr;
  if (verdict == BillFiles::Verdict::kExpired) {
    return InvalidRequest("下载链接已过期，请重新申请账单 (the download URL expired; apply again)");
  }
  if (file == nullptr) {
    return InvalidRequest("下载链接无效，请重新申请账单 (unknown download token; apply again)");
  }
  if (file->mchid != mchid) return WeChatError(403, "NO_AUTH", "商户无权限");
  std::string content = corrupt ? CorruptOneByte(file->content) : file->content;
  Answer answer;
  answer.status = 200;
  // A byte stream, as WeChat describes the download ("实际API下载的是数据流").
  answer.content_type = "application/octet-stream";
  if (file->gzip) {
    auto compressed = Gzip(content);
    if (!compressed) return WeChatError(500, "SYSTEM_ERROR", "系统异常，请稍后重试");
    answer.body = *std::move(compressed);
  } else {
    answer.body = std::move(content);
  }
  return answer;
}

}  // namespace wechatpay::sandbox::internal
