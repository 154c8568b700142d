"""Run real botocore, offline, on one credential scenario and report who wins.

usage: python tests/differential/harness.py SCENARIO.json      (prints the result as JSON)
       import harness; harness.run_scenario(scenario) -> dict  (what run.py does, in-process)

A scenario (the contract shared with the Rust side, see run.py):

    {"name": "optional",
     "env": {"AWS_PROFILE": "dev", "AWS_CONFIG_FILE": "~/custom/config"},
     "profile": null,
     "files": {"home/.aws/credentials": "text", "root/etc/boto.cfg": "text",
               "home/raw": {"base64": "..."}}}

File keys are relative to a scenario folder holding home/ (the fake $HOME) and root/ (the
fake filesystem root: root/etc/boto.cfg stands for /etc/boto.cfg). Text is written as UTF-8
bytes exactly (no newline translation), a {"base64": ...} value as raw bytes. `profile` is
the profile passed in code, Session(profile=...).

How botocore is run:
- a fresh temporary folder per scenario (on /dev/shm when it is writable, for speed), also
  the working directory while botocore runs, so relative paths are scenario-relative;
- os.environ is replaced by the scenario's env plus HOME=<folder>/home and, unless the
  scenario sets it, AWS_EC2_METADATA_DISABLED=true; nothing else (no PATH, LANG, AWS_*);
- BotoProvider.DEFAULT_CONFIG_FILENAMES (['/etc/boto.cfg', '~/.boto'] in botocore) becomes
  [<folder>/root/etc/boto.cfg, '~/.boto'];
- sockets (socket.socket, create_connection, getaddrinfo) and process creation
  (subprocess.Popen, os.system, os.popen, fork, exec*, spawn*, posix_spawn*) raise;
- ProcessProvider._retrieve_credentials_using is replaced by everything botocore does before
  Popen (shlex split: ValueError on bad quoting; an empty command is Popen([]), i.e.
  IndexError) followed by a stand-in result instead of running the command. The provider
  therefore wins exactly when botocore would run the command, is reported as method
  `custom-process` with access_key null, and a role whose source profile uses
  credential_process still resolves to `assume-role`, as it would with a working command;
- ContainerMetadataFetcher._retrieve_credentials (the HTTP request, after botocore's own
  auth-token and host checks) returns a stand-in: method `container-role`, access_key null;
- InstanceMetadataFetcher.retrieve_iam_role_credentials returns {} (not on EC2: `iam-role`
  never supplies, as with an unreachable endpoint);
- deferred/refreshable credentials are never materialised: the key is read from the
  private `_access_key` of refreshable credentials (None for DeferredRefreshableCredentials)
  and from the plain attribute of static ones; RefreshableCredentials._protected_refresh
  raises, so a refresh inside botocore would show up as error class HarnessBlocked.

Output: {"method": str|null, "access_key": str|null, "error": {"class", "message"}|null}.
access_key is redacted: first 4 + "****" + last 4 characters when it has 12 or more, else
"****"; a nested value (`aws_access_key_id =` followed by indented `k = v` lines, which
botocore turns into a dict) is reported as "<nested>". When botocore raises, method and
access_key are null and error.class is the exception's class name.

Files are decoded as UTF-8 (botocore uses the locale's encoding; the CLI re-executes itself
in Python's UTF-8 mode when the locale is not UTF-8, so results do not depend on LANG).
"""
import base64
import copy
import json
import locale
import os
import shutil
import socket
import subprocess
import sys
import tempfile

import botocore.credentials
import botocore.session
import botocore.utils
from botocore.compat import compat_shell_split

# A stand-in key id that no scenario uses: a winner holding it reports access_key null.
STAND_IN = "STANDINKEYNOTREAL0000"
NESTED = "<nested>"

# ----------------------------------------------------------------------------- blocking


class HarnessBlocked(ConnectionRefusedError):
    """Raised by every blocked socket or process call. A ConnectionRefusedError so that
    botocore's HTTP code treats it like an unreachable endpoint."""


blocked_calls = []  # what was attempted while blocked, for diagnostics


def _blocker(what):
    def blocked(*args, **_kwargs):
        blocked_calls.append(f"{what}{args[:2]!r}")
        raise HarnessBlocked(f"the differential harness blocks {what}")

    return blocked


_BLOCKABLE = [(socket, n) for n in ("socket", "create_connection", "getaddrinfo", "socketpair", "fromfd")]
_BLOCKABLE += [(subprocess, n) for n in ("Popen", "run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")]
_BLOCKABLE += [
    (os, n)
    for n in (
        "system", "popen", "fork", "forkpty", "execv", "execve", "execl", "execle", "execlp",
        "execlpe", "execvp", "execvpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "spawnl",
        "spawnle", "spawnlp", "spawnlpe", "posix_spawn", "posix_spawnp",
    )
    if hasattr(os, n)
]
_REAL = {(m, n): getattr(m, n) for m, n in _BLOCKABLE if hasattr(m, n)}
_BLOCKED = {(m, n): _blocker(f"{m.__name__}.{n}") for (m, n) in _REAL}


def _block(on):
    for (module, name), real in _REAL.items():
        setattr(module, name, _BLOCKED[(module, name)] if on else real)


# ----------------------------------------------------------------------------- stand-ins


def _process_stand_in(self, credential_process):
    """ProcessProvider._retrieve_credentials_using up to (not including) Popen."""
    process_list = compat_shell_split(credential_process)  # ValueError on bad quoting
    if not process_list:
        # botocore calls Popen([], ...): subprocess raises this before starting anything.
        raise IndexError("list index out of range")
    return {"access_key": STAND_IN, "secret_key": "stand-in", "token": None, "expiry_time": None, "account_id": None}


def _container_stand_in(self, full_url, extra_headers=None):
    """ContainerMetadataFetcher._retrieve_credentials: the HTTP GET, never made."""
    return {"AccessKeyId": STAND_IN, "SecretAccessKey": "stand-in", "Token": "stand-in", "Expiration": "2100-01-01T00:00:00Z"}


def _imds_stand_in(self):
    """InstanceMetadataFetcher.retrieve_iam_role_credentials: not on EC2."""
    return {}


def _no_refresh(self, *args, **kwargs):
    """RefreshableCredentials._protected_refresh: would call STS, SSO, the endpoint..."""
    blocked_calls.append(f"refresh of {type(self).__name__} ({self.method})")
    raise HarnessBlocked("the differential harness never materialises refreshable credentials")


botocore.credentials.ProcessProvider._retrieve_credentials_using = _process_stand_in
botocore.credentials.RefreshableCredentials._protected_refresh = _no_refresh
botocore.utils.ContainerMetadataFetcher._retrieve_credentials = _container_stand_in
botocore.utils.InstanceMetadataFetcher.retrieve_iam_role_credentials = _imds_stand_in
_REAL_BOTO_FILENAMES = list(botocore.credentials.BotoProvider.DEFAULT_CONFIG_FILENAMES)
assert _REAL_BOTO_FILENAMES == ["/etc/boto.cfg", "~/.boto"], _REAL_BOTO_FILENAMES

if getattr(botocore.credentials, "EC", None) is not None:
    print("harness: warning: awscrt is installed, the login provider will not raise "
          "MissingDependencyException as the pinned environment does", file=sys.stderr)

# Session() registers ~120 built-in event handlers (client events only, unused while
# resolving credentials) which costs more than the lookup itself. A copy of a template
# session's emitter gives each scenario an identical session for a fraction of the cost.
# use_plain_session(True), or CREDLINT_HARNESS_PLAIN_SESSION=1 at import, uses plain
# Session(profile=...) instead (run.py --plain-session: both give the same results).
_plain = os.environ.get("CREDLINT_HARNESS_PLAIN_SESSION") == "1"
# (The AWS CLI v2's copy of botocore, which tests/oracles/cli/oracle.py loads through this
# module, has no _original_handler: it always gets plain sessions.)
_template_emitter = getattr(botocore.session.Session(), "_original_handler", None)


def use_plain_session(on=True):
    global _plain
    _plain = bool(on)


def new_session(profile):
    if _plain or _template_emitter is None:
        return botocore.session.Session(profile=profile)
    return botocore.session.Session(
        profile=profile, event_hooks=copy.copy(_template_emitter), include_builtin_handlers=False
    )


# ----------------------------------------------------------------------------- scenario


def _temp_base():
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return None


TEMP_BASE = _temp_base()


def make_dir(prefix="credlint-diff-"):
    return tempfile.mkdtemp(prefix=prefix, dir=TEMP_BASE)


def file_bytes(content):
    if isinstance(content, dict):
        return base64.b64decode(content["base64"])
    return content.encode("utf-8")


def write_tree(scenario, root_dir):
    """Write the scenario's files under root_dir (which gets home/ and root/etc/)."""
    os.makedirs(os.path.join(root_dir, "home"), exist_ok=True)
    os.makedirs(os.path.join(root_dir, "root", "etc"), exist_ok=True)
    for rel, content in (scenario.get("files") or {}).items():
        if os.path.isabs(rel) or ".." in rel.split("/"):
            raise ValueError(f"scenario file path must stay inside the scenario folder: {rel!r}")
        path = os.path.join(root_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(file_bytes(content))


def scenario_env(scenario, home):
    """The complete process environment botocore sees (run.py passes the same to credlint,
    except HOME, which credlint gets as --home)."""
    env = {str(k): str(v) for k, v in (scenario.get("env") or {}).items()}
    env.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    env["HOME"] = home
    return env


def redact(key):
    if key is None:
        return None
    if not isinstance(key, str):
        return NESTED
    return key[:4] + "****" + key[-4:] if len(key) >= 12 else "****"


def _materialised_key(creds):
    """The access key botocore holds right now, without triggering a refresh."""
    if isinstance(creds, botocore.credentials.RefreshableCredentials):
        # Includes DeferredRefreshableCredentials, whose _access_key stays None until the
        # first use, which would call STS/SSO. Never touch the .access_key property.
        return creds.__dict__.get("_access_key")
    return creds.__dict__.get("access_key")


def result_of(creds):
    if creds is None:
        return {"method": None, "access_key": None, "error": None}
    key = _materialised_key(creds)
    if key == STAND_IN:
        key = None
    return {"method": creds.method, "access_key": redact(key), "error": None}


def run_in(scenario, folder):
    """Run botocore on a scenario whose files are already written under folder."""
    home = os.path.join(folder, "home")
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    boto = botocore.credentials.BotoProvider
    try:
        os.environ.clear()
        os.environ.update(scenario_env(scenario, home))
        os.chdir(folder)
        boto.DEFAULT_CONFIG_FILENAMES = [os.path.join(folder, "root", "etc", "boto.cfg"), "~/.boto"]
        _block(True)
        try:
            session = new_session(scenario.get("profile"))
            creds = session.get_credentials()
        finally:
            _block(False)
        return result_of(creds)
    except Exception as e:  # noqa: BLE001 - whatever botocore raises is the result
        return {"method": None, "access_key": None, "error": {"class": type(e).__name__, "message": str(e)}}
    finally:
        boto.DEFAULT_CONFIG_FILENAMES = list(_REAL_BOTO_FILENAMES)
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_scenario(scenario):
    """Run botocore offline on one scenario (in a fresh temporary folder) -> result dict."""
    folder = make_dir()
    try:
        write_tree(scenario, folder)
        return run_in(scenario, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ----------------------------------------------------------------------------- CLI


def ensure_utf8_mode():
    """Re-execute under `python -X utf8` when the locale would not decode files as UTF-8,
    so that results do not depend on the caller's LANG/LC_ALL."""
    if sys.flags.utf8_mode or locale.getpreferredencoding(False).lower().replace("-", "") == "utf8":
        return
    os.execv(sys.executable, [sys.executable, "-X", "utf8"] + sys.argv)


def main(argv):
    if len(argv) != 2:
        print("usage: harness.py SCENARIO.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        scenario = json.load(f)
    print(json.dumps(run_scenario(scenario), indent=2, ensure_ascii=False))
    if blocked_calls:
        print(f"harness: blocked {len(blocked_calls)} call(s): {blocked_calls[:5]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    ensure_utf8_mode()
    sys.exit(main(sys.argv))
