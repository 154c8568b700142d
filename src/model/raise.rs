//! What botocore raises, as the chain and its settings report it.

use super::profiles::Loc;
use serde::Serialize;

/// An exception botocore would raise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Raise {
    pub class: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Loc>,
}

pub(crate) fn raise(class: &str, message: impl Into<String>, loc: Option<Loc>) -> Raise {
    Raise {
        class: class.to_owned(),
        message: message.into(),
        location: loc,
    }
}
