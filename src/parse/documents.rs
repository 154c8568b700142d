//! JSON, YAML and Terraform files read as document trees, for the IAM trust policies the
//! model reads out of them (`crate::model::trust`). Only files that mention role
//! assumption are parsed ([`is_candidate`]); a JSON or YAML template that does not parse as
//! it is, is parsed with its template tags blanked.

use super::hcl::TerraformFile;
use super::yaml::Node;
use crate::discover::FileKind;
use crate::source::Span;

/// The documents of one file.
#[derive(Debug)]
pub enum Documents {
    /// Not a candidate, or a JSON file without a document.
    None,
    Terraform(TerraformFile),
    /// JSON or YAML document trees, positions into the file's text.
    Trees(Vec<Node>),
    /// A template that parses only with its tags blanked: the blanked text (as long as the
    /// file's, every position where it was), its trees, and the byte ranges of the tags.
    Templated {
        text: String,
        docs: Vec<Node>,
        tags: Vec<Span>,
    },
    /// The file does not parse: offset and message.
    Error(usize, String),
}

/// Whether a file's text is worth reading for trust policies (one literal search each).
#[must_use]
pub fn is_candidate(kind: FileKind, text: &str) -> bool {
    match kind {
        FileKind::Terraform => {
            text.contains("assume_role_policy") || text.contains("aws_iam_policy_document")
        }
        // A trust statement has a `Principal` (or `NotPrincipal`; `principals` in a
        // Terraform plan) and an STS action.
        FileKind::Json | FileKind::Yaml => {
            (text.contains("Principal") || text.contains("principal"))
                && (text.contains("AssumeRole")
                    || text.contains("assume_role_policy")
                    || text.contains("sts:"))
                && (kind != FileKind::Json
                    || principal_value(text)
                    || (text.len() <= BIG_JSON && text.contains("principals")))
        }
        _ => false,
    }
}

/// JSON is parsed for trust policies only when a `Principal` key holds a principal
/// ([`principal_value`]): JSON that merely says `Principal` and `AssumeRole` is an API model
/// or documentation (an SDK's service definitions: botocore holds hundreds, up to several MB
/// each), whose tree costs several times its size for nothing. A Terraform plan's policy
/// documents (`principals` blocks) are read below this size.
const BIG_JSON: usize = 1024 * 1024;

/// Whether JSON text has a `Principal` (or `NotPrincipal`) key whose value is a principal:
/// `"*"`, a list, or an object keyed `AWS`, `Service`, `Federated`, `CanonicalUser` or a
/// `CloudFormation` function; also inside a JSON string (a Terraform plan's
/// `assume_role_policy` holds the policy as escaped text).
fn principal_value(text: &str) -> bool {
    static KEY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"\\?"(?:Not)?Principal\\?"\s*:\s*(?:\\?"\*|\[|\{\s*\\?"(?:AWS|Service|Federated|CanonicalUser|Fn::|Ref))"#,
        )
        .expect("static pattern")
    });
    KEY.is_match(text)
}

/// The documents of one file, for the trust policies in it; files that are not candidates
/// yield none.
#[must_use]
pub fn parse(kind: FileKind, text: &str) -> Documents {
    if !is_candidate(kind, text) {
        return Documents::None;
    }
    match kind {
        FileKind::Terraform => match super::hcl::parse(text) {
            Ok(tf) => Documents::Terraform(tf),
            Err(e) => Documents::Error(
                0,
                format!(
                    "Terraform does not parse: {}",
                    e.lines().next().unwrap_or("")
                ),
            ),
        },
        FileKind::Json => match super::json::parse(text) {
            Ok(Some(doc)) => Documents::Trees(vec![doc]),
            Ok(None) => Documents::None,
            Err((at, e)) => templated(kind, text)
                .unwrap_or_else(|| Documents::Error(at, format!("not valid JSON: {e}"))),
        },
        FileKind::Yaml => match super::yaml::parse(text) {
            Ok(docs) => Documents::Trees(docs),
            Err((at, e)) => templated(kind, text)
                .unwrap_or_else(|| Documents::Error(at, format!("not valid YAML: {e}"))),
        },
        _ => Documents::None,
    }
}

// ---------------------------------------------------------------------------------------
// Templates: JSON or YAML with templating placeholders (Jinja, Go templates, ERB,
// `${…}` substitutions) that make the file invalid until it is rendered.

/// Opening and closing delimiters of template tags, tried in this order.
const TAGS: [(&str, &str); 5] = [
    ("{{", "}}"),
    ("{%", "%}"),
    ("{#", "#}"),
    ("<%", "%>"),
    ("%{", "}"),
];

/// Go-template actions that produce no value (`{{ if … }}`, `{{- end }}`).
const GO_CONTROL: [&str; 9] = [
    "if ",
    "else",
    "end",
    "range ",
    "with ",
    "define ",
    "template ",
    "block ",
    "/*",
];

/// The byte ranges of template tags in `text`, each with whether it stands alone on its
/// line. In JSON, `${…}` outside strings is a tag too (inside strings it is
/// `CloudFormation`'s own `Fn::Sub` syntax and valid JSON).
fn template_tags(text: &str, json: bool) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        // A tag opens with ASCII and a continuation byte is never `"`, `\` or a newline:
        // inside a multi-byte character there is nothing to see (a `\` before one in a
        // JSON string steps into it).
        let Some(rest) = text.get(i..) else {
            i += 1;
            continue;
        };
        let tag = TAGS
            .iter()
            .chain(json.then_some(&("${", "}")).filter(|_| !in_string))
            .find(|(open, _)| rest.starts_with(open));
        if let Some((open, close)) = tag {
            if let Some(end) = rest[open.len()..].find(close) {
                let end = i + open.len() + end + close.len();
                out.push((i, end));
                i = end;
                continue;
            }
        }
        match b[i] {
            b'\\' if json && in_string => i += 1,
            b'"' if json => in_string = !in_string,
            b'\n' => in_string = false,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The text with every template tag replaced by bytes of the same length, so that every
/// position stays where it was: a tag alone on its line (control flow, or a whole injected
/// block) becomes spaces; a tag inside a JSON string or a YAML value becomes `_`s; a tag
/// in JSON value position becomes a string `"___"`. `None` when there is no tag.
fn blank_templates(text: &str, json: bool) -> Option<(String, Vec<Span>)> {
    let tags = template_tags(text, json);
    if tags.is_empty() {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut in_string_at = vec![false; bytes.len() + 1];
    if json {
        let (mut i, mut in_string, mut t) = (0, false, 0);
        while i < bytes.len() {
            if t < tags.len() && tags[t].0 == i {
                for flag in &mut in_string_at[tags[t].0..tags[t].1] {
                    *flag = in_string;
                }
                i = tags[t].1;
                t += 1;
                continue;
            }
            in_string_at[i] = in_string;
            match bytes[i] {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'\n' => in_string = false,
                _ => {}
            }
            i += 1;
        }
    }
    let mut spans = Vec::new();
    for &(start, end) in &tags {
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n);
        let alone = text[line_start..start].trim().is_empty()
            && (text[end..line_end].trim().is_empty() || text[end..line_end].trim() == ",");
        let inner = text[start + 2..end].trim_start_matches(['-', ' ']);
        let tag = &text[start..end];
        let control = tag.starts_with("{%")
            || tag.starts_with("{#")
            || tag.starts_with("%{")
            || (tag.starts_with("<%") && !tag.starts_with("<%="))
            || (tag.starts_with("{{") && GO_CONTROL.iter().any(|c| inner.starts_with(c)));
        let keep_newlines = |bytes: &mut [u8], with: u8| {
            for c in &mut bytes[start..end] {
                if *c != b'\n' {
                    *c = with;
                }
            }
        };
        if alone && (control || json) || text[start..end].contains('\n') {
            keep_newlines(&mut bytes, b' ');
            continue;
        }
        if control {
            keep_newlines(&mut bytes, b' ');
            continue;
        }
        keep_newlines(&mut bytes, b'_');
        if json && !in_string_at[start] {
            bytes[start] = b'"';
            bytes[end - 1] = b'"';
        }
        spans.push(Span::new(start, end));
    }
    String::from_utf8(bytes).ok().map(|t| (t, spans))
}

/// A template that does not parse as it is, parsed with its tags blanked; `None` when it has
/// no tag or does not parse blanked either.
fn templated(kind: FileKind, text: &str) -> Option<Documents> {
    let json = kind == FileKind::Json;
    let (blank, tags) = blank_templates(text, json)?;
    let docs = if json {
        vec![super::json::parse(&blank).ok()??]
    } else {
        super::yaml::parse(&blank).ok()?
    };
    Some(Documents::Templated {
        text: blank,
        docs,
        tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backslash_before_a_multibyte_character_is_no_panic() {
        // A `\` in a JSON string steps one byte on: before `é` that lands inside it.
        let text = "{\"a\": \"x\\é\", \"b\": {{ v }}, \"c\": \"ü{{ w }}\"}";
        let tags = template_tags(text, true);
        assert_eq!(tags.len(), 2, "{tags:?}");
        for (start, end) in tags {
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            assert!(text[start..end].starts_with("{{"));
        }
        assert!(blank_templates(text, true).is_some());
    }

    #[test]
    fn json_is_a_candidate_only_with_a_principal_value() {
        for policy in [
            r#"{"Statement": [{"Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
            r#"{"Principal" : "*", "Action": "sts:AssumeRole"}"#,
            r#"{"NotPrincipal": {"AWS": ["arn:aws:iam::1:root"]}}"#,
            r#"{"Principal": {"Fn::If": ["c", {"AWS": "x"}, {"Ref": "AWS::NoValue"}]}}"#,
            r#"{"values": {"assume_role_policy": "{\"Statement\":[{\"Principal\":{\"Federated\":\"x\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}"}}"#,
        ] {
            assert!(principal_value(policy), "{policy}");
        }
        // An API model: a member named Principal, documentation that mentions AssumeRole.
        let model = r#"{"shapes": {"AddPermissionRequest": {"members": {"Principal": {"shape": "String"}}}}, "documentation": "Grants sts:AssumeRole to a Principal"}"#;
        assert!(!principal_value(model));
        assert!(!is_candidate(FileKind::Json, model));
        // A Terraform plan's policy document data source: `principals` blocks.
        let plan = r#"{"planned_values": {"root_module": {"resources": [{"type": "aws_iam_policy_document", "values": {"statement": [{"actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "identifiers": ["ec2.amazonaws.com"]}]}]}}]}}}"#;
        assert!(is_candidate(FileKind::Json, plan));
        let big = format!("{plan}{}", " ".repeat(BIG_JSON));
        assert!(!is_candidate(FileKind::Json, &big));
    }
}
