#!/usr/bin/env python3
"""Run checkov on every trust-policy fixture of fixtures/trust/checkov and compare its
verdicts for CKV_AWS_60, CKV_AWS_61, CKV_AWS_358 and CKV_AWS_393 with the ones recorded in
verdicts.toml. It never rewrites the table: a disagreement is printed and the exit code is 1.
tests/trust_checkov.rs runs it with the checkov that scripts/setup-checkov.sh installs:

    python3 scripts/checkov-verdicts.py --checkov "$(bash scripts/setup-checkov.sh)"

Files are given to checkov as files (`-f`), in one run per framework (the verdicts are the
same as with one run per file, which took ten times as long), except the folders listed as
modules, which are scanned with `-d` so that checkov can follow references between their
files.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tomllib

CHECKS = ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_358", "CKV_AWS_393"]
ROOT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "trust" / "checkov"


def verdicts(checkov, targets, framework, directory):
    flag = "-d" if directory else "-f"
    args = [a for t in targets for a in (flag, str(t))]
    out = subprocess.run(
        [checkov, *args, "--framework", framework, "--check", ",".join(CHECKS),
         "-o", "json", "--skip-download"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    ).stdout
    data = json.loads(out) if out.strip().startswith(("{", "[")) else {}
    reports = data if isinstance(data, list) else [data]
    found = {}
    for rep in reports:
        res = rep.get("results", {})
        for kind, verdict in (("passed_checks", "PASSED"), ("failed_checks", "FAILED")):
            for c in res.get(kind, []):
                # checkov's paths differ by framework: take the one naming a fixture.
                rel = c["file_path"].lstrip("/")
                absolute = pathlib.Path(c.get("file_abs_path") or "/").resolve()
                if absolute.is_relative_to(ROOT) and absolute.is_file():
                    rel = absolute.relative_to(ROOT).as_posix()
                prev = found.get((rel, c["check_id"]))
                found[(rel, c["check_id"])] = "FAILED" if "FAILED" in (prev, verdict) else verdict
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkov", default="checkov")
    ap.add_argument("--print", action="store_true", help="print the verdicts as TOML rows")
    args = ap.parse_args()
    table = tomllib.loads((ROOT / "verdicts.toml").read_text())
    have = subprocess.run([args.checkov, "--version"], capture_output=True, text=True,
                          check=False).stdout.strip()
    if have != table["checkov_version"]:
        sys.exit(f"{args.checkov} is checkov {have!r}; verdicts.toml is for {table['checkov_version']}")
    modules = set(table.get("modules", []))
    found = {}
    files = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                   if p.suffix in (".tf", ".yaml", ".json") and p.is_file())
    batches = {"terraform": [], "cloudformation": []}
    for rel in files:
        if any(rel.startswith(m + "/") for m in modules):
            continue
        if rel.startswith("iam/"):
            continue  # checkov has no check for standalone policy documents
        batches["terraform" if rel.endswith(".tf") else "cloudformation"].append(rel)
    for fw, batch in batches.items():
        found.update(verdicts(args.checkov, batch, fw, False))
    found.update(verdicts(args.checkov, sorted(modules), "terraform", True))
    bad = 0
    for case in table["case"]:
        got = {}
        for c in CHECKS:
            # A module folder's verdict: FAILED if any of its files fails, else PASSED if
            # any passes.
            vs = {v for (rel, check), v in found.items()
                  if check == c and (rel == case["file"] or rel.startswith(case["file"] + "/"))}
            got[c] = "FAILED" if "FAILED" in vs else "PASSED" if "PASSED" in vs else "n/a"
        if args.print:
            print(case["file"], " ".join(f"{c}={got[c]}" for c in CHECKS))
        want = case["checkov"]
        for c in CHECKS:
            if want.get(c) != got[c]:
                bad += 1
                print(f"{case['file']}: {c} recorded {want.get(c)}, checkov says {got[c]}")
    print(f"{len(table['case']) * len(CHECKS) - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
