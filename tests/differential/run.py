"""Differential test: credlint resolve against real botocore on random and named scenarios.

usage: run.py [--seed N] [--count N] [--credlint PATH] [--only-botocore] [--scenario FILE]
Any disagreement (method, redacted access key, error class) fails the run, after shrinking
the scenario to a small one that still disagrees; it is saved in target/differential-failures/.
"""
import argparse
import collections
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import gen  # noqa: E402
import harness  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def credlint(binary, scenario):
    with tempfile.TemporaryDirectory() as d:
        harness.write_tree(scenario, d)
        home = os.path.join(d, "home")
        args = [binary, "resolve", "--no-process-env", "--home", home, "--root", os.path.join(d, "root"), "--format", "json"]
        for k, v in harness.harness_env(scenario, home).items():
            if k != "HOME":
                args += ["--env", f"{k}={v}"]
        if scenario.get("profile") is not None:
            args += ["--profile", scenario["profile"]]
        p = subprocess.run(args, cwd=d, capture_output=True, text=True)
        if p.returncode not in (0, 1):
            return {"crash": p.stderr.strip()[-500:]}
        out = json.loads(p.stdout)
        w = out.get("winner") or {}
        e = out.get("error") or {}
        return {"method": w.get("method"), "access_key": w.get("access_key"), "error": e.get("class")}


def botocore_result(scenario):
    r = harness.run_scenario(scenario)
    return {"method": r["method"], "access_key": r["access_key"], "error": (r["error"] or {}).get("class")}


def agree(binary, scenario):
    a, b = botocore_result(scenario), credlint(binary, scenario)
    return a == b, a, b


def shrink(binary, scenario):
    """Drop env vars, files, then lines, one at a time, while the disagreement persists."""
    cur = copy.deepcopy(scenario)
    changed = True
    while changed:
        changed = False
        for k in list(cur["env"]):
            trial = copy.deepcopy(cur)
            del trial["env"][k]
            if not agree(binary, trial)[0]:
                cur, changed = trial, True
        if cur.get("profile") is not None:
            trial = copy.deepcopy(cur)
            trial["profile"] = None
            if not agree(binary, trial)[0]:
                cur, changed = trial, True
        for f in list(cur["files"]):
            trial = copy.deepcopy(cur)
            del trial["files"][f]
            if not agree(binary, trial)[0]:
                cur, changed = trial, True
        for f, text in list(cur["files"].items()):
            if not isinstance(text, str):
                continue
            lines = text.split("\n")
            i = 0
            while i < len(lines):
                trial = copy.deepcopy(cur)
                trial["files"][f] = "\n".join(lines[:i] + lines[i + 1:])
                if not agree(binary, trial)[0]:
                    cur, changed = trial, True
                    lines = lines[:i] + lines[i + 1:]
                else:
                    i += 1
    return cur


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--credlint", default=os.path.join(ROOT, "target/debug/credlint"))
    ap.add_argument("--only-botocore", action="store_true")
    ap.add_argument("--scenario")
    args = ap.parse_args()
    args.credlint = os.path.abspath(args.credlint)
    seed = args.seed if args.seed is not None else int(time.time())
    if args.scenario:
        scenarios = [json.load(open(args.scenario))]
    else:
        print(f"differential: seed {seed}, {args.count} random scenarios")
        scenarios = []
        for path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "regressions", "*.json"))):
            s = json.load(open(path))
            s.setdefault("name", os.path.basename(path))
            scenarios.append(s)
        scenarios += gen.generate(seed, args.count)
    if args.only_botocore:
        for s in scenarios:
            print(s.get("name"), json.dumps(botocore_result(s)))
        return 0
    outcomes = collections.Counter()
    failed = 0
    ran = 0
    start = time.time()
    for s in scenarios:
        ran += 1
        ok, a, b = agree(args.credlint, s)
        outcomes[a["method"] or a["error"] or "none"] += 1
        if "expect" in s and s["expect"] != a:
            print(f"REGRESSION EXPECTATION {s.get('name')}: botocore now gives {a}, the file expects {s['expect']}")
            failed += 1
            continue
        if ok:
            continue
        failed += 1
        small = shrink(args.credlint, s)
        _, a2, b2 = agree(args.credlint, small)
        os.makedirs(os.path.join(ROOT, "target/differential-failures"), exist_ok=True)
        path = os.path.join(ROOT, "target/differential-failures", f"{s.get('name', 'scenario')}.json")
        json.dump(small, open(path, "w"), indent=2)
        print(f"DISAGREEMENT {s.get('name')} (seed {seed}); smallest scenario saved to {path}:")
        print(json.dumps(small, indent=2))
        print(f"  botocore: {a2}\n  credlint: {b2}")
        if failed >= 5:
            print("stopping after 5 disagreements")
            break
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items(), key=lambda kv: -kv[1])))
    print(f"{time.time() - start:.1f} s")
    print(f"differential: {ran - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
