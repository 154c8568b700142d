//! Java: `AwsBasicCredentials`/`AwsSessionCredentials` (`create` and the builder), v1's
//! `BasicAWSCredentials`, and `ProfileCredentialsProvider` profiles.

use super::grammar::{F_NAME, F_OBJECT};
use super::scope::Walker;
use super::values::{CAMEL, KEY_ID, SECRET, TOKEN, slot_in};
use tree_sitter::Node;

impl<'t> Walker<'_, 't> {
    pub(super) fn java(&mut self, n: Node<'t>) {
        match n.kind() {
            "method_invocation" => {
                let object = self.field(n, F_OBJECT).map_or("", |o| self.src(o));
                let name = self.field(n, F_NAME).map_or("", |o| self.src(o));
                match name {
                    "create"
                        if matches!(object, "AwsBasicCredentials" | "AwsSessionCredentials") =>
                    {
                        self.positional(n, &format!("{object}.create"), &CAMEL);
                    }
                    "create" if object == "ProfileCredentialsProvider" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    "profileName" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    // AwsBasicCredentials.builder().accessKeyId(…).secretAccessKey(…).build()
                    "build" => self.java_builder(n),
                    _ => {}
                }
            }
            "object_creation_expression" => {
                let ty = n.child_by_field_name("type").map_or("", |o| self.src(o));
                match ty {
                    // v1 BasicAWSCredentials(String accessKey, String secretKey)
                    "BasicAWSCredentials" | "BasicSessionCredentials" => {
                        self.positional(
                            n,
                            &format!("new {ty}"),
                            &[
                                ("accessKey", KEY_ID),
                                ("secretKey", SECRET),
                                ("sessionToken", TOKEN),
                            ],
                        );
                    }
                    "ProfileCredentialsProvider" => {
                        if let Some(p) = self.args(n).first().copied() {
                            self.push_profile(p);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn java_builder(&mut self, build: Node<'t>) {
        let mut found = Vec::new();
        let mut cur = self.field(build, F_OBJECT);
        let mut root = String::new();
        let mut hops = 0;
        while let Some(m) = cur.filter(|m| m.kind() == "method_invocation") {
            hops += 1;
            if hops > 64 {
                break;
            }
            let name = self.field(m, F_NAME).map_or("", |x| self.src(x));
            if let Some(slot) = slot_in(&CAMEL, name)
                && let Some(v) = self.args(m).first().copied()
            {
                found.extend(self.arg(slot, v));
            }
            if name == "builder" {
                root = m
                    .child_by_field_name("object")
                    .map_or(String::new(), |o| self.src(o).to_owned());
            }
            cur = self.field(m, F_OBJECT);
        }
        if !root.contains("Credentials") {
            return;
        }
        found.sort_by_key(|a| a.span.start);
        self.push_call(&format!("{root}.builder"), build, found, false);
    }
}
