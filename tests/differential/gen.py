"""Seeded random credential scenarios for the differential tests (see harness.py).

Scenarios spread profiles across the credentials and config files, mix environment
variables, explicit profiles, role chains and cycles, SSO, web identity, credential_process,
container endpoints, boto2 files, legacy AWS_CREDENTIAL_FILE, file redirects, and
malformed ini files, so that every provider wins, passes and raises a fair share of times.
"""
import random

A32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
NAMES = ["default", "dev", "prod", "ci", "admin", "Dev", "my dev", "a", "b", "c"]
SOURCES = ["Environment", "EcsContainer", "Ec2InstanceMetadata", "environment", "Bogus"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def chance(self, p):
        return self.r.random() < p

    def pick(self, xs):
        return self.r.choice(xs)

    def key_id(self):
        prefix = self.pick(["AKIA"] * 6 + ["ASIA"] * 3 + ["AIDA", "AKIA"])
        return prefix + "".join(self.r.choice(A32) for _ in range(16))

    def secret(self):
        return "".join(self.r.choice(B64) for _ in range(40))

    def token(self):
        return "FwoG" + "".join(self.r.choice(B64) for _ in range(60))

    def static_keys(self, lines, partial_ok=True):
        if self.chance(0.9) or not partial_ok:
            lines.append(f"aws_access_key_id = {self.key_id() if self.chance(0.95) else ''}")
        if self.chance(0.9) or not partial_ok:
            lines.append(f"aws_secret_access_key = {self.secret()}")
        if self.chance(0.25):
            lines.append(f"{self.pick(['aws_session_token', 'aws_security_token'])} = {self.token()}")

    def profile_body(self, names):
        lines = []
        kind = self.pick(["static"] * 4 + ["role"] * 3 + ["sso", "process", "web", "login", "region", "empty"])
        if kind == "static":
            self.static_keys(lines)
        elif kind == "role":
            lines.append(f"role_arn = arn:aws:iam::111122223333:role/{self.pick(['r1', 'r2'])}")
            mode = self.pick(["source"] * 7 + ["cs", "cs", "both", "neither"])
            if mode in ("source", "both"):
                lines.append(f"source_profile = {self.pick(names * 4 + ['missing'])}")
            if mode in ("cs", "both"):
                lines.append(f"credential_source = {self.pick(SOURCES[:3] * 3 + SOURCES[3:])}")
            if self.chance(0.2):
                lines.append(f"duration_seconds = {self.pick(['3600', '12h', '900'])}")
            if self.chance(0.3):
                self.static_keys(lines)
            if self.chance(0.1):
                lines.append("web_identity_token_file = home/token")
        elif kind == "sso":
            keys = {"sso_start_url": "https://x.awsapps.com/start", "sso_region": "eu-west-1",
                    "sso_account_id": "111122223333", "sso_role_name": "Dev"}
            for k, v in keys.items():
                if self.chance(0.8):
                    lines.append(f"{k} = {v}")
            if self.chance(0.4):
                lines.append(f"sso_session = {self.pick(['corp', 'nope'])}")
        elif kind == "process":
            cmd = self.pick(["/bin/creds --json", "", 'tool "unterminated', "echo ok"])
            lines.append("credential_process = " + cmd)
        elif kind == "web":
            lines.append("web_identity_token_file = home/token")
            if self.chance(0.7):
                lines.append("role_arn = arn:aws:iam::111122223333:role/web")
        elif kind == "login":
            lines.append("login_session = arn:aws:iam::111122223333:user/me")
        elif kind == "region":
            lines.append("region = eu-west-1")
        return lines

    def ini(self, sections, crlf=False):
        out = []
        for header, body in sections:
            out.append(f"[{header}]")
            out.extend(body)
            out.append("")
        text = "\n".join(out)
        if crlf:
            text = text.replace("\n", "\r\n")
        return text

    def malform(self, text):
        choice = self.pick(["dup_key", "dup_section", "no_sep", "before_section", "bom", "nested_bad", "inline", "continuation", "indent"])
        lines = text.split("\n")
        if choice == "dup_key":
            for i, l in enumerate(lines):
                if "=" in l:
                    lines.insert(i + 1, l.split("=")[0].upper() + "= dup")
                    break
        elif choice == "dup_section":
            hdr = next((l for l in lines if l.startswith("[")), "[x]")
            lines += [hdr, "region = x"]
        elif choice == "no_sep":
            lines.append("just some words")
        elif choice == "before_section":
            lines.insert(0, "aws_access_key_id = AKIAQ3LBZ7WDX5RNTC4M")
        elif choice == "bom":
            return "\ufeff" + text
        elif choice == "nested_bad":
            lines += ["s3 =", "    not a pair"]
        elif choice == "inline":
            lines = [l + " # comment" if l.startswith("aws_access_key_id") else l for l in lines]
        elif choice == "continuation":
            lines = [l + "\n  continued" if l.startswith("aws_secret_access_key") else l for l in lines]
        elif choice == "indent":
            lines = ["  " + l if l.startswith("region") else l for l in lines]
        return "\n".join(lines)

    def scenario(self, i):
        names = self.r.sample(NAMES, self.r.randint(1, 4))
        if self.chance(0.6) and "default" not in names:
            names.append("default")
        files, env = {}, {}
        creds_sections, config_sections = [], []
        for n in names:
            where = self.pick(["creds", "config", "both"])
            if where in ("creds", "both"):
                header = n if self.chance(0.9) else f"profile {n}"
                creds_sections.append((header, self.profile_body(names)))
            if where in ("config", "both"):
                if n == "default":
                    header = self.pick(["default", "default", "profile default"])
                else:
                    header = self.pick([f"profile {n}"] * 6 + [n, f'profile "{n}"', f"profile {n} extra", f"profile{n}"])
                config_sections.append((header, self.profile_body(names)))
        if self.chance(0.1):
            config_sections.append(("default", ["region = x"]))
            config_sections.append(("profile default", self.profile_body(names)))
        if self.chance(0.2):
            config_sections.append(("sso-session corp", ["sso_start_url = https://x.awsapps.com/start", "sso_region = eu-west-1"]))
        if self.chance(0.1):
            target = creds_sections if self.chance(0.5) else config_sections
            target.insert(0, ("DEFAULT", self.profile_body(names)))
        self.r.shuffle(config_sections)
        creds = self.ini(creds_sections, crlf=self.chance(0.1))
        config = self.ini(config_sections, crlf=self.chance(0.1))
        if self.chance(0.12):
            creds = self.malform(creds)
        if self.chance(0.12):
            config = self.malform(config)
        creds_path, config_path = "home/.aws/credentials", "home/.aws/config"
        if self.chance(0.1):
            env["AWS_SHARED_CREDENTIALS_FILE"] = self.pick(["~/custom/creds", "$HOME/custom/creds", "", "~/missing"])
            if env["AWS_SHARED_CREDENTIALS_FILE"].endswith("custom/creds"):
                creds_path = "home/custom/creds"
        if self.chance(0.1):
            env["AWS_CONFIG_FILE"] = self.pick(["~/custom/config", "${HOME}/custom/config", "", "~/missing"])
            if env["AWS_CONFIG_FILE"].endswith("custom/config"):
                config_path = "home/custom/config"
        if creds_sections or self.chance(0.5):
            files[creds_path] = creds
        if config_sections or self.chance(0.5):
            files[config_path] = config
        files["home/token"] = "eyJ.token"
        # boto2
        if self.chance(0.25):
            sect = self.pick(["Credentials", "Credentials", "credentials"])
            body = []
            self.static_keys(body)
            text = self.ini([(sect, body)])
            if self.chance(0.1):
                text = self.malform(text)
            where = self.pick(["home/.boto", "root/etc/boto.cfg", "home/boto-custom"])
            files[where] = text
            if where == "home/boto-custom" or self.chance(0.1):
                env["BOTO_CONFIG"] = self.pick(["~/boto-custom", "~/missing", "", "$HOME/boto-custom"])
        # legacy EC2 file
        if self.chance(0.06):
            env["AWS_CREDENTIAL_FILE"] = self.pick(["~/ec2creds", "~/missing"])
            lines = [f"AWSAccessKeyId={self.key_id()}"]
            if self.chance(0.8):
                lines.append(f"AWSSecretKey={self.secret()}")
            files["home/ec2creds"] = "\n".join(lines) + "\n"
        # environment
        if self.chance(0.35):
            env["AWS_ACCESS_KEY_ID"] = self.key_id() if self.chance(0.9) else ""
            if self.chance(0.85):
                env["AWS_SECRET_ACCESS_KEY"] = self.secret() if self.chance(0.9) else ""
            if self.chance(0.3):
                env[self.pick(["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"])] = self.token()
        for var in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]:
            if self.chance(0.3):
                env[var] = self.pick(names * 4 + ["missing", "", "default"])
        if self.chance(0.08):
            env["AWS_WEB_IDENTITY_TOKEN_FILE"] = self.pick(["home/token", ""])
            if self.chance(0.6):
                env["AWS_ROLE_ARN"] = "arn:aws:iam::111122223333:role/env"
        if self.chance(0.08):
            if self.chance(0.5):
                env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc"
            else:
                env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = self.pick(["http://127.0.0.1:8080/c", "http://example.com/c", "https://example.com/c", "http://localhost/c", "garbage"])
            if self.chance(0.2):
                env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = self.pick(["tok", "bad\ntoken"])
        profile = self.pick(names * 3 + ["missing"]) if self.chance(0.2) else None
        return {"name": f"random-{i}", "env": env, "profile": profile, "files": files}


def generate(seed, count):
    g = Gen(seed)
    return [g.scenario(i) for i in range(count)]
