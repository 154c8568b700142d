"""Differential test of the bearer-token path: which credentials a client of a Bedrock (or
other) service really uses, in real botocore and in `credlint resolve --service`.

usage: .venv/bin/python tests/differential/bearer.py --credlint PATH [--count N] [--seed N]
           [--sdk botocore|js-v3] [--oracles DIR]

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

With --sdk js-v3 the client is @aws-sdk/client-bedrock-runtime's BedrockRuntimeClient, made
by the JavaScript oracle (tests/oracles/js/oracle.js, installed by `bash
scripts/setup-oracles.sh js`) with the network refused and its request caught in the request
handler; the scenarios add AWS_AUTH_SCHEME_PREFERENCE, `auth_scheme_preference` in either
file and `authSchemePreference` in code, and named regressions run first. credlint runs as
`credlint resolve --sdk js-v3 ... --service bedrock-runtime [--auth-scheme-preference LIST]`.
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

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
    import botocore.session
    from botocore.config import Config

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


# ----------------------------------------------------------------------------- js-v3

JS_PREFERENCES_ENV = [None, None, None, "httpBearerAuth", "sigv4", "sigv4,httpBearerAuth",
                      " httpBearerAuth , sigv4", "", "bogus"]
JS_PREFERENCES_CODE = [None, None, None, None, ["sigv4"], ["httpBearerAuth"], [], ["bogus", "httpBearerAuth"]]
JS_PREFERENCES_FILE = [None, None, None, "httpBearerAuth", "sigv4", "sigv4, httpBearerAuth", ""]


def js_scenario(rng):
    s = scenario(rng)
    s["service"] = "bedrock-runtime"
    s["profile"] = rng.choice([None, None, None, "dev", "missing"])
    s["auth_preference"] = rng.choice(JS_PREFERENCES_CODE)
    pref = rng.choice(JS_PREFERENCES_ENV)
    if pref is not None:
        s["env"]["AWS_AUTH_SCHEME_PREFERENCE"] = pref
    in_file = rng.choice(JS_PREFERENCES_FILE)
    if in_file is not None:
        where = rng.choice(["config-default", "config-dev", "credentials-dev"])
        line = f"auth_scheme_preference = {in_file}\n"
        if where == "config-default":
            s["files"]["config"] = s["files"].get("config", "[default]\n") + line
        elif where == "config-dev":
            s["files"]["config"] = s["files"].get("config", "") + "[profile dev]\n" + line
        else:
            s["files"]["credentials"] = s["files"].get("credentials", "[dev]\n") + line
    del s["config"]
    return s


TOKEN = "ABSK" + base64.b64encode(b"BedrockAPIKey-1234-at-123456789012:" + b"x" * 44 + b"=").decode()
JS_REGRESSIONS = [
    # The token wins although the chain would raise (AWS_PROFILE names no profile): not run.
    {"name": "token-shadows-a-failing-chain", "env": {"AWS_BEARER_TOKEN_BEDROCK": TOKEN, "AWS_PROFILE": "missing"}},
    # An empty token is chosen all the same, and the signer refuses it: no SigV4 fallback.
    {"name": "empty-token-raises", "env": {"AWS_BEARER_TOKEN_BEDROCK": "", "AWS_ACCESS_KEY_ID": KEY,
                                           "AWS_SECRET_ACCESS_KEY": SECRET}},
    # The token's variable outranks AWS_AUTH_SCHEME_PREFERENCE and the config file's setting.
    {"name": "token-beats-env-preference", "env": {"AWS_BEARER_TOKEN_BEDROCK": TOKEN, "AWS_AUTH_SCHEME_PREFERENCE": "sigv4"}},
    {"name": "token-beats-file-preference", "env": {"AWS_BEARER_TOKEN_BEDROCK": TOKEN},
     "files": {"config": f"[default]\nauth_scheme_preference = sigv4\naws_access_key_id = {FILE_KEY}\naws_secret_access_key = {SECRET}\n"}},
    # A preference given in code outranks the token, even an empty list.
    {"name": "code-sigv4-beats-token", "env": {"AWS_BEARER_TOKEN_BEDROCK": TOKEN, "AWS_ACCESS_KEY_ID": KEY,
                                               "AWS_SECRET_ACCESS_KEY": SECRET}, "auth_preference": ["sigv4"]},
    {"name": "code-empty-list-beats-token", "env": {"AWS_BEARER_TOKEN_BEDROCK": TOKEN, "AWS_ACCESS_KEY_ID": KEY,
                                                    "AWS_SECRET_ACCESS_KEY": SECRET}, "auth_preference": []},
    # Bearer preferred without the variable: the SSO token provider, which finds nothing.
    {"name": "bearer-preferred-without-token", "env": {"AWS_AUTH_SCHEME_PREFERENCE": "httpBearerAuth", "AWS_ACCESS_KEY_ID": KEY,
                                                       "AWS_SECRET_ACCESS_KEY": SECRET}},
    # The profile passed in code picks the file's preference.
    {"name": "file-preference-of-profile-in-code", "profile": "dev", "env": {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET},
     "files": {"config": "[profile dev]\nauth_scheme_preference = httpBearerAuth\n"}},
]


def js_regressions():
    out = []
    for r in JS_REGRESSIONS:
        out.append({"name": r["name"], "env": dict(r["env"]), "files": dict(r.get("files", {})),
                    "service": "bedrock-runtime", "profile": r.get("profile"),
                    "auth_preference": r.get("auth_preference")})
    return out


def client_env(s, home):
    env = dict(s["env"], HOME=home, AWS_EC2_METADATA_DISABLED="true")
    env["AWS_CONFIG_FILE"] = os.path.join(home, ".aws", "config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(home, ".aws", "credentials")
    return env


class JsOracle:
    def __init__(self, oracles):
        sys.path.insert(0, HERE)
        import run_sdk  # noqa: PLC0415 - its verdict vocabulary and network namespace

        self.run_sdk = run_sdk
        cmd, env = run_sdk.oracle_command("js-v3", oracles)
        self.proc = subprocess.Popen(run_sdk.NET_NAMESPACE + cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=env, cwd=ROOT, text=True, encoding="utf-8", bufsize=1)

    def ask(self, s, tmp, home):
        line = {"dir": tmp, "env": client_env(s, home), "profile": s.get("profile"),
                "service": s["service"], "auth_preference": s.get("auth_preference")}
        self.proc.stdin.write(json.dumps(line) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"the js oracle exited (status {self.proc.poll()})")
        raw = json.loads(answer)
        problem = self.run_sdk.harness_problem("js-v3", raw)
        if problem:
            raise RuntimeError(f"the js oracle went wrong in {s['name']}: {problem}")
        if raw.get("scheme") == "bearer":
            return {"scheme": "bearer", "token": raw["token"]}
        v = self.run_sdk.verdict("js-v3", raw)
        if v["method"] is None:
            return {"error": v["error"]}
        return {"scheme": "sigv4", "method": v["method"], "key": v["access_key"]}

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def run_credlint_js(binary, s, home, cwd):
    cmd = [binary, "resolve", "--sdk", "js-v3", "--no-process-env", "--home", home,
           "--service", s["service"], "--format", "json"]
    for k, v in sorted(client_env(s, home).items()):
        if k != "HOME":
            cmd.append(f"--env={k}={v}")
    if s.get("profile") is not None:
        cmd.append(f"--profile={s['profile']}")
    if s.get("auth_preference") is not None:
        cmd.append("--auth-scheme-preference=" + ",".join(s["auth_preference"]))
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        return {"error": f"credlint exit {out.returncode}: {out.stderr.strip()}"}
    d = json.loads(out.stdout)
    client = d["client"]
    if client["scheme"] == "bearer":
        if client.get("error"):
            return {"error": client["error"]}
        return {"scheme": "bearer", "token": client.get("token")}
    if d.get("error"):
        return {"error": d["error"]["class"]}
    w = d.get("winner")
    if not w:
        return {"error": "nothing"}
    return {"scheme": "sigv4", "method": w["method"], "key": w["access_key"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--credlint", required=True)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--sdk", choices=["botocore", "js-v3"], default="botocore")
    ap.add_argument("--oracles", default=os.environ.get("CREDLINT_ORACLES", os.path.join(ROOT, ".oracles")))
    a = ap.parse_args()
    if a.sdk == "js-v3":
        return main_js(a)
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    failures = 0
    verdicts = {}
    for i in range(a.count):
        s = scenario(rng)
        tmp = tempfile.mkdtemp(prefix="credlint-bearer-")
        try:
            home = write_home(tmp, s["files"])
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


def write_home(tmp, files):
    """A home folder under `tmp` holding the scenario's `.aws` files; returns its path."""
    home = os.path.join(tmp, "home")
    os.makedirs(os.path.join(home, ".aws"))
    for name, text in files.items():
        with open(os.path.join(home, ".aws", name), "w") as f:
            f.write(text)
    return home


def main_js(a):
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    scenarios = js_regressions() + [dict(js_scenario(rng), name=f"#{i}") for i in range(a.count)]
    oracle = JsOracle(a.oracles)
    failures = 0
    verdicts = {}
    try:
        for s in scenarios:
            tmp = tempfile.mkdtemp(prefix="credlint-bearer-js-")
            try:
                home = write_home(tmp, s["files"])
                j = oracle.ask(s, tmp, home)
                c = run_credlint_js(a.credlint, s, home, tmp)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            label = j.get("error") or j["scheme"] + ("" if j["scheme"] == "bearer" else ":" + str(j["method"]))
            verdicts[label] = verdicts.get(label, 0) + 1
            if j != c:
                failures += 1
                if failures <= 10:
                    print(f"DISAGREE {s['name']}: {json.dumps(s)}\n  js-v3:    {j}\n  credlint: {c}")
    finally:
        oracle.close()
    print(f"seed {seed}; {len(JS_REGRESSIONS)} regressions and {a.count} random scenarios;"
          f" verdicts: {json.dumps(dict(sorted(verdicts.items())))}")
    print(f"bearer js-v3: {len(scenarios) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
