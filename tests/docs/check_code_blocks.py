#!/usr/bin/env python3
# Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Compiles every C++ block of README.md and docs/*.md, so no page shows code that does not build.

A block is most often a fragment: the line just before its fence names the context it compiles
in, an HTML comment that Markdown does not render:

    <!-- compiled with tests/docs/snippets/payment_callback.cpp -->
    ```cpp
    ...
    ```

The context is a small C++ file that declares what the fragment uses (the application's own
store, the request, a configuration) and marks with a `// SNIPPET` line where the block goes;
`#include` lines at the top of a block move above the context's code. Every block is compiled
with -fsyntax-only against the public headers, warnings as errors (unused names allowed: a
fragment often declares what the text goes on to use). A C++ block without the comment fails.

Usage: check_code_blocks.py REPO_ROOT COMPILER [-I DIR | -D NAME=VALUE]...  (';' separates more)
"""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(?:cpp|c\+\+)\n(.*?)^```", re.M | re.S)
ANNOTATION = re.compile(r"^<!-- compiled with tests/docs/(snippets/[a-z0-9_]+\.cpp) -->$")
FLAGS = ["-std=c++17", "-fsyntax-only", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
         "-Wno-unused-variable", "-Wno-unused-parameter", "-Wno-unused-but-set-variable"]


def blocks(root):
    """Yields (page, line, context path or None, block text) for every C++ block."""
    pages = ["README.md"] + sorted(glob.glob(os.path.join(root, "docs", "**", "*.md"),
                                             recursive=True))
    for page in pages:
        path = page if os.path.isabs(page) else os.path.join(root, page)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        rel = os.path.relpath(path, root)
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            before = text[:m.start()].rstrip("\n").split("\n")[-1].strip()
            a = ANNOTATION.match(before)
            context = os.path.join(root, "tests", "docs", a.group(1)) if a else None
            yield rel, line, context, m.group(1)


def translation_unit(context_text, block):
    """The context with the block in place of its `// SNIPPET` line, the block's includes hoisted."""
    lines = block.split("\n")
    includes = [l for l in lines if l.startswith("#include")]
    body = "\n".join(l for l in lines if not l.startswith("#include"))
    marker = re.search(r"^[ \t]*// SNIPPET[ \t]*$", context_text, re.M)
    return ("\n".join(includes) + "\n" + context_text[:marker.start()] + body +
            context_text[marker.end():])


def compile_one(compiler, args, rel, line, source):
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
        f.write(source)
        name = f.name
    try:
        run = subprocess.run([compiler] + FLAGS + args + [name], capture_output=True, text=True)
        return run.returncode, run.stdout + run.stderr
    finally:
        os.unlink(name)


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    root, compiler = argv[1], argv[2]
    # CMake hands a list (a target's definitions or include directories) over as one argument
    # joined with ';'; an empty list leaves a bare -D or -I.
    args = [part for arg in argv[3:] for part in arg.split(";") if part not in ("", "-D", "-I")]
    jobs, errors = [], []
    for rel, line, context, block in blocks(root):
        if context is None:
            errors.append(f"{rel}:{line}: a C++ block without "
                          "'<!-- compiled with tests/docs/snippets/NAME.cpp -->' on the line before")
            continue
        if not os.path.isfile(context):
            errors.append(f"{rel}:{line}: no context file {os.path.relpath(context, root)}")
            continue
        with open(context, encoding="utf-8") as f:
            context_text = f.read()
        if not re.search(r"^[ \t]*// SNIPPET[ \t]*$", context_text, re.M):
            errors.append(f"{os.path.relpath(context, root)}: no '// SNIPPET' line")
            continue
        jobs.append((rel, line, translation_unit(context_text, block)))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda j: (j, compile_one(compiler, args, *j)), jobs))
    for (rel, line, _), (code, output) in results:
        if code != 0:
            errors.append(f"{rel}:{line}: the block does not compile:\n{output}")
        else:
            print(f"{rel}:{line}: compiles")
    for e in errors:
        print(e)
    print(f"{len(jobs)} C++ block(s) compiled, {len(errors)} problem(s)")
    return 1 if errors or not jobs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
