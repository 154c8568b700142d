//! CL305: both `[default]` and `[profile default]` in one config file.

use super::RuleId;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::sections::{ConfigSection, config_section};
use crate::parse::Parsed;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let (FileKind::AwsConfig, Parsed::Ini(ini)) = (f.kind, &f.parsed) else {
            continue;
        };
        let defaults: Vec<_> = ini
            .sections
            .iter()
            .filter(|s| config_section(&s.name) == ConfigSection::Profile("default".into()))
            .collect();
        let plain = defaults.iter().find(|s| s.name == "default");
        let prefixed = defaults.iter().find(|s| s.name != "default");
        let (Some(plain), Some(prefixed)) = (plain, prefixed) else {
            continue;
        };
        let (later, earlier) = if plain.header_span.start > prefixed.header_span.start {
            (plain, prefixed)
        } else {
            (prefixed, plain)
        };
        let msg = format!(
            "both [default] and [{}] define the default profile; botocore uses the later one, [{}], and ignores [{}] entirely, while other SDKs prefer [profile default]",
            prefixed.name, later.name, earlier.name
        );
        out.push(
            Finding::new(
                RuleId::DefaultProfileConflict,
                ws.location(i, later.header_span),
                msg,
            )
            .related(
                ws.location(i, earlier.header_span),
                "the other default section",
            ),
        );
    }
}
