// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "control/control_api.hpp"

#include <rapidjson/document.h>

#include "http/json_util.hpp"
#include "state/clock.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::size_t kSinkCapacity = 1000;

Answer ControlError(int status, std::string const& code, std::string const& message) {
  return JsonAnswer(status, JsonObject().Str("code", code).Str("message", message).Build());
}

Answer BadRequest(std::string const& message) {
  return ControlError(400, "INVALID_ARGUMENT", message);
}

// An optional JSON object body ("" counts as {}); false when it is something else.
bool ParseOptionalObject(std::string const& body, rapidjson::Document& doc) {
  if (body.empty()) {
    doc.SetObject();
    return true;
  }
  return ParseJson(body, doc) && doc.IsObject();
}

Status ToStatus(ControlOutcome const& outcome) {
  return Status(StatusCode::kInvalidArgument, "sandbox: " + outcome.code + ": " + outcome.message);
}

}  // namespace

void NotifySink::Record(Inbound const& request) {
  JsonObject headers;
  for (auto const& [name, value] : request.headers) {
    // What a receiver needs to verify the callback; the rest is transport noise.
    if (name.rfind("Wechatpay-", 0) == 0 || name.rfind("wechatpay-", 0) == 0 ||
        name == "Request-ID" || name == "Content-Type") {
      headers.Str(name, value);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(Entry{Rfc3339China(SystemClock::now()), headers.Build(), request.body});
  if (entries_.size() > kSinkCapacity) entries_.pop_front();
}

std::string NotifySink::ListJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> items;
  for (auto const& entry : entries_) {
    items.push_back(JsonObject()
                        .Str("received_at", entry.received_at)
                        .Raw("headers", entry.headers_json)
                        .Str("body", entry.body)
                        .Build());
  }
  return JsonObject().Raw("notifications", JsonArray(items)).Build();
}

std::vector<std::string> NotifySink::Bodies() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> bodies;
  for (auto const& entry : entries_) bodies.push_back(entry.body);
  return bodies;
}

std::string ControlApi::CreateToken(TokenOptions const& options) { return tokens_.Create(options); }

StatusOr<std::string> ControlApi::Pay(std::string const& out_trade_no, PayOptions const& options) {
  auto outcome = orders_.Pay(out_trade_no, options);
  if (outcome.http_status != 200) return ToStatus(outcome);
  if (outcome.notification) callbacks_.Send(*outcome.notification);
  return std::move(outcome.json);
}

StatusOr<std::string> ControlApi::Fail(std::string const& out_trade_no) {
  auto outcome = orders_.Fail(out_trade_no);
  if (outcome.http_status != 200) return ToStatus(outcome);
  return std::move(outcome.json);
}

StatusOr<std::string> ControlApi::Scan(std::string const& out_trade_no) {
  auto outcome = orders_.Scan(out_trade_no);
  if (outcome.http_status != 200) return ToStatus(outcome);
  return std::move(outcome.json);
}

StatusOr<std::string> ControlApi::EndRefund(std::string const& out_refund_no,
                                            std::string const& status) {
  auto outcome = orders_.EndRefund(out_refund_no, status);
  if (outcome.http_status != 200) return ToStatus(outcome);
  if (outcome.notification) callbacks_.Send(*outcome.notification);
  return std::move(outcome.json);
}

Status ControlApi::RefuseNextRefunds(int count) {
  if (count < 1) {
    return Status(StatusCode::kInvalidArgument, "sandbox: the refusal count must be at least 1");
  }
  orders_.RefuseNextRefunds(count);
  return Status();
}

StatusOr<std::string> ControlApi::View(std::string const& out_trade_no) const {
  auto outcome = orders_.View(out_trade_no);
  if (outcome.http_status != 200) return ToStatus(outcome);
  return std::move(outcome.json);
}

Answer ControlApi::Outcome(ControlOutcome const& outcome) {
  if (outcome.http_status != 200) {
    return ControlError(outcome.http_status, outcome.code, outcome.message);
  }
  if (outcome.notification) callbacks_.Send(*outcome.notification);
  return JsonAnswer(200, outcome.json);
}

Answer ControlApi::Handle(Inbound const& request) {
  return Route(request, request.path.substr(std::string_view(kControlPrefix).size()));
}

Answer ControlApi::Route(Inbound const& request, std::string const& rest) {
  std::string const& method = request.method;
  if (rest == "tokens" && method == "POST") return Tokens(request);
  if (rest == "faults") return Faults(request);
  if (rest == "stats" && method == "GET") return JsonAnswer(200, StatsJson(stats_.Snapshot()));
  if (rest == "stats" && method == "DELETE") {
    stats_.Reset();
    return NoContent();
  }
  if ((rest == "notify-sink" || rest == "notify-sink/refunds") && method == "POST") {
    sink_.Record(request);
    return NoContent();
  }
  if (rest == "notify-sink" && method == "GET") return JsonAnswer(200, sink_.ListJson());
  if (rest == "identity" && method == "GET") return JsonAnswer(200, identity_json_);
  if (rest == "clock" && method == "GET") return JsonAnswer(200, ClockJson());
  if (rest == "clock/advance" && method == "POST") {
    rapidjson::Document body;
    auto const* seconds =
        ParseJson(request.body, body) && body.IsObject() ? Member(body, "seconds") : nullptr;
    if (seconds == nullptr || !seconds->IsInt64() || seconds->GetInt64() < 0) {
      return BadRequest(R"(the advance body must be a JSON object {"seconds":N}, N >= 0)");
    }
    if (auto status = AdvanceClock(std::chrono::seconds(seconds->GetInt64())); !status.ok()) {
      return BadRequest(status.message());
    }
    return JsonAnswer(200, ClockJson());
  }
  if (rest == "certificates" || rest.compare(0, 13, "certificates/") == 0) {
    return Certificates(request, rest);
  }
  if (rest == "orders" && method == "GET") return JsonAnswer(200, orders_.ListJson());
  constexpr std::string_view kOrders = "orders/";
  if (rest.compare(0, kOrders.size(), kOrders) == 0) {
    std::string no = rest.substr(kOrders.size());
    std::string action;
    if (auto slash = no.find('/'); slash != std::string::npos) {
      action = no.substr(slash + 1);
      no.resize(slash);
    }
    if (!no.empty() && action.empty() && method == "GET") return Outcome(orders_.View(no));
    if (!no.empty() && action == "fail" && method == "POST") return Outcome(orders_.Fail(no));
    if (!no.empty() && action == "scan" && method == "POST") return Outcome(orders_.Scan(no));
    if (!no.empty() && action == "pay" && method == "POST") {
      rapidjson::Document body;
      if (!ParseOptionalObject(request.body, body)) {
        return BadRequest("the pay body must be a JSON object {\"openid\",\"bank_type\"}");
      }
      PayOptions options;
      options.openid = GetString(body, "openid").value_or("");
      options.bank_type = GetString(body, "bank_type").value_or("OTHERS");
      return Outcome(orders_.Pay(no, options));
    }
  }
  if (rest.compare(0, 8, "refunds/") == 0 && method == "POST") return Refunds(request, rest);
  return ControlError(404, "NOT_FOUND",
                      "no control API " + method + " " + request.path +
                          " (tokens, orders/{no}[/pay|/fail|/scan], refunds/{no}/abnormal|close, "
                          "refunds/not-enough, faults, stats, notify-sink, identity, "
                          "certificates[/rotate|/share], clock[/advance])");
}

Answer ControlApi::Certificates(Inbound const& request, std::string const& rest) {
  rapidjson::Document body;
  if (rest == "certificates" && request.method == "GET") return JsonAnswer(200, keys_.ListJson());
  if (rest == "certificates/rotate" && request.method == "POST") {
    if (!ParseOptionalObject(request.body, body)) {
      return BadRequest(R"(the rotate body must be a JSON object {"expire_old_in_seconds"})");
    }
    RotateOptions options;
    if (auto const* expire = Member(body, "expire_old_in_seconds")) {
      if (!expire->IsInt64() || expire->GetInt64() < 1) {
        return BadRequest("expire_old_in_seconds must be a whole number of seconds, 1 or more");
      }
      options.expire_old_in_seconds = expire->GetInt64();
    }
    if (keys_.mode() == KeyMode::kPublicKey) {
      return ControlError(409, "FAILED_PRECONDITION",
                          "the key mode public-key has no platform certificate to rotate (start "
                          "the sandbox with key mode certificate or both)");
    }
    auto rotated = keys_.Rotate(options);
    if (!rotated) return ControlError(500, "INTERNAL", rotated.status().message());
    return JsonAnswer(200, keys_.ListJson());
  }
  if (rest == "certificates/share" && request.method == "POST") {
    auto const* share = ParseJson(request.body, body) && body.IsObject()
                            ? Member(body, "certificate_share")
                            : nullptr;
    if (share == nullptr || !share->IsNumber()) {
      return BadRequest(R"(the share body must be a JSON object {"certificate_share":0..1})");
    }
    if (auto status = keys_.SetShare(share->GetDouble()); !status.ok()) {
      if (status.code() == StatusCode::kInvalidArgument) {
        return BadRequest("certificate_share must be within 0..1");
      }
      return ControlError(500, "INTERNAL", status.message());
    }
    return JsonAnswer(200, keys_.ListJson());
  }
  return ControlError(404, "NOT_FOUND",
                      "no control API " + request.method + " " + request.path +
                          " (GET certificates, POST certificates/rotate, POST certificates/share)");
}

Answer ControlApi::Refunds(Inbound const& request, std::string const& rest) {
  std::string const path = rest.substr(8);
  if (path == "not-enough") {
    rapidjson::Document body;
    if (!ParseOptionalObject(request.body, body)) {
      return BadRequest(R"(the not-enough body must be a JSON object {"count"})");
    }
    int count = 1;
    if (auto const* given = Member(body, "count")) {
      if (!given->IsInt() || given->GetInt() < 1) return BadRequest("count must be at least 1");
      count = given->GetInt();
    }
    orders_.RefuseNextRefunds(count);
    return JsonAnswer(200, JsonObject().Int("refuse_next_refunds", count).Build());
  }
  auto const slash = path.find('/');
  std::string const no = path.substr(0, slash);
  std::string const action = slash == std::string::npos ? "" : path.substr(slash + 1);
  if (no.empty() || (action != "abnormal" && action != "close")) {
    return ControlError(404, "NOT_FOUND",
                        "no control API POST " + request.path +
                            " (refunds/{no}/abnormal, refunds/{no}/close, refunds/not-enough)");
  }
  return Outcome(orders_.EndRefund(no, action == "abnormal" ? "ABNORMAL" : "CLOSED"));
}

Answer ControlApi::Tokens(Inbound const& request) {
  rapidjson::Document body;
  if (!ParseOptionalObject(request.body, body)) {
    return BadRequest("the tokens body must be a JSON object {\"anonymous\",\"ttl_seconds\"}");
  }
  TokenOptions options;
  if (auto const* anonymous = Member(body, "anonymous")) {
    if (!anonymous->IsBool()) return BadRequest("anonymous must be a boolean");
    options.anonymous = anonymous->GetBool();
  }
  if (auto const* ttl = Member(body, "ttl_seconds")) {
    if (!ttl->IsInt64() || ttl->GetInt64() < 0) {
      return BadRequest("ttl_seconds must be a whole number of seconds, 0 or more");
    }
    options.ttl = std::chrono::seconds(ttl->GetInt64());
  }
  std::string const token = CreateToken(options);
  return JsonAnswer(200, JsonObject()
                             .Str("access_token", token)
                             .Str("token_type", "Bearer")
                             .Int("expires_in", options.ttl.count())
                             .Bool("anonymous", options.anonymous)
                             .Build());
}

Answer ControlApi::Faults(Inbound const& request) {
  if (request.method == "GET") return JsonAnswer(200, faults_.ListJson());
  if (request.method == "DELETE") {
    faults_.Clear();
    return NoContent();
  }
  if (request.method != "POST")
    return ControlError(405, "METHOD_NOT_ALLOWED", "GET, POST or DELETE");
  rapidjson::Document body;
  if (!ParseJson(request.body, body) || !body.IsObject()) {
    return BadRequest(R"(the fault must be a JSON object {"method","path","action","count"})");
  }
  Fault fault;
  fault.method = GetString(body, "method").value_or("");
  fault.path = GetString(body, "path").value_or("");
  fault.action = GetString(body, "action").value_or("");
  if (auto const* count = Member(body, "count")) {
    if (!count->IsInt()) return BadRequest("count must be an integer");
    fault.count = count->GetInt();
  }
  auto id = faults_.Add(fault);
  if (!id) return BadRequest(id.status().message());
  return JsonAnswer(201, JsonObject()
                             .Int("id", *id)
                             .Str("method", fault.method.empty() ? "*" : fault.method)
                             .Str("path", fault.path)
                             .Str("action", fault.action)
                             .Int("count", fault.count)
                             .Build());
}

Status ControlApi::AdvanceClock(std::chrono::seconds by) {
  if (by.count() < 0) {
    return Status(StatusCode::kInvalidArgument, "sandbox: the clock only moves forward");
  }
  clock_.Advance(by);
  return Status();
}

std::string ControlApi::ClockJson() const {
  return JsonObject()
      .Str("now", Rfc3339China(clock_.Now()))
      .Int("offset_seconds",
           std::chrono::duration_cast<std::chrono::seconds>(clock_.offset()).count())
      .Build();
}

}  // namespace wechatpay::sandbox::internal
