#!/usr/bin/env python3
"""`credlint .` reports an error exactly where `credlint resolve --profile` raises.

For each generated scenario (gen.py, the same generator as the differential tests) the home's
`~/.aws/config` and `~/.aws/credentials` are written to a temporary folder, which is scanned
(`credlint . --format json`, no environment) and resolved for every profile it defines
(`credlint resolve --home DIR --no-process-env --all-profiles --format json`). Every error
that resolve raises at a line of those files must be a finding at that line (its location or
a related one): at `error`, or at `info` where the machine decides (CredentialRetrievalError
from `credential_source`, MissingDependencyException for `login_session`); and every CL407
finding must stand at a line where some profile raises. resolve itself agrees with botocore
(run.py), so this ties `credlint .` to botocore too.

The seed comes from the clock unless --seed is given, as in run.py; it is printed with the
command that reproduces the run. Needs only the Python standard library. Exit status 1 on
any disagreement.
"""
import argparse
import base64
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

KEPT = ("home/.aws/config", "home/.aws/credentials")
MACHINE = ("CredentialRetrievalError", "MissingDependencyException")


def run_json(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, env={"PATH": os.environ["PATH"]}, **kw)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[:500]}")
    return json.loads(r.stdout)


def check(credlint, s):
    """The disagreements of one scenario, and counts."""
    files = {k: v for k, v in s["files"].items() if k in KEPT}
    if not files:
        return [], collections.Counter()
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, ".aws"))
        os.mkdir(os.path.join(d, ".git"))
        for k, v in files.items():
            data = base64.b64decode(v["base64"]) if isinstance(v, dict) else v.encode("utf-8")
            with open(os.path.join(d, k[len("home/"):]), "wb") as f:
                f.write(data)
        rows = run_json([credlint, "resolve", "--home", d, "--no-process-env",
                         "--all-profiles", "--format", "json"])
        findings = run_json([credlint, ".", "--format", "json"], cwd=d)["findings"]
    levels = collections.defaultdict(set)
    for f in findings:
        for loc in [f] + f.get("related", []):
            levels[(loc["path"], loc["start"]["line"])].add(f["level"])
    counts = collections.Counter()
    problems, raising = [], set()
    for row in rows:
        counts["profiles"] += 1
        e = row.get("error")
        if not e:
            continue
        counts["raise"] += 1
        loc = e.get("location")
        if not loc or not loc["path"].startswith("~/"):
            counts["raise-elsewhere"] += 1  # at the environment or a name: not in the files
            continue
        at = (loc["path"][2:], loc["line"])
        raising.add(at)
        need = ("error", "info") if e["class"] in MACHINE else ("error",)
        if levels[at] & set(need):
            counts["reported"] += 1
        else:
            problems.append(f"{s['name']}: profile `{row['profile']['name']}` raises {e['class']} "
                            f"at {at[0]}:{at[1]}, findings there: {sorted(levels[at]) or 'none'} "
                            f"({e['message'][:120]})")
    for f in findings:
        if f["rule"] == "CL407" and (f["path"], f["start"]["line"]) not in raising:
            problems.append(f"{s['name']}: CL407 at {f['path']}:{f['start']['line']} where no "
                            f"profile raises: {f['message'][:120]}")
    return problems, counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--credlint", required=True)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--count", type=int, default=2000)
    args = ap.parse_args()
    args.credlint = os.path.abspath(args.credlint)
    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 1_000_000_007
    print(f"scan agrees: seed {seed}: {args.count} scenarios "
          f"(reproduce: --seed {seed} --count {args.count})", flush=True)
    total = collections.Counter()
    problems = []
    for s in gen.generate(seed, args.count):
        p, c = check(args.credlint, s)
        problems += p
        total += c
    for p in problems[:40]:
        print(p)
    print(f"scan agrees with resolve: {total['profiles']} profiles, {total['raise']} raise "
          f"({total['raise-elsewhere']} at no line of the files), {total['reported']} reported "
          f"where they raise, {len(problems)} disagreements")
    if total["reported"] < 100:
        print("too few raising profiles reported for the check to mean anything")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
