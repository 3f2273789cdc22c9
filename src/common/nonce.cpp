// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/nonce.hpp"

#include <openssl/rand.h>

#if !defined(_WIN32)
#include <pthread.h>
#endif

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "common/wipe.hpp"

namespace wechatpay::internal {
namespace {

// Incremented in the child after fork(): a child must not hand out random bytes that its parent
// buffered (both would sign with the same nonces).
std::atomic<unsigned> fork_generation{0};

// Random bytes for nonces, drawn from OpenSSL's CSPRNG a kilobyte at a time: one RAND_bytes()
// call costs about as much for 1024 bytes as for 48 (0.75 us on this project's machine), and a
// nonce needs ~33. One pool per thread, so no lock; refilled after fork() (fork_generation).
class NonceRandomPool {
 public:
  NonceRandomPool() {
#if !defined(_WIN32)
    static std::once_flag registered;
    std::call_once(registered, [] {
      pthread_atfork(nullptr, nullptr,
                     [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
    });
#endif
  }
  ~NonceRandomPool() { WipeBytes(bytes_.data(), bytes_.size()); }
  NonceRandomPool(NonceRandomPool const&) = delete;
  NonceRandomPool& operator=(NonceRandomPool const&) = delete;

  // Fills out[0, count) with characters of `alphabet` (62 of them), each equally likely.
  // Bytes at or above 248 (= 4 * 62) are discarded: 248 is the largest multiple of 62 that
  // fits in a byte, so the remainder is uniform.
  void Fill(char* out, std::size_t count, char const* alphabet) {
    constexpr unsigned kAlphabetSize = 62;
    constexpr unsigned kAcceptBelow = 256 / kAlphabetSize * kAlphabetSize;
    // Checked once per nonce, not per byte: a fork() cannot happen in the middle of this call
    // on this thread, and the child's copy of this thread is the only one that runs.
    unsigned const generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_) {
      next_ = bytes_.size();
      generation_ = generation;
    }
    for (std::size_t filled = 0; filled < count;) {
      if (next_ == bytes_.size()) Refill();
      unsigned const byte = bytes_[next_];
      bytes_[next_++] = 0;  // handed out once
      if (byte < kAcceptBelow) out[filled++] = alphabet[byte % kAlphabetSize];
    }
  }

 private:
  void Refill() {
    if (RAND_bytes(bytes_.data(), static_cast<int>(bytes_.size())) != 1) {
      // GenerateNonce() has no way to report the failure, and a predictable nonce must never
      // be used; a CSPRNG that fails is not a state to continue in.
      std::fputs("wechatpay: RAND_bytes failed; cannot generate a nonce\n", stderr);
      std::abort();
    }
    next_ = 0;
  }

  std::array<unsigned char, 1024> bytes_{};
  std::size_t next_ = bytes_.size();
  unsigned generation_ = 0;
};

}  // namespace

std::string GenerateNonce() {
  constexpr std::size_t kLength = 32;
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static_assert(sizeof(kAlphabet) - 1 == 62, "NonceRandomPool::Fill() expects 62 characters");
  thread_local NonceRandomPool pool;
  std::string nonce(kLength, '\0');
  pool.Fill(nonce.data(), nonce.size(), kAlphabet);
  return nonce;
}

}  // namespace wechatpay::internal
