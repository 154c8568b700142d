"""Write the named regression scenarios in regressions/, each after checking that botocore
still gives the expected result (run from tests/differential with the venv python)."""
import json, os, sys
sys.path.insert(0, '.')
import harness
K1, S1 = "AKIAQ3LBZ7WDX5RNTC4M", "h7Tq2Vx9LmP4sRk8Wz3Nc6Bf1Yd5Gj0Ha+Ue/Ko2"
K2, S2 = "AKIAW6PZ2NXQ4HRT7BLE", "p3Rk8Wz3Nc6Bf1Yd5Gj0Ha+Ue/Ko2h7Tq2Vx9LmP4"
T = "ASIAZ3M7Q2XW5RNTB4LK"
def creds(t): return {"home/.aws/credentials": t}
def conf(t): return {"home/.aws/config": t}
R = {}
def reg(name, fact, env=None, profile=None, files=None, expect=None):
    R[name] = {"name": name, "fact": fact, "env": env or {}, "profile": profile, "files": files or {}, "expect": expect}
static = f"aws_access_key_id = {K1}\naws_secret_access_key = {S1}\n"
reg("default-profile-beats-aws-profile", "AWS_DEFAULT_PROFILE beats AWS_PROFILE in botocore",
    env={"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"}, files=creds(f"[a]\n{static}[b]\naws_access_key_id = {K2}\naws_secret_access_key = {S2}\n"),
    expect={"method": "shared-credentials-file", "access_key": "AKIA****TC4M", "error": None})
reg("env-keys-beat-aws-profile", "AWS_PROFILE with env keys: env wins, profile ignored",
    env={"AWS_PROFILE": "b", "AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": S2}, files=creds(f"[b]\n{static}"),
    expect={"method": "env", "access_key": "AKIA****7BLE", "error": None})
reg("explicit-profile-removes-env", "a profile passed in code removes the env provider",
    env={"AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": S2}, profile="b", files=creds(f"[b]\n{static}"),
    expect={"method": "shared-credentials-file", "access_key": "AKIA****TC4M", "error": None})
reg("missing-profile-raises-even-with-env-keys", "a selected profile that does not exist raises before any provider",
    env={"AWS_PROFILE": "nope", "AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": S2},
    expect={"method": None, "access_key": None, "error": "ProfileNotFound"})
reg("empty-aws-profile-counts-as-set", "an env var set but empty still counts as set",
    env={"AWS_PROFILE": ""}, files=creds(f"[default]\n{static}"),
    expect={"method": None, "access_key": None, "error": "ProfileNotFound"})
reg("profile-prefix-in-credentials-file", "[profile dev] in the credentials file is a profile named 'profile dev'",
    env={"AWS_PROFILE": "dev"}, files=creds(f"[profile dev]\n{static}"),
    expect={"method": None, "access_key": None, "error": "ProfileNotFound"})
reg("unprefixed-section-in-config", "[dev] in the config file is not a profile",
    profile="dev", files=conf(f"[dev]\n{static}"),
    expect={"method": None, "access_key": None, "error": "ProfileNotFound"})
reg("later-default-section-wins-1", "[default] then [profile default]: the later one wins wholesale",
    files=conf(f"[default]\n{static}\n[profile default]\naws_access_key_id = {K2}\naws_secret_access_key = {S2}\n"),
    expect={"method": "config-file", "access_key": "AKIA****7BLE", "error": None})
reg("later-default-section-wins-2", "[profile default] then [default]: the later one wins wholesale",
    files=conf(f"[profile default]\naws_access_key_id = {K2}\naws_secret_access_key = {S2}\n[default]\n{static}"),
    expect={"method": "config-file", "access_key": "AKIA****TC4M", "error": None})
reg("split-key-pair", "key id in credentials and secret in config: PartialCredentialsError",
    files={"home/.aws/credentials": f"[default]\naws_access_key_id = {K1}\n", "home/.aws/config": f"[default]\naws_secret_access_key = {S1}\n"},
    expect={"method": None, "access_key": None, "error": "PartialCredentialsError"})
reg("token-only-in-config-is-ignored", "a session token only in the config is ignored when keys come from the credentials file",
    files={"home/.aws/credentials": f"[default]\n{static}", "home/.aws/config": "[default]\naws_session_token = FwoGtoken\n"},
    expect={"method": "shared-credentials-file", "access_key": "AKIA****TC4M", "error": None})
reg("bom-is-a-parse-error", "a UTF-8 BOM makes the file unparseable, even when env keys would win",
    env={"AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": S2}, files=creds(f"\ufeff[default]\n{static}"),
    expect={"method": None, "access_key": None, "error": "ConfigParseError"})
reg("duplicate-key-case-insensitive", "duplicate keys (compared case-insensitively) are a parse error",
    files=creds(f"[default]\n{static}AWS_ACCESS_KEY_ID = {K2}\n"),
    expect={"method": None, "access_key": None, "error": "ConfigParseError"})
reg("inline-comment-kept", "no inline comments: '# prod' stays in the value",
    files=creds(f"[default]\naws_access_key_id = {K1} # prod\naws_secret_access_key = {S1}\n"),
    expect={"method": "shared-credentials-file", "access_key": "AKIA****prod", "error": None})
reg("defaults-section-inherited", "[DEFAULT] keys are inherited by every section",
    profile="x", files=creds(f"[DEFAULT]\n{static}[x]\nregion = y\n"),
    expect={"method": "shared-credentials-file", "access_key": "AKIA****TC4M", "error": None})
reg("credential-source-environment", "credential_source = Environment takes env keys even with an explicit profile",
    env={"AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": S2}, profile="r",
    files=conf("[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\ncredential_source = Environment\n"),
    expect={"method": "assume-role", "access_key": None, "error": None})
reg("credential-source-is-case-sensitive", "credential_source must be exactly Environment",
    profile="r", files=conf("[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\ncredential_source = environment\n"),
    expect={"method": None, "access_key": None, "error": "InvalidConfigError"})
reg("source-static-beats-its-role", "a source profile with static keys and role_arn uses its static keys",
    profile="r", files={"home/.aws/config": "[profile r]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = s\n[profile s]\nrole_arn = arn:aws:iam::111122223333:role/s\nsource_profile = nope\n",
                        "home/.aws/credentials": f"[s]\n{static}"},
    expect={"method": "assume-role", "access_key": None, "error": None})
reg("role-cycle", "a source_profile cycle raises InfiniteLoopConfigError",
    profile="a", files=conf("[profile a]\nrole_arn = arn:aws:iam::111122223333:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111122223333:role/b\nsource_profile = a\n"),
    expect={"method": None, "access_key": None, "error": "InfiniteLoopConfigError"})
reg("self-reference-with-keys", "a profile may name itself as source when it holds static keys",
    profile="a", files=conf(f"[profile a]\nrole_arn = arn:aws:iam::111122223333:role/a\nsource_profile = a\n{static}"),
    expect={"method": "assume-role", "access_key": None, "error": None})
reg("self-reference-without-keys", "self-reference without static keys is a loop",
    profile="a", files=conf("[profile a]\nrole_arn = arn:aws:iam::111122223333:role/a\nsource_profile = a\n"),
    expect={"method": None, "access_key": None, "error": "InfiniteLoopConfigError"})
reg("role-beats-own-static-keys", "a role_arn profile beats its own static keys",
    files=creds(f"[default]\n{static}role_arn = arn:aws:iam::111122223333:role/r\nsource_profile = default\n"),
    expect={"method": "assume-role", "access_key": None, "error": None})
reg("credentials-beat-process-beats-config", "static keys in the credentials file beat credential_process",
    files={"home/.aws/credentials": f"[default]\n{static}", "home/.aws/config": "[default]\ncredential_process = /bin/creds\n"},
    expect={"method": "shared-credentials-file", "access_key": "AKIA****TC4M", "error": None})
reg("process-beats-config-keys", "credential_process beats static keys in the config file (never run here)",
    files=conf(f"[default]\ncredential_process = /bin/creds\n{static}"),
    expect={"method": "custom-process", "access_key": None, "error": None})
reg("boto2-section-is-case-sensitive", "boto2 reads [Credentials] only, case-sensitive",
    files={"home/.boto": f"[credentials]\n{static}"},
    expect={"method": None, "access_key": None, "error": None})
reg("boto2-etc-before-home", "/etc/boto.cfg is read before ~/.boto",
    files={"root/etc/boto.cfg": f"[Credentials]\n{static}", "home/.boto": f"[Credentials]\naws_access_key_id = {K2}\naws_secret_access_key = {S2}\n"},
    expect={"method": "boto-config", "access_key": "AKIA****TC4M", "error": None})
reg("boto-config-env-replaces-defaults", "BOTO_CONFIG, when set, is the only boto2 file read",
    env={"BOTO_CONFIG": "~/missing"}, files={"home/.boto": f"[Credentials]\n{static}"},
    expect={"method": None, "access_key": None, "error": None})
reg("empty-config-file-var-disables", "AWS_SHARED_CREDENTIALS_FILE set to empty disables the file",
    env={"AWS_SHARED_CREDENTIALS_FILE": ""}, files=creds(f"[default]\n{static}"),
    expect={"method": None, "access_key": None, "error": None})
reg("env-key-without-secret", "AWS_ACCESS_KEY_ID without a secret raises PartialCredentialsError",
    env={"AWS_ACCESS_KEY_ID": K1},
    expect={"method": None, "access_key": None, "error": "PartialCredentialsError"})
reg("web-identity-without-role", "a web identity token file without a role ARN raises",
    env={"AWS_WEB_IDENTITY_TOKEN_FILE": "home/token"}, files={"home/token": "t"},
    expect={"method": None, "access_key": None, "error": "InvalidConfigError"})
reg("container-full-uri-host-checked", "a container FULL_URI on an arbitrary http host is refused before any request",
    env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"},
    expect={"method": None, "access_key": None, "error": "ValueError"})
# Found by an independently written generator (none of these were in gen.py's reach).
reg("process-hash-is-not-a-comment", "shlex.split keeps '#': credential_process = #x is a command, not empty",
    files=conf("[default]\ncredential_process = #x\n"),
    expect={"method": "custom-process", "access_key": None, "error": None})
reg("profile-header-hash-is-a-name", "[profile #x] is the profile '#x' (shlex has no comments)",
    env={"AWS_PROFILE": "#x"}, files=conf(f"[profile #x]\n{static}"),
    expect={"method": "config-file", "access_key": "AKIA****TC4M", "error": None})
reg("default-nested-error-needs-a-section", "a broken nested value in [DEFAULT] only fails once a section inherits it",
    files=creds("[DEFAULT]\nx =\n [default]\n"),
    expect={"method": None, "access_key": None, "error": None})
reg("default-nested-error-inherited", "the same [DEFAULT] value fails as soon as a section inherits it",
    files=creds(f"[DEFAULT]\nx =\n  junk\n[default]\n{static}"),
    expect={"method": None, "access_key": None, "error": "ConfigParseError"})
reg("nested-splitlines-extra-breaks", "_parse_nested splits with str.splitlines, which breaks at U+2028 too",
    files=creds(f"[default]\n{static}s3 =\n  a = 1\u2028junk\n"),
    expect={"method": None, "access_key": None, "error": "ConfigParseError"})
reg("container-token-file-is-a-directory", "open() on a directory: IsADirectoryError, not FileNotFoundError",
    env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://localhost/", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "home"},
    expect={"method": None, "access_key": None, "error": "IsADirectoryError"})
reg("container-url-cleaned-by-urlsplit", "urlsplit strips leading spaces and deletes tabs before the host check",
    env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": " http://loc\talhost/"},
    expect={"method": "container-role", "access_key": None, "error": None})
reg("container-url-ipv6-scope-is-loopback", "ip_address('::1%25eth0') is a scoped loopback address",
    env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[::1%25eth0]/"},
    expect={"method": "container-role", "access_key": None, "error": None})
reg("container-url-unclosed-bracket", "urlsplit raises ValueError on an unclosed IPv6 bracket",
    env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[::1"},
    expect={"method": None, "access_key": None, "error": "ValueError"})
reg("imds-timeout-unicode-digit", "int() takes any Unicode decimal digit",
    env={"AWS_METADATA_SERVICE_TIMEOUT": "\u0663"},
    expect={"method": None, "access_key": None, "error": None})
reg("credential-source-ec2-metadata-enabled", "credential_source Ec2InstanceMetadata off EC2 raises even with metadata enabled",
    env={"AWS_EC2_METADATA_DISABLED": "false"},
    files=creds("[default]\nrole_arn = arn:aws:iam::111122223333:role/r\ncredential_source = Ec2InstanceMetadata\n"),
    expect={"method": None, "access_key": None, "error": "CredentialRetrievalError"})
reg("expiration-unicode-digits", "dateutil reads other scripts' digits: an Arabic-Indic date is a valid expiration",
    env={"AWS_ACCESS_KEY_ID": K1, "AWS_SECRET_ACCESS_KEY": S1, "AWS_CREDENTIAL_EXPIRATION": "\u0662\u0660\u0663\u0660-\u0660\u0661-\u0660\u0661"},
    expect={"method": "env", "access_key": "AKIA****TC4M", "error": None})
reg("imds-endpoint-ignorecase-letter", "re.IGNORECASE [A-Z] matches the long s: http://\u017f/ is a valid endpoint",
    env={"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://\u017f/"},
    expect={"method": None, "access_key": None, "error": None})
reg("imds-endpoint-roman-numeral", "\\d is decimal digits only: a Roman numeral host is invalid",
    env={"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://\u2170/"},
    expect={"method": None, "access_key": None, "error": "InvalidIMDSEndpointError"})
reg("sso-session-nested-values-compare-as-dicts", "profile and sso-session nested values compare as parsed dicts",
    files=conf("[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\nsso_region =\n  a = 1\n[sso-session s]\nsso_start_url = u\nsso_region =\n  a=1\n"),
    expect={"method": "sso", "access_key": None, "error": None})
for name, s in R.items():
    got = harness.run_scenario(s)
    got = {"method": got["method"], "access_key": got["access_key"], "error": (got["error"] or {}).get("class")}
    status = "ok" if got == s["expect"] else "BOTOCORE DIFFERS"
    print(f"{status:16} {name}: {got}" + ("" if got == s["expect"] else f" expected {s['expect']}"))
    if got == s["expect"]:
        json.dump(s, open(f"regressions/{name}.json", "w"), indent=2)
