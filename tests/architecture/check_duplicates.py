#!/usr/bin/env python3
# Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Checks that the shared helpers exist once (docs/architecture.md, "common").

The library, the sandbox, the CLI, the test support, the benchmark and the fuzz targets all link
the internal wechatpay_common (src/common/, plus the header-only cpp-httplib adapter
src/http/httplib_headers.hpp). A helper that is written a second time drifts from the first, so
each one has a fingerprint here: a pattern that only an implementation of it contains (a
definition of its name, or the OpenSSL call or code shape at its heart). A fingerprint may
match in one file only, the helper's home. Also checks that the CLI does not use RapidJSON
itself (it writes and reads JSON through common/json_text.hpp).

Searched: src/ sandbox/ tools/ tests/support/ bench/ fuzz/. Not searched: examples/ (programs a
user copies, built against the installed package alone) and the tests themselves.

Usage: check_duplicates.py REPO_ROOT
"""
import os
import re
import sys

ROOTS = ["src", "sandbox", "tools", "tests/support", "bench", "fuzz"]

# A function definition's head: a return type, the name, the parameters, qualifiers, then "{".
def _defines(name):
    return re.compile(r"^[\w:<>&*, ]*\b" + name +
                      r"\s*\([^;{)]*\)\s*(const\s*|noexcept\s*|override\s*|->\s*[\w:<>]+\s*)*\{",
                      re.M)


# helper -> (home file, [fingerprints])
HELPERS = {
    "IsLoopbackHost": ("src/common/url.cpp", [_defines("IsLoopbackHost")]),
    "JSON string quoting": ("src/common/json_text.cpp", [
        _defines(r"(JsonQuote|Quote|JsonString|JsonEscape|EscapeJson)"),
        re.compile(r'"\\\\u00"'),  # emitting \u00XX escapes
        # a RapidJSON writer made to quote one string
        re.compile(r"Writer<[^>]*>\s+\w+\([^)]*\);\s*\n\s*\w+\.String\("),
    ]),
    "printable excerpts": ("src/common/printable.cpp", [
        _defines(r"(PrintableUntrusted|QuoteForMessage|PrintableLabel|Excerpt)"),
        re.compile(r"\?\s*c\s*:\s*'\?'"),  # control characters replaced by '?'
    ]),
    "wipe-on-destroy": ("src/common/wipe.cpp", [re.compile(r"\bOPENSSL_cleanse\s*\(")]),
    "OpenSSL deleters": ("src/common/openssl.hpp", [
        re.compile(r"operator\(\)\(\s*(EVP_\w+|BIO|X509\w*|BIGNUM|PKCS8_\w+|RSA)\s*\*"),
        re.compile(r"unique_ptr<\s*(EVP_\w+|BIO|X509\w*|BIGNUM|PKCS8_\w+)\s*,\s*decltype"),
    ]),
    "the test merchant": ("src/common/test_merchant.hpp", [
        re.compile(r'=\s*"1900007291"'),
        re.compile(r'=\s*"wxd678efh567hg6787"'),
        re.compile(r'=\s*"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB"'),
    ]),
    "signal blocking": ("src/common/signals.cpp", [
        re.compile(r"\bpthread_sigmask\s*\("), re.compile(r"\bsigprocmask\s*\(")]),
    "the cpp-httplib header adapter": ("src/http/httplib_headers.hpp", [
        re.compile(r"for\s*\(\s*auto\s+const\s*&\s*\[\s*\w+\s*,\s*\w+\s*\]\s*:\s*[\w.]*headers\s*\)"
                   r"\s*[\w.]*\.(Add|emplace)\(\s*\w+\s*,\s*\w+\s*\)"),
    ]),
    "the RFC 3339 parser": ("src/common/rfc3339.cpp", [
        _defines(r"(ParseRfc3339|Rfc3339Problem|TimeExpireProblem|ParseTime\w*)"),
        re.compile(r"\btimegm\s*\("),
        re.compile(r"Digits\(\s*text\s*,\s*17\s*,\s*2\s*\)"),  # the seconds of YYYY-MM-DDTHH:MM:SS
    ]),
    "Base64": ("src/common/base64.cpp", [
        re.compile(r"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\+/"),
        _defines(r"(Base64Encode|Base64Decode)"),
    ]),
    "nonce generation": ("src/common/nonce.cpp", [_defines("GenerateNonce")]),
    "why a port cannot be listened on": ("src/common/listen_failure.cpp", [
        _defines("ListenFailure"), re.compile(r"\bEADDRINUSE\b")]),
}

RAPIDJSON_INCLUDE = re.compile(r"^\s*#\s*include\s*[<\"]rapidjson/", re.M)
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def sources(root):
    for base in ROOTS:
        for dirpath, _, names in os.walk(os.path.join(root, base)):
            for name in sorted(names):
                if name.endswith((".cpp", ".hpp", ".h", ".cc")):
                    path = os.path.join(dirpath, name)
                    yield os.path.relpath(path, root).replace(os.sep, "/"), path


def main(root):
    errors = []
    texts = {}
    for rel, path in sources(root):
        with open(path, encoding="utf-8", errors="replace") as f:
            texts[rel] = COMMENT.sub("", f.read())
    for helper, (home, patterns) in HELPERS.items():
        found = sorted({rel for rel, text in texts.items() for p in patterns if p.search(text)})
        if home not in texts:
            errors.append(f"{helper}: its home {home} is missing")
        others = [rel for rel in found if rel != home]
        if others:
            errors.append(f"{helper} is defined outside {home}: {', '.join(others)} "
                          f"(use the one in {home})")
    for rel, text in texts.items():
        if rel.startswith("tools/") and RAPIDJSON_INCLUDE.search(text):
            errors.append(f"{rel} includes RapidJSON: the CLI uses common/json_text.hpp")
    for e in errors:
        print("duplicate:", e)
    print(f"checked {len(texts)} files for {len(HELPERS)} helpers: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
