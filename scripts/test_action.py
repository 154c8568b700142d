"""Run action.yml's steps locally, without network, on sample repositories this script
creates, and check what they do: the exit code the action ends with, which steps run, and
the SARIF log it writes (validated by the SARIF Multitool: no schema or GitHub-rule error).

`run:` steps are run as GitHub runs them (`bash --noprofile --norc -eo pipefail FILE`, with
GITHUB_OUTPUT, GITHUB_PATH and the runner variables), after `${{ }}` expressions are
substituted from the inputs, `github`, `runner` and `steps` contexts. `uses:` steps need
GitHub's services; they are not run, but their resolved `with:` values are checked (the
cache holds the build, the upload gets the log credlint wrote). Two deviations, both for the
test's sake: cargo runs offline (CARGO_NET_OFFLINE) and builds into this checkout's own
target directory.

usage: test_action.py --multitool PATH --target-dir DIR
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A fake key id for the samples (not one of AWS's documented example keys). Alone in a .env
# that git would commit: CL101, CL104 and CL203 (no secret beside it).
KEY = "AKIAQ7MZ3XKWTR5DBN2P"

# ----------------------------------------------------------------------------- expressions

TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<name>[A-Za-z_][\w.-]*))")


def evaluate(expr, ctx):
    """The subset of GitHub's expression language that action.yml uses: context paths,
    string literals, ==, !=, !, && and ||, parentheses, and the status functions."""
    tokens = []
    pos = 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot evaluate `{expr}` at {pos}")
        tokens.append(m)
        pos = m.end()
    i = 0

    def peek():
        return tokens[i] if i < len(tokens) else None

    def take():
        nonlocal i
        i += 1
        return tokens[i - 1]

    def primary():
        t = take()
        if t.group("str") is not None:
            return t.group("str")[1:-1].replace("''", "'")
        if t.group("op") == "(":
            v = disjunction()
            assert take().group("op") == ")"
            return v
        if t.group("op") == "!":
            return not truthy(primary())
        name = t.group("name")
        if name in ("true", "false"):
            return name == "true"
        if peek() is not None and peek().group("op") == "(":
            take()
            assert take().group("op") == ")", f"`{name}()` takes no arguments here"
            if name == "success":
                return not ctx["failed"]
            if name == "failure":
                return ctx["failed"]
            if name == "always":
                return True
            raise ValueError(f"function {name}() is not supported by this test")
        value = ctx
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                raise ValueError(f"unknown context value `{name}`")
            value = value[part]
        return value

    def comparison():
        left = primary()
        t = peek()
        if t is not None and t.group("op") in ("==", "!="):
            op = take().group("op")
            right = primary()
            same = str(left).lower() == str(right).lower()
            return same if op == "==" else not same
        return left

    def conjunction():
        v = comparison()
        while peek() is not None and peek().group("op") == "&&":
            take()
            right = comparison()
            v = right if truthy(v) else v
        return v

    def disjunction():
        v = conjunction()
        while peek() is not None and peek().group("op") == "||":
            take()
            right = conjunction()
            v = v if truthy(v) else right
        return v

    v = disjunction()
    if i != len(tokens):
        raise ValueError(f"trailing tokens in `{expr}`")
    return v


def truthy(v):
    return bool(v) and v != "0"


def substitute(text, ctx):
    def one(m):
        v = evaluate(m.group(1), ctx)
        if isinstance(v, bool):
            return "true" if v else "false"
        return "" if v is None else str(v)

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def condition(expr, ctx):
    if expr is None:
        return not ctx["failed"]
    expr = str(expr).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", expr, re.S)
    # GitHub adds success() unless the condition names a status function.
    inner = m.group(1) if m else expr
    if not re.search(r"\b(success|failure|always|cancelled)\(\)", inner):
        inner = f"success() && ({inner})"
    return truthy(evaluate(inner, ctx))


# ----------------------------------------------------------------------------- runner


def run_action(action, workspace, inputs, target_dir, scratch):
    """Run the action's steps; returns (exit code of the action, steps log, `uses` calls)."""
    given = {}
    for name, spec in action.get("inputs", {}).items():
        given[name] = str(inputs.get(name, spec.get("default", "")))
    unknown = set(inputs) - set(given)
    assert not unknown, f"not inputs of action.yml: {unknown}"
    ctx = {
        "inputs": given,
        "github": {"action_path": ROOT, "workspace": workspace},
        "runner": {"os": "Linux", "arch": "X64", "temp": scratch},
        "steps": {},
        "failed": False,
    }
    path_file = os.path.join(scratch, "github_path")
    open(path_file, "w").close()
    extra_path = []
    code = 0
    log = []
    uses = []
    for n, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {n}")
        if not condition(step.get("if"), ctx):
            log.append((name, "skipped"))
            continue
        sid = step.get("id")
        if "uses" in step:
            with_ = {k: substitute(str(v), ctx) for k, v in step.get("with", {}).items()}
            uses.append((step["uses"], with_))
            log.append((name, "uses"))
            continue
        assert step.get("shell") == "bash", f"{name}: only bash steps are run here"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "CREDLINT_"))}
        env.update({k: substitute(str(v), ctx) for k, v in step.get("env", {}).items()})
        out_file = os.path.join(scratch, f"output-{n}")
        open(out_file, "w").close()
        env.update(
            GITHUB_OUTPUT=out_file,
            GITHUB_PATH=path_file,
            GITHUB_ACTION_PATH=ROOT,
            GITHUB_WORKSPACE=workspace,
            RUNNER_OS="Linux",
            RUNNER_ARCH="X64",
            RUNNER_TEMP=scratch,
            CARGO_NET_OFFLINE="true",
            PATH=os.pathsep.join(extra_path + [os.environ["PATH"]]),
        )
        if "CARGO_TARGET_DIR" in env:
            env["CARGO_TARGET_DIR"] = target_dir
        script = os.path.join(scratch, f"step-{n}.sh")
        with open(script, "w") as f:
            f.write(substitute(step["run"], ctx))
        r = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
            cwd=workspace,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        outputs = {}
        for line in open(out_file):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                outputs[k] = v
        if sid:
            ctx["steps"][sid] = {"outputs": outputs}
        extra_path = [p.strip() for p in reversed(open(path_file).read().splitlines()) if p.strip()]
        log.append((name, r.returncode, r.stderr.strip()))
        if r.returncode != 0:
            ctx["failed"] = True
            code = code or r.returncode
    return code, log, uses


# ----------------------------------------------------------------------------- samples


def git_repo(root, files):
    os.makedirs(root)
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True)
    for rel, text in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    return root


SAMPLE = {
    "README.md": "# sample\n",
    "app/.env": f"AWS_ACCESS_KEY_ID={KEY}\nAWS_REGION=eu-west-1\n",
    "deploy/settings.py": "REGION = 'eu-west-1'\n",
    "docs/notes.txt": "nothing here\n",
}

FOUND = {"CL101", "CL104", "CL203"}

CASES = [
    # name, files, inputs, expected exit code, upload runs, rules expected in the log
    ("findings", SAMPLE, {}, 1, True, FOUND),
    ("clean", {"README.md": "# clean\n"}, {}, 0, True, set()),
    ("fail-level never", SAMPLE, {"fail-level": "never"}, 0, True, FOUND),
    ("paths, no upload", SAMPLE, {"paths": "docs deploy/settings.py", "upload": "false"}, 0, False, set()),
    (
        "config",
        {**SAMPLE, "ci/credlint.toml": 'fail-level = "never"\n'},
        {"config": "ci/credlint.toml", "sarif-file": "out/scan.sarif", "category": "credlint/sample"},
        0,
        True,
        FOUND,
    ),
    ("missing config", SAMPLE, {"config": "nope.toml"}, 2, False, None),
]


def multitool_problems(tool, files, scratch):
    out = os.path.join(scratch, "multitool.sarif")
    r = subprocess.run(
        [tool, "validate", "--config", os.path.join(ROOT, "tests/tools/sarif-multitool.xml"),
         "--rule-kind", "Gh;Sarif", "--level", "Error;Warning;Note", "--log", "ForceOverwrite",
         "--output", out, *files],
        capture_output=True, text=True, env={**os.environ, "DOTNET_CLI_HOME": scratch},
    )
    if r.returncode != 0:
        return [f"the Multitool failed: {r.stdout}{r.stderr}"]
    run = json.load(open(out))["runs"][0]
    rules = run["tool"]["driver"].get("rules", [])
    problems, seen = [], set()
    for res in run.get("results", []):
        rule = rules[res["ruleIndex"]] if "ruleIndex" in res else {}
        level = res.get("level") or rule.get("defaultConfiguration", {}).get("level", "warning")
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        seen.update(f for f in files if uri.endswith("/" + os.path.basename(f)))
        if level in ("error", "warning"):
            msg = res["message"].get("text")
            if msg is None:
                msg = rule.get("messageStrings", {}).get(res["message"].get("id"), {}).get("text", "")
                for k, a in enumerate(res["message"].get("arguments", [])):
                    msg = msg.replace("{%d}" % k, a)
            problems.append(f"{uri}({loc['region'].get('startLine')}): {level} {res['ruleId']}: {msg}")
    # The Multitool silently skips a log it cannot load; every credlint log gets notes.
    problems += [f"{f}: the Multitool reported nothing about it" for f in files if f not in seen]
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--multitool", required=True)
    ap.add_argument("--target-dir", required=True)
    args = ap.parse_args()
    action = yaml.safe_load(open(os.path.join(ROOT, "action.yml")))
    assert action["runs"]["using"] == "composite"
    failures = []
    logs = []
    with tempfile.TemporaryDirectory(prefix="credlint-action-") as tmp:
        for n, (name, files, inputs, want_code, want_upload, want_rules) in enumerate(CASES):
            workspace = git_repo(os.path.join(tmp, f"repo{n}"), files)
            scratch = os.path.join(tmp, f"runner{n}")
            os.makedirs(scratch)
            code, log, uses = run_action(action, workspace, inputs, args.target_dir, scratch)
            fail = lambda why: failures.append(f"{name}: {why}\n  steps: {log}")  # noqa: E731
            if code != want_code:
                fail(f"the action ended with {code}, want {want_code}")
            uploads = [w for u, w in uses if u.startswith("github/codeql-action/upload-sarif@")]
            caches = [w for u, w in uses if u.startswith("actions/cache@")]
            if len(caches) != 1 or os.path.join(ROOT, "target") not in caches[0]["path"] or not caches[0]["key"]:
                fail(f"the build is not cached: {caches}")
            if bool(uploads) != want_upload:
                fail(f"upload-sarif {'ran' if uploads else 'did not run'}")
            if want_rules is None:
                continue
            sarif = os.path.join(workspace, inputs.get("sarif-file", "credlint.sarif"))
            if uploads and os.path.join(workspace, uploads[0]["sarif_file"]) != sarif:
                fail(f"upload-sarif gets {uploads[0]['sarif_file']}, credlint wrote {sarif}")
            if not os.path.isfile(sarif):
                fail(f"no SARIF log at {sarif}")
                continue
            text = open(sarif).read()
            log_json = json.loads(text)
            got = {r["ruleId"] for r in log_json["runs"][0]["results"]}
            if got != want_rules:
                fail(f"rules {sorted(got)}, want {sorted(want_rules)}")
            if KEY in text:
                fail("the SARIF log holds the whole key")
            category = inputs.get("category", "credlint/")
            if log_json["runs"][0]["automationDetails"]["id"] != category:
                fail(f"category {log_json['runs'][0]['automationDetails']}")
            kept = os.path.join(tmp, f"case{n}.sarif")
            os.replace(sarif, kept)
            logs.append(kept)
        failures += multitool_problems(args.multitool, logs, tmp)
    for f in failures:
        print(f)
    print(f"test-action: {len(CASES)} cases, {len(logs)} SARIF logs validated, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
