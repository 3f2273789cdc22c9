// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/base64.hpp"
#include "common/nonce.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/keys.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "support/test_data.hpp"
#include "wechatpay/protocol/signing.hpp"

namespace wechatpay {
namespace {

using ::wechatpay::testing::ReadData;

// official.json, parsed once for all tests of this file.
rapidjson::Document const& Vectors() {
  static rapidjson::Document const kDoc = [] {
    rapidjson::Document doc;
    doc.Parse(ReadData("official.json"));
    return doc;
  }();
  REQUIRE_FALSE(kDoc.HasParseError());
  return kDoc;
}

rapidjson::Value const& VectorById(char const* group, std::string const& id) {
  auto const& list = Vectors()[group];
  for (auto const& entry : list.GetArray()) {
    if (id == entry["id"].GetString()) return entry;
  }
  FAIL("no vector " << id << " in " << group);
  throw std::logic_error("unreachable");
}

std::string Str(rapidjson::Value const& v, char const* name) {
  REQUIRE(v.HasMember(name));
  return std::string(v[name].GetString(), v[name].GetStringLength());
}

PrivateKey LoadPrivateKey(std::string const& path) {
  auto key = PrivateKey::FromPem(ReadData(path));
  INFO(path << ": " << key.status().message());
  REQUIRE(key);
  return *key;
}

PublicKey LoadPublicKey(std::string const& path) {
  auto key = PublicKey::FromPem(ReadData(path));
  INFO(path << ": " << key.status().message());
  REQUIRE(key);
  return *key;
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);  // NOLINT(runtime/int)
  return std::string(data, static_cast<std::size_t>(length));
}

// Encodes a key as PEM in the given structure ("PrivateKeyInfo", "type-specific",
// "SubjectPublicKeyInfo"), so tests get PKCS#1 and PKCS#8 spellings of the same key.
std::string EncodePem(EVP_PKEY* pkey, int selection, char const* structure) {
  OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(pkey, selection, "PEM", structure, nullptr);
  REQUIRE(ctx != nullptr);
  unsigned char* data = nullptr;
  std::size_t length = 0;
  int const rc = OSSL_ENCODER_to_data(ctx, &data, &length);
  OSSL_ENCODER_CTX_free(ctx);
  REQUIRE(rc == 1);
  std::string pem(reinterpret_cast<char*>(data), length);
  OPENSSL_free(data);
  return pem;
}

Pkey ReadOpenSslPrivateKey(std::string const& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  Pkey key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  REQUIRE(key);
  return key;
}

Pkey GenerateRsa(std::size_t bits) {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
  REQUIRE(key);
  return key;
}

Pkey GenerateEc() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", const_cast<char*>("P-256")));
  REQUIRE(key);
  return key;
}

// A self-signed certificate with the given serial, to check how serials are printed.
std::string MakeCertificate(EVP_PKEY* key, std::uint64_t serial) {
  X509* x = X509_new();
  REQUIRE(x != nullptr);
  X509_set_version(x, 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<unsigned char const*>("wechatpay-cpp test"), -1, -1,
                             0);
  X509_set_issuer_name(x, name);
  X509_set_pubkey(x, key);
  REQUIRE(X509_sign(x, key, EVP_sha256()) > 0);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  std::string pem = BioText(bio);
  BIO_free(bio);
  X509_free(x);
  return pem;
}

// The Base64 body lines of a PEM text: what must never show up in an error message.
std::vector<std::string> PemBodyLines(std::string const& pem) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < pem.size()) {
    auto end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    auto line = pem.substr(start, end - start);
    if (line.size() >= 16 && line.rfind("-----", 0) != 0) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

void CheckNoPemInMessage(Status const& status, std::string const& pem) {
  INFO(status.message());
  if (!pem.empty()) CHECK(status.message().find(pem) == std::string::npos);
  for (auto const& line : PemBodyLines(pem)) {
    CHECK(status.message().find(line.substr(0, 16)) == std::string::npos);
  }
}

// --- Base64 and nonces ------------------------------------------------------------------------

TEST_CASE("Base64 matches RFC 4648 test vectors") {
  struct Case {
    char const* plain;
    char const* encoded;
  };
  for (auto const& c :
       {Case{"", ""}, Case{"f", "Zg=="}, Case{"fo", "Zm8="}, Case{"foo", "Zm9v"},
        Case{"foob", "Zm9vYg=="}, Case{"fooba", "Zm9vYmE="}, Case{"foobar", "Zm9vYmFy"}}) {
    CAPTURE(c.plain);
    CHECK(internal::Base64Encode(c.plain) == c.encoded);
    auto decoded = internal::Base64Decode(c.encoded);
    REQUIRE(decoded);
    CHECK(*decoded == c.plain);
  }
}

TEST_CASE("Base64 round-trips every byte value") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t n = 0; n <= bytes.size(); n += 37) {
    auto const slice = bytes.substr(n);
    auto decoded = internal::Base64Decode(internal::Base64Encode(slice));
    REQUIRE(decoded);
    CHECK(*decoded == slice);
  }
  CHECK(internal::Base64Encode(std::string("\xff\xfe\xfd", 3)) == "//79");
}

TEST_CASE("Base64Decode is strict") {
  for (char const* bad :
       {"Zg", "Zg=", "Zm9", "Zm9v\n", " Zm9v", "Zm9v ", "Zm 9v", "Zm9v!A==", "Zm9-", "Zm9_",
        "Z===", "====", "Zg==Zg==", "Zm=v", "Zh==", "Zm9=", "Zm\r\n9v"}) {
    CAPTURE(bad);
    auto decoded = internal::Base64Decode(bad);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.status().code() == StatusCode::kInvalidArgument);
  }
  auto nul = internal::Base64Decode(std::string("Zm9v\0AAA", 8));
  CHECK(nul.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("GenerateNonce gives 32 characters of [0-9A-Za-z] from a CSPRNG") {
  std::string const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::set<std::string> seen;
  std::set<char> used;
  for (int i = 0; i < 2000; ++i) {
    auto nonce = internal::GenerateNonce();
    REQUIRE(nonce.size() == 32);
    REQUIRE(nonce.find_first_not_of(alphabet) == std::string::npos);
    used.insert(nonce.begin(), nonce.end());
    seen.insert(std::move(nonce));
  }
  // 2000 random 190-bit values never collide, and 64000 uniform draws miss one of 62 characters
  // with probability below 1e-400: a failure here is a bug, not bad luck.
  CHECK(seen.size() == 2000);
  CHECK(used.size() == alphabet.size());
}

TEST_CASE("a forked child does not repeat the nonces its parent will use") {
  // Nonces come from a per-thread buffer of CSPRNG output; a child inherits a copy of it and
  // must refill, or parent and child would sign with the same nonces.
  internal::GenerateNonce();  // fills this thread's buffer
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t const child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto const nonce = internal::GenerateNonce();
    _exit(write(fds[1], nonce.data(), nonce.size()) == static_cast<ssize_t>(nonce.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string from_child(32, '\0');
  ssize_t const got = read(fds[0], from_child.data(), from_child.size());
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(got == 32);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(from_child != internal::GenerateNonce());
}

// --- Keys -------------------------------------------------------------------------------------

TEST_CASE("every sign vector reproduces byte for byte") {
  int checked = 0;
  for (auto const& entry : Vectors()["sign"].GetArray()) {
    auto const id = Str(entry, "id");
    CAPTURE(id);
    auto const key = LoadPrivateKey(Str(entry, "private_key"));
    CHECK(key.bits() == 2048);
    std::string message;
    if (entry.HasMember("message")) {
      message = Str(entry, "message");
    } else {
      // official-jsapi-prepay gives the request; the message is built from it.
      message = BuildRequestSignMessage(Str(entry, "method"), Str(entry, "url"),
                                        std::stoll(Str(entry, "timestamp")), Str(entry, "nonce"),
                                        Str(entry, "body"));
    }
    auto signature = key.SignSha256(message);
    REQUIRE(signature);
    CHECK(*signature == Str(entry, "signature"));
    // Deterministic: the same key and message sign the same way again.
    CHECK(*key.SignSha256(message) == *signature);
    if (entry.HasMember("certificate")) {
      auto const certificate = LoadPublicKey(Str(entry, "certificate"));
      CHECK(certificate.VerifySha256(message, *signature).ok());
    }
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("sign vectors verify with the matching public keys") {
  auto const& go_sign = VectorById("sign", "go-utils-sign");
  auto const go_public = LoadPublicKey("keys/go_test_public_key.pem");
  CHECK(go_public.certificate_serial().empty());
  CHECK(go_public.VerifySha256("source", Str(go_sign, "signature")).ok());

  auto const& paysign = VectorById("sign", "official-paysign-1");
  auto const official_public = LoadPublicKey("keys/official_doc_test_pub.pem");
  CHECK(official_public.VerifySha256(Str(paysign, "message"), Str(paysign, "signature")).ok());

  SECTION("a changed message is a mismatch") {
    auto status = go_public.VerifySha256("source ", Str(go_sign, "signature"));
    CHECK(status.code() == StatusCode::kVerificationFailed);
    CHECK(status.info().verification_failure == VerificationFailure::kSignatureMismatch);
  }
  SECTION("another key's signature is a mismatch") {
    auto status = official_public.VerifySha256("source", Str(go_sign, "signature"));
    CHECK(status.info().verification_failure == VerificationFailure::kSignatureMismatch);
  }
  SECTION("undecodable or truncated signatures are mismatches") {
    auto sig = Str(go_sign, "signature");
    for (auto const& bad : {std::string("not base64!"), sig.substr(0, sig.size() - 4),
                            sig.substr(1), std::string("AAAA"), sig + "\n"}) {
      auto status = go_public.VerifySha256("source", bad);
      CHECK(status.code() == StatusCode::kVerificationFailed);
      CHECK(status.info().verification_failure == VerificationFailure::kSignatureMismatch);
    }
  }
  SECTION("a WECHATPAY/SIGNTEST/ probe is reported as such") {
    auto status =
        go_public.VerifySha256("source", "WECHATPAY/SIGNTEST/" + Str(go_sign, "signature"));
    CHECK(status.code() == StatusCode::kVerificationFailed);
    CHECK(status.info().verification_failure == VerificationFailure::kSignTestProbe);
  }
}

TEST_CASE("PublicKey reads certificates and reports their serial as openssl prints it") {
  struct Case {
    char const* path;
    char const* serial;
  };
  for (auto const& c :
       {Case{"keys/go_test_cert_D7CE59D1F522D701.pem", "D7CE59D1F522D701"},
        Case{"keys/go_test_cert_F5765756002FDD77.pem", "F5765756002FDD77"},
        Case{"keys/java_dl_cert_plaintext.pem", "5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC"},
        Case{"keys/java_merchant_certificate.pem", "5F1C72E2A8931B72A2E13AF8DEE92471EB397115"},
        Case{"keys/java_wechat_pay_certificate.pem", "440024045C4A427599D09BB4E3DE0279F2E813FD"}}) {
    CAPTURE(c.path);
    CHECK(LoadPublicKey(c.path).certificate_serial() == c.serial);
  }

  // Serials with a leading zero nibble, a high bit (DER adds a 00 byte) and zero.
  auto key = GenerateRsa(2048);
  struct SerialCase {
    std::uint64_t value;
    char const* hex;
  };
  for (auto const& c : {SerialCase{0x0A0B0C, "0A0B0C"}, SerialCase{0x80, "80"}, SerialCase{0, "00"},
                        SerialCase{0x01, "01"}, SerialCase{0x00FFEEDDCCBBAA99, "FFEEDDCCBBAA99"}}) {
    CAPTURE(c.hex);
    auto parsed = PublicKey::FromPem(MakeCertificate(key.get(), c.value));
    REQUIRE(parsed);
    CHECK(parsed->certificate_serial() == c.hex);
  }
}

TEST_CASE("PrivateKey accepts PKCS#8 and PKCS#1, PublicKey all three public spellings") {
  auto const pkcs8 = ReadData("keys/go_test_private_key.pem");
  auto pkey = ReadOpenSslPrivateKey(pkcs8);
  auto const pkcs1 = EncodePem(pkey.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "type-specific");
  REQUIRE(pkcs1.rfind("-----BEGIN RSA PRIVATE KEY-----", 0) == 0);
  auto const rsa_public = EncodePem(pkey.get(), OSSL_KEYMGMT_SELECT_PUBLIC_KEY, "type-specific");
  REQUIRE(rsa_public.rfind("-----BEGIN RSA PUBLIC KEY-----", 0) == 0);

  auto const expected = Str(VectorById("sign", "go-utils-sign"), "signature");
  auto from_pkcs1 = PrivateKey::FromPem(pkcs1);
  REQUIRE(from_pkcs1);
  CHECK(*from_pkcs1->SignSha256("source") == expected);

  for (auto const& pem : {rsa_public, ReadData("keys/go_test_public_key.pem"),
                          ReadData("keys/go_test_cert_D7CE59D1F522D701.pem")}) {
    auto key = PublicKey::FromPem(pem);
    REQUIRE(key);
    CHECK(key->VerifySha256("source", expected).ok());
  }

  SECTION("text around the PEM block and unrelated blocks are skipped") {
    auto const bundle =
        "subject=whatever\n" + ReadData("keys/go_test_cert_D7CE59D1F522D701.pem") + "\n" + pkcs8;
    auto key = PrivateKey::FromPem(bundle);
    REQUIRE(key);
    CHECK(*key->SignSha256("source") == expected);
    auto cert = PublicKey::FromPem(pkcs8 + bundle);
    REQUIRE(cert);
    CHECK(cert->certificate_serial() == "D7CE59D1F522D701");
  }
}

// A PKCS#8 key that parses but whose RSA components do not fit together (n is not p*q): found by
// the pem_load fuzz target, which kept it as a regression. Loading must refuse it rather than
// hand out a key that fails at the first payment.
TEST_CASE("PrivateKey::FromPem refuses an RSA key whose components do not fit together") {
  auto const pem =
      testing::ReadFile(std::string(WECHATPAY_TEST_DATA_DIR) +
                        "/../../fuzz/regressions/pem_load/inconsistent-rsa-components");
  REQUIRE(pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  auto loaded = PrivateKey::FromPem(pem);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.status().code() == StatusCode::kConfiguration);
  CHECK(loaded.status().info().field == "privateKey");
  CHECK(loaded.status().message().find("do not fit together") != std::string::npos);
  // A genuine key still loads and signs.
  auto const genuine = GenerateRsa(2048);
  auto good =
      PrivateKey::FromPem(EncodePem(genuine.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "PrivateKeyInfo"));
  REQUIRE(good.ok());
  CHECK(good->SignSha256("message").ok());
}

TEST_CASE("PrivateKey::FromPem rejects what is not an RSA private key of 2048+ bits") {
  auto const go_private = ReadData("keys/go_test_private_key.pem");
  auto const go_public = ReadData("keys/go_test_public_key.pem");
  auto const ec = GenerateEc();
  auto const small = GenerateRsa(1024);
  auto const ec_pem = EncodePem(ec.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "PrivateKeyInfo");
  auto const small_pem = EncodePem(small.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "PrivateKeyInfo");
  auto const small_pkcs1 = EncodePem(small.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "type-specific");
  // Drop a line from the middle: still PEM, no longer a key.
  auto truncated = go_private;
  auto const cut = truncated.find('\n', truncated.size() / 2);
  truncated.erase(cut, 65);

  std::string encrypted;
  {
    auto pkey = ReadOpenSslPrivateKey(go_private);
    BIO* bio = BIO_new(BIO_s_mem());
    REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio, pkey.get(), EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                          const_cast<char*>("secret")) == 1);
    encrypted = BioText(bio);
    BIO_free(bio);
    REQUIRE(encrypted.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0) == 0);
  }

  struct Case {
    char const* name;
    std::string pem;
    char const* says;
  };
  for (auto const& c :
       {Case{"empty", "", "empty"}, Case{"garbage", "this is not a key", "not PEM"},
        Case{"bad base64", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
             "malformed"},
        Case{"no END line", go_private.substr(0, go_private.size() / 2), "malformed"},
        Case{"truncated DER", truncated, "valid private key"}, Case{"EC key", ec_pem, "EC"},
        Case{"1024-bit key", small_pem, "1024-bit"},
        Case{"1024-bit PKCS#1 key", small_pkcs1, "1024-bit"},
        Case{"public key", go_public, "PUBLIC KEY"},
        Case{"certificate", ReadData("keys/go_test_cert_D7CE59D1F522D701.pem"), "CERTIFICATE"},
        Case{"encrypted key", encrypted, "encrypted"}}) {
    CAPTURE(c.name);
    auto key = PrivateKey::FromPem(c.pem);
    REQUIRE_FALSE(key);
    CHECK(key.status().code() == StatusCode::kConfiguration);
    CHECK(key.status().info().field == "privateKey");
    INFO(key.status().message());
    CHECK(key.status().message().find(c.says) != std::string::npos);
    CheckNoPemInMessage(key.status(), c.pem);
  }
}

TEST_CASE("PublicKey::FromPem rejects private keys, non-RSA and short keys") {
  auto const ec = GenerateEc();
  auto const small = GenerateRsa(1024);
  struct Case {
    char const* name;
    std::string pem;
  };
  for (auto const& c :
       {Case{"empty", ""},
        Case{"garbage", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"},
        Case{"private key", ReadData("keys/go_test_private_key.pem")},
        Case{"EC public key",
             EncodePem(ec.get(), OSSL_KEYMGMT_SELECT_PUBLIC_KEY, "SubjectPublicKeyInfo")},
        Case{"EC certificate", MakeCertificate(ec.get(), 7)},
        Case{"1024-bit key",
             EncodePem(small.get(), OSSL_KEYMGMT_SELECT_PUBLIC_KEY, "SubjectPublicKeyInfo")}}) {
    CAPTURE(c.name);
    auto key = PublicKey::FromPem(c.pem);
    REQUIRE_FALSE(key);
    CHECK(key.status().code() == StatusCode::kConfiguration);
    CHECK_FALSE(key.status().message().empty());
  }
}

TEST_CASE("keys are shared by copies and usable from many threads") {
  auto const key = LoadPrivateKey("keys/go_test_private_key.pem");
  auto const expected = Str(VectorById("sign", "go-utils-sign"), "signature");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t, copy = key] {
      for (int i = 0; i < 16; ++i) {
        auto signature = copy.SignSha256("source");
        if (!signature || *signature != expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("failures leave no entries on OpenSSL's error queue") {
  // Other OpenSSL users on the thread (curl's TLS layer) read the queue; stale entries from a
  // failed parse or verification would be blamed on them.
  ERR_clear_error();
  CHECK_FALSE(
      PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
  CHECK_FALSE(PrivateKey::FromPem("junk"));
  CHECK_FALSE(PublicKey::FromPem(ReadData("keys/go_test_private_key.pem")));
  auto const key = LoadPrivateKey("keys/go_test_private_key.pem");
  auto const public_key = LoadPublicKey("keys/go_test_public_key.pem");
  CHECK_FALSE(public_key.VerifySha256("m", internal::Base64Encode(std::string(256, 'x'))).ok());
  CHECK_FALSE(key.DecryptOaep(internal::Base64Encode(std::string(256, 'x'))));
  auto cipher = AesGcmCipher::Create(std::string(32, 'k'));
  REQUIRE(cipher);
  CHECK_FALSE(cipher->Decrypt("abcdefghijkl", "", internal::Base64Encode(std::string(40, 'x'))));
  CHECK(ERR_peek_error() == 0);
}

// --- AEAD_AES_256_GCM -------------------------------------------------------------------------

TEST_CASE("java-aead decrypts, and each of its must_fail tamperings is rejected") {
  auto const& v = VectorById("aes_256_gcm", "java-aead");
  auto cipher = AesGcmCipher::Create(Str(v, "key"));
  REQUIRE(cipher);
  auto plaintext =
      cipher->Decrypt(Str(v, "nonce"), Str(v, "associated_data"), Str(v, "ciphertext"));
  REQUIRE(plaintext);
  CHECK(*plaintext == Str(v, "plaintext"));

  // GCM is deterministic for a given nonce, so encryption reproduces the vector too.
  auto ciphertext =
      cipher->Encrypt(Str(v, "nonce"), Str(v, "associated_data"), Str(v, "plaintext"));
  REQUIRE(ciphertext);
  CHECK(*ciphertext == Str(v, "ciphertext"));

  int failures = 0;
  for (auto const& tamper : v["must_fail"].GetArray()) {
    auto nonce = tamper.HasMember("nonce") ? Str(tamper, "nonce") : Str(v, "nonce");
    auto aad = tamper.HasMember("associated_data") ? Str(tamper, "associated_data")
                                                   : Str(v, "associated_data");
    auto text = tamper.HasMember("ciphertext") ? Str(tamper, "ciphertext") : Str(v, "ciphertext");
    CAPTURE(nonce, aad);
    auto result = cipher->Decrypt(nonce, aad, text);
    REQUIRE_FALSE(result);
    CHECK(result.status().code() == StatusCode::kDecryptionFailed);
    ++failures;
  }
  CHECK(failures == 2);
}

TEST_CASE("java-certificate-download decrypts to the certificate PEM") {
  auto const& v = VectorById("aes_256_gcm", "java-certificate-download");
  auto cipher = AesGcmCipher::Create(Str(v, "key"));
  REQUIRE(cipher);
  auto plaintext =
      cipher->Decrypt(Str(v, "nonce"), Str(v, "associated_data"), Str(v, "ciphertext"));
  REQUIRE(plaintext);
  CHECK(*plaintext == ReadData(Str(v, "plaintext_file")));
  // The decrypted certificate is the one the response names.
  auto certificate = PublicKey::FromPem(*plaintext);
  REQUIRE(certificate);
  CHECK(certificate->certificate_serial() == Str(v, "serial_no"));
}

TEST_CASE("16-byte keys (go-aes-128, go-notify) are configuration errors") {
  auto const go_aes = Str(VectorById("aes_256_gcm", "go-aes-128"), "key");
  auto const go_notify = Str(VectorById("verify", "go-notify")["decrypt"], "api_v3_key");
  for (auto const& key :
       {go_aes, go_notify, std::string(), std::string(31, 'k'), std::string(33, 'k')}) {
    CAPTURE(key.size());
    auto cipher = AesGcmCipher::Create(key);
    REQUIRE_FALSE(cipher);
    CHECK(cipher.status().code() == StatusCode::kConfiguration);
    CHECK(cipher.status().info().field == "apiV3Key");
    CHECK(cipher.status().message() ==
          "apiV3Key must be exactly 32 bytes (got " + std::to_string(key.size()) + ")");
    if (!key.empty()) CHECK(cipher.status().message().find(key) == std::string::npos);
  }
}

TEST_CASE("AES-GCM rejects tampering, wrong keys and malformed input") {
  auto const& v = VectorById("aes_256_gcm", "java-aead");
  auto const nonce = Str(v, "nonce");
  auto const aad = Str(v, "associated_data");
  auto const good = Str(v, "ciphertext");
  auto cipher = AesGcmCipher::Create(Str(v, "key"));
  REQUIRE(cipher);
  auto raw = *internal::Base64Decode(good);

  auto flip = [&raw](std::size_t index) {
    auto copy = raw;
    copy[index] = static_cast<char>(copy[index] ^ 0x01);
    return internal::Base64Encode(copy);
  };
  struct Case {
    char const* name;
    std::string nonce;
    std::string ciphertext;
  };
  for (auto const& c :
       {Case{"tampered tag", nonce, flip(raw.size() - 1)},
        Case{"tampered ciphertext", nonce, flip(0)},
        Case{"tag only", nonce, internal::Base64Encode(raw.substr(raw.size() - 16))},
        Case{"shorter than a tag", nonce, internal::Base64Encode(raw.substr(0, 15))},
        Case{"empty", nonce, ""}, Case{"bad base64", nonce, good.substr(1)},
        Case{"11-byte nonce", nonce.substr(1), good}, Case{"13-byte nonce", nonce + "x", good}}) {
    CAPTURE(c.name);
    auto result = cipher->Decrypt(c.nonce, aad, c.ciphertext);
    REQUIRE_FALSE(result);
    CHECK(result.status().code() == StatusCode::kDecryptionFailed);
  }

  auto other = AesGcmCipher::Create("0123456789abcdef0123456789abcdef");
  REQUIRE(other);
  CHECK(other->Decrypt(nonce, aad, good).status().code() == StatusCode::kDecryptionFailed);
}

TEST_CASE("AES-GCM Encrypt and Decrypt round-trip") {
  auto cipher = AesGcmCipher::Create("0123456789abcdef0123456789abcdef");
  REQUIRE(cipher);
  std::string binary;
  for (int i = 0; i < 1000; ++i) binary += static_cast<char>(i * 7);
  for (auto const& plaintext :
       {std::string(), std::string("x"), std::string("{\"a\":1}"), binary}) {
    for (auto const& aad : {std::string(), std::string("transaction")}) {
      auto encrypted = cipher->Encrypt("abcdefghijkl", aad, plaintext);
      REQUIRE(encrypted);
      CHECK(internal::Base64Decode(*encrypted)->size() == plaintext.size() + 16);
      auto decrypted = cipher->Decrypt("abcdefghijkl", aad, *encrypted);
      REQUIRE(decrypted);
      CHECK(*decrypted == plaintext);
      CHECK_FALSE(cipher->Decrypt("abcdefghijkm", aad, *encrypted));
    }
  }
  auto bad_nonce = cipher->Encrypt("short", "", "x");
  REQUIRE_FALSE(bad_nonce);
  CHECK(bad_nonce.status().code() == StatusCode::kInvalidArgument);
}

// Decrypt() reuses its OpenSSL contexts between calls (aes_gcm.cpp): whatever a call left behind,
// a failed tag check or a different nonce and associated data, the next call must start clean.
TEST_CASE("AES-GCM decrypts correctly after every kind of earlier call, from many threads") {
  auto cipher = AesGcmCipher::Create("0123456789abcdef0123456789abcdef");
  REQUIRE(cipher);
  struct Message {
    std::string nonce;
    std::string aad;
    std::string plaintext;
    std::string ciphertext;
  };
  std::vector<Message> messages;
  for (int i = 0; i < 6; ++i) {
    Message m{"nonce-" + std::to_string(100000 + i), i % 2 == 0 ? "transaction" : "",
              std::string(static_cast<std::size_t>(i * 97), static_cast<char>('a' + i)), ""};
    auto encrypted = cipher->Encrypt(m.nonce, m.aad, m.plaintext);
    REQUIRE(encrypted);
    m.ciphertext = *encrypted;
    messages.push_back(m);
  }
  auto tampered = *internal::Base64Decode(messages[3].ciphertext);
  tampered.back() = static_cast<char>(tampered.back() ^ 0x80);
  std::string const bad_tag = internal::Base64Encode(tampered);

  // One step: decrypt message `i`, or (every third step) fail on purpose first.
  auto step = [&](std::size_t i) -> bool {
    auto const& m = messages[i % messages.size()];
    if (i % 3 == 0 && cipher->Decrypt(messages[3].nonce, messages[3].aad, bad_tag)) return false;
    if (i % 5 == 0 && cipher->Decrypt(m.nonce, m.aad + "x", m.ciphertext)) return false;
    auto decrypted = cipher->Decrypt(m.nonce, m.aad, m.ciphertext);
    return decrypted && *decrypted == m.plaintext;
  };
  for (std::size_t i = 0; i < 60; ++i) {
    CAPTURE(i);
    REQUIRE(step(i));
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < 300; ++i) {
        if (!step(i + static_cast<std::size_t>(t))) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures.load() == 0);
}

// --- RSA-OAEP ---------------------------------------------------------------------------------

TEST_CASE("go-oaep-decrypt decrypts with the go private key") {
  auto const& v = VectorById("rsa_oaep", "go-oaep-decrypt");
  auto const key = LoadPrivateKey(Str(v, "private_key"));
  auto plaintext = key.DecryptOaep(Str(v, "ciphertext"));
  REQUIRE(plaintext);
  CHECK(*plaintext == Str(v, "plaintext"));

  SECTION("another key, tampering and bad Base64 are decryption failures") {
    auto const other = LoadPrivateKey("keys/official_doc_test_key.pem");
    CHECK(other.DecryptOaep(Str(v, "ciphertext")).status().code() == StatusCode::kDecryptionFailed);
    auto raw = *internal::Base64Decode(Str(v, "ciphertext"));
    raw[10] = static_cast<char>(raw[10] ^ 0x40);
    CHECK(key.DecryptOaep(internal::Base64Encode(raw)).status().code() ==
          StatusCode::kDecryptionFailed);
    CHECK(key.DecryptOaep(internal::Base64Encode(raw.substr(1))).status().code() ==
          StatusCode::kDecryptionFailed);
    CHECK(key.DecryptOaep("%%%").status().code() == StatusCode::kDecryptionFailed);
    CHECK(key.DecryptOaep("").status().code() == StatusCode::kDecryptionFailed);
  }
}

TEST_CASE("RSA-OAEP round-trips with the go key pair and limits plaintexts to 214 bytes") {
  auto const private_key = LoadPrivateKey("keys/go_test_private_key.pem");
  for (char const* path :
       {"keys/go_test_public_key.pem", "keys/go_test_cert_D7CE59D1F522D701.pem"}) {
    CAPTURE(path);
    auto const public_key = LoadPublicKey(path);
    for (auto const& plaintext : {std::string("6214830000000000"), std::string("张三"),
                                  std::string(), std::string(214, 'x')}) {
      auto encrypted = public_key.EncryptOaep(plaintext);
      REQUIRE(encrypted);
      CHECK(internal::Base64Decode(*encrypted)->size() == 256);
      auto decrypted = private_key.DecryptOaep(*encrypted);
      REQUIRE(decrypted);
      CHECK(*decrypted == plaintext);
    }
    // Randomised padding: the same plaintext never encrypts the same way twice.
    CHECK(*public_key.EncryptOaep("hello") != *public_key.EncryptOaep("hello"));

    auto too_long = public_key.EncryptOaep(std::string(215, 'x'));
    REQUIRE_FALSE(too_long);
    CHECK(too_long.status().code() == StatusCode::kInvalidArgument);
    CHECK(too_long.status().message().find("214") != std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay
