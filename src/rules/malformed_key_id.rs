//! CL204: a value in a key-id slot that cannot be an access key id.

use super::RuleId;
use crate::finding::Finding;
use crate::keys::{self, KeyIdShape};
use crate::model::slot::Slot;
use crate::model::{GroupKind, Workspace};

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for g in &ws.groups {
        for s in g.settings.iter().filter(|s| s.slot == Slot::KeyId) {
            if s.inherited && g.kind == GroupKind::Section {
                continue; // reported once, on the [DEFAULT] entry itself
            }
            let Some(v) = s.literal_value() else { continue };
            // Values not meant as key ids at all are stand-ins, not typos: SDK tests and
            // their fixture configs (`aws_access_key_id = foo`, `ACCESS_KEY_SHARED`,
            // `accessKeyId: "akid"`), emulator setups (`AWS_ACCESS_KEY_ID=test` for
            // LocalStack or moto). Only a value shaped like an IAM identifier is a broken
            // key id.
            if !super::common::key_id_like(v) {
                continue;
            }
            let why = match keys::classify_key_id(v) {
                KeyIdShape::UniqueId(what) => format!("this is {what}, not an access key id"),
                KeyIdShape::Malformed(why) => why.to_owned(),
                _ => continue,
            };
            let msg = format!(
                "`{}` holds `{}`, which is not a valid access key id: {why}",
                s.key,
                keys::redact_key_id(v)
            );
            out.push(Finding::new(
                RuleId::MalformedKeyId,
                ws.location(g.file, s.value_span),
                msg,
            ));
        }
    }
}
