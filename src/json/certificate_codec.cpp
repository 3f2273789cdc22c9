// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/certificate_codec.hpp"

#include <string>
#include <utility>

#include "json/json_reader.hpp"

namespace wechatpay::internal {
namespace {

constexpr std::string_view kPrefix = "malformed certificate download: ";
constexpr JsonErrorStyle kDownloadStyle{JsonErrorStyle::Path::kPointer, kPrefix, false};

Status Malformed(std::string message) {
  return Status(StatusCode::kMalformedResponse, std::string(kPrefix) + std::move(message));
}

// The size rule of a string member that was read already (the reader checked its type).
Status CheckSize(JsonObjectReader const& reader, std::string_view name, std::string const& value,
                 std::size_t limit) {
  if (value.size() <= limit) return {};
  return Malformed(reader.PathOf(name) + " is " + std::to_string(value.size()) +
                   " bytes long; at most " + std::to_string(limit) + " are accepted");
}

// Reads element `index` of data; the first problem is left in *error.
CertificateDownloadItem ReadItem(JsonObjectReader& item, Status* error) {
  CertificateDownloadItem out;
  item.ReadRequired("serial_no", out.serial_no);
  item.Read("effective_time", out.effective_time);
  item.Read("expire_time", out.expire_time);
  if (auto const* encrypted = item.RequiredObject("encrypt_certificate")) {
    JsonObjectReader e(*encrypted, item, "encrypt_certificate");
    e.ReadRequired("algorithm", out.algorithm);
    e.ReadRequired("nonce", out.nonce);
    e.ReadRequired("associated_data", out.associated_data);
    e.ReadRequired("ciphertext", out.ciphertext);
    if (!error->ok()) return out;
    for (auto const& [name, value] :
         {std::pair<std::string_view, std::string const*>{"algorithm", &out.algorithm},
          {"nonce", &out.nonce},
          {"associated_data", &out.associated_data}}) {
      if (auto status = CheckSize(e, name, *value, kMaxCertificateFieldBytes); !status.ok()) {
        *error = std::move(status);
        return out;
      }
    }
    if (auto status = CheckSize(e, "ciphertext", out.ciphertext, kMaxCertificateCiphertextBytes);
        !status.ok()) {
      *error = std::move(status);
      return out;
    }
  }
  if (!error->ok()) return out;
  for (auto const& [name, value] :
       {std::pair<std::string_view, std::string const*>{"serial_no", &out.serial_no},
        {"effective_time", &out.effective_time},
        {"expire_time", &out.expire_time}}) {
    if (auto status = CheckSize(item, name, *value, kMaxCertificateFieldBytes); !status.ok()) {
      *error = std::move(status);
      return out;
    }
  }
  return out;
}

}  // namespace

StatusOr<std::vector<CertificateDownloadItem>> ParseCertificateDownload(std::string_view body) {
  // Bounded before parsing: the parse is the first cost an answer can cause.
  if (body.size() > kMaxCertificateDownloadBytes) {
    return Malformed("the body is " + std::to_string(body.size()) + " bytes; at most " +
                     std::to_string(kMaxCertificateDownloadBytes) + " are accepted");
  }
  JsonDocument doc;
  if (auto problem = doc.ParseObject(body); !problem.empty()) {
    return Malformed("the JSON text " + problem);
  }
  Status error;
  JsonObjectReader root(doc.root(), kDownloadStyle, "", &error);
  auto const* data = root.Array("data");
  if (!error.ok()) return error;
  if (data == nullptr) return Malformed("/data is missing (must be an array of certificates)");
  // An empty list would leave a merchant in certificate mode with nothing to verify with; the
  // official Go SDK refuses it too ("no certificate downloaded").
  if (data->Empty()) return Malformed("/data is empty: the answer lists no certificate");
  if (data->Size() > kMaxDownloadedCertificates) {
    return Malformed("/data lists " + std::to_string(data->Size()) + " certificates; at most " +
                     std::to_string(kMaxDownloadedCertificates) + " are accepted");
  }
  std::vector<CertificateDownloadItem> items;
  items.reserve(data->Size());
  for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
    auto const& element = (*data)[i];
    JsonObjectReader reader(element, root, "data", static_cast<long>(i));
    if (!error.ok()) return error;  // a duplicated member name in the element
    if (!element.IsObject()) return Malformed(reader.Path() + " must be an object");
    auto item = ReadItem(reader, &error);
    if (!error.ok()) return error;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace wechatpay::internal
