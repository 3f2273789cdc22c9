// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient::Request(): any API v3 endpoint, checked here and then sent by the channel
// through the same pipeline, signing and verification as the typed calls.

#include <string>
#include <string_view>

#include "common/config_error.hpp"
#include "json/json_reader.hpp"
#include "wechatpay/native_pay_client.hpp"

#include "client_async.hpp"

namespace wechatpay {
namespace {

constexpr std::size_t kMaxPathBytes = 2048;
constexpr std::size_t kMaxBodyBytes = std::size_t{1} << 20;

Status CheckMethod(std::string const& method) {
  for (std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    if (method == known) return Status();
  }
  return internal::InvalidArgument("method",
                                   "method must be GET, POST, PUT, PATCH or DELETE (upper case)");
}

Status CheckPath(std::string_view path) {
  if (path.rfind("/v3/", 0) != 0) {
    return internal::InvalidArgument("path", "path must start with /v3/ (API v3 only)");
  }
  if (path.size() > kMaxPathBytes) {
    return internal::InvalidArgument("path", "path must be at most 2048 bytes");
  }
  for (char c : path) {
    auto const u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '#') {
      return internal::InvalidArgument(
          "path", "path must be printable ASCII without spaces or '#': percent-encode other bytes");
    }
  }
  // A dot segment would be resolved by a proxy or server into another path than the one signed.
  auto const query = path.find('?');
  std::string_view const segments = path.substr(0, query);
  std::size_t start = 0;
  while (start <= segments.size()) {
    auto end = segments.find('/', start);
    if (end == std::string_view::npos) end = segments.size();
    auto const segment = segments.substr(start, end - start);
    if (segment == "." || segment == "..") {
      return internal::InvalidArgument("path", "path must not contain . or .. segments");
    }
    start = end + 1;
  }
  return Status();
}

Status CheckBody(std::string const& method, std::string const& body) {
  if (body.empty()) return Status();
  if (method == "GET" || method == "DELETE") {
    return internal::InvalidArgument("body", "a " + method + " request has no body");
  }
  if (body.size() > kMaxBodyBytes) {
    return internal::InvalidArgument("body", "body must be at most 1 MiB");
  }
  internal::JsonDocument document;
  std::string problem = document.Parse(body);
  if (problem.empty() && !document.root().IsObject() && !document.root().IsArray()) {
    problem = "is neither an object nor an array";
  }
  if (!problem.empty()) {
    return internal::InvalidArgument(
        "body", "body must be one JSON object or array: the JSON text " + problem);
  }
  return Status();
}

Status CheckRequest(ApiRequest const& request) {
  for (auto status : {CheckMethod(request.method), CheckPath(request.path_and_query),
                      CheckBody(request.method, request.body)}) {
    if (!status.ok()) return status;
  }
  return Status();
}

}  // namespace

StatusOr<ApiResponse> NativePayClient::Request(ApiRequest const& request,
                                               CallOptions const& options) const {
  if (auto status = CheckRequest(request); !status.ok()) return status;
  return channel_->Request(request, options);
}

void NativePayClient::RequestAsync(ApiRequest const& request, CallOptions const& options,
                                   Completion<ApiResponse> done) const {
  internal::ValidateThenStart(CheckRequest(request), done,
                              [&] { channel_->RequestAsync(request, options, std::move(done)); });
}

std::future<StatusOr<ApiResponse>> NativePayClient::RequestAsync(ApiRequest const& request,
                                                                 CallOptions const& options) const {
  return internal::FutureOf<ApiResponse>(
      [&](auto done) { RequestAsync(request, options, std::move(done)); });
}

}  // namespace wechatpay
