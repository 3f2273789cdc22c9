// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: every JSON reader of the models, on the same bytes. The input is a response
// body or a decrypted notification resource, exactly as the network would deliver it.
//
// Every reader parses with the library's one JSON reader (json/json_reader.hpp: iterative,
// in-situ, encoding validated, NUL and nesting checked on the parsed values) that must accept
// and read exactly what the reference parse does; here that reference is the plain RapidJSON
// parse with encoding validation after the byte-by-byte NUL and nesting rules, and the two are
// compared.

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/text.hpp"
#include "fuzz_support.hpp"
#include "json/json_codec.hpp"
#include "notify/notification_codec.hpp"
#include "support/reference_json_scan.hpp"

namespace {

// The documented plaintext rule (notification_codec.hpp): one JSON object, well-formed UTF-8,
// no NUL byte, nesting at most 64 levels (kMaxJsonNesting) (counted over brackets outside strings).
// No byte-order mark either (RFC 8259 §8.1: none on the wire). RapidJSON's length-based Parse
// skips leading 0xEF, 0xBB and 0xBF bytes, each on its own (its BOM handling), so the reference
// refuses a text whose first byte is not ASCII: no JSON text starts with one
// (regressions/json_models/leading-ef-byte, leading-bb-byte).
bool ReferenceIsJsonObject(std::string_view text, rapidjson::Document& doc) {
  if (!wechatpay::testing::ReferencePreScan(text, 64).empty()) return false;
  if (!text.empty() && static_cast<unsigned char>(text.front()) >= 0x80) return false;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.empty() ? "" : text.data(), text.size());
  return !doc.HasParseError() && doc.IsObject();
}

// The string member `name` of `object` as the reference reads it ("" when absent or null).
std::string ReferenceString(rapidjson::Value const& object, char const* name) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace wechatpay;
  using namespace wechatpay::internal;
  std::string_view const text = fuzz::AsText(data, size);

  auto transaction = ParseTransaction(text);
  if (transaction) {
    // The application keeps raw_json as proof of what WeChat said: it must be the input.
    fuzz::Check(transaction->raw_json == Trim(text), "Transaction::raw_json is the trimmed input");
    fuzz::Check(!transaction->trade_state.empty(), "a parsed transaction has a trade_state");
  }
  if (auto refund = ParseRefund(text)) {
    fuzz::Check(refund->raw_json == Trim(text), "Refund::raw_json is the trimmed input");
    fuzz::Check(!refund->status.empty(), "a parsed refund has a status");
  }
  if (auto prepay = ParseNativePrepayResponse(text)) {
    fuzz::Check(!prepay->code_url.empty(), "a parsed prepay response has a code_url");
  }
  ParseServiceErrorBody(text);

  // The notification side, against the reference.
  rapidjson::Document reference;
  bool const is_object = CheckPlaintextIsJsonObject(text).ok();
  fuzz::Check(is_object == ReferenceIsJsonObject(text, reference),
              "CheckPlaintextIsJsonObject() accepts exactly one UTF-8 JSON object");
  // notification_parser.cpp reads a TRANSACTION.SUCCESS plaintext with ParseTransaction()
  // alone: it must never accept what the plaintext check refuses.
  if (transaction) {
    fuzz::Check(is_object, "ParseTransaction() accepts only what the plaintext check accepts");
  }
  if (auto envelope = ParseNotificationEnvelope(text)) {
    fuzz::Check(is_object, "an envelope is a JSON object");
    auto const& resource = reference["resource"];
    fuzz::Check(envelope->id == ReferenceString(reference, "id") &&
                    envelope->event_type == ReferenceString(reference, "event_type") &&
                    envelope->create_time == ReferenceString(reference, "create_time") &&
                    envelope->summary == ReferenceString(reference, "summary") &&
                    envelope->ciphertext == ReferenceString(resource, "ciphertext") &&
                    envelope->nonce == ReferenceString(resource, "nonce") &&
                    envelope->associated_data == ReferenceString(resource, "associated_data") &&
                    envelope->algorithm == ReferenceString(resource, "algorithm"),
                "the envelope's members are the reference parse's, byte for byte");
  }
  if (auto refund = ParseRefundNotification(text)) {
    fuzz::Check(is_object, "a refund notification resource is a JSON object");
    fuzz::Check(refund->raw_json == text, "RefundNotification::raw_json is the input");
    fuzz::Check(refund->mchid == ReferenceString(reference, "mchid") &&
                    refund->out_refund_no == ReferenceString(reference, "out_refund_no") &&
                    refund->refund_status == ReferenceString(reference, "refund_status"),
                "the refund notification's members are the reference parse's");
  }
  return 0;
}
