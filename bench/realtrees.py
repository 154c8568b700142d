"""Real-code trees for the benchmark, built reproducibly without the network except the
package registries (PyPI, npm). Each tree is written once to OUT_DIR/<name>/tree with an
OUT_DIR/<name>/planted.json like bench/corpus.py's, and reused by later runs.

- `python`: this machine's Python installation (standard library plus site-packages of the
  `python3` running this script) copied as it is, with 300 planted credential files. Not a
  git work tree: credlint runs with --no-ignore and ripgrep with -uu (the same files).
- `aws`: AWS code everywhere, laid out like clean clones: boto3, botocore, s3transfer and
  moto (pinned, `pip install --no-deps --no-compile --target`, as their repositories' package
  folders) and the AWS SDK for JavaScript v3 (pinned top-level packages, `npm install`, the
  installed `@aws-sdk/*` and `@smithy/*` packages copied out of node_modules into
  js/packages/ like the SDK's own repository), with 100 planted credential files. Made a git
  work tree (git init, add, commit) so that gitignore semantics are a real clone's:
  credlint runs as on a clone and ripgrep plainly (`rg`, which honours .gitignore and skips
  hidden files).

usage: realtrees.py OUT_DIR NAME...
"""
import json
import os
import random
import shutil
import subprocess
import sys
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus  # noqa: E402

PIP_PINS = ["boto3==1.44.5", "botocore==1.44.5", "s3transfer==0.19.3", "moto==5.2.5"]
NPM_PINS = ["@aws-sdk/client-s3@3.1175.0", "@aws-sdk/credential-providers@3.1175.0", "@aws-sdk/client-sts@3.1177.0"]


def plant(tree, n, seed, under=""):
    """Write `n` planted credential files (bench/corpus.py's kinds) below tree/under."""
    r = random.Random(seed)
    manifest = []
    for i in range(n):
        path, text, expected = corpus.planted(r, i)
        path = os.path.join(under, path) if under else path
        p = os.path.join(tree, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        manifest += [{"path": path, "line": line, "rule": rule} for line, rule in expected]
    return manifest


def python_tree(out):
    stdlib = sysconfig.get_paths()["stdlib"]
    tree = os.path.join(out, "tree")
    # site-packages lives inside the standard library's folder on CPython builds.
    shutil.copytree(stdlib, os.path.join(tree, os.path.basename(stdlib)), symlinks=True)
    purelib = sysconfig.get_paths()["purelib"]
    if not os.path.realpath(purelib).startswith(os.path.realpath(stdlib) + os.sep):
        shutil.copytree(purelib, os.path.join(tree, "site-packages"), symlinks=True)
    manifest = plant(tree, 300, 11, "planted")
    return {"source": stdlib, "git": False, "planted": manifest}


def aws_tree(out):
    tree = os.path.join(out, "tree")
    py = os.path.join(tree, "python")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--target", py] + PIP_PINS, check=True)
    # pip's bookkeeping is not part of a clone.
    for d in os.listdir(py):
        if d.endswith(".dist-info") or d == "bin":
            shutil.rmtree(os.path.join(py, d))
    npm = os.path.join(out, "npm")
    os.makedirs(npm, exist_ok=True)
    with open(os.path.join(npm, "package.json"), "w") as f:
        json.dump({"name": "credlint-bench", "private": True}, f)
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact"] + NPM_PINS,
                   cwd=npm, check=True)
    for scope in ["@aws-sdk", "@smithy"]:
        src = os.path.join(npm, "node_modules", scope)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(tree, "js", "packages", scope), symlinks=True)
    manifest = plant(tree, 100, 13, "deploy")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], cwd=tree, check=True)
    subprocess.run(git + ["add", "-A"], cwd=tree, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "benchmark tree"], cwd=tree, check=True)
    return {"source": PIP_PINS + NPM_PINS, "git": True, "planted": manifest}


BUILDERS = {"python": python_tree, "aws": aws_tree}


def build(out_dir, name):
    """The tree `name` under out_dir (built on first use): (out folder, manifest)."""
    out = os.path.join(out_dir, name)
    manifest_path = os.path.join(out, "planted.json")
    if not os.path.exists(manifest_path):
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        m = BUILDERS[name](out)
        with open(manifest_path, "w") as f:
            json.dump(m, f, indent=1)
    with open(manifest_path) as f:
        return out, json.load(f)


if __name__ == "__main__":
    for n in sys.argv[2:]:
        o, m = build(sys.argv[1], n)
        print(f"{n}: {o}/tree, {len(m['planted'])} planted problems")
