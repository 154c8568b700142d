//! CL308: a profile variable or `source_profile` that names an undefined profile.

use super::RuleId;
use crate::finding::Finding;
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let views = ws.home_views();
    // Profile variables in env files. An empty one (`export AWS_PROFILE=''`) is a profile
    // name too: botocore looks up the profile `` and raises, whatever files the user has.
    // Other names are only judged when the tree defines profiles at all.
    for g in ws.groups.iter().filter(|g| g.kind == GroupKind::Env) {
        for slot in [Slot::DefaultProfile, Slot::Profile] {
            let Some(s) = g.get(slot).filter(|s| s.literal) else {
                continue;
            };
            let msg = match s.value.as_deref() {
                Some("") => format!(
                    "{} is set to an empty string, which botocore takes as the profile name ``; it raises ProfileNotFound (unset the variable instead)",
                    s.key
                ),
                Some(name)
                    if !views.is_empty() && !views.iter().any(|v| v.merged.contains_key(name)) =>
                {
                    format!(
                        "{}={name} names a profile that no credentials or config file in this tree defines; botocore raises ProfileNotFound",
                        s.key
                    )
                }
                _ => continue,
            };
            out.push(Finding::new(
                RuleId::MissingProfile,
                ws.location(g.file, s.value_span),
                msg,
            ));
        }
    }
    // Profiles named in code: boto3.Session(profile_name=…), fromIni({ profile }). Judged
    // only when the tree defines profiles at all (otherwise the profile lives in the
    // user's own ~/.aws), and not when the code writes the profile itself (a test's
    // temporary config file, botocore's in-memory config).
    if views.iter().any(|v| !v.merged.is_empty()) {
        for (i, f) in ws.files.iter().enumerate() {
            let crate::parse::Parsed::Code { code, .. } = &f.parsed else {
                continue;
            };
            for p in &code.profiles {
                if p.written_by_code || views.iter().any(|v| v.merged.contains_key(&p.name)) {
                    continue;
                }
                let msg = format!(
                    "the code selects profile `{}`, which no credentials or config file in this tree defines; {}",
                    p.name,
                    outcome_in(f.path())
                );
                out.push(Finding::new(
                    RuleId::MissingProfile,
                    ws.location(i, p.span),
                    msg,
                ));
            }
        }
    }
    for v in views {
        for name in v.profile_names() {
            let Some(sp) = v.merged[name].get("source_profile") else {
                continue;
            };
            if v.merged.contains_key(&sp.value) {
                continue;
            }
            let Some(loc) = ws.location_of(&sp.loc) else {
                continue;
            };
            let msg = format!(
                "profile `{name}` has source_profile = {}, which is not defined; botocore raises InvalidConfigError",
                sp.value
            );
            out.push(Finding::new(RuleId::MissingProfile, loc, msg));
        }
    }
}

/// What the SDK of a source file does with a profile named in code that no file defines,
/// by the file's language (the models of `credlint resolve --sdk` for JavaScript v3 and Go
/// v2, from the profile passed in code).
fn outcome_in(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" => {
            "the JavaScript SDK finds no credentials under it and raises CredentialsProviderError"
        }
        "go" => {
            "the Go v2 SDK finds nothing under it and goes on down its chain (to instance metadata on EC2), not to the profile meant"
        }
        "java" => "the AWS SDK for Java finds no credentials under it",
        _ => "boto3 raises ProfileNotFound",
    }
}
