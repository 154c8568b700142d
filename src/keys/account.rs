//! The account a key id or example names: what makes a key id or Bedrock key a made-up
//! example rather than a credential.

/// Accounts of AWS's documentation examples (`123456789012`, `111122223333`, …), and
/// accounts of one repeated digit (`000000000000`, the emulators' default).
#[must_use]
pub fn is_example_account(account: &str) -> bool {
    const DOCUMENTED: [&str; 3] = ["123456789012", "111122223333", "444455556666"];
    DOCUMENTED.contains(&account)
        || (account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && account.bytes().all(|b| b == account.as_bytes()[0]))
}

/// A role ARN written for a reader to fill in: its account is a name rather than twelve
/// digits (`arn:aws:iam::ACCOUNT_ID:role/x`, `…::IAM_ACCOUNTID:…`, `…::ACCOUNT02:…`) or a
/// template expression (`<account>`, `${ACCOUNT}`, `{{ .account }}`). A documentation
/// account (`123456789012`) does not count: examples and tests are written with those, and
/// a profile in one still behaves as botocore loads it. Nor does a mistyped account
/// (`11112222333`, `1111222233O3`).
#[must_use]
pub fn is_template_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [head, _, service, _, account, resource] = parts[..] else {
        return false;
    };
    if head != "arn" || service != "iam" || !resource.starts_with("role/") {
        return false;
    }
    account.contains(['$', '<', '{', '%'])
        || (account
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && account.bytes().filter(u8::is_ascii_alphabetic).count() >= 3)
}

/// The account id a key id carries: key ids issued since about 2019 encode the account in
/// characters 5 to 13 (base32; the decoding an emulator and published research use). `None`
/// for older key ids, whose characters decode to no account. Used only to recognise made-up
/// keys: a key id that decodes to a documentation account was written for an example.
pub(super) fn embedded_account(key_id: &str) -> Option<u64> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digit = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|p| p as u64);
    let b = key_id.as_bytes();
    if b.len() != 20 {
        return None;
    }
    let mut n = 0u64;
    for &c in &b[4..12] {
        n = (n << 5) | digit(c)?;
    }
    let account = 2 * n.checked_sub(1 << 39)? + u64::from(digit(b[12])? >= 16);
    (account < 1_000_000_000_000).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::is_template_role_arn as t;

    #[test]
    fn template_role_arns() {
        assert!(t(
            "arn:aws:iam::ACCOUNT02:role/OrganizationAccountAccessRole"
        ));
        assert!(t("arn:aws:iam::IAM_ACCOUNTID:role/readonly"));
        assert!(t("arn:aws:iam::ACCOUNT_ID:role/dev"));
        assert!(t("arn:aws:iam::your_account_id:role/dev"));
        assert!(t("arn:aws:iam::<TOOLING_ACCOUNT_ID>:role/Deploy"));
        assert!(t("arn:aws:iam::${AWS_ACCOUNT}:role/dev"));
        assert!(t("arn:aws:iam::{{ .account }}:role/dev"));
        assert!(!t("arn:aws:iam::123456789012:role/dev"));
        assert!(!t("arn:aws:iam::123456789012:role/example"));
        assert!(!t("arn:aws:iam::210987654321:role/dev"));
        assert!(!t("arn:aws:iam::11112222333:role/dev"));
        assert!(!t("arn:aws:iam::1111222233O3:role/dev"));
        assert!(!t("arn:aws:iam:ACCOUNT02:role/dev"));
        assert!(!t("arn:aws:iam::ACCOUNT02:user/dev"));
        assert!(!t("dev"));
    }
}
