"""Validate SARIF logs against the official 2.1.0 schema and GitHub code scanning's
ingestion rules, and check that no listed secret appears in them.

usage: validate_sarif.py SCHEMA [--secret S ...] FILE...
"""
import json
import sys

import jsonschema


def github_rules(log, path):
    errors = []
    if log.get("version") != "2.1.0":
        errors.append("version must be 2.1.0")
    runs = log.get("runs", [])
    if not 1 <= len(runs) <= 20:
        errors.append(f"{len(runs)} runs (GitHub accepts 1 to 20)")
    for run in runs:
        driver = run["tool"]["driver"]
        if not driver.get("name"):
            errors.append("tool.driver.name is required")
        rules = driver.get("rules", [])
        ids = [r["id"] for r in rules]
        if len(ids) != len(set(ids)):
            errors.append("rule ids are not unique")
        for r in rules:
            props = r.get("properties", {})
            sev = props.get("security-severity")
            # GitHub's severity bands start at 0.1; a rule without one is not a security alert.
            if sev is not None and not 0.1 <= float(sev) <= 10.0:
                errors.append(f"rule {r['id']}: security-severity {sev!r} is not a number in 0.1..10")
            if "security" in props.get("tags", []) and sev is None:
                errors.append(f"rule {r['id']}: tagged security without a security-severity")
            if len(props.get("tags", [])) > 20:
                errors.append(f"rule {r['id']}: more than 20 tags")
            if not r.get("shortDescription", {}).get("text"):
                errors.append(f"rule {r['id']}: no shortDescription")
            if not r.get("help", {}).get("text"):
                errors.append(f"rule {r['id']}: no help text")
        if not run.get("automationDetails", {}).get("id"):
            errors.append("automationDetails.id (the category) is missing")
        results = run.get("results", [])
        if len(results) > 25000:
            errors.append(f"{len(results)} results (GitHub accepts 25,000 per run)")
        for i, res in enumerate(results):
            where = f"result {i}"
            if res.get("ruleId") not in ids:
                errors.append(f"{where}: ruleId {res.get('ruleId')!r} is not in tool.driver.rules")
            elif "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
                errors.append(f"{where}: ruleIndex does not point at ruleId")
            if res.get("level") not in ("error", "warning", "note", "none"):
                errors.append(f"{where}: level {res.get('level')!r}")
            if not res.get("message", {}).get("text"):
                errors.append(f"{where}: message.text is required")
            locs = res.get("locations", [])
            if not 1 <= len(locs) <= 1000:
                errors.append(f"{where}: {len(locs)} locations")
            for loc in locs + res.get("relatedLocations", []):
                phys = loc.get("physicalLocation", {})
                uri = phys.get("artifactLocation", {}).get("uri", "")
                if not uri or "\\" in uri:
                    errors.append(f"{where}: bad artifact uri {uri!r}")
                region = phys.get("region", {})
                if region.get("startLine", 0) < 1:
                    errors.append(f"{where}: region.startLine must be >= 1")
                if region.get("endLine", region.get("startLine")) < region.get("startLine", 1):
                    errors.append(f"{where}: endLine before startLine")
            if not res.get("partialFingerprints", {}).get("primaryLocationLineHash"):
                errors.append(f"{where}: partialFingerprints.primaryLocationLineHash is missing")
    return [f"{path}: {e}" for e in errors]


def main(argv):
    schema = json.load(open(argv[1]))
    secrets, files = [], []
    args = iter(argv[2:])
    for a in args:
        if a == "--secret":
            secrets.append(next(args))
        else:
            files.append(a)
    validator = jsonschema.validators.validator_for(schema)(schema)
    problems = []
    for path in files:
        text = open(path).read()
        log = json.loads(text)
        for err in validator.iter_errors(log):
            problems.append(f"{path}: schema: {'/'.join(map(str, err.absolute_path))}: {err.message}")
        problems.extend(github_rules(log, path))
        for s in secrets:
            if s in text:
                problems.append(f"{path}: contains the secret {s[:4]}…")
    for p in problems:
        print(p)
    print(f"sarif: {len(files)} logs checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
