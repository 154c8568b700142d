//! Go: `NewStaticCredentials*` and static providers given a credentials struct, shared
//! config profiles, and `os.Setenv`.

use super::scope::{MAX_RESOLVE, Walker};
use super::values::{KEY_ID, Names, SECRET, TOKEN, slot_in};
use tree_sitter::Node;

/// Go v2 `aws.Credentials{…}` and v1 `credentials.Value{…}` fields.
const GO_FIELDS: Names = [
    ("AccessKeyID", KEY_ID),
    ("SecretAccessKey", SECRET),
    ("SessionToken", TOKEN),
];
/// Go `credentials.NewStaticCredentials(Provider)(key, secret, session)`.
const GO_PARAMS: Names = [("key", KEY_ID), ("secret", SECRET), ("session", TOKEN)];

impl<'t> Walker<'_, 't> {
    pub(super) fn go(&mut self, n: Node<'t>) {
        match n.kind() {
            "call_expression" => {
                let callee = self.callee(n);
                let short = callee.rsplit('.').next().unwrap_or("");
                match short {
                    "NewStaticCredentialsProvider" | "NewStaticCredentials" => {
                        self.positional(n, callee, &GO_PARAMS);
                    }
                    // v1 credentials.NewStaticCredentialsFromCreds(credentials.Value{…})
                    "NewStaticCredentialsFromCreds" => {
                        if let Some(v) = self.args(n).first().copied() {
                            self.go_value(v, callee, n);
                        }
                    }
                    "WithSharedConfigProfile" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    // v1 credentials.NewSharedCredentials(filename, profile)
                    "NewSharedCredentials" => {
                        if let Some(p) = self.args(n).get(1).copied() {
                            self.push_profile(p);
                        }
                    }
                    "Setenv" if callee == "os.Setenv" => {
                        let a = self.args(n);
                        if let (Some(k), Some(v)) = (a.first(), a.get(1))
                            && let Some((key, ks)) = self.string_value(*k)
                        {
                            self.push_env(&key, ks, *v);
                        }
                    }
                    _ => {}
                }
            }
            // credentials.StaticCredentialsProvider{Value: aws.Credentials{…}} (v2),
            // &credentials.StaticProvider{Value: credentials.Value{…}} (v1),
            // session.Options{Profile: …}. An `aws.Credentials{…}` on its own is a value
            // (a provider's Retrieve returns one), and `iam.DeleteAccessKeyInput{…}` is an
            // API call's input: neither is handed to the SDK as credentials.
            "composite_literal" => {
                let ty = n.child_by_field_name("type").map_or("", |t| self.src(t));
                let short = ty.rsplit('.').next().unwrap_or("");
                let Some(body) = n.child_by_field_name("body") else {
                    return;
                };
                let mut c = body.walk();
                let elems: Vec<Node<'t>> = body
                    .named_children(&mut c)
                    .filter(|e| e.kind() == "keyed_element")
                    .collect();
                for e in elems {
                    let key = e
                        .child_by_field_name("key")
                        .map_or("", |k| self.src(k).trim());
                    let Some(value) = e
                        .child_by_field_name("value")
                        .map(|v| v.named_child(0).unwrap_or(v))
                    else {
                        continue;
                    };
                    if key == "Profile" && ty.ends_with("Options") {
                        self.push_profile(value);
                    } else if key == "Value"
                        && matches!(short, "StaticCredentialsProvider" | "StaticProvider")
                    {
                        self.go_value(value, &format!("{ty}{{…}}"), n);
                    }
                }
            }
            _ => {}
        }
    }

    /// The credentials struct handed to a Go static provider: a composite literal,
    /// possibly behind `&` or a name bound to one.
    fn go_value(&mut self, v: Node<'t>, api: &str, sink: Node<'t>) {
        let mut cur = v;
        for _ in 0..MAX_RESOLVE {
            match cur.kind() {
                "unary_expression" | "parenthesized_expression" => {
                    let Some(inner) = cur.named_child(0) else {
                        return;
                    };
                    cur = inner;
                }
                "identifier" => match self.lookup(self.scope, self.src(cur)) {
                    Some(Some((bound, _))) => cur = bound,
                    _ => return,
                },
                "composite_literal" => break,
                _ => return,
            }
        }
        if cur.kind() != "composite_literal" {
            return;
        }
        let Some(body) = cur.child_by_field_name("body") else {
            return;
        };
        let mut c = body.walk();
        let elems: Vec<Node<'t>> = body
            .named_children(&mut c)
            .filter(|e| e.kind() == "keyed_element")
            .collect();
        let mut found = Vec::new();
        for e in elems {
            let key = e
                .child_by_field_name("key")
                .map_or("", |k| self.src(k).trim());
            let Some(value) = e
                .child_by_field_name("value")
                .map(|v| v.named_child(0).unwrap_or(v))
            else {
                continue;
            };
            if let Some(slot) = slot_in(&GO_FIELDS, key) {
                found.extend(self.arg(slot, value));
            }
        }
        self.push_call(api, sink, found, false);
    }
}
