//! Credentials an STS call returned: a credential value followed back through names,
//! fields, getters and awaits to the `AssumeRole`-like call it came from, with that call's
//! role, MFA, and whether it runs per account or inside a credential provider.

use super::grammar::{F_ARGUMENTS, F_FUNCTION, F_KEY, F_NAME, F_OBJECT, F_VALUE};
use super::scope::{MAX_RESOLVE, Walker};
use super::types::StsSource;
use crate::source::Span;
use tree_sitter::Node;

impl<'t> Walker<'_, 't> {
    /// The STS call whose returned credentials `n` (evaluated in `scope`) is part of:
    /// followed through names, fields and subscripts (`creds['AccessKeyId']`,
    /// `r.Credentials.AccessKeyId`, `*out.Credentials.AccessKeyId`), getters
    /// (`c.accessKeyId()`, `resp.get("Credentials")`), awaits and one-argument converters
    /// (`aws.ToString(…)`, `str(…)`).
    pub(super) fn sts_origin(&self, n: Node<'t>, scope: usize, depth: usize) -> Option<StsSource> {
        if depth > 2 * MAX_RESOLVE {
            return None;
        }
        let next = depth + 1;
        match n.kind() {
            "identifier" | "shorthand_property_identifier" => match self.lookup(scope, self.src(n))
            {
                Some(Some((bound, bound_scope))) => self.sts_origin(bound, bound_scope, next),
                _ => None,
            },
            "call" | "call_expression" | "method_invocation" | "new_expression" => {
                if let Some(s) = self.sts_call(n, scope) {
                    return Some(s);
                }
                let object = if n.kind() == "method_invocation" {
                    self.field(n, F_OBJECT)
                } else {
                    self.field(n, F_FUNCTION).and_then(|f| {
                        matches!(
                            f.kind(),
                            "attribute" | "member_expression" | "selector_expression"
                        )
                        .then(|| f.named_child(0))
                        .flatten()
                    })
                };
                if let Some(o) = object
                    && let Some(s) = self.sts_origin(o, scope, next)
                {
                    return Some(s);
                }
                match self.args(n).as_slice() {
                    [only] => self.sts_origin(*only, scope, next),
                    _ => None,
                }
            }
            "attribute"
            | "member_expression"
            | "field_access"
            | "selector_expression"
            | "subscript"
            | "subscript_expression"
            | "index_expression"
            | "await_expression"
            | "await"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "unary_expression"
            | "type_assertion_expression" => self.sts_origin(n.named_child(0)?, scope, next),
            "cast_expression" => self.sts_origin(n.child_by_field_name("value")?, scope, next),
            _ => None,
        }
    }

    /// `n` itself as an STS call that returns credentials.
    fn sts_call(&self, n: Node<'t>, scope: usize) -> Option<StsSource> {
        let callee = self.callee(n);
        let (object, short) = callee.rsplit_once('.')?;
        let operation = |name: &str| -> Option<&'static str> {
            let flat: String = name
                .trim_end_matches("WithContext")
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .to_ascii_lowercase();
            match flat.as_str() {
                "assumerole" => Some("assume-role"),
                "assumerolewithwebidentity" => Some("assume-role-with-web-identity"),
                "assumerolewithsaml" => Some("assume-role-with-saml"),
                "getsessiontoken" => Some("get-session-token"),
                _ => None,
            }
        };
        let (op, api, request) = if short == "send" {
            // v3 `client.send(new AssumeRoleCommand({…}))`, or a name bound to the command.
            let mut cmd = *self.args(n).first()?;
            let mut cmd_scope = scope;
            for _ in 0..MAX_RESOLVE {
                if cmd.kind() != "identifier" {
                    break;
                }
                let (b, bs) = self.lookup(cmd_scope, self.src(cmd))??;
                (cmd, cmd_scope) = (b, bs);
            }
            if cmd.kind() != "new_expression" {
                return None;
            }
            let ctor = self.callee(cmd);
            let op = operation(ctor.rsplit('.').next()?.strip_suffix("Command")?)?;
            (op, format!("new {ctor}"), cmd)
        } else {
            // `sts.assume_role(…)`, `svc.AssumeRole(ctx, …)`, `sts.assumeRole(req)`: a
            // client's method (a project's own `assume_role(…)` function is not STS).
            // Nor is a class's own method (`AwsProvider.assume_role(…)`): STS clients are
            // instances (`sts`, `client`, `sts.NewFromConfig(cfg)`).
            let receiver = object.rsplit('.').next().unwrap_or(object);
            if object.is_empty()
                || receiver.starts_with(|c: char| c.is_ascii_uppercase())
                    && receiver
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                || object.to_ascii_lowercase().contains("provider")
            {
                return None;
            }
            (operation(short)?, callee.to_owned(), n)
        };
        let role = self.sts_param(request, scope, &["RoleArn", "roleArn", "withRoleArn"], 0);
        let mfa = self
            .sts_param(
                request,
                scope,
                &["SerialNumber", "serialNumber", "withSerialNumber"],
                0,
            )
            .is_some();
        let role_value = role.map(|(r, rs)| {
            // Go's `aws.String(x)`.
            let r = if matches!(r.kind(), "call_expression")
                && self.callee(r).ends_with(".String")
                && let [only] = self.args(r).as_slice()
            {
                *only
            } else {
                r
            };
            (r, rs)
        });
        let per_account = self.repeated(n)
            || role_value.is_some_and(|(r, rs)| self.depends_on_parameter(r, rs, 0));
        Some(StsSource {
            api: api.chars().take(60).collect(),
            operation: op,
            // The callee (`sts.assume_role`), not the whole call with its arguments.
            span: Span::new(n.start_byte(), n.start_byte() + callee.len().max(1)),
            role: role_value.map(|(r, rs)| self.value_at(r, rs, 0).0),
            per_account,
            provider: self.in_provider(n),
            mfa,
        })
    }

    /// The value of a request parameter (`RoleArn=`, `RoleArn:`, `.roleArn(…)`) under the
    /// arguments of `call`, following names to what they are bound to.
    fn sts_param(
        &self,
        call: Node<'t>,
        scope: usize,
        names: &[&str],
        depth: usize,
    ) -> Option<(Node<'t>, usize)> {
        if depth > MAX_RESOLVE {
            return None;
        }
        let args = if call.kind() == "arguments" || call.kind() == "argument_list" {
            call
        } else {
            self.field(call, F_ARGUMENTS)?
        };
        let mut stack = vec![args];
        let mut budget = 512usize;
        while let Some(x) = stack.pop() {
            budget = budget.checked_sub(1)?;
            if let Some(named) = self.sts_named(x, names) {
                return named.ok().map(|v| (v, scope));
            }
            if x.kind() == "identifier"
                && let Some(Some((b, bs))) = self.lookup(scope, self.src(x))
            {
                if let Some(found) = self.sts_param_in(b, bs, names, depth + 1) {
                    return Some(found);
                }
                continue;
            }
            let mut c = x.walk();
            let kids: Vec<Node<'t>> = x.named_children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        None
    }

    /// Whether `x` is the parameter `names` of an STS request: a keyword argument, a dict or
    /// object entry, or a builder call (`.roleArn(…)`); it may have no value to follow (`Some(Err(()))`).
    fn sts_named(&self, x: Node<'t>, names: &[&str]) -> Option<Result<Node<'t>, ()>> {
        let key = match x.kind() {
            "keyword_argument" => self.field(x, F_NAME),
            "pair" | "keyed_element" => self.field(x, F_KEY).or_else(|| x.named_child(0)),
            _ => None,
        };
        if let Some(k) = key {
            let k_text = self
                .string_value(k)
                .map_or_else(|| self.src(k).trim().to_owned(), |(v, _)| v);
            if names.contains(&k_text.as_str()) {
                return Some(
                    self.field(x, F_VALUE)
                        .or_else(|| x.named_child(1))
                        .map(|v| {
                            if v.kind() == "literal_element" {
                                v.named_child(0).unwrap_or(v)
                            } else {
                                v
                            }
                        })
                        .ok_or(()),
                );
            }
        }
        if x.kind() == "method_invocation"
            && self
                .field(x, F_NAME)
                .is_some_and(|m| names.contains(&self.src(m)))
            && let Some(v) = self.args(x).first()
        {
            return Some(Ok(*v));
        }
        None
    }

    /// [`Self::sts_param`] in a bound value (a request object, dict or builder chain).
    fn sts_param_in(
        &self,
        n: Node<'t>,
        scope: usize,
        names: &[&str],
        depth: usize,
    ) -> Option<(Node<'t>, usize)> {
        if depth > MAX_RESOLVE {
            return None;
        }
        // Search the value as if it were the arguments of a call.
        let mut stack = vec![n];
        let mut budget = 512usize;
        while let Some(x) = stack.pop() {
            budget = budget.checked_sub(1)?;
            if matches!(x.kind(), "arguments" | "argument_list") {
                if let Some(found) = self.sts_param(x, scope, names, depth) {
                    return Some(found);
                }
                continue;
            }
            if let Some(named) = self.sts_named(x, names) {
                return named.ok().map(|v| (v, scope));
            }
            let mut c = x.walk();
            let kids: Vec<Node<'t>> = x.named_children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        None
    }

    /// Whether `n` runs once per item: inside a loop or comprehension of its function, or
    /// in a callback given to `map`/`forEach`.
    fn repeated(&self, n: Node<'t>) -> bool {
        let mut cur = n;
        while let Some(p) = cur.parent() {
            match p.kind() {
                "for_statement"
                | "for_in_statement"
                | "for_of_statement"
                | "while_statement"
                | "do_statement"
                | "enhanced_for_statement"
                | "list_comprehension"
                | "generator_expression"
                | "set_comprehension"
                | "dictionary_comprehension" => {
                    return true;
                }
                "arrow_function" | "function_expression" => {
                    let callee = p
                        .parent()
                        .filter(|a| a.kind() == "arguments")
                        .and_then(|a| a.parent())
                        .map_or("", |c| self.callee(c));
                    let short = callee.rsplit('.').next().unwrap_or("");
                    return matches!(short, "map" | "forEach" | "flatMap" | "all" | "allSettled");
                }
                "function_definition"
                | "function_declaration"
                | "method_declaration"
                | "method_definition"
                | "func_literal"
                | "lambda"
                | "lambda_expression" => {
                    return false;
                }
                _ => cur = p,
            }
        }
        false
    }

    /// Whether the value of `n` depends on a parameter of the function it is in (the role
    /// is the caller's choice: `def session_for(account): … f"arn:…:{account}:role/x"`).
    fn depends_on_parameter(&self, n: Node<'t>, scope: usize, depth: usize) -> bool {
        if depth > MAX_RESOLVE {
            return false;
        }
        let mut stack = vec![n];
        let mut budget = 256usize;
        while let Some(x) = stack.pop() {
            let Some(b) = budget.checked_sub(1) else {
                return false;
            };
            budget = b;
            if x.kind() == "identifier" {
                // The callee of a call (`fmt.Sprintf`) or a field name is no value.
                let is_callee = x
                    .parent()
                    .is_some_and(|p| self.field(p, F_FUNCTION).is_some_and(|f| f.id() == x.id()));
                if !is_callee {
                    match self.lookup(scope, self.src(x)) {
                        Some(None) => return true,
                        Some(Some((b, bs))) if self.depends_on_parameter(b, bs, depth + 1) => {
                            return true;
                        }
                        _ => {}
                    }
                }
                continue;
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        false
    }

    /// Whether `n` is inside a credential provider's code: a class or function named like
    /// a provider, fetcher, refresher or `Retrieve`, or a class implementing one.
    fn in_provider(&self, n: Node<'t>) -> bool {
        fn providerish(s: &str) -> bool {
            let l = s.to_ascii_lowercase();
            [
                "provider",
                "fetcher",
                "refresh",
                "retriev",
                "resolvecredentials",
                "credentialsource",
                "credential_source",
            ]
            .iter()
            .any(|w| l.contains(w))
        }
        let mut cur = n;
        while let Some(p) = cur.parent() {
            match p.kind() {
                "class_definition" | "class_declaration" | "class" => {
                    // The header: name, bases and interfaces.
                    let end = p
                        .child_by_field_name("body")
                        .map_or(p.end_byte(), |b| b.start_byte());
                    if providerish(self.text.get(p.start_byte()..end).unwrap_or("")) {
                        return true;
                    }
                }
                "function_definition"
                | "function_declaration"
                | "method_declaration"
                | "method_definition" => {
                    let name = self.field(p, F_NAME).map_or("", |x| self.src(x));
                    let receiver = p
                        .child_by_field_name("receiver")
                        .map_or("", |x| self.src(x));
                    if providerish(name) || providerish(receiver) {
                        return true;
                    }
                }
                _ => {}
            }
            cur = p;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::at;
    use crate::parse::code::{ArgValue, Lang, StsSource, parse};

    /// The STS origins of a file's credential arguments, by argument.
    fn sts_of(text: &str, lang: Lang) -> Vec<Option<StsSource>> {
        parse(text, lang)
            .calls
            .iter()
            .flat_map(|c| c.args.iter().map(|a| a.sts.clone()))
            .collect()
    }

    #[test]
    fn credentials_followed_back_to_the_sts_call() {
        let py = "import boto3, os\nsts = boto3.client('sts')\nr = sts.assume_role(RoleArn=os.environ['ROLE_ARN'], RoleSessionName='x')\nc = r['Credentials']\ns = boto3.Session(aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c.get('SecretAccessKey'))\n";
        let got = sts_of(py, Lang::Python);
        assert_eq!(got.len(), 2);
        for s in &got {
            let s = s.as_ref().expect("followed");
            assert_eq!(s.api, "sts.assume_role");
            assert_eq!(s.operation, "assume-role");
            assert_eq!(s.role, Some(ArgValue::Env("ROLE_ARN".into())));
            assert!(!s.per_account && !s.provider);
            assert_eq!(at(py, s.span), "sts.assume_role");
        }
        // Not from STS: keys from the environment, or a class's own `assume_role`.
        let plain = "import boto3, os\nboto3.client('s3', aws_access_key_id=os.environ['K'])\nc = AwsProvider.assume_role(x)\nboto3.Session(aws_access_key_id=c.access_key)\n";
        assert!(sts_of(plain, Lang::Python).iter().all(Option::is_none));
        // Per account: in a loop, or the ARN built from a parameter.
        let looped = "import boto3\nfor a in accts:\n    c = sts.assume_role(RoleArn='arn:aws:iam::1:role/x')['Credentials']\n    boto3.client('s3', aws_access_key_id=c['AccessKeyId'])\n";
        assert!(
            sts_of(looped, Lang::Python)[0]
                .as_ref()
                .is_some_and(|s| s.per_account)
        );
        let param = "import boto3\ndef f(acct):\n    c = sts.assume_role(RoleArn=f'arn:aws:iam::{acct}:role/x')['Credentials']\n    return boto3.client('s3', aws_access_key_id=c['AccessKeyId'])\n";
        assert!(
            sts_of(param, Lang::Python)[0]
                .as_ref()
                .is_some_and(|s| s.per_account)
        );
    }

    #[test]
    fn sts_in_javascript_go_and_java() {
        let js = "import { S3Client } from '@aws-sdk/client-s3';\nconst { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r' }));\nnew S3Client({ credentials: { accessKeyId: Credentials.AccessKeyId } });\n";
        let s = sts_of(js, Lang::JavaScript);
        let s = s[0].as_ref().expect("js");
        assert_eq!(s.api, "new AssumeRoleCommand");
        assert_eq!(
            s.role,
            Some(ArgValue::Literal("arn:aws:iam::123456789012:role/r".into()))
        );
        let go = "package m\nfunc f() {\n\tout, _ := svc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(\"arn:aws:iam::1:role/g\")})\n\tcredentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, \"\", \"\")\n}\n";
        let s = sts_of(go, Lang::Go);
        let s = s[0].as_ref().expect("go");
        assert_eq!(
            s.role,
            Some(ArgValue::Literal("arn:aws:iam::1:role/g".into()))
        );
        let java = "class A { void f() { var c = sts.assumeRole(r -> r.roleArn(\"arn:aws:iam::1:role/j\").serialNumber(m)).credentials(); AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()); } }";
        let s = sts_of(java, Lang::Java);
        let s = s[0].as_ref().expect("java");
        assert_eq!(
            s.role,
            Some(ArgValue::Literal("arn:aws:iam::1:role/j".into()))
        );
        assert!(s.mfa);
        let provider = "class RoleProvider implements AwsCredentialsProvider { public AwsCredentials resolveCredentials() { var c = sts.assumeRole(req).credentials(); return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()); } }";
        assert!(
            sts_of(provider, Lang::Java)[0]
                .as_ref()
                .is_some_and(|s| s.provider)
        );
    }
}
