"""Build the benchmark corpus: a deterministic tree of realistic files (source in several
languages, vendored dependencies, minified JavaScript, lock files, binary blobs) with a few
hundred planted credential problems of every kind credlint understands.

usage: corpus.py OUT_DIR [--files N] [--mb N] [--seed N]
Writes OUT_DIR/tree/ and OUT_DIR/planted.json (path, line, rule of every planted problem).
The same arguments always give the same bytes.
"""
import argparse
import json
import os
import random

A32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
WORDS = ("user account order invoice payment session request response handler client server cache "
         "queue worker job task event stream buffer record table index query result value item list "
         "map config option setting logger metric span trace token parser lexer node tree graph edge "
         "path file reader writer encoder decoder codec frame packet channel socket retry backoff").split()


def ident(r):
    return "_".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))


def camel(r):
    w = [r.choice(WORDS) for _ in range(r.randint(1, 3))]
    return w[0] + "".join(x.title() for x in w[1:])


def py_lines(r, n):
    out = [f"import {r.choice(['os', 'sys', 'json', 'logging', 're', 'typing'])}", ""]
    while len(out) < n:
        name = ident(r)
        out.append(f"def {name}({ident(r)}, {ident(r)}=None):")
        out.append(f'    """{r.choice(WORDS).title()} the {r.choice(WORDS)} for the {r.choice(WORDS)}."""')
        for _ in range(r.randint(2, 8)):
            out.append(f"    {ident(r)} = {ident(r)}.get({r.randint(0, 999)!r}, {ident(r)})")
        out.append(f"    return {ident(r)}")
        out.append("")
    return out


def js_lines(r, n):
    out = [f"'use strict';", f"const {camel(r)} = require('{r.choice(WORDS)}');", ""]
    while len(out) < n:
        out.append(f"export function {camel(r)}({camel(r)}, {camel(r)}) {{")
        for _ in range(r.randint(2, 8)):
            out.append(f"  const {camel(r)} = {camel(r)}.{camel(r)}({r.randint(0, 99)});")
        out.append(f"  return {camel(r)};")
        out.append("}")
    return out


def go_lines(r, n):
    out = [f"package {r.choice(WORDS)}", "", 'import "fmt"', ""]
    while len(out) < n:
        out.append(f"func {camel(r).title()}({camel(r)} int) error {{")
        for _ in range(r.randint(2, 8)):
            out.append(f"\t{camel(r)} := {camel(r)}({r.randint(0, 99)})")
        out.append('\treturn fmt.Errorf("%d", 1)')
        out.append("}")
    return out


def java_lines(r, n):
    out = [f"package com.example.{r.choice(WORDS)};", "", f"public class {camel(r).title()} {{"]
    while len(out) < n:
        out.append(f"    public int {camel(r)}(int {camel(r)}) {{")
        for _ in range(r.randint(2, 8)):
            out.append(f"        int {camel(r)} = {camel(r)}({r.randint(0, 99)});")
        out.append("        return 0;")
        out.append("    }")
    out.append("}")
    return out


def rust_lines(r, n):
    out = ["use std::collections::HashMap;", ""]
    while len(out) < n:
        out.append(f"pub fn {ident(r)}({ident(r)}: &str) -> Option<usize> {{")
        for _ in range(r.randint(2, 8)):
            out.append(f"    let {ident(r)} = {ident(r)}.len() + {r.randint(0, 99)};")
        out.append("    None")
        out.append("}")
    return out


def md_lines(r, n):
    return [" ".join(r.choice(WORDS) for _ in range(r.randint(4, 14))).capitalize() + "." for _ in range(n)]


LANGS = [("py", py_lines), ("js", js_lines), ("ts", js_lines), ("go", go_lines), ("java", java_lines), ("rs", rust_lines), ("md", md_lines)]


def key_id(r, prefix="AKIA"):
    return prefix + "".join(r.choice(A32) for _ in range(16))


def secret(r):
    return "".join(r.choice(B64) for _ in range(40))


def planted(r, i):
    """One planted credential file: (relative path, text, [(line, rule)])."""
    kind = i % 8
    k, s = key_id(r), secret(r)
    if kind == 0:
        return f"services/svc{i}/.env", f"DATABASE_URL=postgres://db/{i}\nAWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n", [(2, "CL101"), (3, "CL102")]
    if kind == 1:
        return f"deploy/env{i}.sh", f"#!/bin/sh\nset -e\nexport AWS_ACCESS_KEY_ID={k}\nexport AWS_SECRET_ACCESS_KEY='{s}'\n", [(3, "CL101"), (4, "CL102")]
    if kind == 2:
        return f"ops/home{i}/.aws/credentials", f"[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n\n[profile dev]\nregion = x\n", [(2, "CL101"), (3, "CL102"), (5, "CL303")]
    if kind == 3:
        return f"ops/cfg{i}/.aws/config", f"[default]\nregion = eu-west-1\n\n[staging]\nregion = eu-west-1\n", [(4, "CL304")]
    if kind == 4:
        return f"legacy/app{i}/.boto", f"[Credentials]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n", [(2, "CL101"), (2, "CL602")]
    if kind == 5:
        return f"tmp/session{i}.env", f"AWS_ACCESS_KEY_ID={key_id(r, 'ASIA')}\nAWS_SECRET_ACCESS_KEY={s}\n", [(1, "CL201")]
    if kind == 6:
        return f"configs/broken{i}/.aws/credentials", f"[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\naws_access_key_id = {k}\n", [(2, "CL101"), (4, "CL307")]
    return f"notes/keys{i}.txt", f"rotation notes\nold key {k} revoked?\n", [(2, "CL101")]


def build(out, files, mb, seed):
    r = random.Random(seed)
    tree = os.path.join(out, "tree")
    manifest = []
    target_bytes = mb * 1024 * 1024
    written = 0
    n_planted = max(300, files // 130)
    regular = files - n_planted
    for i in range(regular):
        bucket = r.random()
        top = r.choice(["src", "lib", "app", "pkg", "internal", "vendor/github.com/" + r.choice(WORDS), "node_modules/" + r.choice(WORDS)])
        remaining = max(1, regular - i)
        avg = max(2000, (target_bytes - written) // remaining)
        if bucket < 0.03:
            path = f"{top}/dist/{ident(r)}{i}.min.js"
            body = ";".join(f"var {camel(r)}=function(a,b){{return a.{camel(r)}(b)+{r.randint(0, 999)}}}" for _ in range(avg // 60))
            data = body.encode()
        elif bucket < 0.05:
            path = f"{top}/{ident(r)}{i}.lock" if r.random() < 0.5 else f"{top}/package-lock-{i}.json"
            lines = []
            while sum(len(x) for x in lines) < avg:
                name = camel(r)
                lines.append(f'    "{name}": {{"version": "{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 99)}", "integrity": "sha512-{secret(r)}{secret(r)}"}},')
            data = ("{\n" + "\n".join(lines) + "\n}\n").encode()
        elif bucket < 0.07:
            path = f"{top}/assets/{ident(r)}{i}.bin"
            data = bytes([0]) + r.randbytes(avg)
        else:
            ext, fn = r.choice(LANGS)
            path = f"{top}/{ident(r)}/{ident(r)}{i}.{ext}"
            lines = fn(r, max(10, avg // 40))
            data = ("\n".join(lines) + "\n").encode()
        p = os.path.join(tree, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        written += len(data)
    for i in range(n_planted):
        path, text, expected = planted(r, i)
        p = os.path.join(tree, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        written += len(text)
        manifest += [{"path": path, "line": line, "rule": rule} for line, rule in expected]
    with open(os.path.join(out, "planted.json"), "w") as f:
        json.dump({"files": files, "bytes": written, "planted": manifest}, f, indent=1)
    return written


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=40000)
    ap.add_argument("--mb", type=int, default=520)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    n = build(a.out, a.files, a.mb, a.seed)
    print(f"corpus: {a.files} files, {n / 1e6:.0f} MB in {a.out}/tree")
