"""Differential test of the bearer-token path: which credentials a client of a Bedrock (or
other) service really uses, in real botocore and in `credlint resolve --service`.

usage: .venv/bin/python tests/differential/bearer.py --credlint PATH [--count N] [--seed N]

botocore runs in this process. For each random scenario (environment, a config and a
credentials file, a profile, the service, the client's Config) it creates the client as a
program would, then makes one call whose request is caught in `before-send`, before
anything is sent: the Authorization header says whether the client used a bearer token or
SigV4, and with which key. Nothing leaves the machine. credlint runs as

    credlint resolve --no-process-env --home DIR --env K=V ... --service S [--auth-in-code]
                     --format json

and the two agree when the verdict is the same: the exception class (when the client
cannot be made or the call cannot be signed), else the scheme and the redacted token, or
the credential method and the redacted key id.
"""
import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import botocore.session
from botocore.config import Config

SERVICES = {
    # service: (operation, kwargs): a call with no required parameters, or few.
    "bedrock": ("list_foundation_models", {}),
    "bedrock-runtime": ("list_async_invokes", {}),
    "bedrock-agent-runtime": ("list_sessions", {}),
    "s3": ("list_buckets", {}),
}
KEY = "AKIAQ3LBZ7WDX5RNTC4M"
SECRET = "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"
FILE_KEY = "AKIAR4TN8WQ2LXZ5KV7M"


class Caught(Exception):
    def __init__(self, headers):
        super().__init__("caught")
        self.headers = headers


def catch(request, **_):
    raise Caught(dict(request.headers))


def redact_key(k):
    return k[:4] + "****" + k[-4:] if len(k) >= 12 else "****"


def redact_token(t):
    for prefix in ("ABSK", "bedrock-api-key-"):
        if t.startswith(prefix):
            return prefix + "****" + t[-4:]
    return "****" + t[-4:] if len(t) >= 16 else "****"


def long_term_key(rng):
    secret = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(44))
    raw = f"BedrockAPIKey-{rng.randrange(1000, 9999)}-at-{rng.randrange(10**11, 10**12)}:{secret}="
    return "ABSK" + base64.b64encode(raw.encode()).decode()


def scenario(rng):
    env = {}
    token = rng.choice(["unset", "empty", "long", "long", "other"])
    if token == "empty":
        env["AWS_BEARER_TOKEN_BEDROCK"] = ""
    elif token == "long":
        env["AWS_BEARER_TOKEN_BEDROCK"] = long_term_key(rng)
    elif token == "other":
        env["AWS_BEARER_TOKEN_BEDROCK"] = rng.choice(["abc", "bedrock-api-key-not-a-url-at-all-0000"])
    keys = rng.choice(["none", "none", "pair", "pair", "id-only"])
    if keys in ("pair", "id-only"):
        env["AWS_ACCESS_KEY_ID"] = KEY
    if keys == "pair":
        env["AWS_SECRET_ACCESS_KEY"] = SECRET
    profile = rng.choice([None, None, None, "dev", "dev", "missing"])
    if profile:
        env["AWS_PROFILE"] = profile
    files = {}
    if rng.random() < 0.6:
        files["credentials"] = f"[dev]\naws_access_key_id = {FILE_KEY}\naws_secret_access_key = {SECRET}\n"
    if rng.random() < 0.3:
        files["config"] = f"[default]\naws_access_key_id = {FILE_KEY}\naws_secret_access_key = {SECRET}\n"
    if rng.random() < 0.05:
        files["config"] = "[default\nbroken\n"
    return {
        "env": env,
        "files": files,
        "service": rng.choice(list(SERVICES)),
        "config": rng.choice(["none", "none", "signature_version", "auth_scheme_preference"]),
    }


def run_botocore(s, home):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(s["env"])
    os.environ["HOME"] = home
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["AWS_CONFIG_FILE"] = os.path.join(home, ".aws", "config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(home, ".aws", "credentials")
    try:
        kwargs = {"region_name": "us-east-1"}
        if s["config"] == "signature_version":
            kwargs["config"] = Config(signature_version="v4")
        elif s["config"] == "auth_scheme_preference":
            kwargs["config"] = Config(auth_scheme_preference="sigv4")
        try:
            client = botocore.session.Session().create_client(s["service"], **kwargs)
        except Exception as e:  # noqa: BLE001 - the class is the verdict
            return {"error": type(e).__name__}
        client.meta.events.register("before-send", catch)
        op, args = SERVICES[s["service"]]
        try:
            getattr(client, op)(**args)
        except Caught as c:
            auth = c.headers.get("Authorization", b"")
            auth = auth.decode() if isinstance(auth, bytes) else auth
            if auth.startswith("Bearer "):
                return {"scheme": "bearer", "token": redact_token(auth[len("Bearer "):])}
            cred = auth.split("Credential=", 1)[1].split("/", 1)[0] if "Credential=" in auth else ""
            method = client._request_signer._credentials.method
            return {"scheme": "sigv4", "method": method, "key": redact_key(cred)}
        except Exception as e:  # noqa: BLE001
            return {"error": type(e).__name__}
        return {"error": "NoRequest"}
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_credlint(binary, s, home, cwd):
    cmd = [binary, "resolve", "--no-process-env", "--home", home, "--service", s["service"], "--format", "json"]
    env = dict(s["env"], AWS_EC2_METADATA_DISABLED="true")
    for k, v in sorted(env.items()):
        cmd.append(f"--env={k}={v}")
    if s["config"] != "none":
        cmd.append("--auth-in-code")
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        return {"error": f"credlint exit {out.returncode}: {out.stderr.strip()}"}
    d = json.loads(out.stdout)
    if d.get("error"):
        return {"error": d["error"]["class"]}
    client = d["client"]
    if client["scheme"] == "bearer":
        return {"scheme": "bearer", "token": client["token"]}
    w = d.get("winner")
    if not w:
        return {"error": "NoCredentialsError"}
    return {"scheme": "sigv4", "method": w["method"], "key": w["access_key"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--credlint", required=True)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    failures = 0
    verdicts = {}
    for i in range(a.count):
        s = scenario(rng)
        tmp = tempfile.mkdtemp(prefix="credlint-bearer-")
        try:
            home = os.path.join(tmp, "home")
            os.makedirs(os.path.join(home, ".aws"))
            for name, text in s["files"].items():
                with open(os.path.join(home, ".aws", name), "w") as f:
                    f.write(text)
            b = run_botocore(s, home)
            c = run_credlint(a.credlint, s, home, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        label = b.get("error") or b["scheme"] + ("" if b["scheme"] == "bearer" else ":" + b["method"])
        verdicts[label] = verdicts.get(label, 0) + 1
        if b != c:
            failures += 1
            if failures <= 10:
                print(f"DISAGREE #{i}: {json.dumps(s)}\n  botocore: {b}\n  credlint: {c}")
    print(f"seed {seed}; verdicts: {json.dumps(dict(sorted(verdicts.items())))}")
    print(f"bearer: {a.count - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
