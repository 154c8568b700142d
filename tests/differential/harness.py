"""Run real botocore, offline, on one credential scenario.

A scenario is JSON: {"env": {...}, "profile": null | "name", "files": {"home/.aws/config":
"text", "root/etc/boto.cfg": "text", ...}}. File keys are relative to a scenario folder
holding home/ (the fake $HOME) and root/ (standing for /, so root/etc/boto.cfg is
/etc/boto.cfg). A value may be {"base64": "..."} for raw bytes.

The process environment is replaced by the scenario's (plus HOME and, unless the scenario
sets it, AWS_EC2_METADATA_DISABLED=true). Sockets and process spawning are blocked.
credential_process is never run: botocore's process provider is stopped just before it
would spawn the command and reports a stand-in result, so the chain continues exactly as
it would; container endpoints likewise (after botocore's own URL and header checks).
Deferred credentials (assume-role, SSO, web identity) are never materialised.

Output: {"method", "access_key" (redacted: first 4 + "****" + last 4), "error": {"class",
"message"} | null}.
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile

import botocore.credentials
import botocore.session
import botocore.utils
from botocore.compat import compat_shell_split

STAND_IN = "STANDINKEYNOTREAL0000"


def _blocked(*_args, **_kwargs):
    raise RuntimeError("the differential harness blocks sockets and processes")


_REAL = {
    (socket, "socket"): socket.socket,
    (socket, "create_connection"): socket.create_connection,
    (subprocess, "Popen"): subprocess.Popen,
    (os, "system"): os.system,
    (os, "execv"): os.execv,
    (os, "fork"): os.fork,
}


def _block(on):
    for (module, name), real in _REAL.items():
        setattr(module, name, _blocked if on else real)


def _process_stand_in(self, credential_process):
    # What botocore does before Popen, without Popen: split the command (ValueError on bad
    # quoting), and Popen([]) raises IndexError for an empty command.
    argv = compat_shell_split(credential_process)
    if not argv:
        raise IndexError("list index out of range")
    return {"access_key": STAND_IN, "secret_key": "x", "token": None, "expiry_time": None, "account_id": None}


def _container_stand_in(self, full_url, extra_headers=None):
    return {"AccessKeyId": STAND_IN, "SecretAccessKey": "x", "Token": "t", "Expiration": "2100-01-01T00:00:00Z"}


botocore.credentials.ProcessProvider._retrieve_credentials_using = _process_stand_in
botocore.utils.ContainerMetadataFetcher._retrieve_credentials = _container_stand_in


def redact(key):
    if key is None:
        return None
    return key[:4] + "****" + key[-4:] if len(key) >= 12 else "****"


def write_tree(scenario, root_dir):
    for rel, content in scenario.get("files", {}).items():
        path = os.path.join(root_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = base64.b64decode(content["base64"]) if isinstance(content, dict) else content.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
    os.makedirs(os.path.join(root_dir, "home"), exist_ok=True)
    os.makedirs(os.path.join(root_dir, "root", "etc"), exist_ok=True)


def harness_env(scenario, home):
    env = dict(scenario.get("env", {}))
    env.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    env["HOME"] = home
    return env


def run_scenario(scenario):
    with tempfile.TemporaryDirectory() as d:
        write_tree(scenario, d)
        home = os.path.join(d, "home")
        saved = dict(os.environ)
        saved_cwd = os.getcwd()
        os.environ.clear()
        os.environ.update(harness_env(scenario, home))
        os.chdir(d)
        _block(True)
        botocore.credentials.BotoProvider.DEFAULT_CONFIG_FILENAMES = [os.path.join(d, "root", "etc", "boto.cfg"), "~/.boto"]
        try:
            session = botocore.session.Session(profile=scenario.get("profile"))
            creds = session.get_credentials()
        except Exception as e:  # noqa: BLE001 - the class is the result
            return {"method": None, "access_key": None, "error": {"class": type(e).__name__, "message": str(e)}}
        finally:
            _block(False)
            os.environ.clear()
            os.environ.update(saved)
            os.chdir(saved_cwd)
        if creds is None:
            return {"method": None, "access_key": None, "error": None}
        method = creds.method
        key = None
        if not isinstance(creds, botocore.credentials.DeferredRefreshableCredentials):
            key = creds.__dict__.get("_access_key", creds.__dict__.get("access_key"))
        if key == STAND_IN or method in ("custom-process", "container-role"):
            key = None
        if key is not None and not isinstance(key, str):
            key = str(key)
        return {"method": method, "access_key": redact(key), "error": None}


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(json.dumps(run_scenario(json.load(f)), indent=2))
