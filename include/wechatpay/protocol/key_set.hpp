// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file key_set.hpp
/// The keys WeChat Pay signs with, by the id it names them by in Wechatpay-Serial: the WeChat
/// Pay public key under its `PUB_KEY_ID_…` id and platform certificates under their serials.
/// During the migration from certificates to the public key WeChat signs some answers and
/// callbacks with one and some with the other, so both live in one set (docs/protocol.md,
/// "Choosing the key: Wechatpay-Serial").

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/export.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/protocol/platform_certificate.hpp"
#include "wechatpay/status.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// A sensitive request field encrypted for WeChat Pay, with the serial of the key used: the
/// request that carries it must name that serial in Wechatpay-Serial, or WeChat cannot
/// decrypt the field.
struct WECHATPAY_EXPORT SensitiveField {
  /// RSA-OAEP ciphertext, Base64 (PublicKey::EncryptOaep()).
  std::string ciphertext;
  /// The public key id or certificate serial the field was encrypted for.
  std::string serial;
};

/// A set of verification keys, each under the exact serial WeChat names it by.
///
/// @par Thread Safety
/// A value: build it on one thread, then share it immutable (`std::shared_ptr<KeySet const>`,
/// as KeySetHolder does); const member functions are then safe from many threads at once.
class WECHATPAY_EXPORT KeySet {
 public:
  /// Most platform certificates a set keeps (MergedWith() drops the oldest beyond it).
  static constexpr std::size_t kMaxCertificates = 32;

  /// One key.
  struct Entry {
    /// The id or serial, exactly as Wechatpay-Serial names it.
    std::string serial;
    /// The key.
    PublicKey key;
    /// The platform certificate the key came from; empty for a key added with AddKey().
    std::optional<PlatformCertificate> certificate;
  };

  /// An empty set.
  KeySet() = default;

  /// Adds `key` under `id`: the WeChat Pay public key under its `PUB_KEY_ID_…` id, or any key
  /// the merchant configured under the serial WeChat sends. Such a key never expires. The
  /// first key added this way is the one SerialToSend() names.
  /// Errors: kConfiguration (field "wxPayPublicKeyId") when `id` is empty or already present.
  Status AddKey(std::string id, PublicKey key);

  /// Adds a platform certificate under its serial; it counts for SerialToSend() while valid.
  /// Errors: kConfiguration (field "certificate") when the serial is already present or the
  /// set holds kMaxCertificates certificates.
  Status AddCertificate(PlatformCertificate certificate);

  /// The key whose serial is exactly `serial` (case-sensitive, no fallback), else nullptr.
  /// Valid as long as this set. Allocates nothing and takes no lock.
  PublicKey const* Find(std::string_view serial) const noexcept;

  /// The serial to name in a request's Wechatpay-Serial: the id of the first key added with
  /// AddKey() (the WeChat Pay public key) when there is one; else the serial of the platform
  /// certificate valid at `now` with the latest not_before (the newest, as the official SDKs
  /// choose it); else "".
  std::string SerialToSend(std::chrono::system_clock::time_point now) const;

  /// Encrypts a sensitive field (RSA-OAEP, PublicKey::EncryptOaep()) with the key that
  /// SerialToSend(now) names, so that the field and the request's Wechatpay-Serial always
  /// agree. Errors: kConfiguration (field "wxPayPublicKeyId") when the set has no key to send
  /// (no public key and no certificate valid at `now`); kInvalidArgument when the plaintext is
  /// longer than RSA-OAEP allows.
  StatusOr<SensitiveField> EncryptSensitive(std::string_view plaintext,
                                            std::chrono::system_clock::time_point now) const;

  /// A new set: this one's AddKey() keys; the certificates of `fresh` (a new download) that
  /// have not expired at `now`; and this set's certificates not in `fresh` until they expire
  /// (WeChat may still sign with a certificate that left the list). A certificate of `fresh`
  /// whose serial is an AddKey() id is left out (the configured key wins). Beyond
  /// kMaxCertificates, the old certificates that expire first are dropped first.
  KeySet MergedWith(std::vector<PlatformCertificate> const& fresh,
                    std::chrono::system_clock::time_point now) const;

  /// The keys, sorted by serial.
  std::vector<Entry> const& entries() const noexcept { return entries_; }
  /// Number of keys.
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  Status Insert(Entry entry);

  // Sorted by serial. A verification looks one serial up in a handful of entries (a public
  // key and two or three certificates; at most 1 + kMaxCertificates plus the merchant's own
  // keys): a linear scan comparing lengths first is a few nanoseconds, allocates nothing and
  // needs no index that could go stale; a map would add a pointer chase per level for no gain.
  std::vector<Entry> entries_;
  std::string public_key_id_;  // the first AddKey() id, "" when none
};

/// Holds the current KeySet and replaces it as a whole: verifiers read a snapshot while a
/// refresh (a new certificate download) publishes the next one.
///
/// @par Thread Safety
/// All member functions are safe from many threads at once. Get() never waits for a writer's
/// work: a writer builds the next set first and only then swaps the pointer
/// (std::atomic_store on the shared_ptr; libstdc++ and libc++ guard that swap with a short
/// internal lock held for the pointer copy alone, never during a merge). Writers (Set(),
/// Merge()) are serialised among themselves, so a Merge() never loses a concurrent Set().
class WECHATPAY_EXPORT KeySetHolder {
 public:
  /// Holds `initial`.
  explicit KeySetHolder(KeySet initial = KeySet());
  KeySetHolder(KeySetHolder const&) = delete;
  KeySetHolder& operator=(KeySetHolder const&) = delete;

  /// The current set; it stays valid (and unchanged) for as long as the caller keeps it.
  std::shared_ptr<KeySet const> Get() const noexcept;

  /// Replaces the current set with `next`.
  void Set(KeySet next);

  /// Replaces the current set with Get()->MergedWith(fresh, now), atomically with respect to
  /// other writers.
  void Merge(std::vector<PlatformCertificate> const& fresh,
             std::chrono::system_clock::time_point now);

 private:
  std::shared_ptr<KeySet const> current_;  // never null
  std::mutex writer_;                      // taken by writers only, never by Get()
};

}  // namespace wechatpay
