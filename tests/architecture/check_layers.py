#!/usr/bin/env python3
# Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Checks that the library's includes follow its layers (docs/architecture.md).

Every header and source under include/wechatpay/ and src/ belongs to the layer its folder names.
An include may go down the stack or sideways into a foundation header, never up:

  ledger       the payment ledger (include/wechatpay/ledger, ledger/src): the separate
               wechatpay::ledger library, above the application; nothing includes it; its
               sources may use the common helpers (whose objects it carries)
  application  native_pay_client, payment_watcher, wechatpay.hpp, src/*.cpp
  notify       callbacks: models, parser, deduplicator, answer, handler, checks
  channel      the channels and their one call pipeline
  protocol     keys, AES-GCM, signing, verification, credentials, validation, wire constants
  http         value types, the transport interface, the curl transport
  json, common internal helpers

testing/ (include/wechatpay/testing, src/testing) is the separate wechatpay::testing library of
test doubles: it sits above everything; its headers use only public headers, its sources may
use the common helpers (whose objects it carries). No public header includes an internal one.

The foundation headers (status, status_or, models, config, version, export) are data types that
every layer may use. Two finer rules: protocol and notify may use HTTP value types
(http/types.hpp) but not a transport, and config.hpp never includes a transport header. Also
fails on an include cycle. Usage: check_layers.py REPO_ROOT
"""
import os
import re
import sys

ORDER = ["testing", "ledger", "application", "notify", "channel", "protocol", "http", "json", "common"]
FOUNDATION = {"status.hpp", "status_or.hpp", "models.hpp", "config.hpp", "version.hpp",
              "export.hpp", "config_parse.hpp"}
# Which lower layers each layer may include (besides itself and the foundation).
ALLOWED = {
    # Its sources may use the common helpers, whose objects it carries (ledger/CMakeLists.txt).
    "ledger": {"application", "notify", "channel", "protocol", "http", "http-types", "common"},
    "testing": {"application", "notify", "channel", "protocol", "http", "http-types", "common"},
    "application": {"notify", "channel", "protocol", "http", "json", "common"},
    "notify": {"protocol", "http-types", "json", "common"},
    "channel": {"protocol", "http", "http-types", "json", "common"},
    "protocol": {"http-types", "json", "common"},
    "http": {"http-types", "common"},
    "json": {"common"},
    "common": set(),
}


def layer_of(rel):
    """The layer of a file, from its path relative to include/wechatpay or src."""
    parts = rel.split("/")
    if len(parts) == 1:
        return "foundation" if parts[0] in FOUNDATION else "application"
    if parts[0] == "http" and parts[1] == "types.hpp":
        return "http-types"
    return parts[0]


def main(root):
    files = {}
    for base, prefix in (("include/wechatpay", "wechatpay/"), ("src", ""), ("ledger/src", "")):
        for dirpath, _, names in os.walk(os.path.join(root, base)):
            for name in names:
                if not name.endswith((".hpp", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, os.path.join(root, base))
                key = prefix + rel if name.endswith(".hpp") else base + "/" + rel
                if base == "ledger/src":
                    rel = "ledger/" + rel  # the ledger's private files are in its layer
                files[key] = (path, rel)
    errors = []
    edges = {}
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
    for key, (path, rel) in files.items():
        src_layer = layer_of(rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for target in include.findall(text):
            if target not in files:
                continue  # generated (version.hpp, export.hpp) or another component's
            edges.setdefault(key, set()).add(target)
            dst_rel = files[target][1]
            dst_layer = layer_of(dst_rel)
            if dst_layer == "foundation" or dst_layer == src_layer:
                continue
            if src_layer == "foundation":
                ok = dst_layer in ("json", "common") and key.startswith("src/")
            elif src_layer == "http-types":
                ok = dst_layer == "common"
            else:
                ok = dst_layer in ALLOWED[src_layer] or (
                    dst_layer == "http-types" and "http" in ALLOWED[src_layer])
            if not ok:
                errors.append(f"{key} ({src_layer}) includes {target} ({dst_layer})")
            # An installed header can only include installed headers.
            if key.startswith("wechatpay/") and not target.startswith("wechatpay/"):
                errors.append(f"public header {key} includes the internal header {target}")
    if "wechatpay/config.hpp" in edges:
        for target in edges["wechatpay/config.hpp"]:
            if target.startswith("wechatpay/http/"):
                errors.append(f"wechatpay/config.hpp includes the transport header {target}")
    # Cycles: depth-first search over the include graph.
    state = {}

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                errors.append("include cycle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(files):
        if node not in state:
            visit(node, [node])
    for e in errors:
        print("layering:", e)
    print(f"checked {len(files)} files, {sum(len(v) for v in edges.values())} includes: "
          f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
