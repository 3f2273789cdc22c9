#!/usr/bin/env python3
# Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""The README's quick-start block is examples/quickstart/main.cpp's own text.

The packaging test builds and runs examples/quickstart against the installed package; this check
makes sure that what the README shows is that code, so the README cannot drift into something
that does not compile. Usage: check_readme_quickstart.py REPO_ROOT
"""
import os
import sys
import textwrap


def main(root):
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    with open(os.path.join(root, "examples/quickstart/main.cpp"), encoding="utf-8") as f:
        source = f.read()
    section = readme.find("## Using the library")
    start = readme.find("```cpp\n", section)
    if section < 0 or start < 0:
        print("README.md has no C++ block under '## Using the library'")
        return 1
    start += len("```cpp\n")
    block = readme[start:readme.find("```", start)]
    # main()'s body is indented by two spaces; the README shows it dedented.
    if textwrap.indent(block, "  ") not in source:
        print("README.md's quick-start block is not a part of examples/quickstart/main.cpp")
        return 1
    print(f"README quick start: {block.count(chr(10))} lines, found in examples/quickstart/main.cpp")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
