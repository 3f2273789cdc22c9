// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notification.hpp
/// Callbacks (notifications): WeChat Pay POSTs a signed envelope with an AES-256-GCM encrypted
/// resource to the merchant's notify_url, and redelivers it until it gets a 2xx answer.
///
/// - NotificationParser verifies the raw body, decrypts it and returns a typed Notification.
/// - NotificationDeduplicator (InMemoryNotificationDeduplicator by default) keeps redeliveries
///   from running the application twice.
/// - NotificationHandler ties both to the application's callback and produces the HTTP answer:
///   success goes out only after the callback returned OK, i.e. after the application says the
///   event is durably recorded.
/// - CheckAmount(), CheckRefundAmount() and CheckPayment() are the business checks to run in the
///   callback before applying a payment.
///
/// Typical use, with any HTTP server:
/// @code
///   auto parser = wechatpay::MakeNotificationParser(config).value();
///   // The payment route: TRANSACTION.SUCCESS only; any other event type is answered failure
///   // and left unprocessed, so that its delivery to the right route still applies it.
///   wechatpay::NotificationHandler handler(
///       parser, {wechatpay::kEventTransactionSuccess}, [&](wechatpay::Notification const& n) {
///         return orders.ApplyPaymentDurably(*n.transaction);  // OK only once committed
///       });
///   // in the route: raw body bytes and the request headers, exactly as received
///   auto result = handler.Handle(headers, raw_body);
///   reply(result.answer.status_code, result.answer.content_type, result.answer.body);
/// @endcode

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>
#include "wechatpay/export.hpp"

#include "wechatpay/config.hpp"
#include "wechatpay/crypto.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/signing.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// `event_type` of a successful payment; the resource is a Transaction.
inline constexpr std::string_view kEventTransactionSuccess = "TRANSACTION.SUCCESS";
/// `event_type` of a refund that reached the payer; the resource is a RefundNotification.
inline constexpr std::string_view kEventRefundSuccess = "REFUND.SUCCESS";
/// `event_type` of a refund that failed (e.g. the payer's card is closed): apply for an
/// abnormal refund; the resource is a RefundNotification.
inline constexpr std::string_view kEventRefundAbnormal = "REFUND.ABNORMAL";
/// `event_type` of a refund that was closed; the resource is a RefundNotification.
inline constexpr std::string_view kEventRefundClosed = "REFUND.CLOSED";
/// The only `resource_type` WeChat Pay sends.
inline constexpr std::string_view kNotificationResourceType = "encrypt-resource";
/// The only `resource.algorithm` this SDK accepts.
inline constexpr std::string_view kNotificationAlgorithm = "AEAD_AES_256_GCM";

/// Amounts of a refund notification, in fen.
struct WECHATPAY_EXPORT RefundNotificationAmount {
  /// The order's total.
  std::int64_t total = 0;
  /// The refund's amount.
  std::int64_t refund = 0;
  /// What the payer paid (the total minus discounts).
  std::int64_t payer_total = 0;
  /// What goes back to the payer.
  std::int64_t payer_refund = 0;
  /// The accounts the refund was taken from (present when the request named them). Not in
  /// WeChat's notification table; modelled because the official Java SDK's RefundNotification
  /// reads the refund API's amount object here (docs/protocol.md, "Models").
  std::vector<FundsFromItem> from;
  /// Settlement refund amount (Java SDK model).
  std::optional<std::int64_t> settlement_refund;
  /// Settlement total (Java SDK model).
  std::optional<std::int64_t> settlement_total;
  /// Discount refunded (Java SDK model).
  std::optional<std::int64_t> discount_refund;
  /// Currency (Java SDK model).
  std::optional<std::string> currency;
  /// Refund fee (Java SDK model).
  std::optional<std::int64_t> refund_fee;
};

/// The decrypted resource of REFUND.SUCCESS, REFUND.ABNORMAL and REFUND.CLOSED. It differs from
/// the Refund that the refund API returns: the status member is `refund_status`, and WeChat's
/// table documents fewer members. The optional members below the documented ones are those the
/// official Java SDK's RefundNotification carries (docs/protocol.md, "Models").
struct WECHATPAY_EXPORT RefundNotification {
  /// Merchant id.
  std::string mchid;
  /// WeChat transaction id of the refunded order.
  std::string transaction_id;
  /// Merchant order number of the refunded order.
  std::string out_trade_no;
  /// WeChat refund id.
  std::string refund_id;
  /// Merchant refund number.
  std::string out_refund_no;
  /// SUCCESS, CLOSED or ABNORMAL (always the one the event_type names; PROCESSING is never
  /// notified).
  std::string refund_status;
  /// When the refund reached the payer, RFC 3339 (REFUND.SUCCESS only).
  std::optional<std::string> success_time;
  /// Where the money goes back to, e.g. "招商银行信用卡0403" or "支付用户零钱".
  std::optional<std::string> user_received_account;
  /// Amounts.
  RefundNotificationAmount amount;
  /// When the refund was accepted, RFC 3339 (Java SDK model).
  std::optional<std::string> create_time;
  /// ORIGINAL, BALANCE, OTHER_BALANCE or OTHER_BANKCARD (Java SDK model).
  std::optional<std::string> channel;
  /// The funds account the refund used, e.g. UNSETTLED or AVAILABLE (Java SDK model).
  std::optional<std::string> funds_account;
  /// Promotions refunded (Java SDK model).
  std::vector<RefundPromotionDetail> promotion_detail;
  /// The complete decrypted JSON object.
  std::string raw_json;
};

/// A verified and decrypted notification.
struct WECHATPAY_EXPORT Notification {
  /// Notification id; the same on every redelivery of one notification (the deduplication key).
  std::string id;
  /// When WeChat created it, RFC 3339 ("" when absent).
  std::string create_time;
  /// E.g. "TRANSACTION.SUCCESS", "REFUND.SUCCESS".
  std::string event_type;
  /// Always "encrypt-resource".
  std::string resource_type;
  /// WeChat's one-line summary, e.g. "支付成功" ("" when absent).
  std::string summary;
  /// `resource.original_type`: "transaction", "refund", ... ("" when absent).
  std::string original_type;
  /// The decrypted resource: a JSON object (checked), exactly the bytes WeChat encrypted.
  std::string plaintext;
  /// The `Request-ID` header, for WeChat support ("" when absent).
  std::string request_id;
  /// Set for TRANSACTION.SUCCESS: the paid transaction (trade_state SUCCESS, out_trade_no,
  /// transaction_id and amount.total present).
  std::optional<Transaction> transaction;
  /// Set for REFUND.SUCCESS, REFUND.ABNORMAL and REFUND.CLOSED.
  std::optional<RefundNotification> refund;
  // Other event types leave both unset; `plaintext` holds their resource.
};

/// How a NotificationParser checks notifications.
struct WECHATPAY_EXPORT NotificationParserOptions {
  /// The default body size limit: 64 KiB. Real notifications are 1–3 KiB.
  static constexpr std::size_t kDefaultMaxBodyBytes = 64 * 1024;

  /// Accepted distance between Wechatpay-Timestamp and the clock; a distance equal to it is
  /// rejected. Must be positive: the check cannot be turned off.
  std::chrono::seconds tolerance = SignatureVerifier::kDefaultTolerance;
  /// Larger bodies are refused before any parsing or cryptography. Must be positive.
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  /// The clock for the timestamp check; null means std::chrono::system_clock::now. Called by
  /// every Parse(), possibly from several threads at once.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Verifies, decrypts and types the notifications WeChat Pay POSTs to notify_url.
/// Transport-agnostic: it takes the request's header fields (names case-insensitive) and the
/// raw body bytes exactly as received — never a re-serialised body.
///
/// Parse() checks, in this order, each failing with its own reason:
/// 1. the body is at most `max_body_bytes` (kMalformedResponse, ErrorInfo::field "body"),
///    before any other work;
/// 2. to 5. the signature (kVerificationFailed; ErrorInfo::verification_failure says which):
///    the four Wechatpay-* headers present (kMissingHeaders), the timestamp numeric
///    (kInvalidTimestamp) and within the tolerance (kTimestampSkew), Wechatpay-Serial known
///    (kUnknownSerial), not a `WECHATPAY/SIGNTEST/` probe (kSignTestProbe), and the signature
///    valid over `TIMESTAMP\nNONCE\nRAW_BODY\n` (kSignatureMismatch);
/// 6. the envelope (kMalformedResponse, ErrorInfo::field names the member): a JSON object with
///    `id` (at most 128 bytes, no control characters), `event_type` and `resource`;
///    `resource_type` "encrypt-resource"; `resource.algorithm`
///    "AEAD_AES_256_GCM"; `resource.original_type` consistent with `event_type` ("transaction"
///    for TRANSACTION.*, "refund" for REFUND.*, and the other way round);
/// 7. the decryption (kDecryptionFailed): the GCM tag authenticates ciphertext, nonce and
///    associated_data under the APIv3 key;
/// 8. the plaintext (kMalformedResponse, field "plaintext" or "plaintext.<member>"): a UTF-8
///    JSON object, and for the modelled events the object the event promises.
///
/// Because the body is verified before it is parsed, failures 6 to 8 concern authentic WeChat
/// messages: 6 and 8 mean WeChat sent something this SDK does not accept, 7 almost always a
/// wrong APIv3 key. AnswerFor() maps each category to the HTTP answer.
///
/// @par Thread Safety
/// Immutable; copies share their state; Parse() is safe from many threads at once.
class WECHATPAY_EXPORT NotificationParser {
 public:
  /// A parser that verifies with `verifier` (its keys; its tolerance is replaced by the
  /// options') and decrypts with `cipher`.
  /// Errors: kConfiguration when the verifier has no key, the tolerance is not positive or
  /// max_body_bytes is zero.
  static StatusOr<NotificationParser> Create(SignatureVerifier verifier, AesGcmCipher cipher,
                                             NotificationParserOptions options = {});

  /// Verifies and decrypts one notification (see the class comment for the checks and errors).
  StatusOr<Notification> Parse(HttpHeaders const& headers, std::string_view raw_body) const;

  /// Check 1 of Parse() alone, for a server that learns a body's size before it has read it
  /// whole (a Content-Length header, or a read stopped after max_body_bytes() + 1 bytes) and
  /// refuses it without buffering it. OK when `body_bytes` is at most max_body_bytes();
  /// otherwise Parse()'s error for an oversized body (kMalformedResponse, ErrorInfo::field
  /// "body"), which AnswerFor() answers 413 with the FAIL body.
  Status CheckBodySize(std::uint64_t body_bytes) const;

  /// The body size limit.
  std::size_t max_body_bytes() const noexcept;
  /// The accepted timestamp distance.
  std::chrono::seconds tolerance() const noexcept;

  /// Implementation detail.
  struct Impl;

 private:
  explicit NotificationParser(std::shared_ptr<Impl const> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl const> impl_;
};

/// A parser from the merchant configuration: wxPayPublicKey / wxPayPublicKeyId (see
/// MakeSignatureVerifier()) and apiV3Key (exactly 32 bytes).
/// Errors: kConfiguration naming the missing or invalid setting, or an invalid option.
WECHATPAY_EXPORT StatusOr<NotificationParser> MakeNotificationParser(
    MerchantConfig const& config, NotificationParserOptions options = {});

// ---------------------------------------------------------------------------------------------
// Deduplication

/// Remembers which notifications the application has processed, keyed by notification id, so
/// that WeChat's redeliveries do not apply an event twice. A delivery first Claim()s the id;
/// after the application's callback succeeded it Commit()s it, after a failure it Release()s it
/// so that the next redelivery is processed again. A claimed id is not handed out twice, so
/// concurrent deliveries of one notification cannot both run the callback.
///
/// Implement it over the application's database (a unique key on the id, claims as rows with a
/// lease so a crash does not block an id forever) to survive restarts and to share it between
/// server instances; the in-memory default does neither.
///
/// @par Thread Safety
/// Implementations must be safe to call from many threads at once.
class WECHATPAY_EXPORT NotificationDeduplicator {
 public:
  /// What Claim() found.
  enum class ClaimResult {
    /// The caller now owns the id and must Commit() or Release() it.
    kClaimed,
    /// The id was committed before: a redelivery; do not process it again.
    kAlreadyProcessed,
    /// Another delivery holds the claim right now.
    kInProgress,
  };

  virtual ~NotificationDeduplicator() = default;

  /// Claims `id` for processing. Errors (e.g. the store is unreachable) fail the delivery, which
  /// WeChat then retries.
  virtual StatusOr<ClaimResult> Claim(std::string const& id) = 0;
  /// Records `id` as processed and drops the claim. Called only after the application's
  /// callback returned OK.
  virtual Status Commit(std::string const& id) = 0;
  /// Drops the claim on `id` without recording it, so the next delivery processes it again.
  virtual Status Release(std::string const& id) = 0;
};

/// The default deduplicator: processed ids in memory, bounded. When `capacity` ids are
/// remembered, committing another forgets the oldest (first in, first out), so a redelivery of
/// a forgotten id would run the callback again: keep the application's own update idempotent
/// too (CheckPayment()). WeChat redelivers for about 24 hours; size the capacity to a day of
/// notifications. Lost on restart.
///
/// @par Thread Safety
/// Safe to use from many threads at once (one mutex; every operation is O(1)).
class WECHATPAY_EXPORT InMemoryNotificationDeduplicator : public NotificationDeduplicator {
 public:
  /// The default capacity.
  static constexpr std::size_t kDefaultCapacity = 100000;

  /// Remembers up to `capacity` processed ids (at least 1). Claims in progress are not counted.
  explicit InMemoryNotificationDeduplicator(std::size_t capacity = kDefaultCapacity);

  /// See NotificationDeduplicator::Claim(). Never fails.
  StatusOr<ClaimResult> Claim(std::string const& id) override;
  /// See NotificationDeduplicator::Commit(). Never fails.
  Status Commit(std::string const& id) override;
  /// See NotificationDeduplicator::Release(). Never fails.
  Status Release(std::string const& id) override;

  /// True when `id` is remembered as processed.
  bool IsProcessed(std::string const& id) const;
  /// Number of remembered processed ids.
  std::size_t size() const;
  /// The capacity.
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::size_t const capacity_;
  mutable std::mutex mu_;
  std::unordered_set<std::string> processed_;
  std::deque<std::string> order_;  // processed ids, oldest first
  std::unordered_set<std::string> in_progress_;
};

// ---------------------------------------------------------------------------------------------
// Answering

/// The HTTP answer to send back to WeChat Pay.
struct WECHATPAY_EXPORT NotificationAnswer {
  /// 204 for success; 4xx or 5xx for failure (WeChat retries on anything but 2xx).
  int status_code = 204;
  /// "application/json" when there is a body, "" otherwise.
  std::string content_type;
  /// "" for success; `{"code":"FAIL","message":"..."}` for failure.
  std::string body;

  /// True for a 2xx answer, which tells WeChat to stop redelivering.
  bool success() const noexcept { return status_code >= 200 && status_code < 300; }
};

/// 204 No Content with an empty body: WeChat accepts 200 or 204 and reads no body.
WECHATPAY_EXPORT NotificationAnswer SuccessAnswer();

/// `http_status` (a 4xx or 5xx; anything else becomes 500) with
/// `{"code":"FAIL","message":message}`. `message` is sent as is: never put a secret or an
/// internal error text in it.
WECHATPAY_EXPORT NotificationAnswer FailureAnswer(int http_status, std::string_view message);

/// The answer for the outcome of NotificationParser::Parse() (or of the whole handling):
/// - OK → 204, empty body;
/// - body too large (kMalformedResponse, field "body") → 413 (also the answer for a body a
///   server refuses by its Content-Length before reading it);
/// - kVerificationFailed → 401 (WeChat redelivers with a correct signature after a SIGNTEST
///   probe);
/// - kMalformedResponse → 400;
/// - kDecryptionFailed and every other error → 500 (an authentic message we cannot process:
///   usually a wrong APIv3 key, fixed on our side while WeChat retries).
/// Failure bodies carry a fixed message per category, never the Status message.
WECHATPAY_EXPORT NotificationAnswer AnswerFor(Status const& outcome);

// ---------------------------------------------------------------------------------------------
// Handling

/// What happened to one delivery.
enum class NotificationOutcome {
  /// Verified, new, and the application's callback returned OK: answered success.
  kProcessed,
  /// Verified, and already processed before (a redelivery): answered success without calling
  /// the application.
  kDuplicate,
  /// Verified, but another delivery of the same id is being processed right now: answered 503
  /// so WeChat tries again later; by then the first delivery has committed or released it.
  kInProgress,
  /// Parse() refused it (size, signature, envelope, decryption, plaintext): answered per
  /// AnswerFor(); the callback was not called.
  kRejected,
  /// Verified, but processing failed (the callback returned an error or threw, or the
  /// deduplicator failed): answered 500 so WeChat redelivers.
  kFailed,
  /// Verified, but its event_type is not one the handler accepts (a notification sent to the
  /// wrong route, e.g. a payment to the refund route): answered 500 so WeChat redelivers; the
  /// callback was not called and the id was neither claimed nor marked processed, so the
  /// delivery to the handler that accepts it still processes it.
  kUnexpectedEvent,
};

/// The stable name of an outcome, e.g. "PROCESSED".
WECHATPAY_EXPORT std::string_view NotificationOutcomeName(NotificationOutcome outcome);

/// The full result of NotificationHandler::Handle().
struct WECHATPAY_EXPORT NotificationResult {
  /// What happened.
  NotificationOutcome outcome = NotificationOutcome::kRejected;
  /// OK for kProcessed and kDuplicate; otherwise the reason (the parser's, the callback's or
  /// the deduplicator's error). For logs: it may quote header values, never a secret.
  Status status;
  /// The notification, whenever it was verified and parsed.
  std::optional<Notification> notification;
  /// The answer to send. Success only for kProcessed and kDuplicate.
  NotificationAnswer answer;
  /// A Commit() or Release() error of the deduplicator (the answer does not depend on it: after
  /// a failed Commit() the application has still recorded the event). OK otherwise.
  Status deduplicator_status;
};

/// Handles deliveries end to end: Parse(), check the event type, deduplicate, call the
/// application, answer.
///
/// A handler accepts only the event types it was created with: one handler per route (e.g.
/// TRANSACTION.SUCCESS for the payment notify_url, the REFUND.* types for the refund one). A
/// verified notification of another type is answered failure (kUnexpectedEvent) before the
/// deduplicator sees it, so a misrouted payment is never marked processed on the wrong route —
/// which, with a deduplicator shared between routes, would make its real delivery a
/// "duplicate" that nothing ever applied.
///
/// The success answer goes out only after the callback returned OK: return OK only once the
/// event is durably recorded (committed to the database, queued durably, ...). Any error makes
/// WeChat redeliver, and the id is then not marked processed. A duplicate is answered success
/// without calling the callback again.
///
/// @par Thread Safety
/// Handle() is safe from many threads at once (as the server's worker threads call it). The
/// callback then runs concurrently for different notifications, never twice at once for one id.
class WECHATPAY_EXPORT NotificationHandler {
 public:
  /// The application's callback: apply the event, return OK once it is durably recorded, an
  /// error to have WeChat redeliver it. Exceptions are caught and treated as errors.
  using Callback = std::function<Status(Notification const&)>;

  /// A handler with `parser` that runs `callback` for notifications whose event_type is one of
  /// `event_types` (copied; e.g. `{kEventTransactionSuccess}` or `{kEventRefundSuccess,
  /// kEventRefundAbnormal, kEventRefundClosed}`; an empty list accepts nothing). `callback` must
  /// not be null: a null callback fails every accepted delivery with kInternal. A null
  /// `deduplicator` means a new InMemoryNotificationDeduplicator; share one deduplicator between
  /// handlers that may see the same notifications.
  NotificationHandler(NotificationParser parser, std::vector<std::string_view> const& event_types,
                      Callback callback,
                      std::shared_ptr<NotificationDeduplicator> deduplicator = nullptr);

  /// Handles one delivery: the request's headers and its raw body bytes as received.
  NotificationResult Handle(HttpHeaders const& headers, std::string_view raw_body) const;

  /// The deduplicator in use.
  NotificationDeduplicator& deduplicator() const noexcept { return *deduplicator_; }

  /// True when `event_type` is one of the handler's event types.
  bool Accepts(std::string_view event_type) const;

  /// The parser in use (its max_body_bytes() and CheckBodySize() are what a server needs to
  /// bound how much of a body it reads).
  NotificationParser const& parser() const noexcept { return parser_; }

 private:
  NotificationParser parser_;
  std::set<std::string, std::less<>> event_types_;
  Callback callback_;
  std::shared_ptr<NotificationDeduplicator> deduplicator_;
};

// ---------------------------------------------------------------------------------------------
// Business checks (to run inside the callback)

/// Checks that a paid transaction's amount.total equals the order's expected total (fen).
/// A mismatch is an error, never just a log line: do not ship, flag the order for review.
/// Errors: kInvalidArgument, field "amount.total", naming both amounts (missing amount too).
WECHATPAY_EXPORT Status CheckAmount(Transaction const& transaction,
                                    std::int64_t expected_total_fen);

/// Checks that a refund notification's amount.refund equals the refund the merchant requested
/// (fen). Errors: kInvalidArgument, field "amount.refund", naming both amounts.
WECHATPAY_EXPORT Status CheckRefundAmount(RefundNotification const& refund,
                                          std::int64_t expected_refund_fen);

/// The application's view of an order, for CheckPayment().
struct WECHATPAY_EXPORT OrderSnapshot {
  /// The order's out_trade_no.
  std::string out_trade_no;
  /// The total the order was created with, in fen.
  std::int64_t total_fen = 0;
  /// True when the application has already recorded the order as paid.
  bool paid = false;
  /// The transaction_id recorded with the payment ("" when unknown or unpaid).
  std::string transaction_id;
};

/// What the application should do with a TRANSACTION.SUCCESS after CheckPayment().
enum class PaymentAction {
  /// Record the payment (atomically: only if the order is still unpaid).
  kApply,
  /// The order is already recorded as paid by this transaction: return OK at once.
  kAlreadyApplied,
};

/// The checks the callback of a payment must do before shipping: the transaction is for this
/// order (out_trade_no), in state SUCCESS, for the expected total (CheckAmount()); and if the
/// order is already paid, by the same transaction (an early return, kAlreadyApplied).
/// Errors: kInvalidArgument naming the field that does not match (out_trade_no, trade_state,
/// amount.total, transaction_id).
WECHATPAY_EXPORT StatusOr<PaymentAction> CheckPayment(Transaction const& transaction,
                                                      OrderSnapshot const& order);

}  // namespace wechatpay
