"""Seeded random credential scenarios for the differential tests (format: see harness.py).

usage: python tests/differential/gen.py [--seed N] [--count N] [--index I] [--out DIR]
       import gen; gen.generate(seed, count) -> [scenario, ...]; gen.scenario(seed, i)

Scenario i of seed s depends on (s, i) only, so `--seed s --index i` reproduces one scenario
of a long run. Each scenario first draws a focus (what the selected profile or the
environment is mainly about: a provider that should win, or a way to fail), builds that,
then adds background noise (other profiles, env variables, boto2 files, redirects, ini
quirks and malformations) that sometimes changes the outcome. The foci are weighted so that
every provider wins and every error class botocore raises shows up a fair share of the time
(run.py --only-botocore prints the distribution).

All key material is fake: key ids are a real prefix, "FAKE" and 12 characters from the
seeded generator (20 characters of [A-Z2-7]); secrets start with "FAKE" too.
"""
import argparse
import base64
import json
import os
import random
import sys

A32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
NAMES = ["default", "dev", "prod", "ci", "admin", "Dev", "my dev", "a", "b", "c", "x.y", "team-1", "#x"]
SOURCES_OK = ["Environment", "EcsContainer", "Ec2InstanceMetadata"]
SOURCES_BAD = ["environment", "Env", "SharedConfig", "", "EcsContainer "]
ROLE = "arn:aws:iam::111122223333:role/"

# focus -> weight. Tuned with `run.py --only-botocore --seed 1` so that no outcome dominates.
FOCI = {
    "env": 6, "env-partial": 3, "static-creds": 6, "static-config": 5, "split": 3,
    "role": 8, "role-bad": 5, "role-cycle": 4, "credential-source": 5, "web": 5, "sso": 6,
    "login": 2, "process": 6, "ec2file": 5, "boto": 5, "container": 5, "imds": 3,
    "missing-profile": 3, "malformed": 5, "ini-quirks": 7, "redirect": 4, "lazy-imds-env": 1,
    "expiry": 1,
}


class Gen:
    def __init__(self, rng):
        self.r = rng

    # -- randomness helpers
    def chance(self, p):
        return self.r.random() < p

    def pick(self, xs):
        return self.r.choice(xs)

    def weighted(self, table):
        keys = list(table)
        return self.r.choices(keys, weights=[table[k] for k in keys])[0]

    # -- key material (fake)
    def key_id(self, prefix=None):
        if prefix is None:
            prefix = self.weighted({"AKIA": 10, "ASIA": 4, "AIDA": 1, "ABIA": 1})
        return prefix + "FAKE" + "".join(self.r.choice(A32) for _ in range(12))

    def odd_key_id(self):
        """Key ids of unusual shapes, for the redaction rules."""
        return self.pick([
            "", "AKIA12", "akia" + "".join(self.r.choice(A32) for _ in range(16)).lower(),
            "AKIAIOSFODNN7EXAMPLE", self.key_id() + "X", "'" + self.key_id() + "'",
            "AKIA€FAKE" + "".join(self.r.choice(A32) for _ in range(11)),
        ])

    def secret(self):
        return "FAKE" + "".join(self.r.choice(B64) for _ in range(36))

    def token(self):
        return "FAKEtoken" + "".join(self.r.choice(B64) for _ in range(40))

    # -- profile bodies: lists of (key, value); value None means "key = " followed by a
    # nested block given as a list of lines
    def static_body(self, partial=0.08):
        body = []
        kid = self.key_id() if self.chance(0.93) else self.odd_key_id()
        if not self.chance(partial / 2):
            body.append(("aws_access_key_id", kid))
        if not self.chance(partial):
            body.append(("aws_secret_access_key", self.secret()))
        if self.chance(0.25):
            body.append((self.pick(["aws_session_token", "aws_security_token"]), self.token()))
        if self.chance(0.1):
            self.r.shuffle(body)
        return body

    def role_body(self, source_profile=None, mode=None):
        body = [("role_arn", ROLE + self.pick(["r1", "r2", "admin"]))]
        mode = mode or self.weighted({"source": 8, "cs": 2, "both": 1, "neither": 1})
        if mode in ("source", "both"):
            body.append(("source_profile", source_profile if source_profile is not None else "missing"))
        if mode in ("cs", "both"):
            body.append(("credential_source", self.pick(SOURCES_OK * 4 + SOURCES_BAD)))
        if self.chance(0.15):
            body.append(("duration_seconds", self.pick(["3600", "12h", "900", "50000"])))
        if self.chance(0.1):
            body.append(("mfa_serial", "arn:aws:iam::111122223333:mfa/me"))
        if self.chance(0.1):
            body.append(("external_id", "ext-1"))
        if self.chance(0.05):
            body.append(("role_session_name", "s"))
        return body

    def sso_body(self):
        variant = self.weighted({"legacy": 4, "legacy-partial": 2, "session": 4, "session-missing": 1,
                                 "session-inconsistent": 1, "only-start-url": 1, "empty-values": 1})
        if variant == "legacy":
            return [("sso_start_url", "https://fake.awsapps.com/start"), ("sso_region", "eu-west-1"),
                    ("sso_account_id", "111122223333"), ("sso_role_name", "Dev")]
        if variant == "legacy-partial":
            full = [("sso_start_url", "https://fake.awsapps.com/start"), ("sso_region", "eu-west-1"),
                    ("sso_account_id", "111122223333"), ("sso_role_name", "Dev")]
            return [kv for kv in full if self.chance(0.6)] or [("sso_account_id", "111122223333")]
        if variant == "only-start-url":
            return [("sso_start_url", "https://fake.awsapps.com/start"), ("sso_region", "eu-west-1")]
        if variant == "empty-values":
            return [("sso_start_url", ""), ("sso_region", ""), ("sso_account_id", ""), ("sso_role_name", "")]
        body = [("sso_session", "corp" if variant != "session-missing" else self.pick(["nope", ""])),
                ("sso_account_id", "111122223333")]
        if self.chance(0.85):
            body.append(("sso_role_name", "Dev"))
        if variant == "session-inconsistent":
            body.append(("sso_region", "us-east-1"))
        elif self.chance(0.2):
            body.append(("sso_region", "eu-west-1"))  # consistent with the session
        return body

    def process_body(self):
        cmd = self.weighted({"/opt/bin/fake-creds --json": 6, "fake-tool 'profile x'": 2, "": 2,
                             'fake-tool "unterminated': 1, "fake-tool \\": 1, '""': 1,
                             "#not-a-comment": 1, "fake-tool # arg": 0.5, '"a\\$b"': 0.5})
        return [("credential_process", cmd)]

    def web_body(self):
        body = [("web_identity_token_file", self.pick(["~/token", "/var/run/fake/token", ""]))]
        if self.chance(0.75):
            body.append(("role_arn", ROLE + "web"))
        if self.chance(0.2):
            body.append(("role_session_name", "w"))
        return body

    def body(self, kind, names, me):
        others = [n for n in names if n != me] or ["missing"]
        if kind == "static":
            return self.static_body()
        if kind == "role":
            return self.role_body(source_profile=self.pick(others * 3 + [me, "missing"]))
        if kind == "sso":
            return self.sso_body()
        if kind == "process":
            return self.process_body()
        if kind == "web":
            return self.web_body()
        if kind == "login":
            return [("login_session", self.pick(["arn:aws:iam::111122223333:user/me", ""]))]
        if kind == "region":
            return [("region", "eu-west-1")] + ([("output", "json")] if self.chance(0.5) else [])
        if kind == "imds-config":
            return [self.pick([("metadata_service_timeout", "abc"), ("metadata_service_num_attempts", "2"),
                               ("ec2_metadata_service_endpoint_mode", self.pick(["ipv4", "IPv6", "ipv5"])),
                               ("ec2_metadata_service_endpoint", self.pick(["http://169.254.169.254", "not a url"])),
                               ("metadata_service_timeout", "5")])]
        return []

    def background_kind(self):
        return self.weighted({"static": 6, "role": 3, "sso": 1, "process": 1, "web": 1, "login": 0.3,
                              "region": 3, "empty": 1, "imds-config": 0.2})


class World:
    """Profiles being placed into a credentials file and a config file."""

    def __init__(self, g):
        self.g = g
        self.creds = []  # [header, [(k, v)]]
        self.config = []
        self.extra_config = []  # sections that are not profiles (sso-session, ...)
        self.raw_creds = []  # text blocks appended verbatim
        self.raw_config = []

    def creds_header(self, name):
        return name if self.g.chance(0.92) else f"profile {name}"

    def config_header(self, name):
        g = self.g
        if name == "default":
            return g.weighted({"default": 8, "profile default": 2})
        if " " in name:
            return g.weighted({f'profile "{name}"': 5, f"profile {name}": 3, f"profile '{name}'": 1})
        return g.weighted({f"profile {name}": 40, name: 2, f'profile "{name}"': 2, f"profile {name} extra": 1,
                           f"profilex {name}": 1, f"profile  {name}": 1, f" profile {name}": 1,
                           f"profile {name} ": 1, f"profile\t{name}": 1})

    def place(self, name, body, where=None):
        g = self.g
        where = where or g.weighted({"creds": 5, "config": 4, "both": 2})
        if where == "creds":
            self.creds.append([self.creds_header(name), list(body)])
        elif where == "config":
            self.config.append([self.config_header(name), list(body)])
        else:
            a, b = [], []
            for kv in body:
                side = g.weighted({"a": 4, "b": 4, "ab": 1})
                if "a" in side:
                    a.append(kv)
                if "b" in side:
                    b.append(kv)
            self.creds.append([self.creds_header(name), a])
            self.config.append([self.config_header(name), b])


def render_value(g, key, value, quirks):
    sep = g.weighted({" = ": 12, "=": 3, " =": 1, ": ": 1, " : ": 1, "\t=\t": 0.5})
    k = key.upper() if g.chance(0.03) else key
    if isinstance(value, list):  # nested block
        return [f"{k}{sep.rstrip()}"] + [f"    {line}" for line in value]
    v = value
    if quirks and key == "aws_access_key_id" and v:
        q = g.weighted({"none": 20, "hash": 1, "semicolon": 1, "continuation": 1, "quoted": 1, "trailing-ws": 1})
        if q == "hash":
            v = v + " # prod"
        elif q == "semicolon":
            v = v + " ; prod"
        elif q == "quoted":
            v = f'"{v}"'
        elif q == "trailing-ws":
            return [f"{k}{sep}{v}   \t"]
        elif q == "continuation":
            return [f"{k}{sep}{v}", "    " + g.pick(["more", "AKIAFAKECONTINUED"])]
    line = f"{k}{sep}{v}" if v != "" or g.chance(0.5) else f"{k}{sep.rstrip()}"
    return [line]


def render_ini(g, sections, quirks):
    out = []
    if g.chance(0.15):
        out.append(g.pick(["# written by a fake tool", "; comment", "   # indented comment", ""]))
    for header, body in sections:
        out.append(f"[{header}]" if not (quirks and g.chance(0.03)) else f"[{header}] ; trailing text")
        indent = "  " if quirks and g.chance(0.05) else ""
        for i, (k, v) in enumerate(body):
            lines = render_value(g, k, v, quirks)
            out.extend(indent + line for line in lines)
            if quirks and g.chance(0.04):
                out.append(g.pick(["# note", "; note", "  # indented note", ""]))
        if g.chance(0.7):
            out.append("")
    return "\n".join(out) + ("\n" if g.chance(0.9) else "")


# -- whole-file quirks and malformations (text in, text or {"base64"} out)

def fatal_malformation(g, text):
    lines = text.split("\n")
    kind = g.pick(["dup-section", "dup-key", "no-sep", "key-before-section", "bom", "nested-bad",
                   "empty-key-name", "latin1", "indented-before-section", "empty-header", "dup-default-key",
                   "nested-splitlines", "default-nested"])
    headers = [i for i, line in enumerate(lines) if line.startswith("[")]
    if kind == "dup-section":
        if headers:
            lines += [lines[g.pick(headers)].split("]")[0] + "]", "region = us-east-1"]
        else:
            lines += ["[dup]", "x = 1", "[dup]", "y = 2"]
    elif kind == "dup-key":
        keyed = [i for i, line in enumerate(lines) if "=" in line and not line.startswith(("[", " ", "#", ";"))]
        if keyed:
            i = g.pick(keyed)
            lines.insert(i + 1, lines[i].split("=")[0].strip().upper() + " = duplicate")
        else:
            lines += ["[d]", "k = 1", "K = 2"]
    elif kind == "no-sep":
        lines.append("this line has no separator")
    elif kind == "key-before-section":
        lines.insert(0, "region = eu-west-1")
    elif kind == "bom":
        return "\ufeff" + "\n".join(lines)
    elif kind == "nested-bad":
        lines += ["[profile nested]" if not headers else "", "s3 =", "    not a pair"]
        if headers:
            lines = lines[:-3] + ["s3 =", "    not a pair"]
    elif kind == "empty-key-name":
        lines.append(" = orphan value" if headers else "[e]\n= orphan")
    elif kind == "latin1":
        data = ("# caf\u00e9\n" + "\n".join(lines)).encode("latin-1", errors="replace")
        return {"base64": base64.b64encode(data).decode()}
    elif kind == "indented-before-section":
        lines.insert(0, "  indented = before any section")
    elif kind == "empty-header":
        lines.insert(0, "[]")
    elif kind == "nested-splitlines":  # _parse_nested uses str.splitlines(): more line breaks
        lines += ["s3 =", "    a = 1" + g.pick(["\u2028", "\x0c", "\x1e", "\x85"]) + g.pick(["junk", "b = 2", ""])]
    elif kind == "default-nested":  # parsed only where a section inherits it
        lines = ["[DEFAULT]", "x =", g.pick(["  junk", " [default]", "  k = v"])] + lines
    elif kind == "dup-default-key":
        lines += ["[DEFAULT]", "region = a", "[DEFAULT]", "region = b"]
    return "\n".join(lines)


def newline_style(g, text):
    if not isinstance(text, str):
        return text
    style = g.weighted({"lf": 20, "crlf": 2, "cr": 0.5})
    if style == "crlf":
        return text.replace("\n", "\r\n")
    if style == "cr":
        return text.replace("\n", "\r")
    return text


# -- the scenario

def select_profile(g, names, focus, env):
    """Choose the selected profile and how it is selected; returns (name, profile-in-code)."""
    how = g.weighted({"none": 32, "explicit": 20, "AWS_PROFILE": 25, "AWS_DEFAULT_PROFILE": 15, "both": 8})
    if focus == "missing-profile" and how == "none":
        how = g.pick(["explicit", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "both"])
    sel = "default" if how == "none" else g.pick(names)
    if focus == "missing-profile":
        sel = g.pick(["missing", "", "DEFAULT", "Default", "profile dev", "dev "])
    elif how != "none" and g.chance(0.03):
        sel = g.pick(["missing", ""])
    profile = None
    if how == "explicit":
        profile = sel
    elif how == "AWS_PROFILE":
        env["AWS_PROFILE"] = sel
    elif how == "AWS_DEFAULT_PROFILE":
        env["AWS_DEFAULT_PROFILE"] = sel
    elif how == "both":
        env["AWS_DEFAULT_PROFILE"] = sel
        env["AWS_PROFILE"] = g.pick([n for n in names if n != sel] or ["missing"])
    return sel, profile


def place_focus(g, w, focus, sel, names, env):
    """Build what the focus is about. Returns the profile names it defined and whether the
    selected profile still needs a body."""
    r = g.r
    others = [n for n in names if n != sel]
    placed = set()

    def fresh(n):
        if n not in names:
            names.append(n)
        return n

    if focus == "static-creds":
        w.place(sel, g.static_body(), "creds")
    elif focus == "static-config":
        w.place(sel, g.static_body(), "config")
    elif focus == "split":
        w.place(sel, g.static_body(partial=0), "both")
    elif focus == "role":
        depth = g.weighted({1: 6, 2: 3, 3: 1})
        chain = [sel] + r.sample(others, min(len(others), depth))
        if len(chain) == 1:
            chain.append(fresh("src"))
        for a, b in zip(chain, chain[1:]):
            extra = g.static_body() if (a == sel and g.chance(0.15)) else []
            w.place(a, g.role_body(source_profile=b, mode="source") + extra)
        last = chain[-1]
        kind = g.weighted({"static": 8, "process": 1, "sso": 1, "web": 1, "role-cs": 1})
        if kind == "role-cs":
            w.place(last, g.role_body(mode="cs"))
        else:
            w.place(last, g.body(kind, names, last))
        placed.update(chain)
    elif focus == "role-bad":
        variant = g.pick(["neither", "both", "missing-source", "bad-cs", "empty-source", "source-partial",
                          "source-secret-only", "source-login"])
        if variant == "neither":
            w.place(sel, g.role_body(mode="neither"))
        elif variant == "both":
            w.place(sel, g.role_body(source_profile=g.pick(others or [sel]), mode="both"))
        elif variant == "missing-source":
            w.place(sel, g.role_body(source_profile=g.pick(["missing", "Dev ", "profile dev", ""]), mode="source"))
        elif variant == "bad-cs":
            w.place(sel, [("role_arn", ROLE + "r"), ("credential_source", g.pick(SOURCES_BAD))])
        else:
            src = g.pick(others) if others else fresh("src")
            w.place(sel, g.role_body(source_profile=src, mode="source"))
            w.place(src, {"empty-source": [("region", "eu-west-1")],
                          "source-partial": [("aws_access_key_id", g.key_id())],
                          "source-secret-only": [("aws_secret_access_key", g.secret())],
                          "source-login": [("login_session", "arn:aws:iam::111122223333:user/me")]}[variant])
            placed.add(src)
    elif focus == "role-cycle":
        variant = g.pick(["self-with-keys", "self-without-keys", "two-cycle", "three-cycle", "chain-to-self"])
        if variant.startswith("self"):
            body = g.role_body(source_profile=sel, mode="source")
            if variant == "self-with-keys":
                body += g.static_body()
            w.place(sel, body)
        else:
            k = 3 if variant == "three-cycle" else 2
            ring = [sel] + others[: k - 1]
            while len(ring) < k:
                ring.append(fresh(f"r{len(ring)}"))
            for a, b in zip(ring, ring[1:] + [ring[0]]):
                if variant == "chain-to-self" and a == ring[-1]:
                    b = a  # sel -> x -> x: a profile naming itself below the top
                body = g.role_body(source_profile=b, mode="source")
                if g.chance(0.35):
                    body += g.static_body()
                w.place(a, body)
            placed.update(ring)
    elif focus == "credential-source":
        cs = g.pick(SOURCES_OK * 3 + SOURCES_BAD)
        w.place(sel, [("role_arn", ROLE + "cs"), ("credential_source", cs)])
        if g.chance(0.65):
            if cs.startswith("Env") or g.chance(0.3):
                env["AWS_ACCESS_KEY_ID"] = g.key_id()
                if g.chance(0.85):
                    env["AWS_SECRET_ACCESS_KEY"] = g.secret()
            if cs.startswith("Ecs") or g.chance(0.2):
                env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/fake"
    elif focus == "web":
        if g.chance(0.6):
            w.place(sel, g.web_body())
        else:
            env["AWS_WEB_IDENTITY_TOKEN_FILE"] = g.pick(["/var/run/fake/token", "~/token", ""])
            if g.chance(0.7):
                env["AWS_ROLE_ARN"] = ROLE + "env" if g.chance(0.9) else ""
            if g.chance(0.3):
                w.place(sel, [("role_arn", ROLE + "p")] if g.chance(0.5) else [("region", "x")])
            else:
                return placed, True
    elif focus == "sso":
        w.place(sel, g.sso_body(), g.weighted({"config": 6, "creds": 1, "both": 1}))
    elif focus == "login":
        w.place(sel, [("login_session", g.pick(["arn:aws:iam::111122223333:user/me"] * 5 + [""]))])
    elif focus == "process":
        body = g.process_body()
        if g.chance(0.3):
            body += g.static_body()
        w.place(sel, body, g.weighted({"config": 6, "creds": 1, "both": 2}))
    elif focus == "ini-quirks":
        q = g.pick(["defaults-section", "default-twice", "nested-ok", "nested-key", "indented-secret",
                    "uniform-indent", "continuation", "inline-comment", "header-variant", "creds-prefixed"])
        if q == "defaults-section":
            where = g.pick(["creds", "config"])
            body = g.static_body() if g.chance(0.7) else g.body(g.background_kind(), names, "DEFAULT")
            (w.creds if where == "creds" else w.config).append(["DEFAULT", body])
            w.place(sel, g.body(g.pick(["region", "empty", "static"]), names, sel), where)
        elif q == "default-twice":
            order = [["default", g.static_body()], ["profile default", g.static_body()]]
            if g.chance(0.5):
                order.reverse()
            w.config.extend(order)
            if sel != "default":
                return placed, True
        elif q == "nested-ok":
            w.place(sel, g.static_body() + [("s3", ["max_concurrent_requests = 10", "addressing_style = path"])])
        elif q == "nested-key":
            w.place(sel, [("aws_access_key_id", [f"id = {g.key_id()}"]), ("aws_secret_access_key", g.secret())])
        elif q == "header-variant":
            w.config.append([g.pick([f"profile {sel} x", f"profilex {sel}", f"profiles {sel}", f'profile "{sel}"',
                                     f"profile '{sel}", f" profile {sel}", f"profile {sel} ", f"profile {sel}]x"]),
                             g.static_body()])
        elif q == "creds-prefixed":
            w.creds.append([f"profile {sel}", g.static_body()])
        else:
            kid, sec = g.key_id(), g.secret()
            lines = {"indented-secret": [f"aws_access_key_id = {kid}", f"   aws_secret_access_key = {sec}"],
                     "uniform-indent": [f"  aws_access_key_id = {kid}", f"  aws_secret_access_key = {sec}"],
                     "continuation": [f"aws_access_key_id = {kid}", "    EXTRA", f"aws_secret_access_key = {sec}"],
                     "inline-comment": [f"aws_access_key_id = {kid} {g.pick(['#', ';'])} main",
                                        f"aws_secret_access_key = {sec}"]}[q]
            if g.chance(0.5):
                header = "default" if sel == "default" and g.chance(0.8) else f"profile {sel}"
                w.raw_config.append(f"[{header}]\n" + "\n".join(lines) + "\n")
            else:
                w.raw_creds.append(f"[{sel}]\n" + "\n".join(lines) + "\n")
    else:
        return placed, True
    placed.add(sel)
    return placed, False


def scenario(seed, i):
    r = random.Random(f"credlint-differential:{seed}:{i}")
    g = Gen(r)
    focus = g.weighted(FOCI)
    env, files = {}, {}
    names = r.sample(NAMES, r.randint(1, 4))
    if "default" not in names and g.chance(0.6):
        names.append("default")
    sel, profile = select_profile(g, names, focus, env)

    w = World(g)
    placed, sel_needs_body = place_focus(g, w, focus, sel, names, env)
    if focus == "credential-source" and profile is None and "AWS_ACCESS_KEY_ID" in env and g.chance(0.6):
        profile = sel  # pass it in code, so that the env provider does not win first
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_DEFAULT_PROFILE", None)
    if sel_needs_body and focus != "missing-profile":
        if focus in ("env", "env-partial", "malformed", "redirect", "expiry", "lazy-imds-env"):
            kind = g.background_kind()
        else:  # boto, ec2file, container, imds, web from env: keep the profile from winning
            kind = g.weighted({"region": 5, "empty": 2, "static": 1})
        if kind != "empty" or g.chance(0.7):
            w.place(sel, g.body(kind, names, sel))
        placed.add(sel)

    # background profiles
    for n in names:
        if n not in placed and n != sel and g.chance(0.85):
            w.place(n, g.body(g.background_kind(), names, n))
    if focus != "sso" and g.chance(0.12):
        w.extra_config.append(["sso-session corp", [("sso_start_url", "https://fake.awsapps.com/start"),
                                                    ("sso_region", "eu-west-1")]])
    if focus == "sso" and g.chance(0.8):
        w.extra_config.append([g.weighted({"sso-session corp": 10, "sso-sessionx corp": 1, "sso-session 'corp'": 1}),
                               [("sso_start_url", "https://fake.awsapps.com/start")]
                               + ([("sso_region", "eu-west-1")] if g.chance(0.85) else [])])
    if g.chance(0.04):
        w.extra_config.append(["preview", [("cloudfront", "true")]])
    if g.chance(0.03):
        (w.creds if g.chance(0.5) else w.config).insert(0, ["DEFAULT", [("region", "eu-west-1")]])

    # render the two files
    r.shuffle(w.creds)
    config_sections = w.config + w.extra_config
    r.shuffle(config_sections)
    quirky = focus == "ini-quirks" or g.chance(0.1)
    creds_text = render_ini(g, w.creds, quirky) + "".join(w.raw_creds)
    config_text = render_ini(g, config_sections, quirky) + "".join(w.raw_config)
    if focus == "malformed" or g.chance(0.03):
        if g.chance(0.5):
            creds_text = fatal_malformation(g, creds_text)
        else:
            config_text = fatal_malformation(g, config_text)
    creds_text, config_text = newline_style(g, creds_text), newline_style(g, config_text)

    creds_path, config_path = "home/.aws/credentials", "home/.aws/config"
    if focus == "redirect" or g.chance(0.04):
        for var, default_rel, custom in (("AWS_SHARED_CREDENTIALS_FILE", "credentials", "creds"),
                                         ("AWS_CONFIG_FILE", "config", "conf")):
            if not g.chance(0.6):
                continue
            choice = g.weighted({"~": 4, "$HOME": 2, "${HOME}": 1, "empty": 2, "missing": 2, "default": 1})
            env[var] = {"~": f"~/custom/{custom}", "$HOME": f"$HOME/custom/{custom}",
                        "${HOME}": f"${{HOME}}/custom/{custom}", "empty": "", "missing": f"~/nowhere/{custom}",
                        "default": f"~/.aws/{default_rel}"}[choice]
            if choice in ("~", "$HOME", "${HOME}"):
                if custom == "creds":
                    creds_path = "home/custom/creds"
                else:
                    config_path = "home/custom/conf"
                if g.chance(0.4):  # a decoy at the default place
                    files["home/.aws/" + default_rel] = render_ini(g, [["default", g.static_body()]], False)
    if w.creds or w.raw_creds or g.chance(0.3):
        files[creds_path] = creds_text
    if config_sections or w.raw_config or g.chance(0.3):
        files[config_path] = config_text

    # boto2 files
    if focus == "boto" or g.chance(0.08):
        boto_env = g.chance(0.25)
        for where in g.pick([["home/.boto"], ["root/etc/boto.cfg"], ["root/etc/boto.cfg", "home/.boto"],
                             ["home/boto-custom"]]):
            section = g.weighted({"Credentials": 8, "credentials": 1, "CREDENTIALS": 0.5})
            body = g.static_body(partial=0.15) if g.chance(0.9) else [("region", "x")]
            sections = ([["Boto", [("debug", "0")]]] if g.chance(0.2) else []) + [[section, body]]
            text = render_ini(g, sections, g.chance(0.1))
            if g.chance(0.06):
                text = fatal_malformation(g, text)
            files[where] = text
            if where == "home/boto-custom":
                boto_env = True
        if boto_env:
            env["BOTO_CONFIG"] = g.weighted({"~/boto-custom": 4, "$HOME/boto-custom": 1, "~/missing.boto": 2,
                                             "": 1, "~/.boto": 1})

    # legacy EC2 tools file
    if focus == "ec2file" or g.chance(0.02):
        env["AWS_CREDENTIAL_FILE"] = g.weighted({"~/ec2-creds": 8, "~/missing-ec2": 2, "$HOME/ec2-creds": 1,
                                                 "": 1, "~/.aws": 0.5})
        lines = [f"AWSAccessKeyId{g.pick(['=', ' = ', '= '])}{g.key_id() if g.chance(0.95) else ''}"]
        if g.chance(0.75):
            lines.append(f"AWSSecretKey={g.secret()}")
        if g.chance(0.15):
            lines.insert(0, g.pick(["# legacy", "junk without equals", "[default]"]))
        if g.chance(0.1):
            lines.reverse()
        text = "\n".join(lines) + "\n"
        variant = g.weighted({"plain": 10, "crlf": 1, "bom": 1, "latin1": 1, "ini": 1})
        if variant == "crlf":
            text = text.replace("\n", "\r\n")
        elif variant == "bom":
            text = "\ufeff" + text
        elif variant == "ini":
            text = "[default]\naws_access_key_id = " + g.key_id() + "\n"
        if variant == "latin1":
            files["home/ec2-creds"] = {"base64": base64.b64encode(("# caf\u00e9\n" + text).encode("latin-1")).decode()}
        else:
            files["home/ec2-creds"] = text

    # environment credentials
    if focus == "env" or (focus != "credential-source" and g.chance(0.07)):
        env["AWS_ACCESS_KEY_ID"] = g.key_id() if g.chance(0.93) else (g.odd_key_id() or g.key_id())
        env["AWS_SECRET_ACCESS_KEY"] = g.secret()
        if g.chance(0.3):
            env[g.pick(["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"])] = g.token() if g.chance(0.9) else ""
    if focus == "env-partial":
        variant = g.pick(["no-secret", "empty-secret", "empty-id", "empty-both", "secret-only"])
        if variant in ("no-secret", "empty-secret"):
            env["AWS_ACCESS_KEY_ID"] = g.key_id()
        elif variant in ("empty-id", "empty-both"):
            env["AWS_ACCESS_KEY_ID"] = ""
        if variant in ("empty-secret", "empty-both"):
            env["AWS_SECRET_ACCESS_KEY"] = ""
        elif variant in ("empty-id", "secret-only"):
            env["AWS_SECRET_ACCESS_KEY"] = g.secret()
    if focus == "expiry" or g.chance(0.005):
        env.setdefault("AWS_ACCESS_KEY_ID", g.key_id())
        env.setdefault("AWS_SECRET_ACCESS_KEY", g.secret())
        env["AWS_CREDENTIAL_EXPIRATION"] = g.pick(["2030-01-01T00:00:00Z", "2030-01-01 00:00:00+00:00",
                                                   "not-a-date", "", "\u0662\u0660\u0663\u0660-01-01",
                                                   "\uff12\uff10\uff13\uff10-01-01", "2030-01-0\u00b2"])

    # web identity from the environment (background)
    if focus != "web" and g.chance(0.03):
        env["AWS_WEB_IDENTITY_TOKEN_FILE"] = g.pick(["/var/run/fake/token", ""])
        if g.chance(0.6):
            env["AWS_ROLE_ARN"] = ROLE + "env"

    # container endpoints
    if focus == "container" or g.chance(0.04):
        v = g.weighted({"relative": 5, "full-ok": 3, "full-bad": 2, "both": 1})
        if v in ("relative", "both"):
            env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = g.pick(["/v2/credentials/fake"] * 4 + ["", "@evil.example/x", "\t/x"])
        if v in ("full-ok", "both"):
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = g.pick([
                "http://169.254.170.2/v2/creds", "http://169.254.170.23/v1/creds", "http://127.0.0.1:8080/c",
                "http://localhost/c", "http://LOCALHOST:9/c", "https://fake.example/c", "http://[::1]/c",
                "http://[fd00:ec2::23]/c", "http://127.1.2.3/c", " http://localhost/c", "http://loc\talhost/",
                "http://[::1%25eth0]/c", "http://[0:0::1]:80/c", "\x01http://127.0.0.1/c"])
        if v == "full-bad":
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = g.pick([
                "http://fake.example/c", "http://169.254.169.254/c", "garbage", "", "http://10.0.0.1/c",
                "http://[::1", "http://[::1%]/c", "http://[127.0.0.1]/c", "http://127.0.0.01/c",
                "http://local\uff03host/c", "http://[::ffff:127.0.0.1]/c"])
        if g.chance(0.3):
            t = g.weighted({"token": 4, "token-newline": 1, "file-present": 2, "file-newline": 1, "file-missing": 1,
                            "file-tilde": 1, "file-is-dir": 0.5, "file-under-file": 0.5})
            if t == "token":
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "fake-token"
            elif t == "token-newline":
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "fake\r\ntoken"
            elif t == "file-is-dir":  # open() on a directory: IsADirectoryError
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "home"
            elif t == "file-under-file":  # NotADirectoryError
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "home/container-token/x"
                files["home/container-token"] = "fake-token"
            elif t == "file-tilde":  # botocore does not expand ~ here: FileNotFoundError
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "~/container-token"
                files["home/container-token"] = "fake-token"
            else:  # relative to the working directory: the scenario folder, for both sides
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "home/container-token"
                if t != "file-missing":
                    files["home/container-token"] = "fake-token" + ("\n" if t == "file-newline" else "")
            if g.chance(0.2):
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "fake-token-2"

    # instance metadata settings
    if focus == "imds" or g.chance(0.01):
        v = g.pick(["enabled", "mode-bad", "timeout-bad", "endpoint-bad", "mode-empty", "nothing"])
        if v == "enabled":
            env["AWS_EC2_METADATA_DISABLED"] = g.pick(["false", "", "TRUE", "1"])
        elif v == "mode-bad":
            env["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] = g.pick(["ipv5", "IPV6", "ipv4"])
        elif v == "timeout-bad":
            env[g.pick(["AWS_METADATA_SERVICE_TIMEOUT", "AWS_METADATA_SERVICE_NUM_ATTEMPTS"])] = g.pick(
                ["abc", "2", "1.5", "\u0663", "\uff12", "\x1c2", "\u30002", "\u00b2"])
        elif v == "endpoint-bad":
            env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = g.pick(["not a url", "http://169.254.169.254", "",
                                                               "http://\u017f/", "http://\u2170/", "http://\u0663/"])
        elif v == "mode-empty":
            env["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] = ""
    if focus == "lazy-imds-env":
        # With all five set from the environment, building the resolver reads no file.
        lazy = {"AWS_METADATA_SERVICE_TIMEOUT": "1", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "1",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://169.254.169.254",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv4", "AWS_EC2_METADATA_V1_DISABLED": "false"}
        if g.chance(0.3):
            del lazy[g.pick(list(lazy))]
        env.update(lazy)

    return {"name": f"random-s{seed}-{i}", "focus": focus, "env": env, "profile": profile, "files": files}


def generate(seed, count, start=0):
    return [scenario(seed, i) for i in range(start, start + count)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--index", type=int, help="only scenario I of the seed")
    ap.add_argument("--out", help="write one NAME.json per scenario into this folder instead of JSON lines")
    args = ap.parse_args(argv)
    scenarios = [scenario(args.seed, args.index)] if args.index is not None else generate(args.seed, args.count)
    for s in scenarios:
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            with open(os.path.join(args.out, s["name"] + ".json"), "w", encoding="utf-8") as f:
                json.dump(s, f, indent=2, ensure_ascii=False)
                f.write("\n")
        else:
            print(json.dumps(s, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
