// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/identity_store.hpp"

#include <chrono>

#include "http/json_util.hpp"
#include "state/clock.hpp"
#include "state/random_ids.hpp"
#include "state/state_files.hpp"
#include "v3/pki.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr char kIdentityFile[] = "identity.json";
constexpr char kMerchantKeyFile[] = "apiclient_key.pem";
constexpr char kMerchantPublicFile[] = "apiclient_pub.pem";
constexpr char kWeChatKeyFile[] = "wechatpay_private_key.pem";
constexpr char kWeChatPublicFile[] = "pub_key.pem";
constexpr char kCaFile[] = "ca.pem";
constexpr char kCaKeyFile[] = "ca_key.pem";
constexpr char kServerFile[] = "server.pem";
constexpr char kServerKeyFile[] = "server_key.pem";
constexpr char kSubjectAltNames[] = "IP:127.0.0.1,IP:::1,DNS:localhost";

std::string Join(std::string const& dir, char const* name) { return dir + "/" + name; }

void SetPaths(std::string const& dir, Identity& identity) {
  identity.state_dir = dir;
  identity.merchant_private_key_file = Join(dir, kMerchantKeyFile);
  identity.merchant_public_key_file = Join(dir, kMerchantPublicFile);
  identity.wechatpay_private_key_file = Join(dir, kWeChatKeyFile);
  identity.wechatpay_public_key_file = Join(dir, kWeChatPublicFile);
}

Status WriteKeyPair(KeyPairPem const& pair, std::string const& private_file,
                    std::string const& public_file) {
  auto status = WriteFileAtomic(private_file, pair.private_pem, true);
  if (!status.ok()) return status;
  return WriteFileAtomic(public_file, pair.public_pem, false);
}

// Ids in the shapes WeChat uses: appid "wx" + 16 hex; a 10-digit mchid; a 40-hex certificate
// serial; a public key id "PUB_KEY_ID_" + "01" + mchid + date + 14 digits (34 digits, like
// PUB_KEY_ID_0112860886012025062700111588000000).
StatusOr<Identity> CreateIdentity(std::string const& dir) {
  Identity identity;
  identity.app_id = "wx" + RandomHex(16);
  identity.service_app_id = "wx" + RandomHex(16);
  identity.merchant_id = "16" + RandomDigits(8);
  identity.api_v3_key = RandomAlnum(32);
  identity.merchant_serial_number = RandomUpperHex(40);
  std::string const today = Rfc3339China(SystemClock::now()).substr(0, 10);
  identity.wechatpay_public_key_id = "PUB_KEY_ID_01" + identity.merchant_id + today.substr(0, 4) +
                                     today.substr(5, 2) + today.substr(8, 2) + RandomDigits(14);
  identity.env_id = "sandbox-" + RandomHex(16);
  identity.function_name = "pay-common";
  SetPaths(dir, identity);

  auto merchant = GenerateRsaKeyPair(2048);
  if (!merchant) return merchant.status();
  auto wechat = GenerateRsaKeyPair(2048);
  if (!wechat) return wechat.status();
  auto status = WriteKeyPair(*merchant, identity.merchant_private_key_file,
                             identity.merchant_public_key_file);
  if (!status.ok()) return status;
  status = WriteKeyPair(*wechat, identity.wechatpay_private_key_file,
                        identity.wechatpay_public_key_file);
  if (!status.ok()) return status;

  std::string const json = JsonObject()
                               .Int("version", 1)
                               .Str("appId", identity.app_id)
                               .Str("serviceAppId", identity.service_app_id)
                               .Str("merchantId", identity.merchant_id)
                               .Str("apiV3Key", identity.api_v3_key)
                               .Str("merchantSerialNumber", identity.merchant_serial_number)
                               .Str("wxPayPublicKeyId", identity.wechatpay_public_key_id)
                               .Str("envId", identity.env_id)
                               .Str("functionName", identity.function_name)
                               .Build();
  rapidjson::Document doc;
  ParseJson(json, doc);
  status = WriteFileAtomic(Join(dir, kIdentityFile), ToPrettyJson(doc), true);
  if (!status.ok()) return status;
  return identity;
}

StatusOr<Identity> LoadIdentity(std::string const& dir) {
  std::string const path = Join(dir, kIdentityFile);
  auto text = ReadTextFile(path);
  if (!text) return text.status();
  rapidjson::Document doc;
  if (!ParseJson(*text, doc) || !doc.IsObject()) {
    return Status(StatusCode::kConfiguration, "sandbox: " + path + " is not a JSON object");
  }
  Identity identity;
  for (auto [key, out] : {std::pair<char const*, std::string*>{"appId", &identity.app_id},
                          {"serviceAppId", &identity.service_app_id},
                          {"merchantId", &identity.merchant_id},
                          {"apiV3Key", &identity.api_v3_key},
                          {"merchantSerialNumber", &identity.merchant_serial_number},
                          {"wxPayPublicKeyId", &identity.wechatpay_public_key_id},
                          {"envId", &identity.env_id},
                          {"functionName", &identity.function_name}}) {
    auto value = GetString(doc, key);
    if (!value || value->empty()) {
      return Status(StatusCode::kConfiguration,
                    "sandbox: " + path + " lacks " + key +
                        "; remove the state folder to generate a new identity");
    }
    *out = *std::move(value);
  }
  SetPaths(dir, identity);
  for (auto const* file :
       {&identity.merchant_private_key_file, &identity.merchant_public_key_file,
        &identity.wechatpay_private_key_file, &identity.wechatpay_public_key_file}) {
    if (!IsFile(*file)) {
      return Status(StatusCode::kConfiguration,
                    "sandbox: the state folder has identity.json but no " + *file +
                        "; remove the folder to generate a new identity");
    }
  }
  return identity;
}

// The server certificate is reissued when it is missing, expires within a week, or the CA is new.
Status EnsureTls(std::string const& dir, IdentityMaterial& material) {
  std::string const server_file = Join(dir, kServerFile);
  std::string const server_key_file = Join(dir, kServerKeyFile);
  bool fresh_ca = false;
  auto loaded = LoadOrCreateCa(dir, &fresh_ca);
  if (!loaded) return loaded.status();
  CertificatePem const& ca = *loaded;
  bool reissue = fresh_ca || !IsFile(server_file) || !IsFile(server_key_file);
  if (!reissue) {
    auto cert = ReadTextFile(server_file);
    if (!cert) return cert.status();
    reissue = !CertificateValidFor(*cert, std::chrono::hours(24 * 7));
  }
  if (reissue) {
    auto server = IssueServerCertificate(ca, kSubjectAltNames);
    if (!server) return server.status();
    auto status = WriteFileAtomic(server_key_file, server->key_pem, true);
    if (!status.ok()) return status;
    status = WriteFileAtomic(server_file, server->cert_pem + ca.cert_pem, false);
    if (!status.ok()) return status;
  }
  material.identity.ca_file = Join(dir, kCaFile);
  material.server_cert_file = server_file;
  material.server_key_file = server_key_file;
  return Status();
}

}  // namespace

// The CA stays as long as it exists and is valid for 30 more days (clients may trust it already).
StatusOr<CertificatePem> LoadOrCreateCa(std::string const& dir, bool* fresh) {
  std::string const ca_file = Join(dir, kCaFile);
  std::string const ca_key_file = Join(dir, kCaKeyFile);
  CertificatePem ca;
  if (fresh != nullptr) *fresh = false;
  if (IsFile(ca_file) && IsFile(ca_key_file)) {
    auto cert = ReadTextFile(ca_file);
    if (!cert) return cert.status();
    auto key = ReadTextFile(ca_key_file);
    if (!key) return key.status();
    ca = CertificatePem{*std::move(cert), *std::move(key)};
  }
  if (ca.cert_pem.empty() || !CertificateValidFor(ca.cert_pem, std::chrono::hours(24 * 30))) {
    auto generated = GenerateCa("wechatpay-cpp sandbox CA " + RandomUpperHex(8));
    if (!generated) return generated.status();
    ca = *std::move(generated);
    if (fresh != nullptr) *fresh = true;
    auto status = WriteFileAtomic(ca_key_file, ca.key_pem, true);
    if (!status.ok()) return status;
    status = WriteFileAtomic(ca_file, ca.cert_pem, false);
    if (!status.ok()) return status;
  }
  return ca;
}

std::string CaFilePath(std::string const& dir) { return Join(dir, kCaFile); }

StatusOr<IdentityMaterial> LoadOrCreateIdentity(std::string const& dir, bool with_tls) {
  auto status = EnsureDirectory(dir);
  if (!status.ok()) return status;
  auto identity = IsFile(Join(dir, kIdentityFile)) ? LoadIdentity(dir) : CreateIdentity(dir);
  if (!identity) return identity.status();
  IdentityMaterial material;
  material.identity = *std::move(identity);
  if (with_tls) {
    status = EnsureTls(dir, material);
    if (!status.ok()) return status;
  }
  return material;
}

}  // namespace wechatpay::sandbox::internal
