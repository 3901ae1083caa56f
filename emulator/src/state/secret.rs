//! Secrets and what may be shown of them: random codes and tokens, constant-time comparison,
//! hashing of link tokens, and the masked destinations the send operations answer with.

use aws_lc_rs::digest;
use subtle::ConstantTimeEq;

/// Random bytes from AWS-LC's CSPRNG (the one rustls uses). `None` only if the system's entropy
/// source failed, which the caller turns into an error answer rather than a weak secret.
fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    aws_lc_rs::rand::fill(&mut bytes).ok()?;
    Some(bytes)
}

/// A uniformly random six-digit code. Rejection sampling avoids the bias of `u32 % 10^6`.
pub fn otp_code() -> Option<String> {
    // The largest multiple of 10^6 that fits in a u32; values at or above it are redrawn.
    const LIMIT: u32 = u32::MAX - (u32::MAX % 1_000_000);
    loop {
        let value = u32::from_le_bytes(random_bytes::<4>()?);
        if value < LIMIT {
            return Some(format!("{:06}", value % 1_000_000));
        }
    }
}

/// 32 random bytes as 64 lowercase hex characters: a magic-link token.
pub fn token() -> Option<String> {
    Some(hex(&random_bytes::<32>()?))
}

/// A short random id (users, JWT ids): 16 bytes as hex.
pub fn id() -> Option<String> {
    Some(hex(&random_bytes::<16>()?))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

/// The SHA-256 of a link token: links are stored and looked up by hash, so the lookup's timing
/// says nothing about the token and the store never holds a usable token.
pub fn token_hash(token: &str) -> [u8; 32] {
    let mut hash = [0u8; 32];
    hash.copy_from_slice(digest::digest(&digest::SHA256, token.as_bytes()).as_ref());
    hash
}

/// Compares a submitted code with the stored one without an early exit on the first
/// differing byte. The length (always six) is not secret.
pub fn same(submitted: &str, stored: &str) -> bool {
    submitted.len() == stored.len() && bool::from(submitted.as_bytes().ct_eq(stored.as_bytes()))
}

/// `jane@example.com` → `j***@example.com`, the shape the spec's examples show.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// `+14155550123` → `+*******0123`: every digit but the last four hidden.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let keep_from = chars.len().saturating_sub(4);
    chars
        .iter()
        .enumerate()
        .map(|(at, c)| {
            if at >= keep_from || *c == '+' {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| otp_code().unwrap()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert!(distinct.len() > 40, "{distinct:?}");
    }

    #[test]
    fn tokens_are_64_hex_characters() {
        let token = token().unwrap();
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(token_hash(&token), token_hash("other"));
    }

    #[test]
    fn comparison_needs_every_byte() {
        assert!(same("123456", "123456"));
        assert!(!same("123457", "123456"));
        assert!(!same("12345", "123456"));
    }

    #[test]
    fn masks_match_the_spec_examples() {
        assert_eq!(mask_email("jane@example.com"), "j***@example.com");
        assert_eq!(mask_phone("+14155550123"), "+*******0123");
        assert_eq!(mask_phone("12"), "12");
    }
}
