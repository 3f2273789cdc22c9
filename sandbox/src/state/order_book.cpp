// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Decisions where the documents are silent or unsure (docs/protocol.md, "Codes and
// Request-ID numbers"):
// - An order that is paid (SUCCESS or REFUND) answers 400 ORDER_PAID "该订单已支付" to a new
//   prepay and to close. The spelling follows WeChat's current troubleshooting guide ("返回
//   ORDER_PAID"; older tables wrote ORDERPAID) and the status 400 the other order-state errors
//   (ORDER_CLOSED) use; clients should key on the code, not the status.
// - Closing an unknown out_trade_no answers 204: WeChat only checks the format there (observed by
//   merchants, developers.weixin.qq.com), which is why a close must be followed by a query when
//   the outcome matters.
// - A refund of an unknown or unpaid order answers 404 RESOURCE_NOT_EXISTS "订单不存在", and an
//   unknown out_refund_no 404 RESOURCE_NOT_EXISTS "退款单不存在", as the refund API is observed
//   to answer. Business-rule refusals (total differs from the order's, refund above what is
//   left, a repeated out_refund_no with other parameters) are 400 INVALID_REQUEST.
// - A refund switches the order to REFUND (转入退款) when it is accepted; it completes
//   (PROCESSING → SUCCESS) after kRefundProcessing of WeChat time.
// - An order that failed (PAYERROR) cannot be ordered again: 400 INVALID_REQUEST.
// - Closing an order whose payer is entering the password (USERPAYING) answers 202 USER_PAYING
//   "用户支付中，需要输入密码", the close API's documented answer for it.
// - A refund result goes only to the refund's own notify_url: WeChat otherwise uses the URL set
//   on the merchant platform, which the sandbox does not have, and never the payment's.
// - A CLOSED refund gives its amount back to what is left to refund; an ABNORMAL one does not
//   (the money left the merchant and awaits the abnormal-refund procedure).
#include "state/order_book.hpp"

#include <algorithm>
#include <chrono>

#include "http/json_util.hpp"
#include "state/random_ids.hpp"
#include "state/state_files.hpp"

namespace wechatpay::sandbox::internal {
namespace {

// "code_url 有效期为 2 小时" (docs/protocol.md, "code_url").
constexpr std::chrono::milliseconds kCodeUrlValidity = std::chrono::hours(2);
// WeChat allows at most 50 partial refunds per order (docs/protocol.md, "Refund limits").
constexpr std::size_t kMaxRefundsPerOrder = 50;
constexpr char kOrderPaidMessage[] = "该订单已支付";

std::string CompactDate(SystemClock::time_point now) {
  std::string const text = Rfc3339China(now);
  return text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2);
}

// 28 digits like 4200001234202611260123456789; refund ids 29 digits like 503000000120261126...
std::string NewTransactionId(SystemClock::time_point now) {
  return "4200" + RandomDigits(6) + CompactDate(now) + RandomDigits(10);
}
std::string NewRefundId(SystemClock::time_point now) {
  return "50" + RandomDigits(9) + CompactDate(now) + RandomDigits(10);
}
std::string NewOpenId() {
  return "o" + RandomChars(27, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");
}

bool SameJson(std::string const& a, std::string const& b) {
  rapidjson::Document x;
  rapidjson::Document y;
  // RapidJSON compares objects member by member regardless of order, as WeChat does ("与请求
  // JSON中的键值对出现的顺序无关").
  return ParseJson(a, x) && ParseJson(b, y) && x == y;
}

Answer OrderNotExist() {
  return WeChatError(404, "ORDER_NOT_EXIST", "订单不存在", wechat_code::kOrderNotExist);
}

Answer OrderPaid() {
  return WeChatError(400, "ORDER_PAID", kOrderPaidMessage, wechat_code::kOrderPaid);
}

// A refund refused for the merchant's balance, as captured from WeChat (docs/protocol.md,
// "Sandbox fidelity").
Answer NotEnough() {
  return WeChatError(403, "NOT_ENOUGH", "基本账户余额不足，请充值后重新发起",
                     wechat_code::kNotEnough);
}

bool IsUnpaid(std::string const& state) { return state == "NOTPAY" || state == "USERPAYING"; }

Notification RefundNotification(RefundRecord const& refund, OrderRecord const& order) {
  Notification notification;
  notification.out_trade_no = refund.out_trade_no;
  notification.event_type = "REFUND." + refund.status;
  notification.summary = refund.status == "SUCCESS"    ? "退款成功"
                         : refund.status == "ABNORMAL" ? "退款异常"
                                                       : "退款关闭";
  notification.original_type = "refund";
  notification.plaintext = RefundNotificationJson(refund, order.mchid, order.payer_total);
  notification.url = refund.notify_url.value_or("");
  return notification;
}

bool IsPaid(std::string const& state) { return state == "SUCCESS" || state == "REFUND"; }

ControlOutcome ControlError(int status, std::string code, std::string message) {
  ControlOutcome outcome;
  outcome.http_status = status;
  outcome.code = std::move(code);
  outcome.message = std::move(message);
  return outcome;
}

}  // namespace

Status OrderBook::Load() {
  if (state_file_.empty() || !IsFile(state_file_)) return Status();
  auto text = ReadTextFile(state_file_);
  if (!text) return text.status();
  rapidjson::Document doc;
  if (!ParseJson(*text, doc) || !doc.IsObject()) {
    return Status(StatusCode::kConfiguration,
                  "sandbox: " + state_file_ + " is not a JSON object; remove it to start afresh");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto const* orders = Member(doc, "orders"); orders && orders->IsArray()) {
    for (auto const& value : orders->GetArray()) {
      OrderRecord order;
      if (!ReadOrderState(value, order)) continue;
      if (!order.transaction_id.empty())
        by_transaction_id_[order.transaction_id] = order.out_trade_no;
      orders_[order.out_trade_no] = std::move(order);
    }
  }
  if (auto const* refunds = Member(doc, "refunds"); refunds && refunds->IsArray()) {
    for (auto const& value : refunds->GetArray()) {
      RefundRecord refund;
      if (ReadRefundState(value, refund)) refunds_[refund.out_refund_no] = std::move(refund);
    }
  }
  return Status();
}

void OrderBook::SaveLocked(std::string const& changed_order, std::string const& changed_refund) {
  if (state_file_.empty()) return;
  // Each record's JSON is cached and only the changed ones are serialised again, into a buffer
  // that keeps its capacity: re-serialising every order into fresh strings on every change made
  // a run of thousands of orders quadratic (the 8-thread concurrency test under
  // ThreadSanitizer took minutes). The file is still rewritten whole, atomically.
  order_state_.erase(changed_order);
  if (!changed_refund.empty()) refund_state_.erase(changed_refund);
  auto append = [this](auto const& records, auto& cache, auto serialise) {
    char separator = '[';
    for (auto const& [key, record] : records) {
      auto it = cache.find(key);
      if (it == cache.end()) it = cache.emplace(key, serialise(record)).first;
      state_text_ += separator;
      state_text_ += it->second;
      separator = ',';
    }
    state_text_ += records.empty() ? "[]" : "]";
  };
  state_text_.assign(R"({"version":1,"orders":)");
  append(orders_, order_state_, [](OrderRecord const& order) { return OrderState(order); });
  state_text_ += R"(,"refunds":)";
  append(refunds_, refund_state_, [](RefundRecord const& refund) { return RefundState(refund); });
  state_text_ += '}';
  // A failed save loses nothing in memory; the next change tries again. The sandbox has no
  // channel to report it on a request it otherwise answered correctly.
  (void)WriteFileAtomic(state_file_, state_text_, false);
}

OrderRecord const* OrderBook::FindLocked(std::string const& out_trade_no) const {
  auto it = orders_.find(out_trade_no);
  return it == orders_.end() ? nullptr : &it->second;
}

void OrderBook::IssueCodeUrlLocked(OrderRecord& order, SystemClock::time_point now) {
  order.code_url = "weixin://wxpay/bizpayurl?pr=" + RandomAlnum(7);
  order.code_url_expires_ms = UnixMillis(now + scale_.Real(kCodeUrlValidity));
}

Answer OrderBook::NewOrderLocked(PrepayInput const& input, SystemClock::time_point now) {
  OrderRecord order;
  order.out_trade_no = input.out_trade_no;
  order.appid = input.appid;
  order.mchid = input.mchid;
  order.description = input.description;
  order.notify_url = input.notify_url;
  order.attach = input.attach;
  order.time_expire = input.time_expire;
  order.body = input.body;
  order.total = input.total;
  order.currency = input.currency;
  order.create_time = Rfc3339China(now);
  IssueCodeUrlLocked(order, now);
  std::string const code_url = order.code_url;
  orders_[order.out_trade_no] = std::move(order);
  SaveLocked(input.out_trade_no);
  return JsonAnswer(200, JsonObject().Str("code_url", code_url).Build());
}

Answer OrderBook::Prepay(PrepayInput const& input) {
  auto const now = SystemClock::now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(input.out_trade_no);
  if (it == orders_.end()) return NewOrderLocked(input, now);
  OrderRecord& order = it->second;
  if (IsPaid(order.trade_state)) return OrderPaid();
  if (order.trade_state == "CLOSED") {
    return WeChatError(400, "ORDER_CLOSED", "订单已关闭，请使用新的商户订单号下单");
  }
  if (order.trade_state == "PAYERROR") {
    return WeChatError(400, "INVALID_REQUEST", "订单支付失败，请使用新的商户订单号重新下单");
  }
  if (!SameJson(order.body, input.body)) {
    return WeChatError(400, "INVALID_REQUEST",
                       "请求重入时，参数与首次请求时不一致 (the parameters differ from the first "
                       "order with this out_trade_no)",
                       wechat_code::kReentrantMismatch);
  }
  // Reentrant with identical parameters: the same code_url while it is valid, a current one
  // after (docs/protocol.md, "code_url").
  if (UnixMillis(now) >= order.code_url_expires_ms) {
    IssueCodeUrlLocked(order, now);
    SaveLocked(order.out_trade_no);
  }
  return JsonAnswer(200, JsonObject().Str("code_url", order.code_url).Build());
}

Answer OrderBook::QueryByOutTradeNo(std::string const& out_trade_no) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto const* order = FindLocked(out_trade_no);
  return order ? JsonAnswer(200, TransactionJson(*order)) : OrderNotExist();
}

Answer OrderBook::QueryByTransactionId(std::string const& transaction_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_transaction_id_.find(transaction_id);
  if (it == by_transaction_id_.end()) return OrderNotExist();
  auto const* order = FindLocked(it->second);
  return order ? JsonAnswer(200, TransactionJson(*order)) : OrderNotExist();
}

Answer OrderBook::Close(std::string const& out_trade_no) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end()) return NoContent();
  OrderRecord& order = it->second;
  if (IsPaid(order.trade_state)) return OrderPaid();
  if (order.trade_state == "USERPAYING") {
    return WeChatError(202, "USER_PAYING", "用户支付中，需要输入密码");
  }
  if (order.trade_state != "CLOSED") {
    order.trade_state = "CLOSED";
    SaveLocked(order.out_trade_no);
  }
  return NoContent();
}

OrderBook::RefundResult OrderBook::CreateRefund(RefundInput const& input) {
  auto const now = SystemClock::now();
  std::lock_guard<std::mutex> lock(mu_);
  OrderRecord* order = nullptr;
  if (input.transaction_id) {
    auto id = by_transaction_id_.find(*input.transaction_id);
    if (id != by_transaction_id_.end()) order = &orders_[id->second];
    if (order != nullptr && input.out_trade_no && *input.out_trade_no != order->out_trade_no) {
      return {WeChatError(400, "INVALID_REQUEST", "transaction_id与out_trade_no不属于同一笔订单"),
              std::nullopt};
    }
  } else {
    auto it = orders_.find(*input.out_trade_no);
    if (it != orders_.end()) order = &it->second;
  }
  if (order == nullptr || !IsPaid(order->trade_state)) {
    return {WeChatError(404, "RESOURCE_NOT_EXISTS", "订单不存在"), std::nullopt};
  }

  if (auto existing = refunds_.find(input.out_refund_no); existing != refunds_.end()) {
    RefundRecord const& refund = existing->second;
    // "同一商户退款单号多次请求只退一笔": the same refund comes back, in its current state.
    if (refund.out_trade_no == order->out_trade_no && refund.refund == input.refund &&
        refund.total == input.total) {
      return {JsonAnswer(200, RefundJson(refund)), std::nullopt};
    }
    return {WeChatError(400, "INVALID_REQUEST",
                        "退款单号已存在，且请求参数与原退款单不一致 (out_refund_no was used with "
                        "other parameters)"),
            std::nullopt};
  }
  if (input.total != order->total) {
    return {WeChatError(400, "INVALID_REQUEST",
                        "订单金额与原订单金额不一致 (amount.total must equal the order's total " +
                            std::to_string(order->total) + ")"),
            std::nullopt};
  }
  if (order->refunds.size() >= kMaxRefundsPerOrder) {
    return {WeChatError(400, "INVALID_REQUEST", "同一笔订单最多只能退款50次"), std::nullopt};
  }
  std::int64_t refunded = 0;
  for (auto const& no : order->refunds) {
    if (refunds_[no].status != "CLOSED") refunded += refunds_[no].refund;
  }
  if (input.refund > order->total - refunded) {
    return {
        WeChatError(400, "INVALID_REQUEST",
                    "申请退款金额超过订单可退金额 (refund " + std::to_string(input.refund) +
                        " exceeds the " + std::to_string(order->total - refunded) + " fen left)"),
        std::nullopt};
  }

  if (refuse_refunds_ > 0) {
    --refuse_refunds_;
    return {NotEnough(), std::nullopt};
  }

  RefundRecord refund;
  refund.out_refund_no = input.out_refund_no;
  refund.refund_id = NewRefundId(now);
  refund.out_trade_no = order->out_trade_no;
  refund.transaction_id = order->transaction_id;
  refund.body = input.body;
  refund.refund = input.refund;
  refund.total = input.total;
  refund.currency = input.currency;
  refund.reason = input.reason;
  refund.notify_url = input.notify_url;
  refund.funds_account = input.funds_account;
  refund.create_time = Rfc3339China(now);
  order->refunds.push_back(refund.out_refund_no);
  order->trade_state = "REFUND";
  std::string const json = RefundJson(refund);
  refunds_[refund.out_refund_no] = std::move(refund);
  SaveLocked(order->out_trade_no, input.out_refund_no);
  return {JsonAnswer(200, json), input.out_refund_no};
}

Answer OrderBook::QueryRefund(std::string const& out_refund_no) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refunds_.find(out_refund_no);
  if (it == refunds_.end()) return WeChatError(404, "RESOURCE_NOT_EXISTS", "退款单不存在");
  return JsonAnswer(200, RefundJson(it->second));
}

std::int64_t OrderBook::RefundRound(std::string const& out_refund_no) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refunds_.find(out_refund_no);
  return it == refunds_.end() ? 0 : it->second.round;
}

std::optional<Notification> OrderBook::CompleteRefund(std::string const& out_refund_no,
                                                      std::optional<std::int64_t> round) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refunds_.find(out_refund_no);
  if (it == refunds_.end() || it->second.status != "PROCESSING") return std::nullopt;
  if (round && *round != it->second.round) return std::nullopt;
  RefundRecord& refund = it->second;
  refund.status = "SUCCESS";
  refund.success_time = Rfc3339China(SystemClock::now());
  auto const* order = FindLocked(refund.out_trade_no);
  SaveLocked(refund.out_trade_no, out_refund_no);
  if (order == nullptr || !refund.notify_url) return std::nullopt;
  return RefundNotification(refund, *order);
}

ControlOutcome OrderBook::EndRefund(std::string const& out_refund_no, std::string const& status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refunds_.find(out_refund_no);
  if (it == refunds_.end()) {
    return ControlError(404, "RESOURCE_NOT_EXISTS", "no refund " + out_refund_no);
  }
  RefundRecord& refund = it->second;
  if (refund.status != "PROCESSING") {
    return ControlError(409, "INVALID_STATE",
                        "refund " + out_refund_no + " is " + refund.status + ", not PROCESSING");
  }
  refund.status = status;
  SaveLocked(refund.out_trade_no, out_refund_no);
  ControlOutcome outcome;
  outcome.json = RefundJson(refund);
  auto const* order = FindLocked(refund.out_trade_no);
  if (order != nullptr && refund.notify_url)
    outcome.notification = RefundNotification(refund, *order);
  return outcome;
}

OrderBook::RefundResult OrderBook::ApplyAbnormalRefund(std::string const& refund_id,
                                                       std::string const& out_refund_no,
                                                       AbnormalPayout const& payout) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = refunds_.find(out_refund_no);
  if (it == refunds_.end() || it->second.refund_id != refund_id) {
    return {WeChatError(404, "RESOURCE_NOT_EXISTS", "退款单不存在"), std::nullopt};
  }
  RefundRecord& refund = it->second;
  if (refund.status != "ABNORMAL") {
    return {WeChatError(
                400, "INVALID_REQUEST",
                "退款单状态为" + refund.status + "，仅退款异常(ABNORMAL)的退款单可发起异常退款"),
            std::nullopt};
  }
  refund.status = "PROCESSING";
  ++refund.round;
  refund.channel = payout.channel;
  refund.received_account = payout.received_account;
  SaveLocked(refund.out_trade_no, out_refund_no);
  return {JsonAnswer(200, RefundJson(refund)), out_refund_no};
}

void OrderBook::RefuseNextRefunds(int count) {
  std::lock_guard<std::mutex> lock(mu_);
  refuse_refunds_ = count;
}

std::vector<std::string> OrderBook::ProcessingRefunds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (auto const& [no, refund] : refunds_) {
    if (refund.status == "PROCESSING") out.push_back(no);
  }
  return out;
}

std::optional<ControlOutcome> OrderBook::ScanRefusalLocked(OrderRecord const& order,
                                                           SystemClock::time_point now) const {
  // An expired code_url cannot be scanned (order again with the same parameters for a current
  // one), nor an order past its time_expire.
  if (UnixMillis(now) >= order.code_url_expires_ms) {
    return ControlError(409, "CODE_URL_EXPIRED",
                        "the code_url of " + order.out_trade_no +
                            " has expired (2 h of WeChat time); order again with the same "
                            "parameters for a current one");
  }
  if (order.time_expire) {
    auto deadline = ParseRfc3339(*order.time_expire);
    if (deadline && now >= *deadline) {
      return ControlError(
          409, "ORDER_EXPIRED",
          "order " + order.out_trade_no + " passed its time_expire " + *order.time_expire);
    }
  }
  return std::nullopt;
}

ControlOutcome OrderBook::Scan(std::string const& out_trade_no) {
  auto const now = SystemClock::now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end()) return ControlError(404, "ORDER_NOT_EXIST", "no order " + out_trade_no);
  OrderRecord& order = it->second;
  if (order.trade_state != "NOTPAY") {
    return ControlError(409, "INVALID_STATE",
                        "order " + out_trade_no + " is " + order.trade_state + ", not NOTPAY");
  }
  if (auto refusal = ScanRefusalLocked(order, now)) return *std::move(refusal);
  order.trade_state = "USERPAYING";
  SaveLocked(order.out_trade_no);
  ControlOutcome outcome;
  outcome.json = TransactionJson(order);
  return outcome;
}

OrderRecord* OrderBook::UnpaidOrderLocked(std::string const& out_trade_no,
                                          ControlOutcome& refusal) {
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end()) {
    refusal = ControlError(404, "ORDER_NOT_EXIST", "no order " + out_trade_no);
    return nullptr;
  }
  if (!IsUnpaid(it->second.trade_state)) {
    refusal = ControlError(
        409, "INVALID_STATE",
        "order " + out_trade_no + " is " + it->second.trade_state + ", not NOTPAY or USERPAYING");
    return nullptr;
  }
  return &it->second;
}

ControlOutcome OrderBook::Pay(std::string const& out_trade_no, PayOptions const& options) {
  auto const now = SystemClock::now();
  std::lock_guard<std::mutex> lock(mu_);
  ControlOutcome not_unpaid;
  OrderRecord* const found = UnpaidOrderLocked(out_trade_no, not_unpaid);
  if (found == nullptr) return not_unpaid;
  OrderRecord& order = *found;
  // Paying straight from NOTPAY scans the code first; a USERPAYING payer has scanned it.
  if (order.trade_state == "NOTPAY") {
    if (auto refusal = ScanRefusalLocked(order, now)) return *std::move(refusal);
  }
  order.trade_state = "SUCCESS";
  order.transaction_id = NewTransactionId(now);
  order.success_time = Rfc3339China(now);
  order.openid = options.openid.empty() ? NewOpenId() : options.openid;
  order.bank_type = options.bank_type.empty() ? "OTHERS" : options.bank_type;
  order.payer_total = order.total;
  by_transaction_id_[order.transaction_id] = order.out_trade_no;
  SaveLocked(order.out_trade_no);
  ControlOutcome outcome;
  outcome.json = TransactionJson(order);
  Notification notification;
  notification.out_trade_no = out_trade_no;
  notification.event_type = "TRANSACTION.SUCCESS";
  notification.summary = "支付成功";
  notification.original_type = "transaction";
  notification.plaintext = outcome.json;
  notification.url = order.notify_url;
  outcome.notification = std::move(notification);
  return outcome;
}

ControlOutcome OrderBook::Fail(std::string const& out_trade_no) {
  std::lock_guard<std::mutex> lock(mu_);
  ControlOutcome not_unpaid;
  OrderRecord* const found = UnpaidOrderLocked(out_trade_no, not_unpaid);
  if (found == nullptr) return not_unpaid;
  OrderRecord& order = *found;
  order.trade_state = "PAYERROR";
  SaveLocked(order.out_trade_no);
  ControlOutcome outcome;
  outcome.json = TransactionJson(order);
  return outcome;
}

ControlOutcome OrderBook::View(std::string const& out_trade_no) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto const* order = FindLocked(out_trade_no);
  if (order == nullptr) return ControlError(404, "ORDER_NOT_EXIST", "no order " + out_trade_no);
  std::vector<std::string> refunds;
  for (auto const& no : order->refunds) {
    auto it = refunds_.find(no);
    if (it != refunds_.end()) refunds.push_back(RefundJson(it->second));
  }
  std::vector<std::string> deliveries;
  for (auto const& d : order->deliveries) deliveries.push_back(DeliveryJson(d));
  ControlOutcome outcome;
  outcome.json =
      JsonObject()
          .Str("out_trade_no", order->out_trade_no)
          .Str("trade_state", order->trade_state)
          .Str("code_url", order->code_url)
          .Str("code_url_expires_at", Rfc3339China(FromUnixMillis(order->code_url_expires_ms)))
          .Str("notify_url", order->notify_url)
          .Str("create_time", order->create_time)
          .Raw("request", order->body.empty() ? "{}" : order->body)
          .Raw("transaction", TransactionJson(*order))
          .Raw("refunds", JsonArray(refunds))
          .Raw("callbacks", JsonArray(deliveries))
          .Build();
  return outcome;
}

std::string OrderBook::ListJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> items;
  for (auto const& [no, order] : orders_) {
    items.push_back(JsonObject()
                        .Str("out_trade_no", no)
                        .Str("trade_state", order.trade_state)
                        .Int("total", order.total)
                        .Str("create_time", order.create_time)
                        .Build());
  }
  return JsonObject().Raw("orders", JsonArray(items)).Build();
}

void OrderBook::RecordDelivery(std::string const& out_trade_no, DeliveryRecord record) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end()) return;
  it->second.deliveries.push_back(std::move(record));
  SaveLocked(out_trade_no);
}

bool OrderBook::SeedPaidOrders(std::int64_t count, SystemClock::time_point day_begin,
                               std::string const& appid, std::string const& mchid) {
  std::string const date = CompactDate(day_begin);
  auto const number = [](std::int64_t index) {
    std::string digits = std::to_string(index);
    return std::string(10 - std::min<std::size_t>(digits.size(), 10), '0') + digits;
  };
  std::lock_guard<std::mutex> lock(mu_);
  for (std::int64_t i = 0; i < count; ++i) {
    if (orders_.count("SEED" + date + number(i)) != 0) return false;
  }
  auto const step = std::chrono::milliseconds(std::chrono::hours(24)) / count;
  for (std::int64_t i = 0; i < count; ++i) {
    OrderRecord order;
    order.out_trade_no = "SEED" + date + number(i);
    order.appid = appid;
    order.mchid = mchid;
    order.description = "Sandbox seeded order";
    order.total = 1 + (i * 7919) % 99999;
    order.trade_state = "SUCCESS";
    auto const at = day_begin + step * i;
    order.create_time = Rfc3339China(at);
    order.transaction_id = "4200000000" + date + number(i);
    order.success_time = order.create_time;
    order.openid = "oSEED" + std::string(13, '0') + number(i);
    order.bank_type = "OTHERS";
    order.payer_total = order.total;
    by_transaction_id_[order.transaction_id] = order.out_trade_no;
    std::string const key = order.out_trade_no;
    orders_.emplace(key, std::move(order));
  }
  SaveLocked("");
  return true;
}

OrderBook::BillRecords OrderBook::BillSnapshot() const {
  BillRecords records;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto const& [no, order] : orders_) {
    if (order.transaction_id.empty() || order.success_time.empty()) continue;
    OrderRecord copy;
    copy.out_trade_no = order.out_trade_no;
    copy.appid = order.appid;
    copy.mchid = order.mchid;
    copy.description = order.description;
    copy.attach = order.attach;
    copy.total = order.total;
    copy.currency = order.currency;
    copy.trade_state = order.trade_state;
    copy.transaction_id = order.transaction_id;
    copy.success_time = order.success_time;
    copy.openid = order.openid;
    copy.bank_type = order.bank_type;
    copy.payer_total = order.payer_total;
    records.paid_orders.push_back(std::move(copy));
  }
  for (auto const& [no, refund] : refunds_) records.refunds.push_back(refund);
  return records;
}

}  // namespace wechatpay::sandbox::internal
