//! A spec file's bytes as the text the loader reads: UTF-8, or a syntax diagnostic placed at
//! the first byte that is not.

use crate::diagnostic::{Diagnostics, Location, Report, Rule};

/// A spec file's bytes as text. A spec must be UTF-8 (YAML and JSON files in the wild are; a
/// UTF-8 byte-order mark is dropped); anything else is a syntax diagnostic at the line and column
/// of the first byte that is not, with a help that names UTF-16 when the file starts with its
/// byte-order mark.
pub fn decode(bytes: &[u8], spec_file: &str) -> Result<String, Diagnostics> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => {
            let good = &bytes[..error.valid_up_to()];
            let line = good.iter().filter(|byte| **byte == b'\n').count() + 1;
            let line_start = good
                .iter()
                .rposition(|byte| *byte == b'\n')
                .map_or(0, |at| at + 1);
            // Characters, not bytes, before the bad one on its line.
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let bad = bytes[error.valid_up_to()];
            let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
            let help = if utf16 {
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
            } else {
                "save the file as UTF-8, or replace the byte with the character it was meant to be"
            };
            let mut report = Report::new(spec_file);
            report.push(
                Location::Text { line, column },
                Rule::Syntax,
                format!(
                    "the file is not UTF-8: byte 0x{bad:02X} cannot start or continue a character"
                ),
                help,
            );
            Err(report.into_diagnostics())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_placed() {
        let error = decode(
            b"openapi: 3.0.3\ninfo: {title: caf\xE9, version: '1'}\n",
            "s.yaml",
        )
        .unwrap_err();
        let diagnostic = &error.0[0];
        assert_eq!(diagnostic.rule, Rule::Syntax);
        assert_eq!(
            diagnostic.location,
            Location::Text {
                line: 2,
                column: 18
            }
        );
        assert!(diagnostic.message.contains("0xE9"), "{error}");
        assert!(
            error
                .to_string()
                .ends_with("1 problem found; nothing was generated")
        );

        let utf16 = decode(b"\xFF\xFEo\x00p\x00", "s.yaml").unwrap_err();
        assert_eq!(utf16.0[0].location, Location::Text { line: 1, column: 1 });
        assert!(utf16.0[0].help.contains("UTF-16"), "{utf16}");

        assert_eq!(
            decode(b"\xEF\xBB\xBFopenapi: 3.0.3", "s.yaml").unwrap(),
            "openapi: 3.0.3"
        );
    }
}
