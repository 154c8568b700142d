//! CL106: Dockerfile `ENV`/`ARG` carrying AWS secrets into image layers.

use super::RuleId;
use crate::finding::Finding;
use crate::model::Workspace;
use crate::model::slot::{Slot, env_slot, is_secret_name};
use crate::parse::Parsed;

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    for (i, f) in ws.files.iter().enumerate() {
        let Parsed::Ci(ci) = &f.parsed else { continue };
        for v in &ci.image_vars {
            let slot = env_slot(&v.var.key);
            if !matches!(slot, Slot::KeyId | Slot::Secret | Slot::Token)
                && !is_secret_name(&v.var.key)
            {
                continue;
            }
            // `ENV KEY=` sets it to nothing: no secret reaches the image (an empty `ARG`
            // default can still be overridden with --build-arg).
            if v.instruction == "ENV" && v.var.value.as_deref() == Some("") {
                continue;
            }
            let how = if v.instruction == "ENV" {
                "stays in the image's environment and in every layer built on it"
            } else {
                "is recorded in the image history (`docker history`) when passed with --build-arg"
            };
            let msg = format!("{} {} {how}", v.instruction, v.var.key);
            out.push(Finding::new(
                RuleId::SecretInImage,
                ws.location(i, v.var.key_span),
                msg,
            ));
        }
    }
}
