"""Differential test for the other SDKs' chains: the same scenarios as run.py, through the
real AWS CLI v2, JavaScript v3, Go v2 and Rust SDKs (tests/oracles/, installed by
scripts/setup-oracles.sh), and through `credlint resolve --sdk X` once credlint models X.

usage: .venv/bin/python tests/differential/run_sdk.py --sdk cli|js-v3|go-v2|rust|all
           [--only-oracle] [--seed N] [--count N] [--jobs N] [--scenario FILE]...
           [--no-regressions] [--quiet] [--compare] [--oracles DIR]

Each oracle is one long-running process per job that reads scenarios as JSON lines
({"dir", "env", "profile"}: the scenario's files written under dir, dir/home as HOME, the
complete environment as harness.scenario_env gives it to botocore) and answers one JSON line
each. Nothing contacts the network or runs a scenario's command (see each oracle's header).

Verdicts. Every SDK's answer is reduced to {"method", "access_key", "error"} in one
vocabulary, so that SDKs can be compared with each other and with credlint:

    env, profile (static keys from a shared file), process, assume-role, web-identity, sso,
    container, imds, boto, ec2-credentials-file, login; or an error class; or nothing.

The CLI resolves lazily like botocore (harness.py's stand-ins: a role, SSO or web identity
profile wins without a call). The JavaScript, Go and Rust SDKs fetch credentials while
resolving, so their oracles refuse every request and record it: the first request to an
endpoint other than the instance metadata service decides the verdict (STS AssumeRole:
assume-role; AssumeRoleWithWebIdentity: web-identity; the SSO portal or OIDC: sso; any other
endpoint: container), as the request would decide it on a network; requests to the instance
metadata service fail as they do off EC2 and the chain goes on. A process always answers the
stand-in key, so a process winner has access_key null, as in run.py.

--only-oracle prints every verdict (unless --quiet), the distribution per SDK and the speed;
--table (with --only-oracle) prints one Markdown row per scenario with botocore's and each
SDK's verdict; a scenario file's "expect_sdk" ({"botocore"|sdk: verdict}) is then checked, so
tests/differential/sdk-facts/ (the cases docs/SDK-CHAINS.md quotes) fail when an SDK changes.
--compare also runs botocore (harness.py, in-process) and counts, per SDK, the scenarios on
which it and botocore disagree, with one example each. Without --only-oracle the verdicts
are compared with `credlint resolve --sdk X`, which must accept --sdk.
"""
import argparse
import collections
import glob
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import gen  # noqa: E402
import harness  # noqa: E402

SDKS = ["cli", "js-v3", "go-v2", "rust"]
IMDS_HOSTS = ("169.254.169.254", "[fd00:ec2::254]")


def _net_namespace():
    """`unshare --net` when this machine allows it (root, or user namespaces): the oracles
    then run without any network interface, a second wall behind their own stubs (aws-config
    resolves container hosts with a DNS lookup the stubs do not see)."""
    try:
        ok = subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return ["unshare", "--net"] if ok else []


NET_NAMESPACE = _net_namespace()


def oracle_command(sdk, oracles):
    oracles = os.path.abspath(oracles)
    fake_bin = os.path.join(oracles, "fakebin")
    env = {"PATH": os.environ.get("PATH", ""), "CREDLINT_ORACLE_FAKE_BIN": fake_bin, "NODE_NO_WARNINGS": "1"}
    if sdk == "cli":
        return ["/usr/bin/python3", os.path.join(ROOT, "tests", "oracles", "cli", "oracle.py")], env
    if sdk == "js-v3":
        return ["node", os.path.join(ROOT, "tests", "oracles", "js", "oracle.js"), os.path.join(oracles, "js")], env
    if sdk == "go-v2":
        return [os.path.join(oracles, "go", "oracle")], env
    if sdk == "rust":
        return [os.path.join(oracles, "rust-target", "debug", "credlint-oracle-rust")], env
    raise ValueError(sdk)


class Oracle:
    """One oracle process: scenarios in, raw answers out, one line each."""

    def __init__(self, sdk, oracles):
        cmd, env = oracle_command(sdk, oracles)
        self.sdk = sdk
        self.proc = subprocess.Popen(NET_NAMESPACE + cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=None, env=env, cwd=ROOT, text=True,
                                     encoding="utf-8", bufsize=1)

    def ask(self, scenario):
        folder = harness.make_dir(f"credlint-{self.sdk}-")
        try:
            harness.write_tree(scenario, folder)
            home = os.path.join(folder, "home")
            line = {"dir": folder, "env": harness.scenario_env(scenario, home), "profile": scenario.get("profile")}
            self.proc.stdin.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
            if not answer:
                raise RuntimeError(f"the {self.sdk} oracle exited (status {self.proc.poll()})")
            return json.loads(answer)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# ----------------------------------------------------------------------------- verdicts

BOTOCORE_METHODS = {
    "env": "env", "shared-credentials-file": "profile", "config-file": "profile",
    "custom-process": "process", "assume-role": "assume-role",
    "assume-role-with-web-identity": "web-identity", "sso": "sso", "container-role": "container",
    "iam-role": "imds", "boto-config": "boto", "ec2-credentials-file": "ec2-credentials-file",
    "login": "login",
}
JS_FEATURES = [  # $source feature -> method, most specific first
    ("CREDENTIALS_PROCESS", "process"), ("CREDENTIALS_ENV_VARS", "env"),
    ("CREDENTIALS_PROFILE", "profile"), ("CREDENTIALS_HTTP", "container"),
    ("CREDENTIALS_IMDS", "imds"),
]
GO_SOURCES = {
    "EnvConfigCredentials": "env", "SharedConfigCredentials": "profile", "ProcessProvider": "process",
    "AssumeRoleProvider": "assume-role", "WebIdentityCredentials": "web-identity", "SSOProvider": "sso",
    "CredentialsEndpointProvider": "container", "EC2RoleProvider": "imds",
}
RUST_PROVIDERS = {
    "EnvironmentVariable": "env", "ProfileFile": "profile", "CredentialProcess": "process",
    "AssumeRoleProvider": "assume-role", "WebIdentityToken": "web-identity", "SSO": "sso",
    "EcsContainer": "container", "IMDSv2": "imds",
}


def call_method(call):
    """A recorded request -> the method it stands for, or None for the metadata service."""
    where = call.split(" ", 1)[0]
    host = where.split("//", 1)[-1].split("/", 1)[0]
    path = "/" + where.split("//", 1)[-1].split("/", 1)[-1] if "/" in where.split("//", 1)[-1] else "/"
    if any(host == h or host.startswith(h + ":") for h in IMDS_HOSTS) or path.startswith("/latest/"):
        return None  # the instance metadata service, at its address or a configured endpoint
    if "Action=AssumeRoleWithWebIdentity" in call:
        return "web-identity"
    if "Action=AssumeRole" in call:
        return "assume-role"
    if host.startswith(("portal.sso.", "oidc.")):
        return "sso"
    if call.startswith("process:"):
        return None  # the stand-in answered; the provider reports it
    return "container"


def verdict(sdk, raw):
    """An oracle's raw answer -> {"method", "access_key", "error"} (see the module doc)."""
    if sdk in ("cli", "botocore"):
        method = raw.get("method")
        return {"method": BOTOCORE_METHODS.get(method, method), "access_key": raw.get("access_key"),
                "error": (raw.get("error") or {}).get("class")}
    for call in raw.get("calls") or []:
        m = call_method(call)
        if m is not None:
            return {"method": m, "access_key": None, "error": None}
    provider = raw.get("provider")
    if provider:
        if sdk == "js-v3":
            method = next((m for f, m in JS_FEATURES if f in provider), "+".join(provider))
        elif sdk == "go-v2":
            method = GO_SOURCES.get(provider, provider)
        else:
            method = RUST_PROVIDERS.get(provider, provider)
        return {"method": method, "access_key": raw.get("access_key"), "error": None}
    return {"method": None, "access_key": None, "error": raw.get("error") or "?"}


def outcome(v):
    return v["method"] or (v["error"] and "raises " + v["error"]) or "nothing"


def harness_problem(sdk, raw):
    """An answer that says the oracle itself went wrong, not the SDK."""
    if raw.get("error") == "OracleSetup" or (isinstance(raw.get("error"), dict) and raw["error"].get("class") == "HarnessBlocked"):
        return raw.get("message") or raw["error"]
    if raw.get("blocked"):
        return f"blocked calls {raw['blocked']}"
    if any(c.startswith(("net.", "tls.", "dns.", "child_process.")) for c in raw.get("calls") or []):
        return f"unexpected calls {raw['calls']}"
    return None


# ----------------------------------------------------------------------------- credlint


# run_sdk's SDK name -> credlint's `resolve --sdk` value, where they differ.
CREDLINT_SDK = {"cli": "cli-v2"}


def credlint_verdict(credlint, sdk, scenario):
    folder = harness.make_dir("credlint-sdk-")
    try:
        harness.write_tree(scenario, folder)
        home = os.path.join(folder, "home")
        args = [credlint, "resolve", "--sdk", CREDLINT_SDK.get(sdk, sdk), "--no-process-env", "--home", home, "--root", os.path.join(folder, "root")]
        args += [f"--env={k}={v}" for k, v in harness.scenario_env(scenario, home).items() if k != "HOME"]
        if scenario.get("profile") is not None:
            args.append(f"--profile={scenario['profile']}")
        p = subprocess.run(args + ["--format", "json"], cwd=folder, capture_output=True, timeout=60,
                           env={"PATH": os.environ.get("PATH", "")})
        try:
            out = json.loads(p.stdout.decode("utf-8"))
        except ValueError:
            return {"crash": f"exit {p.returncode}: {p.stderr.decode('utf-8', 'replace').strip()[-800:]}"}
        winner, error = out.get("winner") or {}, out.get("error") or {}
        method = winner.get("method")
        if sdk == "cli":  # botocore's table and method names (chain.rs), for the CLI's copy
            method = BOTOCORE_METHODS.get(method, method)
        return {"method": method, "access_key": winner.get("access_key"), "error": error.get("class")}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def credlint_knows_sdk(credlint):
    try:
        p = subprocess.run([credlint, "resolve", "--help"], capture_output=True, timeout=30)
    except OSError:
        return False
    return b"--sdk" in p.stdout


# ----------------------------------------------------------------------------- running


def run_oracle(sdk, scenarios, jobs, oracles):
    """All scenarios through `jobs` processes of one oracle -> ([raw answer], seconds)."""
    results = [None] * len(scenarios)
    work = queue.Queue()
    for i in range(len(scenarios)):
        work.put(i)
    failures = []

    def worker():
        oracle = Oracle(sdk, oracles)
        try:
            while True:
                try:
                    i = work.get_nowait()
                except queue.Empty:
                    return
                results[i] = oracle.ask(scenarios[i])
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(f"{type(e).__name__}: {e}")
        finally:
            try:
                oracle.close()
            except Exception:  # noqa: BLE001
                pass

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"{sdk} oracle: {failures[0]}")
    return results, time.perf_counter() - start


def load_regressions():
    """botocore's named regressions (regressions/), the other SDKs' (sdk-regressions/) and
    the cases docs/SDK-CHAINS.md quotes (sdk-facts/); an "expect_sdk" entry gives an SDK's
    verdict, checked against the real SDK."""
    out = []
    paths = glob.glob(os.path.join(HERE, "regressions", "*.json"))
    paths += glob.glob(os.path.join(HERE, "sdk-regressions", "*.json"))
    paths += glob.glob(os.path.join(HERE, "sdk-facts", "*.json"))
    for path in sorted(paths):
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        s.setdefault("name", os.path.splitext(os.path.basename(path))[0])
        out.append(s)
    return out


def main():
    ap = argparse.ArgumentParser(description="the other SDKs' credential chains versus credlint")
    ap.add_argument("--sdk", action="append", choices=SDKS + ["all"], required=True)
    ap.add_argument("--only-oracle", action="store_true")
    ap.add_argument("--compare", action="store_true", help="also run botocore and count where each SDK differs")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--scenario", action="extend", nargs="+", default=[], metavar="FILE")
    ap.add_argument("--no-regressions", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--table", action="store_true",
                    help="with --only-oracle: a Markdown table, one row per scenario, botocore and each SDK")
    ap.add_argument("--oracles", default=os.environ.get("CREDLINT_ORACLES", os.path.join(ROOT, ".oracles")))
    ap.add_argument("--credlint", default=os.path.join(ROOT, "target", "debug", "credlint"))
    args = ap.parse_args()

    sdks = SDKS if "all" in args.sdk else list(dict.fromkeys(args.sdk))
    credlint = os.path.abspath(args.credlint)
    if not args.only_oracle and not credlint_knows_sdk(credlint):
        print(f"run_sdk: {credlint} has no `resolve --sdk` yet; use --only-oracle", file=sys.stderr)
        return 2

    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 1_000_000_007
    if args.scenario:
        scenarios = []
        for path in args.scenario:
            with open(path, encoding="utf-8") as f:
                s = json.load(f)
            s.setdefault("name", os.path.splitext(os.path.basename(path))[0])
            scenarios.append(s)
        print(f"run_sdk: {len(scenarios)} scenario file(s)")
    else:
        scenarios = [] if args.no_regressions else load_regressions()
        n_reg = len(scenarios)
        scenarios += gen.generate(seed, args.count)
        print(f"run_sdk: seed {seed}: {args.count} random scenarios and {n_reg} regressions"
              f" (reproduce: --seed {seed} --count {args.count})", flush=True)
    print("run_sdk: oracles run " + ("in their own network namespace (unshare --net)" if NET_NAMESPACE
                                      else "with the network stubbed only (unshare --net is not allowed here)"))

    if args.table:
        if not args.only_oracle:
            print("run_sdk: --table needs --only-oracle", file=sys.stderr)
            return 2
        columns = {"botocore": [verdict("botocore", harness.run_scenario(s)) for s in scenarios]}
        for sdk in sdks:
            raws, _ = run_oracle(sdk, scenarios, args.jobs, args.oracles)
            columns[sdk] = [verdict(sdk, r) if not harness_problem(sdk, r) else {"method": None, "access_key": None, "error": "HARNESS"} for r in raws]

        def cell(v):
            return outcome(v) + (f" `{v['access_key'][-4:]}`" if v["access_key"] else "")

        print("| scenario | " + " | ".join(columns) + " |")
        print("|---|" + "---|" * len(columns))
        wrong = []
        for i, sc in enumerate(scenarios):
            print(f"| {sc.get('name')} | " + " | ".join(cell(col[i]) for col in columns.values()) + " |")
            for name, want in (sc.get("expect_sdk") or {}).items():
                if name in columns and columns[name][i] != want:
                    wrong.append(f"EXPECTATION FAILED {sc.get('name')} ({name}): gives {json.dumps(columns[name][i])}, "
                                 f"the file expects {json.dumps(want)}")
        print("\n".join(wrong))
        checked = sum(1 for sc in scenarios for n in (sc.get("expect_sdk") or {}) if n in columns)
        print(f"run_sdk: {checked - len(wrong)} passed, {len(wrong)} failed")
        return 1 if wrong else 0

    botocore = None
    if args.compare:
        botocore = [verdict("botocore", harness.run_scenario(s)) for s in scenarios]

    failed = passed = 0
    for sdk in sdks:
        raws, seconds = run_oracle(sdk, scenarios, args.jobs, args.oracles)
        outcomes = collections.Counter()
        differs, example = 0, None
        for s, raw in zip(scenarios, raws):
            problem = harness_problem(sdk, raw)
            if problem:
                print(f"HARNESS ({sdk}) in {s.get('name')}: {problem}")
                failed += 1
                continue
            v = verdict(sdk, raw)
            outcomes[outcome(v)] += 1
            want = (s.get("expect_sdk") or {}).get(sdk)
            if want is not None and want != v:
                print(f"EXPECTATION FAILED ({sdk}) {s.get('name')}: the SDK gives {json.dumps(v)}, "
                      f"the file expects {json.dumps(want)}")
                failed += 1
                continue
            if args.only_oracle and not args.quiet:
                print(f"{sdk} {s.get('name')}: {json.dumps(v)}")
            if args.only_oracle:
                passed += 1
                continue
            c = credlint_verdict(credlint, sdk, s)
            if c == v:
                passed += 1
            else:
                failed += 1
                print(f"DISAGREEMENT ({sdk}) in {s.get('name')}: oracle {json.dumps(v)}, credlint {json.dumps(c)}")
        if botocore is not None:
            for i, raw in enumerate(raws):
                if harness_problem(sdk, raw):
                    continue
                v = verdict(sdk, raw)
                if v != botocore[i]:
                    differs += 1
                    if example is None:
                        example = (scenarios[i].get("name"), botocore[i], v)
        print(f"\n{sdk}: " + ", ".join(f"{k} {n}" for k, n in outcomes.most_common()))
        print(f"{sdk}: {len(scenarios)} scenarios in {seconds:.1f} s with {args.jobs} process(es)"
              f" ({len(scenarios) / seconds:.0f} scenarios/s)")
        if botocore is not None:
            print(f"{sdk}: differs from botocore on {differs} of {len(scenarios)}")
            if example:
                print(f"  e.g. {example[0]}: botocore {json.dumps(example[1])}, {sdk} {json.dumps(example[2])}")
    if botocore is not None:
        bo = collections.Counter(outcome(b) for b in botocore)
        print("\nbotocore: " + ", ".join(f"{k} {n}" for k, n in bo.most_common()))
    print(f"run_sdk: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    harness.ensure_utf8_mode()
    sys.exit(main())
