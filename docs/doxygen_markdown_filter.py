#!/usr/bin/env python3
# Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Doxygen input filter for the guides of docs/: gives their headings the anchors GitHub gives.

The guides link to sections the way GitHub renders them (`[x](#open-questions)`,
`[x](sandbox.md#key-modes)`). Doxygen 1.9.4 (Debian 12) knows no such anchors, so this filter,
run by Doxygen on each docs/*.md (FILTER_PATTERNS), appends `{#page-slug}` to every heading but
the title on the first line and
points those links at it; labels carry the page's name because Doxygen's labels are global. The
files themselves stay plain GitHub Markdown. Usage: doxygen_markdown_filter.py FILE
"""
import os
import re
import sys


def slug(heading):
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def label(page, anchor):
    """A Doxygen label for `anchor` of `page`: only ASCII letters, digits, '-' and '_'."""
    return page + "-" + re.sub(r"[^a-z0-9_-]", "_", anchor.encode("ascii", "replace").decode())


def main(path):
    page = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, fenced = [], False
    for number, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            m = re.match(r"^(#{1,6}) (.*?)\s*$", line)
            # The first line's heading is the page's title: Doxygen names the page itself.
            if m and number > 0 and "{#" not in line:
                line = f"{m.group(1)} {m.group(2)} {{#{label(page, slug(m.group(2)))}}}"
            line = re.sub(r"\]\(#([^)\s]+)\)", lambda k: f"](#{label(page, k.group(1))})", line)
            line = re.sub(r"\]\(([a-z0-9_-]+)\.md#([^)\s]+)\)",
                          lambda k: f"](#{label(k.group(1), k.group(2))})", line)
        out.append(line)
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
