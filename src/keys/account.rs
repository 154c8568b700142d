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
