#!/usr/bin/env python3
"""Measure credlint's precision on a corpus of real public repositories, labelled by hand.

corpus/repos.tsv names each repository and the commit it is pinned to; corpus/labels.tsv
holds one hand-made verdict per finding credlint reported there. This script scans each tree
as a new user would (`credlint . --format json` in the tree's root), joins every finding with
its label and prints, per rule: findings, worth acting on, noise, wrong, unlabelled; then the
labels that match nothing any more ("gone"), so a lost true finding is visible.

    python3 scripts/corpus.py --trees /work/corpus-trees --credlint target/debug/credlint
    python3 scripts/corpus.py --trees DIR --mirrors /work/.mirror --credlint BIN   # build trees first
    python3 scripts/corpus.py ... --json                     # the same figures for machines
    python3 scripts/corpus.py ... --unlabelled new.tsv       # rows to label, with empty verdicts

A label is keyed by (tree, path, rule, line hash, occurrence): the line hash is the SHA-256
(first 12 hex digits) of the flagged line's text with whitespace collapsed, so no text of
those repositories is stored here and an edit elsewhere in the file does not lose the label;
the occurrence tells apart findings of one rule on identical lines of one file (1, 2, … in
line order). The line number is kept for the reader only.

Trees are plain checkouts of the pinned commit with a fresh git repository whose index holds
every file of that commit (as in a clone), so credlint sees them as tracked. A snapshot from
the `fetch` tool lacks blobs of 4 MiB and more; those files are left out of the tree.
"""
import argparse
import collections
import hashlib
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REPOS = ROOT / "corpus" / "repos.tsv"
LABELS = ROOT / "corpus" / "labels.tsv"
MISSES = ROOT / "corpus" / "misses.tsv"
VERDICTS = ("worth", "noise", "wrong")
LABEL_HEADER = "tree\tpath\trule\tline_hash\tn\tline\tverdict\treason"


def tree_name(repo):
    return repo.replace("/", "__")


def read_repos(path):
    repos = []
    for raw in path.read_text().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        repo, commit, kind = raw.split("\t")
        repos.append({"repo": repo, "commit": commit, "kind": kind, "tree": tree_name(repo)})
    return repos


def git(git_dir, *args, **kw):
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True,
                          capture_output=True, **kw).stdout


def build_tree(mirror, commit, dest):
    """Write every blob of `commit` that the snapshot holds into `dest`, then make `dest` a
    git repository whose index holds those files. Returns the paths left out."""
    listing = git(mirror, "ls-tree", "-r", "-z", "--full-tree", commit)
    entries = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, path = item.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob":
            entries.append((mode, sha, path))
    check = subprocess.run(["git", f"--git-dir={mirror}", "cat-file", "--batch-check"],
                           input=b"".join(sha + b"\n" for _, sha, _ in entries),
                           capture_output=True, check=True).stdout.splitlines()
    present = [e for e, line in zip(entries, check) if not line.endswith(b" missing")]
    missing = [e[2].decode(errors="replace") for e, line in zip(entries, check)
               if line.endswith(b" missing")]
    dest.parent.mkdir(parents=True, exist_ok=True)
    index = dest.parent / f".{dest.name}.index"
    env = dict(os.environ, GIT_INDEX_FILE=str(index))
    index.unlink(missing_ok=True)
    info = b"".join(mode + b" " + sha + b"\t" + path + b"\0" for mode, sha, path in present)
    subprocess.run(["git", f"--git-dir={mirror}", "update-index", "-z", "--index-info"],
                   input=info, env=env, check=True)
    dest.mkdir(parents=True)
    subprocess.run(["git", f"--git-dir={mirror}", "checkout-index", "-a",
                    f"--prefix={dest}/"], env=env, check=True)
    index.unlink()
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    # -f: every file of the commit is tracked upstream, even one its .gitignore names.
    subprocess.run(["git", "add", "-A", "-f"], cwd=dest, check=True)
    return missing


def line_hash(text):
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def scan(credlint, tree):
    run = subprocess.run([credlint, ".", "--format", "json"], cwd=tree,
                         capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        raise SystemExit(f"{tree}: credlint exited {run.returncode}: {run.stderr.strip()[:500]}")
    return json.loads(run.stdout)


def keyed(tree_dir, tree, findings):
    """Give each finding its label key (see the module docs)."""
    lines_of = {}
    seen = collections.Counter()
    out = []
    for f in sorted(findings, key=lambda f: (f["path"], f["start"]["line"],
                                             f["start"]["column"], f["rule"], f["message"])):
        path = f["path"]
        if path not in lines_of:
            try:
                lines_of[path] = (tree_dir / path).read_text(errors="replace").splitlines()
            except OSError:
                lines_of[path] = []
        lines = lines_of[path]
        no = f["start"]["line"]
        text = lines[no - 1] if 0 < no <= len(lines) else ""
        h = line_hash(text)
        seen[(path, f["rule"], h)] += 1
        out.append({"tree": tree, "path": path, "rule": f["rule"], "line_hash": h,
                    "n": seen[(path, f["rule"], h)], "line": no, "level": f["level"],
                    "message": f["message"]})
    return out


def read_labels(path):
    labels = {}
    if not path.exists():
        return labels
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        if not raw.strip() or raw.startswith("#") or raw == LABEL_HEADER:
            continue
        cols = raw.split("\t")
        if len(cols) != 8 or cols[6] not in VERDICTS:
            raise SystemExit(f"{path}:{number}: expected 8 tab-separated columns and a verdict "
                             f"in {VERDICTS}")
        tree, fpath, rule, h, n, line, verdict, reason = cols
        labels[(tree, fpath, rule, h, int(n))] = {"line": int(line), "verdict": verdict,
                                                  "reason": reason}
    return labels


MOVE_LINES = 5


def pair_moved(labels, matched, found, trees):
    """A fix may move a finding a few lines (to the keyword instead of the call, to the role
    instead of its principal) without changing what it is about. Pair each label left
    unmatched with an unlabelled finding of the same tree, file and rule at most MOVE_LINES
    lines away, nearest first, one to one. The pairs count with the label's verdict and are
    reported as moved; --strict turns this off."""
    spare = collections.defaultdict(list)
    for key, label in labels.items():
        if key[0] in trees and key not in matched:
            spare[key[:3]].append((key, label))
    candidates = []
    for f in found:
        if "label" in f:
            continue
        for key, label in spare.get((f["tree"], f["path"], f["rule"]), []):
            distance = abs(label["line"] - f["line"])
            if distance <= MOVE_LINES:
                candidates.append((distance, key, f["line"], id(f), f))
    moved = []
    used = set()
    for _, key, _, fid, f in sorted(candidates, key=lambda c: c[:4]):
        if key in matched or fid in used:
            continue
        matched[key] = f
        used.add(fid)
        f["label"] = labels[key]
        moved.append(f)
    return moved


def read_misses(path):
    """Known misses: things a person would act on that credlint did not report. A miss is
    found again when a finding (of the expected rule, if it names one) lands on that line."""
    misses = []
    if not path.exists():
        return misses
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("tree\t"):
            continue
        cols = raw.split("\t")
        if len(cols) != 6:
            raise SystemExit(f"{path}:{number}: expected 6 tab-separated columns")
        tree, fpath, h, line, expect, reason = cols
        misses.append({"tree": tree, "path": fpath, "line_hash": h, "line": int(line),
                       "expect": expect, "reason": reason})
    return misses


def print_before_after(before, per_rule, total, trees):
    if set(before.get("trees", trees)) != trees:
        print("note: the earlier run covered other trees; compare with care")
    cols = ("findings", "worth", "noise", "wrong")
    print("\nbefore -> after")
    print(f"{'rule':<7}" + "".join(f"{c:>14}" for c in cols))
    rules = sorted(set(before["rules"]) | set(per_rule))
    rows = [(r, before["rules"].get(r, {}), per_rule.get(r, {})) for r in rules]
    rows.append(("total", before["total"], total))
    for rule, b, a in rows:
        print(f"{rule:<7}" + "".join(f"{f'{b.get(k, 0)} -> {a.get(k, 0)}':>14}" for k in cols))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trees", required=True, type=pathlib.Path)
    ap.add_argument("--credlint", required=True)
    ap.add_argument("--mirrors", type=pathlib.Path,
                    help="bare git dirs as the fetch tool leaves them (OWNER+NAME/repo); "
                         "trees missing under --trees are built from them")
    ap.add_argument("--repos", type=pathlib.Path, default=REPOS)
    ap.add_argument("--labels", type=pathlib.Path, default=LABELS)
    ap.add_argument("--only", action="append", default=[], help="tree name (repeatable)")
    ap.add_argument("--kind", help="only repositories whose kind starts with this "
                    "(`code`: every kind but `config` and `app`)")
    ap.add_argument("--misses", type=pathlib.Path, default=MISSES)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--unlabelled", type=pathlib.Path,
                    help="write the unlabelled findings here as label rows to fill in")
    ap.add_argument("--strict", action="store_true",
                    help="match labels only by their exact key (no moved findings)")
    ap.add_argument("--before", type=pathlib.Path,
                    help="a --json output of an earlier run: print per rule before -> after")
    ap.add_argument("--findings", type=pathlib.Path,
                    help="write every keyed finding with its message and label here (TSV)")
    args = ap.parse_args()

    repos = read_repos(args.repos)
    if args.only:
        repos = [r for r in repos if r["tree"] in args.only]
    if args.kind == "code":
        repos = [r for r in repos if not r["kind"].startswith(("config", "app"))]
    elif args.kind:
        repos = [r for r in repos if r["kind"].startswith(args.kind)]
    credlint = str(pathlib.Path(args.credlint).resolve())
    labels = read_labels(args.labels)
    found = []
    for r in repos:
        dest = args.trees / r["tree"]
        if not dest.exists():
            if not args.mirrors:
                raise SystemExit(f"{dest} is missing (give --mirrors to build it)")
            mirror = args.mirrors / r["repo"].replace("/", "+") / "repo"
            missing = build_tree(mirror, r["commit"], dest)
            print(f"built {dest} ({len(missing)} files absent from the snapshot)",
                  file=sys.stderr)
        found += keyed(dest, r["tree"], scan(credlint, dest)["findings"])

    trees = {r["tree"] for r in repos}
    matched = {}
    for f in found:
        key = (f["tree"], f["path"], f["rule"], f["line_hash"], f["n"])
        if key in labels:
            matched[key] = f
            f["label"] = labels[key]
    moved = [] if args.strict else pair_moved(labels, matched, found, trees)
    per_rule = collections.defaultdict(collections.Counter)
    unlabelled = []
    for f in found:
        label = f.get("label")
        f["verdict"] = label["verdict"] if label else None
        f["reason"] = label["reason"] if label else ""
        per_rule[f["rule"]]["findings"] += 1
        per_rule[f["rule"]][label["verdict"] if label else "unlabelled"] += 1
        if not label:
            unlabelled.append(f)
    for f in moved:
        per_rule[f["rule"]]["moved"] += 1
    gone = [{"tree": k[0], "path": k[1], "rule": k[2], "line": v["line"],
             "verdict": v["verdict"], "reason": v["reason"]}
            for k, v in sorted(labels.items()) if k[0] in trees and k not in matched]
    for g in gone:
        per_rule[g["rule"]]["gone_" + g["verdict"]] += 1

    misses = []
    for m in read_misses(args.misses):
        if m["tree"] not in trees:
            continue
        hit = [f for f in found if f["tree"] == m["tree"] and f["path"] == m["path"]
               and f["line_hash"] == m["line_hash"]
               and (not m["expect"].startswith("CL") or f["rule"] == m["expect"])]
        misses.append(dict(m, found=sorted({f["rule"] for f in hit})))

    cols = ("findings", "worth", "noise", "wrong", "unlabelled")
    total = collections.Counter()
    for c in per_rule.values():
        total.update(c)
    precision = total["worth"] / total["findings"] if total["findings"] else None
    # What fails a build at the default --fail-level (warning): info findings left out.
    failing = [f for f in found if f["level"] != "info"]
    failing_worth = sum(1 for f in failing if f["verdict"] == "worth")
    if args.json:
        json.dump({"rules": {r: dict(c) for r, c in sorted(per_rule.items())},
                   "total": dict(total), "precision": precision,
                   "at_warning_or_above": {"findings": len(failing), "worth": failing_worth},
                   "gone": gone,
                   "misses": misses, "trees": sorted(trees)},
                  sys.stdout, indent=2, sort_keys=True)
        print()
    else:
        print(f"{'rule':<7}" + "".join(f"{c:>11}" for c in cols) + f"{'gone worth':>12}")
        for rule, c in sorted(per_rule.items()):
            print(f"{rule:<7}" + "".join(f"{c[k]:>11}" for k in cols)
                  + f"{c['gone_worth']:>12}")
        print(f"{'total':<7}" + "".join(f"{total[k]:>11}" for k in cols)
              + f"{total['gone_worth']:>12}")
        if precision is not None:
            print(f"precision (worth / findings): {precision:.1%}")
        if failing:
            print(f"at warning or above (what fails a build by default): {failing_worth} worth "
                  f"of {len(failing)} findings, {failing_worth / len(failing):.1%}")
        if total["moved"]:
            print(f"{total['moved']} findings matched their label only after moving at most "
                  f"{MOVE_LINES} lines (--strict to see them as unlabelled and gone)")
        for g in gone:
            print(f"gone {g['verdict']}: {g['tree']}/{g['path']}:{g['line']} {g['rule']} "
                  f"({g['reason']})")
        if args.before:
            print_before_after(json.loads(args.before.read_text()), per_rule, total, trees)
        if misses:
            print(f"known misses now found: {sum(1 for m in misses if m['found'])} "
                  f"of {len(misses)}")
            for m in misses:
                state = ("found by " + ",".join(m["found"])) if m["found"] else "missed"
                print(f"  {state}: {m['tree']}/{m['path']}:{m['line']} expect {m['expect']} "
                      f"({m['reason']})")
    if args.unlabelled:
        with args.unlabelled.open("w") as out:
            for f in unlabelled:
                out.write("\t".join([f["tree"], f["path"], f["rule"], f["line_hash"],
                                     str(f["n"]), str(f["line"]), "",
                                     f["message"].replace("\n", " ")]) + "\n")
    if args.findings:
        with args.findings.open("w") as out:
            for f in found:
                out.write("\t".join([f["tree"], f["path"], f["rule"], f["line_hash"],
                                     str(f["n"]), str(f["line"]), f["verdict"] or "",
                                     f["reason"], f["message"].replace("\n", " ")]) + "\n")
    return 1 if any(g["verdict"] == "worth" for g in gone) else 0


if __name__ == "__main__":
    sys.exit(main())
