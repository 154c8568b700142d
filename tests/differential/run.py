"""Differential test: `credlint resolve` against real botocore, on random and named scenarios.

usage: .venv/bin/python tests/differential/run.py [--seed N] [--count N] [--credlint PATH]
           [--jobs N] [--only-botocore] [--scenario FILE]...  [--max-failures N]
           [--no-regressions] [--plain-session]

Runs `--count` scenarios from gen.py (seed from the clock unless --seed is given; it is
printed) plus every named scenario in tests/differential/regressions/*.json. For each, botocore
runs in-process through harness.py and credlint runs as

    credlint resolve --no-process-env --home DIR/home --root DIR/root [--env=K=V ...]
                     [--profile=NAME] --format json

with the scenario's files written under a fresh DIR, DIR as the working directory, and the
same environment botocore sees (the scenario's env, plus AWS_EC2_METADATA_DISABLED=true
unless the scenario sets it; HOME is --home). The two agree when winner.method (null without
a winner), winner.access_key (redacted) and error.class are equal.

A regression file may carry "expect": {"method", "access_key", "error"} (error as a class
name): botocore itself must still give that, or the run fails (the fact it documents has
changed). Disagreements are shrunk (env vars, the profile, files, sections, lines dropped one
at a time while the disagreement persists); the smallest scenario is printed with both
results and saved in target/differential-failures/. The exit status is 1 on any failure.

--only-botocore prints botocore's result for every scenario and the distribution of outcomes
(use it while the Rust side is not ready, and to tune gen.py). --scenario runs only the given
files. --plain-session makes the harness use plain botocore.session.Session(profile=...)
instead of its faster copy of a template session (same results; see harness.py).
"""
import argparse
import collections
import copy
import glob
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import gen  # noqa: E402
import harness  # noqa: E402

TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
FAILURES = os.path.join(TARGET, "differential-failures")
CREDLINT = None


def comparable(result):
    """botocore's harness result -> the three compared fields."""
    return {"method": result["method"], "access_key": result["access_key"],
            "error": (result["error"] or {}).get("class")}


def botocore_result(scenario):
    return comparable(harness.run_scenario(scenario))


def credlint_result(scenario):
    folder = harness.make_dir("credlint-rust-")
    try:
        harness.write_tree(scenario, folder)
        home = os.path.join(folder, "home")
        args = [CREDLINT, "resolve", "--no-process-env", "--home", home, "--root", os.path.join(folder, "root")]
        for k, v in harness.scenario_env(scenario, home).items():
            if k != "HOME":
                args.append(f"--env={k}={v}")
        if scenario.get("profile") is not None:
            args.append(f"--profile={scenario['profile']}")
        args += ["--format", "json"]
        p = subprocess.run(args, cwd=folder, capture_output=True, timeout=60, env={"PATH": os.environ.get("PATH", "")})
        try:
            out = json.loads(p.stdout.decode("utf-8"))
            winner = out.get("winner") or {}
            error = out.get("error") or {}
            return {"method": winner.get("method"), "access_key": winner.get("access_key"), "error": error.get("class")}
        except (ValueError, AttributeError):
            return {"crash": f"exit {p.returncode}: {p.stderr.decode('utf-8', 'replace').strip()[-800:]}"}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check(task):
    """Worker: (index, scenario, only_botocore) -> (index, botocore, credlint|None, seconds)."""
    index, scenario, only_botocore = task
    t = time.perf_counter()
    blocked = len(harness.blocked_calls)
    b = botocore_result(scenario)
    if len(harness.blocked_calls) > blocked:  # botocore tried the network, a program or a refresh
        b = dict(b, blocked=harness.blocked_calls[blocked:])
    c = None if only_botocore else credlint_result(scenario)
    return index, b, c, time.perf_counter() - t


def disagrees(scenario):
    return botocore_result(scenario) != credlint_result(scenario)


def split_lines(text):
    return text.splitlines(keepends=True)


def shrink(scenario, budget=3000):
    """Drop env vars, the profile, files, sections and lines while the disagreement persists."""
    cur = copy.deepcopy(scenario)
    tries = 0

    def attempt(trial):
        nonlocal cur, tries
        tries += 1
        if tries > budget:
            return False
        if disagrees(trial):
            cur = trial
            return True
        return False

    changed = True
    while changed and tries <= budget:
        changed = False
        for k in list(cur.get("env", {})):
            trial = copy.deepcopy(cur)
            del trial["env"][k]
            changed |= attempt(trial)
        if cur.get("profile") is not None:
            trial = copy.deepcopy(cur)
            trial["profile"] = None
            changed |= attempt(trial)
        for f in list(cur.get("files", {})):
            trial = copy.deepcopy(cur)
            del trial["files"][f]
            changed |= attempt(trial)
        for f in list(cur.get("files", {})):
            if not isinstance(cur["files"].get(f), str):
                continue
            # whole sections first (a header line and what follows it), then single lines
            for by_section in (True, False):
                lines = split_lines(cur["files"][f])
                blocks, i = [], 0
                for n, line in enumerate(lines):
                    if by_section and n > 0 and line.strip().startswith("["):
                        blocks.append((i, n))
                        i = n
                    elif not by_section:
                        blocks.append((n, n + 1))
                if by_section:
                    blocks.append((i, len(lines)))
                for start, end in reversed(blocks):
                    lines = split_lines(cur["files"][f])
                    if end > len(lines):
                        continue
                    trial = copy.deepcopy(cur)
                    trial["files"][f] = "".join(lines[:start] + lines[end:])
                    changed |= attempt(trial)
    return cur


def load_regressions():
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "regressions", "*.json"))):
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        s.setdefault("name", os.path.splitext(os.path.basename(path))[0])
        s["_path"] = os.path.relpath(path, ROOT)
        out.append(s)
    return out


def short(r):
    return json.dumps(r, ensure_ascii=False)


def outcome(b):
    return b["method"] or (b["error"] and "raises " + b["error"]) or "nothing"


def main():
    ap = argparse.ArgumentParser(description="credlint resolve versus real botocore")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--credlint", default=os.path.join(TARGET, "debug", "credlint"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only-botocore", action="store_true")
    ap.add_argument("--scenario", action="extend", nargs="+", default=[], metavar="FILE")
    ap.add_argument("--max-failures", type=int, default=5, help="shrink and show at most N distinct failures")
    ap.add_argument("--no-regressions", action="store_true")
    ap.add_argument("--plain-session", action="store_true")
    ap.add_argument("--by-focus", action="store_true", help="with --only-botocore: outcomes per generator focus")
    ap.add_argument("--quiet", action="store_true", help="with --only-botocore: only the distribution")
    args = ap.parse_args()

    global CREDLINT
    if args.plain_session:
        harness.use_plain_session(True)
    CREDLINT = os.path.abspath(args.credlint)
    if not args.only_botocore and not os.access(CREDLINT, os.X_OK):
        print(f"differential: no credlint binary at {CREDLINT} (cargo build, or use --only-botocore)", file=sys.stderr)
        return 2

    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 1_000_000_007
    if args.scenario:
        scenarios = []
        for path in args.scenario:
            with open(path, encoding="utf-8") as f:
                s = json.load(f)
            for k in ("botocore", "credlint", "seed"):  # results saved with a failure
                s.pop(k, None)
            s.setdefault("name", os.path.splitext(os.path.basename(path))[0])
            scenarios.append(s)
        print(f"differential: {len(scenarios)} scenario file(s)")
    else:
        scenarios = [] if args.no_regressions else load_regressions()
        n_reg = len(scenarios)
        scenarios += gen.generate(seed, args.count)
        print(f"differential: seed {seed}: {args.count} random scenarios and {n_reg} regressions"
              f" (reproduce: --seed {seed} --count {args.count})", flush=True)

    start = time.perf_counter()
    tasks = [(i, s, args.only_botocore) for i, s in enumerate(scenarios)]
    if args.jobs > 1 and len(tasks) > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = list(pool.imap(check, tasks, chunksize=8))
    else:
        results = [check(t) for t in tasks]
    elapsed = time.perf_counter() - start

    outcomes = collections.Counter()
    by_focus = collections.defaultdict(collections.Counter)
    failed, passed = [], 0
    for index, b, c, _ in results:
        s = scenarios[index]
        if "blocked" in b:
            print(f"HARNESS: botocore attempted blocked calls in {s.get('name')}: {b.pop('blocked')}")
            failed.append((s, b, c, "harness"))
            continue
        outcomes[outcome(b)] += 1
        by_focus[s.get("focus", "regression")][outcome(b)] += 1
        if args.only_botocore and not args.quiet:
            print(f"{s.get('name')}: {short(b)}")
        if "expect" in s and s["expect"] != b:
            print(f"EXPECTATION FAILED {s['name']} ({s.get('_path')}): botocore gives {short(b)}, "
                  f"the file expects {short(s['expect'])}")
            failed.append((s, b, c, "expect"))
            continue
        if args.only_botocore or c == b:
            passed += 1
            continue
        failed.append((s, b, c, "disagree"))

    def signature(b, c):
        c = c or {}
        return (b["method"], b["error"], c.get("method"), c.get("error"), "crash" in c,
                b["access_key"] == c.get("access_key"))

    shown, shrunk = set(), set()
    for s, b, c, why in failed:
        if why != "disagree" or signature(b, c) in shown:
            continue
        if len(shown) >= args.max_failures:
            print(f"\n(not shrinking further disagreements: --max-failures {args.max_failures})")
            break
        shown.add(signature(b, c))
        small = shrink(s)
        b2, c2 = botocore_result(small), credlint_result(small)
        os.makedirs(FAILURES, exist_ok=True)
        path = os.path.join(FAILURES, f"{s.get('name', 'scenario')}.json")
        saved = {k: v for k, v in small.items() if not k.startswith("_")}
        if not args.scenario:
            saved["seed"] = seed
        saved.update({"botocore": b2, "credlint": c2})
        with open(path, "w", encoding="utf-8") as f:
            json.dump(saved, f, indent=2, ensure_ascii=False)
            f.write("\n")
        if signature(b2, c2) in shrunk:
            print(f"\nDISAGREEMENT in {s.get('name')}: shrinks to the same shape as one above ({os.path.relpath(path)})")
            continue
        shrunk.add(signature(b2, c2))
        origin = "" if args.scenario else f" (seed {seed})"
        print(f"\nDISAGREEMENT in {s.get('name')}{origin}; smallest scenario, saved to {os.path.relpath(path)}:")
        print(json.dumps({k: v for k, v in small.items() if not k.startswith("_")}, indent=2, ensure_ascii=False))
        print(f"  botocore: {short(b2)}\n  credlint: {short(c2)}")
        print(f"  rerun:    {sys.executable} {os.path.relpath(__file__)} --scenario {os.path.relpath(path)}")

    print("\noutcomes (botocore): " + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
    if args.by_focus:
        for focus, counter in sorted(by_focus.items()):
            print(f"  {focus:18s} " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    print(f"{len(results)} scenarios in {elapsed:.1f} s with {args.jobs} job(s)")
    print(f"differential: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    harness.ensure_utf8_mode()
    sys.exit(main())
