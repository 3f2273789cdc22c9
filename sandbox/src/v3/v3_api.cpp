// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/v3_api.hpp"

#include <rapidjson/document.h>

#include <string_view>
#include <tuple>

#include "http/json_util.hpp"
#include "state/clock.hpp"
#include "v3/v3_validation.hpp"
#include "wechatpay/protocol/constants.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::string_view kPrepayPath = wechatpay::paths::kNativePrepay;
constexpr std::string_view kByOutTradeNo = wechatpay::paths::kOrderByOutTradeNo;
constexpr std::string_view kById = wechatpay::paths::kOrderById;
constexpr std::string_view kRefundsPath = wechatpay::paths::kRefunds;

// True when `path` is `prefix` + one non-empty segment + `suffix`; the segment goes to `param`.
bool MatchPath(std::string const& path, std::string_view prefix, std::string_view suffix,
               std::string& param) {
  if (path.size() <= prefix.size() + suffix.size() || path.compare(0, prefix.size(), prefix) != 0 ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  param = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  return !param.empty() && param.find('/') == std::string::npos;
}

// Parses a JSON object body and applies the rules every body obeys; nullopt on success.
std::optional<Answer> ParseBody(std::string const& body, rapidjson::Document& doc) {
  if (!ParseJson(body, doc)) {
    return WeChatError(400, "PARAM_ERROR",
                       "参数格式校验错误：请求体不是合法的JSON (the body is not valid UTF-8 JSON)",
                       wechat_code::kParamError);
  }
  if (!doc.IsObject()) {
    return WeChatError(400, "PARAM_ERROR", "参数格式校验错误：请求体必须是JSON对象",
                       wechat_code::kParamError);
  }
  return CheckBodyValues(doc);
}

// "Authorization 头中的 mchid 与请求体中的不一致" is a signature failure (docs/protocol.md,
// "Request signing").
std::optional<Answer> CheckMchid(std::optional<std::string> const& given, std::string const& mchid,
                                 std::string_view where) {
  if (!given || *given == mchid) return std::nullopt;
  return SignError("Http头Authorization中的mchid与" + std::string(where) + "中的mchid(" + *given +
                   ")不一致");
}

}  // namespace

Answer V3Api::Handle(Inbound const& request, bool corrupt_bill) const {
  Answer answer = Route(request, corrupt_bill);
  // Signed when 2xx, and a WeChat Request-ID either way; the bill file is the one 2xx WeChat
  // does not sign (its integrity is the digest of the application's signed answer).
  bool const bill_file = request.path == kBillDownloadPath && answer.status == 200;
  answer.wechat = !bill_file;
  return answer;
}

Answer V3Api::Route(Inbound const& request, bool corrupt_bill) const {
  if (auto error = authenticator_.Check(request, UnixSeconds(SystemClock::now()))) {
    return *std::move(error);
  }
  std::string const& mchid = authenticator_.merchant_id();
  bool const post = request.method == "POST";
  bool const get = request.method == "GET";
  if (post) {
    // Every POST of API v3 declares a JSON body ("Content-Type 必填", docs/protocol.md, "Request
    // headers").
    auto content_type = request.headers.Get("Content-Type");
    if (content_type.substr(0, 16) != "application/json") {
      return WeChatError(400, "INVALID_REQUEST", "Http头Content-Type值必须为application/json");
    }
  }
  std::string param;
  if (get && request.path == kCertificatesPath && certificates_) return certificates_();
  if (post && request.path == kPrepayPath) return Prepay(request.body, mchid);
  if (get && bills_ != nullptr) {
    if (request.path == kTradeBillPath) return bills_->TradeBill(request, mchid, corrupt_bill);
    if (request.path == kFundFlowBillPath) {
      return bills_->FundFlowBill(request, mchid, corrupt_bill);
    }
    if (request.path == kBillDownloadPath) return bills_->Download(request, mchid, corrupt_bill);
  }
  if (get && MatchPath(request.path, kByOutTradeNo, "", param)) {
    return QueryByOutTradeNo(param, request.Param("mchid"), mchid);
  }
  if (get && MatchPath(request.path, kById, "", param)) {
    return QueryById(param, request.Param("mchid"), mchid);
  }
  if (post && MatchPath(request.path, kByOutTradeNo, "/close", param)) {
    return Close(param, request.body, mchid);
  }
  if (post && request.path == kRefundsPath) return CreateRefund(request.body);
  if (post && MatchPath(request.path, std::string(kRefundsPath) + "/",
                        wechatpay::paths::kApplyAbnormalRefundSuffix, param)) {
    return ApplyAbnormalRefund(param, request.headers.Get("Wechatpay-Serial"), request.body);
  }
  if (get && MatchPath(request.path, std::string(kRefundsPath) + "/", "", param)) {
    return QueryRefund(param);
  }
  return WeChatError(
      404, "NOT_FOUND",
      "请求的资源不存在 (the sandbox emulates the Native payment, refund and bill APIs; "
      "no " +
          request.method + " " + request.path + ")");
}

Answer V3Api::Prepay(std::string const& body, std::string const& mchid) const {
  rapidjson::Document doc;
  if (auto error = ParseBody(body, doc)) return *std::move(error);
  if (auto error = CheckMchid(GetString(doc, "mchid"), mchid, "请求体")) return *std::move(error);
  PrepayInput input;
  input.body = body;
  if (auto error = CheckPrepayBody(doc, input)) return *std::move(error);
  if (input.appid != app_id_ && input.appid != service_app_id_) {
    return WeChatError(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配",
                       wechat_code::kAppIdMchIdMismatch);
  }
  return orders_.Prepay(input);
}

Answer V3Api::QueryByOutTradeNo(std::string const& out_trade_no,
                                std::optional<std::string> const& mchid_param,
                                std::string const& mchid) const {
  if (auto error = CheckPathParameter("out_trade_no", out_trade_no)) return *std::move(error);
  if (!mchid_param) return ParamError("mchid", std::nullopt, "mchid is required", "query");
  if (auto error = CheckMchid(mchid_param, mchid, "查询参数")) return *std::move(error);
  return orders_.QueryByOutTradeNo(out_trade_no);
}

Answer V3Api::QueryById(std::string const& transaction_id,
                        std::optional<std::string> const& mchid_param,
                        std::string const& mchid) const {
  if (auto error = CheckPathParameter("transaction_id", transaction_id)) return *std::move(error);
  if (!mchid_param) return ParamError("mchid", std::nullopt, "mchid is required", "query");
  if (auto error = CheckMchid(mchid_param, mchid, "查询参数")) return *std::move(error);
  return orders_.QueryByTransactionId(transaction_id);
}

Answer V3Api::Close(std::string const& out_trade_no, std::string const& body,
                    std::string const& mchid) const {
  if (auto error = CheckPathParameter("out_trade_no", out_trade_no)) return *std::move(error);
  rapidjson::Document doc;
  if (auto error = ParseBody(body, doc)) return *std::move(error);
  if (auto error = CheckMchid(GetString(doc, "mchid"), mchid, "请求体")) return *std::move(error);
  if (auto error = CheckCloseBody(doc)) return *std::move(error);
  return orders_.Close(out_trade_no);
}

Answer V3Api::CreateRefund(std::string const& body) const {
  rapidjson::Document doc;
  if (auto error = ParseBody(body, doc)) return *std::move(error);
  RefundInput input;
  input.body = body;
  if (auto error = CheckRefundBody(doc, input)) return *std::move(error);
  auto result = orders_.CreateRefund(input);
  if (result.accepted_out_refund_no && on_refund_accepted_) {
    on_refund_accepted_(*result.accepted_out_refund_no);
  }
  return std::move(result.answer);
}

Answer V3Api::QueryRefund(std::string const& out_refund_no) const {
  if (auto error = CheckPathParameter("out_refund_no", out_refund_no)) return *std::move(error);
  return orders_.QueryRefund(out_refund_no);
}

Answer V3Api::ApplyAbnormalRefund(std::string const& refund_id, std::string_view serial,
                                  std::string const& body) const {
  if (auto error = CheckPathParameter("refund_id", refund_id)) return *std::move(error);
  rapidjson::Document doc;
  if (auto error = ParseBody(body, doc)) return *std::move(error);
  AbnormalRefundInput input;
  if (auto error = CheckAbnormalRefundBody(doc, input)) return *std::move(error);
  // WeChat decrypts with the key the request names ("Wechatpay-Serial 必填", docs/protocol.md,
  // "Abnormal refunds"); a field encrypted for another key does not decrypt. The answers say
  // which field failed, never what it held.
  ApplyAbnormalRefundRequest plain;
  plain.refund_id = refund_id;
  plain.out_refund_no = input.out_refund_no;
  plain.type = input.type;
  plain.bank_type = input.bank_type;
  for (auto [name, cipher, out] :
       {std::tuple{"bank_account", &input.bank_account, &plain.bank_account},
        std::tuple{"real_name", &input.real_name, &plain.real_name}}) {
    if (!cipher->has_value()) continue;
    if (serial.empty()) {
      return WeChatError(400, "PARAM_ERROR",
                         "Http头Wechatpay-Serial必填：敏感字段须用微信支付公钥或平台证书加密，"
                         "并在此头中填写其ID或序列号",
                         wechat_code::kParamError);
    }
    if (!decrypt_) return WeChatError(500, "SYSTEM_ERROR", "系统错误");
    auto decrypted = decrypt_(serial, **cipher);
    if (!decrypted) {
      return WeChatError(
          400, "PARAM_ERROR",
          std::string(name) + "解密失败：请使用Wechatpay-Serial所指的微信支付公钥或平台证书加密",
          wechat_code::kParamError);
    }
    *out = *std::move(decrypted);
  }
  // The plaintext obeys the SDK's public rules (which quote no value of these fields).
  if (Status status = Validate(plain); !status.ok()) {
    return WeChatError(400, "PARAM_ERROR", status.message(), wechat_code::kParamError);
  }
  OrderBook::AbnormalPayout payout;
  payout.channel = "OTHER_BANKCARD";
  if (plain.type == kAbnormalRefundToUserBankCard) {
    // As WeChat shows a card: the bank and the last four digits.
    std::string const& account = *plain.bank_account;
    payout.received_account =
        *plain.bank_type + " " + account.substr(account.size() < 4 ? 0 : account.size() - 4);
  } else {
    payout.received_account = "商户结算银行账户";
  }
  auto result = orders_.ApplyAbnormalRefund(refund_id, input.out_refund_no, payout);
  if (result.accepted_out_refund_no && on_refund_accepted_) {
    on_refund_accepted_(*result.accepted_out_refund_no);
  }
  return std::move(result.answer);
}

}  // namespace wechatpay::sandbox::internal
