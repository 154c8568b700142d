#!/usr/bin/env python3
"""credlint beside checkov on checkov's *own* test fixtures for its trust checks
(CKV_AWS_60, CKV_AWS_61, CKV_AWS_358, CKV_AWS_393), as a second opinion.

checkov's fixtures are never copied into this repository, and PyPI does not carry them
(checkov's wheel has no tests, and its sdist only tests/test_*.py, none of the fixture
folders: checked for 3.3.30). They are read at test time from a checkout of
bridgecrewio/checkov given with --src: either a git directory (a clone, bare or not, at any
revision), from which the fixture folders are taken at `checkov_commit` (the commit of the
pinned release) into a temporary folder, or a plain source tree, which must be at that
commit. checkov itself runs from scripts/setup-checkov.sh's venv (checkov from PyPI, pinned).

For every resource checkov judges, credlint's verdict is FAILED when it reports the
counterpart rule (CKV_AWS_60: CL501, CKV_AWS_61: CL502, CKV_AWS_358/393: CL504) inside the
resource's line range. fixtures/trust/checkov/upstream.toml keeps every case where the two
disagree, with the reason (IAM's documented evaluation) and, in `also`, the rule credlint
reports there instead; this script fails (exit 1) when a disagreement is not kept there, a
kept one no longer happens, or credlint no longer reports its `also` rule there.

    python3 scripts/checkov-upstream.py --checkov "$(bash scripts/setup-checkov.sh)" \
        --credlint "$PWD/target/debug/credlint" --src /path/to/checkov
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
TABLE = ROOT / "fixtures" / "trust" / "checkov" / "upstream.toml"
COUNTERPART = {"CKV_AWS_60": "CL501", "CKV_AWS_61": "CL502", "CKV_AWS_358": "CL504", "CKV_AWS_393": "CL504"}
# checkov's fixture folders for these checks, their framework and checks.
TARGETS = [
    ("tests/cloudformation/checks/resource/aws/example_IAMRoleAllowsPublicAssume", "cloudformation", ["CKV_AWS_60"]),
    ("tests/cloudformation/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount", "cloudformation", ["CKV_AWS_61"]),
    ("tests/terraform/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount", "terraform", ["CKV_AWS_61"]),
    ("tests/terraform/checks/data/aws/example_GithubActionsOIDCTrustPolicy", "terraform", ["CKV_AWS_358"]),
    ("tests/terraform/checks/data/aws/example_GithubActionsOIDCTrustPolicy/tfplan.json", "terraform_plan", ["CKV_AWS_358", "CKV_AWS_393"]),
    ("tests/terraform/checks/resource/aws/example_GithubActionsOIDCTrustPolicyOnRole", "terraform", ["CKV_AWS_393"]),
]


def is_git_dir(path):
    return (path / ".git").exists() or ((path / "HEAD").is_file() and (path / "objects").is_dir())


def extract(git_dir, commit, dest):
    """The fixture folders of TARGETS at `commit`, blob by blob (a partial clone or snapshot
    may lack unrelated objects, which `git archive` would stop on)."""
    git = ["git", "-C", str(git_dir)]
    folders = sorted({t.split("/tfplan.json")[0] for t, _, _ in TARGETS})
    names = subprocess.run([*git, "ls-tree", "-r", "--name-only", commit, "--", *folders],
                           capture_output=True, text=True, check=True).stdout.split()
    if not names:
        sys.exit(f"{git_dir}: no fixture folders at {commit}")
    for name in names:
        blob = subprocess.run([*git, "cat-file", "blob", f"{commit}:{name}"],
                              capture_output=True, check=True).stdout
        out = dest / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(blob)
    return len(names)


def checkov_version(checkov):
    return subprocess.run([checkov, "--version"], capture_output=True, text=True,
                          check=False).stdout.strip()


def checkov_results(checkov, src, target, framework, checks):
    path = src / target
    flag = "-f" if path.is_file() else "-d"
    out = subprocess.run(
        [checkov, flag, str(path), "--framework", framework, "--check", ",".join(checks),
         "-o", "json", "--skip-download"],
        capture_output=True, text=True, check=False,
    ).stdout
    data = json.loads(out) if out.strip().startswith(("{", "[")) else {}
    for rep in data if isinstance(data, list) else [data]:
        res = rep.get("results", {})
        for kind, verdict in (("passed_checks", "PASSED"), ("failed_checks", "FAILED")):
            for c in res.get(kind, []):
                absolute = pathlib.Path(c.get("file_abs_path") or (src / c["file_path"].lstrip("/")))
                rel = absolute.resolve().relative_to(src.resolve()).as_posix()
                lines = c.get("file_line_range") or [0, 0]
                yield rel, c["resource"], c["check_id"], verdict, lines


def credlint_findings(credlint, src, target):
    path = src / target
    out = subprocess.run([credlint, str(path), "--format", "json"], capture_output=True,
                         text=True, check=False, cwd=src).stdout
    found = []
    for f in json.loads(out).get("findings", []):
        p = pathlib.Path(f["path"])
        p = p if p.is_absolute() else (src / p)
        found.append((p.resolve().relative_to(src.resolve()).as_posix(), f["start"]["line"], f["rule"]))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkov", required=True)
    ap.add_argument("--credlint", required=True)
    ap.add_argument("--src", required=True, type=pathlib.Path)
    ap.add_argument("--print", action="store_true", help="print every verdict as a TOML row")
    args = ap.parse_args()
    if "/" in args.credlint:
        args.credlint = str(pathlib.Path(args.credlint).resolve())  # credlint runs in --src
    table = tomllib.loads(TABLE.read_text())
    have = checkov_version(args.checkov)
    if have != table["checkov_version"]:
        sys.exit(f"{args.checkov} is checkov {have!r}; upstream.toml is for {table['checkov_version']}")
    if is_git_dir(args.src):
        with tempfile.TemporaryDirectory(prefix="checkov-fixtures-") as tmp:
            n = extract(args.src, table["checkov_commit"], pathlib.Path(tmp))
            print(f"{n} fixture files of checkov at {table['checkov_commit'][:12]}")
            return compare(args, table, pathlib.Path(tmp))
    return compare(args, table, args.src)


def compare(args, table, src):
    missing = [t for t, _, _ in TARGETS if not (src / t).exists()]
    if missing:
        sys.exit(f"{src}: not a checkov source tree at {table['checkov_commit'][:12]} (missing {missing[0]})")
    kept = {(c["file"], c["resource"], c["check"]): c for c in table.get("case", [])}
    rows = {}
    for target, framework, checks in TARGETS:
        findings = credlint_findings(args.credlint, src, target)
        judged = 0
        for rel, resource, check, verdict, (lo, hi) in checkov_results(args.checkov, src, target, framework, checks):
            rule = COUNTERPART[check]
            ours = [f"{line} {r}" for (p, line, r) in findings if p == rel and lo <= line <= hi and r.startswith("CL5")]
            cl = "FAILED" if any(o.endswith(rule) for o in ours) else "PASSED"
            rows[(rel, resource, check)] = (verdict, cl, ours)
            judged += 1
        if not judged:
            sys.exit(f"checkov judged nothing in {target}: is it checkov {table['checkov_version']}?")
    bad = 0
    agree = 0
    for key, (ck, cl, ours) in sorted(rows.items()):
        if args.print:
            print(f'{key} checkov={ck} credlint={cl} {ours}')
        if ck == cl:
            agree += 1
            if key in kept:
                bad += 1
                print(f"{key}: kept as a disagreement, but both say {ck} now")
            continue
        case = kept.get(key)
        if case is None:
            bad += 1
            print(f"{key}: checkov {ck}, credlint {cl} ({ours}): not in upstream.toml")
        elif (case["checkov"], case["credlint"]) != (ck, cl):
            bad += 1
            print(f"{key}: kept as checkov {case['checkov']}/credlint {case['credlint']}, now {ck}/{cl}")
        elif case.get("also") and not any(o.endswith(" " + case["also"]) for o in ours):
            bad += 1
            print(f"{key}: kept with credlint reporting {case['also']} instead, but it reports {ours}")
    for key in kept.keys() - rows.keys():
        bad += 1
        print(f"{key}: kept, but checkov no longer reports this resource")
    print(f"{len(rows)} verdicts: {agree} agree, {len(rows) - agree} disagree, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
