//! `--format sarif`: SARIF 2.1.0 through `serde_sarif`, shaped for GitHub code scanning
//! (rule metadata with `security-severity` for security rules, relative URIs under `%SRCROOT%`, regions with
//! start and end, `partialFingerprints`, `automationDetails.id`, at most 25,000 results).

use crate::finding::{Finding, Level};
use crate::model::Location;
use crate::rules::RuleId;
use serde_json::{Value, json};
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

/// GitHub code scanning accepts at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

fn level(l: Level) -> Value {
    json!(match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    })
}

fn text(t: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(t).build()
}

fn message(t: &str) -> sarif::Message {
    sarif::Message {
        text: Some(t.to_owned()),
        ..Default::default()
    }
}

fn rule_descriptor(r: RuleId) -> sarif::ReportingDescriptor {
    let m = r.meta();
    let d = &m.docs;
    let help_text = format!(
        "{}\n\nWhy is this bad?\n{}\n\nExample:\n{}\n\nUse instead:\n{}",
        d.what.trim(),
        d.why.trim(),
        d.example.trim(),
        d.use_instead.trim()
    );
    let help_markdown = format!(
        "## What it does\n{}\n\n## Why is this bad?\n{}\n\n## Example\n{}\n\n## Use instead\n{}\n",
        d.what.trim(),
        d.why.trim(),
        d.example.trim(),
        d.use_instead.trim()
    );
    let mut extra = BTreeMap::new();
    if let Some(severity) = m.security_severity {
        extra.insert(
            "security-severity".to_owned(),
            json!(format!("{severity:.1}")),
        );
    }
    extra.insert("precision".to_owned(), json!(m.precision));
    let category = serde_json::to_value(m.category)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(m.code.clone())
        .name(m.name.clone())
        .short_description(text(&m.summary))
        .full_description(text(d.what.trim()))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(sarif::ReportingConfiguration {
            level: Some(level(m.level)),
            ..Default::default()
        })
        .properties(sarif::PropertyBag {
            // GitHub shows a rule as a security alert when it is tagged `security` and has
            // a `security-severity`; a hygiene rule without a score is a maintainability note.
            tags: Some(if m.security_severity.is_some() {
                vec![
                    "security".to_owned(),
                    "aws".to_owned(),
                    "credentials".to_owned(),
                    category,
                ]
            } else {
                vec!["maintainability".to_owned(), "aws".to_owned(), category]
            }),
            additional_properties: extra,
        })
        .build();
    descriptor.help_uri = m.references.first().cloned();
    descriptor
}

/// Percent-encode a relative path for a URI (RFC 3986 unreserved characters and `/` stay).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn location(l: &Location, msg: Option<&str>, id: Option<i64>) -> sarif::Location {
    let absolute = l.path.starts_with('/');
    let artifact = sarif::ArtifactLocation {
        uri: Some(if absolute {
            format!("file://{}", uri(&l.path))
        } else {
            uri(&l.path)
        }),
        uri_base_id: (!absolute).then(|| "%SRCROOT%".to_owned()),
        ..Default::default()
    };
    let end_col = if l.end.line == l.start.line {
        l.end.column.max(l.start.column + 1)
    } else {
        l.end.column.max(1)
    };
    let region = sarif::Region {
        start_line: Some(i64::from(l.start.line)),
        start_column: Some(i64::from(l.start.column)),
        end_line: Some(i64::from(l.end.line.max(l.start.line))),
        end_column: Some(i64::from(end_col)),
        ..Default::default()
    };
    sarif::Location {
        id,
        message: msg.map(message),
        physical_location: Some(sarif::PhysicalLocation {
            artifact_location: Some(artifact),
            region: Some(region),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A finding's fix as SARIF `fixes`: one fix, one artifact change per file, each edit a
/// replacement of a (possibly empty) region.
fn fixes(fix: &crate::fix::Fix) -> Option<Vec<sarif::Fix>> {
    if fix.edits.is_empty() {
        return None;
    }
    let mut changes: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for e in &fix.edits {
        let replacement = json!({
            "deletedRegion": {
                "startLine": e.start.line,
                "startColumn": e.start.column,
                "endLine": e.end.line,
                "endColumn": e.end.column,
            },
            "insertedContent": {"text": e.replacement},
        });
        match changes.iter_mut().find(|(p, _)| p == &e.path) {
            Some((_, r)) => r.push(replacement),
            None => changes.push((e.path.clone(), vec![replacement])),
        }
    }
    let changes: Vec<serde_json::Value> = changes
        .into_iter()
        .map(|(path, replacements)| {
            let absolute = path.starts_with('/');
            let mut artifact = json!({"uri": if absolute { format!("file://{}", uri(&path)) } else { uri(&path) }});
            if !absolute {
                artifact["uriBaseId"] = json!("%SRCROOT%");
            }
            json!({"artifactLocation": artifact, "replacements": replacements})
        })
        .collect();
    serde_json::from_value(json!([{
        "description": {"text": fix.description},
        "artifactChanges": changes,
    }]))
    .ok()
}

/// Write the SARIF log. Returns how many results were dropped to stay within GitHub's limit.
pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    fingerprints: &[String],
    category: &str,
) -> std::io::Result<usize> {
    let rules: Vec<sarif::ReportingDescriptor> =
        RuleId::ALL.iter().map(|r| rule_descriptor(*r)).collect();
    let dropped = findings.len().saturating_sub(MAX_RESULTS);
    let results: Vec<sarif::Result> = findings
        .iter()
        .zip(fingerprints)
        .take(MAX_RESULTS)
        .map(|(f, fp)| {
            let related: Vec<sarif::Location> = f
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| location(&r.location, Some(&r.message), i64::try_from(i + 1).ok()))
                .collect();
            let mut text = f.message.clone();
            if !f.help.is_empty() {
                text = format!("{text}. {}", f.help);
            }
            let mut result = sarif::Result::builder()
                .rule_id(f.rule.code())
                .level(
                    serde_json::from_value(level(f.level)).unwrap_or(sarif::ResultLevel::Warning),
                )
                .message(message(&text))
                .locations(vec![location(&f.location, None, None)])
                .partial_fingerprints(BTreeMap::from([(
                    "primaryLocationLineHash".to_owned(),
                    fp.clone(),
                )]))
                .build();
            result.rule_index = RuleId::ALL
                .iter()
                .position(|r| *r == f.rule)
                .and_then(|i| i64::try_from(i).ok());
            result.related_locations = (!related.is_empty()).then_some(related);
            result.fixes = f.fix.as_ref().and_then(fixes);
            result
        })
        .collect();
    let mut notifications = Vec::new();
    if dropped > 0 {
        notifications.push(
            sarif::Notification::builder()
                .level(json!("warning"))
                .message(message(&format!("{dropped} results were left out to stay within GitHub's limit of {MAX_RESULTS} per run")))
                .build(),
        );
    }
    let driver = sarif::ToolComponent::builder()
        .name("credlint")
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(true)
        .build();
    invocation.tool_execution_notifications = (!notifications.is_empty()).then_some(notifications);
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .automation_details(sarif::RunAutomationDetails {
            id: Some(category.to_owned()),
            ..Default::default()
        })
        .column_kind(json!("unicodeCodePoints"))
        .invocations(vec![invocation])
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)?;
    Ok(dropped)
}
