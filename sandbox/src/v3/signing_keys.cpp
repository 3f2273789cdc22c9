// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/signing_keys.hpp"

#include <cmath>
#include <cstdio>
#include <functional>

#include "http/json_util.hpp"
#include "state/clock.hpp"
#include "state/random_ids.hpp"
#include "state/state_files.hpp"

namespace wechatpay::sandbox {

std::string_view KeyModeName(KeyMode mode) {
  switch (mode) {
    case KeyMode::kCertificate:
      return "certificate";
    case KeyMode::kBoth:
      return "both";
    case KeyMode::kPublicKey:
      break;
  }
  return "public-key";
}

StatusOr<KeyMode> ParseKeyMode(std::string_view name) {
  for (KeyMode mode : {KeyMode::kPublicKey, KeyMode::kCertificate, KeyMode::kBoth}) {
    if (name == KeyModeName(mode)) return mode;
  }
  return Status(StatusCode::kInvalidArgument,
                "sandbox: the key mode must be public-key, certificate or both");
}

namespace internal {
namespace {

constexpr char kKeysFile[] = "platform_keys.json";
// Five years, as WeChat's platform certificates.
constexpr std::int64_t kValiditySeconds = 5LL * 365 * 24 * 3600;
// Effective a minute before issue, so that a client whose clock is slightly behind accepts it.
constexpr std::int64_t kBackdateSeconds = 60;

std::int64_t Now() { return UnixSeconds(SystemClock::now()); }

std::string China(std::int64_t unix_seconds) {
  return Rfc3339China(FromUnixMillis(unix_seconds * 1000));
}

std::string CertFile(std::string const& dir, std::string const& serial) {
  return dir + "/platform_cert_" + serial + ".pem";
}

std::string KeyFile(std::string const& dir, std::string const& serial) {
  return dir + "/platform_key_" + serial + ".pem";
}

// 40 upper-case hex digits whose first is 1-7: a positive serial of exactly 20 octets, the most
// RFC 5280 allows, in the shape of WeChat's serial_no.
std::string NewSerial() { return RandomChars(1, "1234567") + RandomUpperHex(39); }

bool ValidShare(double share) { return std::isfinite(share) && share >= 0 && share <= 1; }

std::string ShareJson(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", share);
  return text;
}

}  // namespace

StatusOr<std::unique_ptr<SigningKeys>> SigningKeys::Load(
    std::string const& dir, std::function<StatusOr<CertificatePem>()> const& load_ca,
    SigningKey public_key, std::optional<KeyMode> mode, std::optional<double> share) {
  if (share && !ValidShare(*share)) {
    return Status(StatusCode::kInvalidArgument, "sandbox: certificate_share must be within 0..1");
  }
  std::unique_ptr<SigningKeys> keys(new SigningKeys(dir, std::move(public_key)));
  rapidjson::Document saved;
  if (auto status = keys->ReadSaved(saved); !status.ok()) return status;
  if (mode) keys->mode_ = *mode;
  if (share) keys->share_ = *share;
  if (keys->mode_ != KeyMode::kPublicKey) {
    // Only a mode with certificates needs the CA: a plain-HTTP public-key sandbox has none.
    auto ca = load_ca();
    if (!ca) return ca.status();
    keys->ca_ = *std::move(ca);
    keys->LoadCertificates(saved);
    std::int64_t const now = Now();
    if (keys->certificates_.empty() || keys->certificates_.back().not_after <= now) {
      auto issued = keys->Issue(NewSerial(), now - kBackdateSeconds, now + kValiditySeconds, "");
      if (!issued) return issued.status();
      keys->certificates_.push_back(*std::move(issued));
    }
  } else if (auto const* list = Member(saved, "certificates"); list && list->IsArray()) {
    // Kept as they are for a later start in a mode with certificates.
    keys->saved_certificates_json_ = ToJson(*list);
  }
  if (auto status = keys->SaveLocked(); !status.ok()) return status;
  return keys;
}

Status SigningKeys::ReadSaved(rapidjson::Document& doc) {
  doc.SetObject();
  std::string const path = dir_ + "/" + kKeysFile;
  if (!IsFile(path)) return Status();
  auto text = ReadTextFile(path);
  if (!text) return text.status();
  if (!ParseJson(*text, doc) || !doc.IsObject()) {
    return Status(StatusCode::kConfiguration, "sandbox: " + path + " is not a JSON object");
  }
  if (auto saved = GetString(doc, "keyMode")) {
    auto parsed = ParseKeyMode(*saved);
    if (!parsed) {
      return Status(StatusCode::kConfiguration,
                    "sandbox: " + path + ": keyMode must be public-key, certificate or both");
    }
    mode_ = *parsed;
  }
  if (auto const* saved = Member(doc, "certificateShare")) {
    if (!saved->IsNumber() || !ValidShare(saved->GetDouble())) {
      return Status(StatusCode::kConfiguration,
                    "sandbox: " + path + ": certificateShare must be a number within 0..1");
    }
    share_ = saved->GetDouble();
  }
  return Status();
}

void SigningKeys::LoadCertificates(rapidjson::Document const& saved) {
  auto const* list = Member(saved, "certificates");
  if (list == nullptr || !list->IsArray()) return;
  for (auto const& item : list->GetArray()) {
    std::string const serial_no = GetString(item, "serialNo").value_or("");
    if (serial_no.size() != 40 ||
        serial_no.find_first_not_of("0123456789ABCDEF") != std::string::npos) {
      continue;  // not a name this sandbox would have written: never a path to read
    }
    auto cert_pem = ReadTextFile(CertFile(dir_, serial_no));
    auto key_pem = ReadTextFile(KeyFile(dir_, serial_no));
    // A certificate whose files are gone, or that an earlier CA issued (the CA is renewed when
    // it nears its end), is dropped: clients could not chain it to the CA they trust.
    if (!cert_pem || !key_pem || !CertificateIssuedBy(*cert_pem, ca_.cert_pem)) continue;
    auto key = PrivateKey::FromPem(*key_pem);
    if (!key) continue;
    Certificate cert{serial_no,
                     GetInt(item, "notBefore").value_or(0),
                     GetInt(item, "notAfter").value_or(0),
                     *std::move(cert_pem),
                     *std::move(key_pem),
                     *std::move(key)};
    certificates_.push_back(std::move(cert));
  }
}

Status SigningKeys::SaveLocked() const {
  std::vector<std::string> items;
  for (auto const& cert : certificates_) {
    items.push_back(JsonObject()
                        .Str("serialNo", cert.serial_no)
                        .Int("notBefore", cert.not_before)
                        .Int("notAfter", cert.not_after)
                        .Build());
  }
  std::string const json =
      JsonObject()
          .Int("version", 1)
          .Str("keyMode", KeyModeName(mode_))
          .Raw("certificateShare", ShareJson(share_))
          .Raw("certificates", mode_ == KeyMode::kPublicKey && !saved_certificates_json_.empty()
                                   ? saved_certificates_json_
                                   : JsonArray(items))
          .Build();
  rapidjson::Document doc;
  ParseJson(json, doc);
  return WriteFileAtomic(dir_ + "/" + kKeysFile, ToPrettyJson(doc), false);
}

StatusOr<SigningKeys::Certificate> SigningKeys::Issue(std::string const& serial_no,
                                                      std::int64_t not_before,
                                                      std::int64_t not_after,
                                                      std::string const& key_pem) const {
  auto issued = IssuePlatformCertificate(ca_, serial_no, not_before, not_after, key_pem);
  if (!issued) return issued.status();
  auto key = PrivateKey::FromPem(issued->key_pem);
  if (!key) return key.status();
  auto status = WriteFileAtomic(KeyFile(dir_, serial_no), issued->key_pem, true);
  if (!status.ok()) return status;
  status = WriteFileAtomic(CertFile(dir_, serial_no), issued->cert_pem, false);
  if (!status.ok()) return status;
  return Certificate{serial_no,        not_before,      not_after,
                     issued->cert_pem, issued->key_pem, *std::move(key)};
}

SigningKey SigningKeys::ActiveLocked() const {
  Certificate const& active = certificates_.back();
  return SigningKey{active.key, active.serial_no, true};
}

bool SigningKeys::CertificateTurnLocked() {
  if (certificates_.empty() || mode_ == KeyMode::kPublicKey) return false;
  if (mode_ == KeyMode::kCertificate) return true;
  // share 0 and 1 never draw, so that those settings are exact.
  if (share_ <= 0) return false;
  if (share_ >= 1) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < share_;
}

SigningKey SigningKeys::ForAnswer(std::string_view request_serial) {
  // A merchant that has switched names the public key id in its requests, and WeChat then
  // signs the answer with the public key (docs/protocol.md, "Choosing the key").
  if (mode_ == KeyMode::kBoth && request_serial == public_key_.serial) return public_key_;
  return ForCallback();
}

SigningKey SigningKeys::ForCallback() {
  std::lock_guard<std::mutex> lock(mu_);
  return CertificateTurnLocked() ? ActiveLocked() : public_key_;
}

StatusOr<std::string> SigningKeys::Decrypt(std::string_view serial,
                                           std::string_view ciphertext) const {
  if (!serial.empty() && serial == public_key_.serial)
    return public_key_.key.DecryptOaep(ciphertext);
  std::int64_t const now = Now();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto const& cert : certificates_) {
    if (cert.serial_no == serial && now < cert.not_after) return cert.key.DecryptOaep(ciphertext);
  }
  return Status(StatusCode::kInvalidArgument, "no WeChat Pay key has this serial");
}

std::vector<PlatformCertificate> SigningKeys::List() const {
  std::int64_t const now = Now();
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<PlatformCertificate> list;
  for (std::size_t i = 0; i < certificates_.size(); ++i) {
    Certificate const& cert = certificates_[i];
    list.push_back(PlatformCertificate{cert.serial_no, China(cert.not_before),
                                       China(cert.not_after), cert.cert_pem,
                                       i + 1 == certificates_.size(), cert.not_after <= now});
  }
  return list;
}

std::string SigningKeys::ListJson() const {
  std::vector<std::string> items;
  for (auto const& cert : List()) {
    items.push_back(JsonObject()
                        .Str("serial_no", cert.serial_no)
                        .Str("effective_time", cert.effective_time)
                        .Str("expire_time", cert.expire_time)
                        .Bool("active", cert.active)
                        .Bool("expired", cert.expired)
                        .Str("certificate", cert.certificate_pem)
                        .Build());
  }
  return JsonObject()
      .Str("key_mode", KeyModeName(mode_))
      .Raw("certificate_share", ShareJson(share()))
      .Str("public_key_id", public_key_.serial)
      .Raw("certificates", JsonArray(items))
      .Build();
}

StatusOr<std::string> SigningKeys::Rotate(RotateOptions const& options) {
  if (mode_ == KeyMode::kPublicKey) {
    return Status(StatusCode::kInvalidArgument,
                  "sandbox: the key mode public-key has no platform certificate to rotate "
                  "(start with key mode certificate or both)");
  }
  if (options.expire_old_in_seconds && *options.expire_old_in_seconds < 1) {
    return Status(StatusCode::kInvalidArgument,
                  "sandbox: expire_old_in_seconds must be at least 1");
  }
  std::int64_t const now = Now();
  // Generating an RSA key takes a while: outside the lock, so that signing goes on meanwhile.
  auto fresh = Issue(NewSerial(), now - kBackdateSeconds, now + kValiditySeconds, "");
  if (!fresh) return fresh.status();
  std::lock_guard<std::mutex> lock(mu_);
  if (options.expire_old_in_seconds) {
    std::int64_t const end = now + *options.expire_old_in_seconds;
    for (auto& cert : certificates_) {
      if (cert.not_after <= end) continue;
      // The same key and serial with the shorter validity, so that the PEM a client downloads
      // says what expire_time says.
      auto shorter = Issue(cert.serial_no, cert.not_before, end, cert.key_pem);
      if (!shorter) return shorter.status();
      cert = *std::move(shorter);
    }
  }
  std::string const serial = fresh->serial_no;
  certificates_.push_back(*std::move(fresh));
  if (auto status = SaveLocked(); !status.ok()) return status;
  return serial;
}

Status SigningKeys::SetShare(double share) {
  if (!ValidShare(share)) {
    return Status(StatusCode::kInvalidArgument, "sandbox: certificate_share must be within 0..1");
  }
  std::lock_guard<std::mutex> lock(mu_);
  share_ = share;
  return SaveLocked();
}

double SigningKeys::share() const {
  std::lock_guard<std::mutex> lock(mu_);
  return share_;
}

Answer SigningKeys::DownloadAnswer(AesGcmCipher const& cipher) const {
  if (mode_ == KeyMode::kPublicKey) {
    return WeChatError(404, "NOT_FOUND",
                       "无可用的平台证书，请使用微信支付公钥验签 (the merchant has no platform "
                       "certificate: it verifies with the WeChat Pay public key)");
  }
  std::vector<std::string> items;
  for (auto const& cert : List()) {
    if (cert.expired) continue;
    std::string const nonce = RandomAlnum(12);
    std::string const ciphertext =
        cipher.Encrypt(nonce, "certificate", cert.certificate_pem).value();
    items.push_back(JsonObject()
                        .Str("serial_no", cert.serial_no)
                        .Str("effective_time", cert.effective_time)
                        .Str("expire_time", cert.expire_time)
                        .Raw("encrypt_certificate", JsonObject()
                                                        .Str("algorithm", "AEAD_AES_256_GCM")
                                                        .Str("nonce", nonce)
                                                        .Str("associated_data", "certificate")
                                                        .Str("ciphertext", ciphertext)
                                                        .Build())
                        .Build());
  }
  return JsonAnswer(200, JsonObject().Raw("data", JsonArray(items)).Build());
}

}  // namespace internal
}  // namespace wechatpay::sandbox
