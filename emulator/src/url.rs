//! Percent-decoding of query parameters and path segments, the little of URL parsing the
//! emulator needs (hyper hands over the raw path and query).

/// One query parameter, percent-decoded. A literal `+` stays a `+` (phone numbers), unlike in
/// form encoding.
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value))
    })
}

/// `%XX` sequences decoded; a `%` not followed by two hex digits is kept as it is, and bytes
/// that are not UTF-8 become U+FFFD, so no input fails.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = bytes
                    .get(at + 1..at + 3)
                    .and_then(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        at += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_decoded() {
        assert_eq!(
            query_param(Some("a=1&loginId=jane%40example.com"), "loginId").as_deref(),
            Some("jane@example.com")
        );
        assert_eq!(
            query_param(Some("loginId=%2B1415%zz"), "loginId").as_deref(),
            Some("+1415%zz")
        );
        assert_eq!(query_param(None, "loginId"), None);
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }
}
