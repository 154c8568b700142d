"""The AWS CLI v2 oracle: Debian's `awscli` package (2.9.19), offline, in-process.

usage: /usr/bin/python3 tests/oracles/cli/oracle.py    (JSON lines on stdin and stdout)

Reads one JSON object per line, {"dir", "env", "profile"}: dir holds the scenario's files
(dir/home is HOME), env the complete process environment, profile the --profile option.
Writes one JSON line per scenario: {"method", "access_key", "error": {"class", "message"}|null}.

The CLI v2 carries its own copy of botocore (awscli.botocore, not the PyPI botocore). This
program imports awscli (whose import hook makes that copy the `botocore` module) and then loads tests/differential/harness.py,
so the CLI runs with exactly the stand-ins botocore's differential test uses (sockets and
processes blocked, credential_process and the container endpoint answered by stand-ins,
refreshable credentials never materialised; see harness.py). The session is the one the CLI
builds: awscli.clidriver.create_clidriver(), --profile applied as CLIDriver._handle_top_level_args
does, then the `session-initialized` event the CLI emits before running a command (its
assume-role and SSO customizations attach their credential caches there).
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
DIFFERENTIAL = os.path.join(os.path.dirname(os.path.dirname(HERE)), "differential")

import awscli  # noqa: E402  (installs the CLI's import alias: `botocore` is awscli.botocore)
import botocore.credentials  # noqa: E402

sys.path.insert(0, DIFFERENTIAL)
import harness  # noqa: E402  (patches awscli.botocore through the aliases above)
from awscli.clidriver import create_clidriver  # noqa: E402

assert botocore.credentials.__file__.startswith(os.path.dirname(awscli.__file__)), botocore.credentials.__file__


def top_level_args(profile):
    """The namespace the CLI's top-level parser gives for `aws [--profile P] COMMAND`: every
    option in awscli/data/cli.json at its parser default."""
    with open(os.path.join(os.path.dirname(awscli.__file__), "data", "cli.json"), encoding="utf-8") as f:
        options = json.load(f)["options"]
    args = argparse.Namespace()
    for name, spec in options.items():
        dest = spec.get("dest") or name.replace("-", "_")
        action = spec.get("action")
        default = spec.get("default")
        if action == "store_true":
            default = False
        elif action == "store_false":
            default = True
        setattr(args, dest, default)
    args.profile = profile
    args.command = "sts"  # a service command, as in `aws sts get-caller-identity`
    return args


def cli_session(profile):
    driver = create_clidriver()
    parsed = top_level_args(profile)
    if profile is not None:
        driver.session.set_config_variable("profile", profile)
    driver._emit_session_event(parsed)  # noqa: SLF001 - what CLIDriver.main does first
    return driver.session


harness.new_session = cli_session
# The first driver asks lsb_release and uname for its user agent (and caches the answer):
# build one before the harness blocks process creation.
create_clidriver()


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        s = json.loads(line)
        env = {k: v for k, v in s["env"].items() if k != "HOME"}
        result = harness.run_in({"env": env, "profile": s.get("profile")}, s["dir"])
        if harness.blocked_calls:
            result["blocked"] = list(harness.blocked_calls)
            harness.blocked_calls.clear()
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    harness.ensure_utf8_mode()
    sys.exit(main())
