#!/usr/bin/env python3
"""credlint beside checkov on checkov's *own* test fixtures for its trust checks
(CKV_AWS_60, CKV_AWS_61, CKV_AWS_358, CKV_AWS_393), as a second opinion.

checkov's fixtures are never copied into this repository: they are read from a checkov
source tree at test time (checkov's PyPI wheel does not ship its tests; point --src at a
checkout of bridgecrewio/checkov at the commit of the pinned release). checkov itself runs
from a venv (`python3 -m venv /tmp/ckv && /tmp/ckv/bin/pip install checkov==3.3.30`).

For every resource checkov judges, credlint's verdict is FAILED when it reports the
counterpart rule (CKV_AWS_60: CL501, CKV_AWS_61: CL502, CKV_AWS_358/393: CL504) inside the
resource's line range. fixtures/trust/checkov/upstream.toml keeps every case where the two
disagree, with the reason (IAM's documented evaluation); this script fails (exit 1) when a
disagreement is not kept there, or a kept one no longer happens.

    python3 scripts/checkov-upstream.py --checkov /tmp/ckv/bin/checkov \
        --credlint target/debug/credlint --src /path/to/checkov
"""
import argparse
import json
import pathlib
import subprocess
import sys
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
    table = tomllib.loads(TABLE.read_text())
    kept = {(c["file"], c["resource"], c["check"]): c for c in table.get("case", [])}
    rows = {}
    for target, framework, checks in TARGETS:
        findings = credlint_findings(args.credlint, args.src, target)
        for rel, resource, check, verdict, (lo, hi) in checkov_results(args.checkov, args.src, target, framework, checks):
            rule = COUNTERPART[check]
            ours = [f"{line} {r}" for (p, line, r) in findings if p == rel and lo <= line <= hi and r.startswith("CL5")]
            cl = "FAILED" if any(o.endswith(rule) for o in ours) else "PASSED"
            rows[(rel, resource, check)] = (verdict, cl, ours)
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
    for key in kept.keys() - rows.keys():
        bad += 1
        print(f"{key}: kept, but checkov no longer reports this resource")
    print(f"{len(rows)} verdicts: {agree} agree, {len(rows) - agree} disagree (each kept with its reason), {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
