//! The one masking of a key id every output shows.

/// Redact a key id: its 4-letter prefix and last four characters survive (`AKIA****WXYZ`).
/// Shorter values are hidden entirely. This is the one masking of a key id that every
/// output shows: messages, snippets, JSON, SARIF, annotations and `resolve`.
#[must_use]
pub fn redact_key_id(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() >= 12 {
        let head: String = chars[..4].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    } else {
        "****".to_owned()
    }
}
