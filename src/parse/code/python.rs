//! Python: boto3, botocore and boto2 calls given credentials (and a module's own functions
//! that pass theirs on), `profile_name=`, `os.environ` writes and python-dotenv's
//! `load_dotenv`.

use super::grammar::{F_ARGUMENTS, F_KEY, F_LEFT, F_NAME, F_RIGHT, F_VALUE};
use super::scope::{Walker, span};
use super::types::DotenvLoad;
use super::values::{KEY_ID, Names, SECRET, TOKEN, is_python_environ, is_spread, slot_in};
use tree_sitter::Node;

/// boto3 and botocore clients, resources and sessions (`aws_access_key_id=`, …).
const BOTO3: Names = [
    ("aws_access_key_id", KEY_ID),
    ("aws_secret_access_key", SECRET),
    ("aws_session_token", TOKEN),
];
/// botocore's `Session.set_credentials(access_key, secret_key, token)` and
/// `botocore.credentials.Credentials(…)`.
const BOTOCORE: Names = [
    ("access_key", KEY_ID),
    ("secret_key", SECRET),
    ("token", TOKEN),
];

impl<'a, 't> Walker<'a, 't> {
    pub(super) fn python(&mut self, n: Node<'t>) {
        match n.kind() {
            "call" => self.python_call(n),
            "assignment" => {
                // os.environ["AWS_X"] = "v"
                let (Some(left), Some(right)) = (self.field(n, F_LEFT), self.field(n, F_RIGHT))
                else {
                    return;
                };
                if left.kind() != "subscript" {
                    return;
                }
                let obj = left
                    .child_by_field_name("value")
                    .map_or("", |v| self.src(v));
                if !is_python_environ(obj) {
                    return;
                }
                if let Some((key, ks)) = left
                    .child_by_field_name("subscript")
                    .and_then(|s| self.string_value(s))
                {
                    self.push_env(&key, ks, right);
                }
            }
            _ => {}
        }
    }

    /// The credential parameters a Python call takes, when it is an SDK call that takes
    /// credentials: boto3's and botocore's clients, resources and sessions, botocore's
    /// credential setters, boto2's connections. Mocks and assertions
    /// (`m.assert_called_with(aws_access_key_id=…)`), AWS API calls whose parameters are
    /// named like credentials (`iam.delete_access_key(AccessKeyId=…)`) and a project's own
    /// functions are not.
    fn python_sink(&self, callee: &str) -> Option<&'static Names> {
        let short = callee.rsplit('.').next().unwrap_or("");
        if short == "set_credentials"
            || callee == "botocore.credentials.Credentials"
            || (callee == "Credentials" && self.mentions_botocore_credentials)
        {
            return Some(&BOTOCORE);
        }
        // boto3.client/resource/Session, session.client(…), boto3.session.Session,
        // botocore's session.create_client, aioboto3/aiobotocore the same.
        if matches!(short, "client" | "resource" | "Session" | "create_client") {
            return Some(&BOTO3);
        }
        // boto2: boto.connect_s3(…), boto.ec2.connect_to_region(…), boto.s3.connection.S3Connection(…)
        if callee.starts_with("boto.")
            && (short.starts_with("connect") || short.ends_with("Connection"))
        {
            return Some(&BOTO3);
        }
        None
    }

    /// The parameters of a module-level function `name` that it passes on, unchanged, as
    /// credentials to an SDK call: (parameter, its position when it can be passed by
    /// position, botocore's name of the slot).
    fn python_wrapper(&self, name: &str) -> Vec<(&'a str, Option<usize>, &'static str)> {
        let Some(Some(def)) = self.python_defs.get(name).copied() else {
            return Vec::new();
        };
        let Some(params) = def.child_by_field_name("parameters") else {
            return Vec::new();
        };
        let mut c = params.walk();
        let mut positional = true;
        let mut names: Vec<(&'a str, Option<usize>)> = Vec::new();
        for (i, p) in params.named_children(&mut c).enumerate() {
            let id = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" | "typed_parameter" => {
                    self.field(p, F_NAME).or_else(|| p.named_child(0))
                }
                _ => {
                    // `*args`, `*`: what follows is keyword-only.
                    positional = false;
                    None
                }
            };
            if let Some(id) = id.filter(|x| x.kind() == "identifier") {
                names.push((self.src(id), positional.then_some(i)));
            }
        }
        let mut out = Vec::new();
        let Some(body) = def.child_by_field_name("body") else {
            return out;
        };
        let mut stack = vec![body];
        let mut visited = 0;
        while let Some(x) = stack.pop() {
            visited += 1;
            if visited > 20_000 {
                break;
            }
            if x.kind() == "call"
                && let Some(names_of) = self.python_sink(self.callee(x))
                && let Some(args) = self.field(x, F_ARGUMENTS)
            {
                let mut ac = args.walk();
                for kw in args
                    .named_children(&mut ac)
                    .filter(|a| a.kind() == "keyword_argument")
                {
                    let (Some(k), Some(v)) = (self.field(kw, F_NAME), self.field(kw, F_VALUE))
                    else {
                        continue;
                    };
                    if let Some((_, slot)) = slot_in(names_of, self.src(k))
                        && v.kind() == "identifier"
                        && let Some(&(p, at)) = names.iter().find(|(p, _)| *p == self.src(v))
                    {
                        out.push((p, at, slot));
                    }
                }
            }
            let mut cc = x.walk();
            stack.extend(x.named_children(&mut cc));
        }
        out
    }

    fn python_call(&mut self, n: Node<'t>) {
        let Some(args) = self.field(n, F_ARGUMENTS) else {
            return;
        };
        let callee = self.callee(n);
        let short = callee.rsplit('.').next().unwrap_or("");
        let sink = self.python_sink(callee);
        // A function of this file that hands its own parameters to a sink is one too.
        let wrapper = if sink.is_none() && !callee.contains('.') {
            self.python_wrapper(callee)
        } else {
            Vec::new()
        };
        let mut found = Vec::new();
        let mut unseen = false;
        let mut c = args.walk();
        let kids: Vec<Node<'t>> = args.named_children(&mut c).collect();
        for kw in kids {
            if kw.kind() == "dictionary_splat" {
                unseen = true;
            }
            if kw.kind() != "keyword_argument" {
                continue;
            }
            let (Some(name), Some(value)) = (self.field(kw, F_NAME), self.field(kw, F_VALUE))
            else {
                continue;
            };
            let name_text = self.src(name);
            if name_text == "profile_name" || (name_text == "profile" && short == "Session") {
                self.push_profile(value);
            } else if let Some(names) = sink
                && let Some(slot) = slot_in(names, name_text)
                && let Some(a) = self.arg(slot, value)
            {
                found.push(a);
            } else if let Some(&(_, _, slot)) = wrapper.iter().find(|(p, _, _)| *p == name_text)
                && let Some(a) = self.arg((name_text, slot), value)
            {
                found.push(a);
            }
        }
        if !wrapper.is_empty() {
            let positional = self.args(n);
            let spread = positional.iter().any(|a| is_spread(*a));
            for (i, value) in positional.into_iter().enumerate() {
                if spread {
                    break;
                }
                if let Some(&(p, _, slot)) = wrapper.iter().find(|(_, at, _)| *at == Some(i))
                    && let Some(a) = self.arg((p, slot), value)
                {
                    found.push(a);
                }
            }
            unseen |= spread;
            found.sort_by_key(|a| a.span.start);
        }
        if sink == Some(&BOTOCORE) {
            let (positional, spread) = self.positional_args(n, &BOTOCORE);
            unseen |= spread;
            found.extend(positional);
            found.sort_by_key(|a| a.span.start);
        }
        match short {
            // os.environ.setdefault("AWS_X", "v") / os.putenv("AWS_X", "v")
            "setdefault" | "putenv"
                if callee.ends_with("environ.setdefault") || callee.ends_with("putenv") =>
            {
                let positional = self.args(n);
                if let (Some(k), Some(v)) = (positional.first(), positional.get(1))
                    && let Some((key, ks)) = self.string_value(*k)
                {
                    self.push_env(&key, ks, *v);
                }
            }
            // os.environ.update({"AWS_X": "v"}, AWS_Y="w")
            "update" if is_python_environ(callee.trim_end_matches(".update")) => {
                let mut c = args.walk();
                let items: Vec<Node<'t>> = args.named_children(&mut c).collect();
                for item in items {
                    match item.kind() {
                        "dictionary" => {
                            let mut dc = item.walk();
                            let pairs: Vec<Node<'t>> = item
                                .named_children(&mut dc)
                                .filter(|p| p.kind() == "pair")
                                .collect();
                            for p in pairs {
                                if let (Some(k), Some(v)) =
                                    (self.field(p, F_KEY), self.field(p, F_VALUE))
                                    && let Some((key, ks)) = self.string_value(k)
                                {
                                    self.push_env(&key, ks, v);
                                }
                            }
                        }
                        "keyword_argument" => {
                            if let (Some(k), Some(v)) =
                                (self.field(item, F_NAME), self.field(item, F_VALUE))
                            {
                                let key = self.src(k).to_owned();
                                self.push_env(&key, span(k), v);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "load_dotenv" => {
                let path_arg = self
                    .args(n)
                    .first()
                    .copied()
                    .or_else(|| self.keyword(n, "dotenv_path"));
                let path = path_arg.and_then(|p| self.literal(p)).map(|(p, _)| p);
                let overrides = self
                    .keyword(n, "override")
                    .is_some_and(|v| self.src(v) == "True");
                self.out.dotenv_loads.push(DotenvLoad {
                    path,
                    overrides,
                    span: span(n),
                });
            }
            _ => {}
        }
        self.push_call(callee, n, found, unseen);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, lits};
    use super::super::values::{KEY_ID, SECRET, TOKEN};
    use crate::parse::code::{ArgValue, Lang, parse};

    #[test]
    fn python_kwargs_constants_env_and_profiles() {
        let src = "import os, boto3\nKEY = 'AKIAXX'\ns3 = boto3.client('s3', aws_access_key_id=KEY, aws_secret_access_key=os.environ['S'], aws_session_token=os.getenv('T', 'tok'))\nsession = boto3.Session(profile_name='dev')\nos.environ['AWS_PROFILE'] = 'prod'\nc = boto3.client('s3')\n";
        let f = parse(src, Lang::Python);
        assert_eq!(f.calls.len(), 1);
        assert_eq!(f.calls[0].api, "boto3.client");
        assert_eq!(
            lits(&f),
            vec![
                (KEY_ID, ArgValue::Literal("AKIAXX".into())),
                (SECRET, ArgValue::Env("S".into())),
                (TOKEN, ArgValue::Literal("tok".into())),
            ]
        );
        // The constant's literal is where the key is written; the argument is at the call.
        let a = &f.calls[0].args[0];
        assert_eq!(at(src, a.value_span), "AKIAXX");
        assert_eq!(at(src, a.span), "KEY");
        assert_eq!(f.profiles[0].name, "dev");
        assert_eq!(at(src, f.profiles[0].span), "dev");
        assert_eq!(f.env[0].key, "AWS_PROFILE");
        assert_eq!(f.env[0].value.as_deref(), Some("prod"));
    }

    #[test]
    fn python_botocore_dotenv_and_environ_forms() {
        let src = "import botocore.session\nfrom dotenv import load_dotenv, find_dotenv\nload_dotenv()\nload_dotenv('config/app.env', override=True)\nload_dotenv(find_dotenv())\ns = botocore.session.get_session()\ns.set_credentials('AKIABC', 'secret', token=None)\nt = botocore.session.Session(profile='ops')\nos.environ.update({'AWS_PROFILE': 'dev'}, AWS_REGION='eu-west-1')\nos.environ.setdefault('AWS_DEFAULT_PROFILE', 'x')\nf(token='t', access_key='a')\n";
        let f = parse(src, Lang::Python);
        assert_eq!(f.dotenv_loads.len(), 3);
        assert_eq!(f.dotenv_loads[0].path, None);
        assert_eq!(f.dotenv_loads[1].path.as_deref(), Some("config/app.env"));
        assert!(f.dotenv_loads[1].overrides);
        assert_eq!(f.dotenv_loads[2].path, None);
        assert_eq!(f.calls.len(), 1, "only set_credentials: {:?}", f.calls);
        assert_eq!(
            lits(&f),
            vec![
                (KEY_ID, ArgValue::Literal("AKIABC".into())),
                (SECRET, ArgValue::Literal("secret".into())),
            ]
        );
        assert_eq!(f.profiles[0].name, "ops");
        let keys: Vec<&str> = f.env.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_PROFILE"]);
    }

    #[test]
    fn a_wrapper_that_passes_its_parameters_to_a_sink_is_one() {
        let py = "import boto3\ndef connect(service, key=None, secret=None):\n    return boto3.client(service, aws_access_key_id=key, aws_secret_access_key=secret)\ndef connect_to(aws_access_key_id=None):\n    return {'id': aws_access_key_id}\nc = connect('s3', 'AKIAW1', secret='S1')\nd = connect_to(aws_access_key_id='AKIAW2')\n";
        let f = parse(py, Lang::Python);
        let got: Vec<(&str, &str, ArgValue)> = f
            .calls
            .iter()
            .flat_map(|c| {
                c.args
                    .iter()
                    .map(|a| (c.api.as_str(), a.written.as_str(), a.value.clone()))
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "boto3.client",
                    "aws_access_key_id",
                    ArgValue::Variable("key".into())
                ),
                (
                    "boto3.client",
                    "aws_secret_access_key",
                    ArgValue::Variable("secret".into())
                ),
                ("connect", "key", ArgValue::Literal("AKIAW1".into())),
                ("connect", "secret", ArgValue::Literal("S1".into())),
            ]
        );
    }
}
