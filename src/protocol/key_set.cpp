// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/key_set.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <utility>

#include "common/config_error.hpp"
#include "common/printable.hpp"

namespace wechatpay {
namespace {

using internal::ConfigError;
using TimePoint = std::chrono::system_clock::time_point;

bool SameSerial(std::string const& a, std::string_view b) noexcept {
  return a.size() == b.size() && (b.empty() || std::memcmp(a.data(), b.data(), b.size()) == 0);
}

}  // namespace

// --- KeySet -----------------------------------------------------------------------------------

Status KeySet::Insert(Entry entry) {
  auto const at =
      std::lower_bound(entries_.begin(), entries_.end(), entry.serial,
                       [](Entry const& e, std::string const& serial) { return e.serial < serial; });
  if (at != entries_.end() && at->serial == entry.serial) {
    return ConfigError(entry.certificate ? "certificate" : "wxPayPublicKeyId",
                       "a key with id " + internal::PrintableUntrusted(entry.serial, 64) +
                           " is already configured");
  }
  entries_.insert(at, std::move(entry));
  return Status();
}

Status KeySet::AddKey(std::string id, PublicKey key) {
  if (id.empty()) {
    return ConfigError("wxPayPublicKeyId", "the id of a WeChat Pay public key must not be empty");
  }
  std::string const copy = id;
  auto status = Insert(Entry{std::move(id), std::move(key), std::nullopt});
  if (status.ok() && public_key_id_.empty()) public_key_id_ = copy;
  return status;
}

Status KeySet::AddCertificate(PlatformCertificate certificate) {
  auto const certificates = static_cast<std::size_t>(std::count_if(
      entries_.begin(), entries_.end(), [](Entry const& e) { return e.certificate.has_value(); }));
  if (certificates >= kMaxCertificates) {
    return ConfigError(
        "certificate",
        "a key set holds at most " + std::to_string(kMaxCertificates) + " platform certificates");
  }
  std::string serial = certificate.serial();
  PublicKey key = certificate.public_key();
  return Insert(Entry{std::move(serial), std::move(key), std::move(certificate)});
}

PublicKey const* KeySet::Find(std::string_view serial) const noexcept {
  // See entries_: a scan of a handful of entries.
  for (auto const& entry : entries_) {
    if (SameSerial(entry.serial, serial)) return &entry.key;
  }
  return nullptr;
}

std::string KeySet::SerialToSend(TimePoint now) const {
  if (!public_key_id_.empty()) return public_key_id_;
  PlatformCertificate const* newest = nullptr;
  for (auto const& entry : entries_) {
    if (!entry.certificate || !entry.certificate->ValidAt(now)) continue;
    if (newest == nullptr || entry.certificate->not_before() > newest->not_before()) {
      newest = &*entry.certificate;
    }
  }
  return newest == nullptr ? std::string() : newest->serial();
}

StatusOr<SensitiveField> KeySet::EncryptSensitive(std::string_view plaintext, TimePoint now) const {
  std::string serial = SerialToSend(now);
  PublicKey const* key = serial.empty() ? nullptr : Find(serial);
  if (key == nullptr) {
    return internal::ConfigError(
        "wxPayPublicKeyId",
        "no WeChat Pay key to encrypt a sensitive field with: neither a public key nor a "
        "platform certificate valid now");
  }
  auto ciphertext = key->EncryptOaep(plaintext);
  if (!ciphertext) return ciphertext.status();
  return SensitiveField{std::move(*ciphertext), std::move(serial)};
}

KeySet KeySet::MergedWith(std::vector<PlatformCertificate> const& fresh, TimePoint now) const {
  KeySet next;
  next.public_key_id_ = public_key_id_;
  std::vector<PlatformCertificate> old;
  for (auto const& entry : entries_) {
    if (!entry.certificate) {
      next.entries_.push_back(entry);  // already sorted and unique
    } else if (now <= entry.certificate->not_after()) {
      old.push_back(*entry.certificate);
    }
  }
  // Fresh certificates first, then the old ones that expire last: what is cut beyond
  // kMaxCertificates is the old certificates closest to expiry.
  std::sort(old.begin(), old.end(), [](PlatformCertificate const& a, PlatformCertificate const& b) {
    return a.not_after() > b.not_after();
  });
  std::size_t certificates = 0;
  auto add = [&](PlatformCertificate const& certificate) {
    if (certificates == kMaxCertificates || now > certificate.not_after()) return;
    // A serial already present (a configured key, or fresh over old) is skipped.
    if (next.AddCertificate(certificate).ok()) ++certificates;
  };
  for (auto const& certificate : fresh) add(certificate);
  for (auto const& certificate : old) add(certificate);
  return next;
}

// --- KeySetHolder -----------------------------------------------------------------------------

KeySetHolder::KeySetHolder(KeySet initial)
    : current_(std::make_shared<KeySet const>(std::move(initial))) {}

std::shared_ptr<KeySet const> KeySetHolder::Get() const noexcept {
  return std::atomic_load(&current_);
}

void KeySetHolder::Set(KeySet next) {
  auto published = std::make_shared<KeySet const>(std::move(next));
  std::lock_guard<std::mutex> lock(writer_);
  std::atomic_store(&current_, std::move(published));
}

void KeySetHolder::Merge(std::vector<PlatformCertificate> const& fresh, TimePoint now) {
  std::lock_guard<std::mutex> lock(writer_);
  // The merge runs outside the pointer swap: readers keep verifying with the current set.
  auto published =
      std::make_shared<KeySet const>(std::atomic_load(&current_)->MergedWith(fresh, now));
  std::atomic_store(&current_, std::move(published));
}

}  // namespace wechatpay
