//! The raw tree, read strictly: YAML or JSON text into a document that keeps the text's key
//! order ([`Ordered`]), refusing a key repeated in one mapping, and converted into the JSON tree
//! the checks walk. Parser errors come back placed at a line and column.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostic::Location;

pub(super) fn parse_raw(text: &str, is_json: bool) -> Result<Ordered, (Location, String)> {
    parse_within(text, is_json, MAX_EXPANSION)
}

/// [`parse_raw`] with `allowance` for what aliases may add (tests shrink it).
fn parse_within(
    text: &str,
    is_json: bool,
    allowance: usize,
) -> Result<Ordered, (Location, String)> {
    let budget = Budget::for_text(text, allowance);
    let seed = StrictValue { budget: &budget };
    if is_json {
        let mut parser = serde_json::Deserializer::from_str(text);
        seed.deserialize(&mut parser)
            .and_then(|value| parser.end().map(|()| value))
            .map_err(|error| json_error(&error))
    } else {
        seed.deserialize(serde_norway::Deserializer::from_str(text))
            .map_err(|error| yaml_error(&error))
    }
}

/// The most a document may expand to, in bytes as [`Budget`] counts them, beyond what its own
/// text holds: YAML aliases (`*name`) repeat what they name, and the YAML reader bounds only how
/// many times (its "repetition limit"), not how much. One 100 kB anchored string aliased 20,000
/// times stays under that count but expands to 2 GB, and the process dies allocating it.
pub(super) const MAX_EXPANSION: usize = 64 << 20;

/// What one value costs besides its text: about what the tree spends on a node.
const VALUE_COST: usize = 32;

/// The words that mark a document refused for its expansion, so its diagnostic gets its own
/// help.
pub(super) const EXPANDS_TOO_FAR: &str = "expands beyond the limit";

/// The room left for the values a document expands to: each costs [`VALUE_COST`] plus the bytes
/// of its text (a key or a string). A document without aliases cannot spend more than
/// [`VALUE_COST`] per byte of its text, since every value takes at least one; aliases get
/// the allowance ([`MAX_EXPANSION`]) more.
pub(super) struct Budget {
    left: std::cell::Cell<usize>,
}

impl Budget {
    fn for_text(text: &str, allowance: usize) -> Budget {
        Budget {
            left: std::cell::Cell::new(
                text.len()
                    .saturating_mul(VALUE_COST + 1)
                    .saturating_add(allowance),
            ),
        }
    }

    fn spend<E: de::Error>(&self, text_bytes: usize) -> Result<(), E> {
        let cost = VALUE_COST.saturating_add(text_bytes);
        match self.left.get().checked_sub(cost) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "the document {EXPANDS_TOO_FAR} of {} MiB that aliases may add to the file's \
                 own values",
                MAX_EXPANSION >> 20
            ))),
        }
    }
}

pub(super) fn json_error(error: &serde_json::Error) -> (Location, String) {
    let (line, column) = (error.line(), error.column());
    let message = without_position(&error.to_string(), line, column);
    (Location::Text { line, column }, message)
}

pub(super) fn yaml_error(error: &serde_norway::Error) -> (Location, String) {
    match error.location() {
        Some(place) => {
            let (line, column) = (place.line(), place.column());
            let message = without_position(&error.to_string(), line, column);
            (Location::Text { line, column }, message)
        }
        None => (Location::Document, error.to_string()),
    }
}

/// Parsers append the position to their message; the diagnostic already shows it up front.
fn without_position(message: &str, line: usize, column: usize) -> String {
    message.replacen(&format!(" at line {line} column {column}"), "", 1)
}

/// The YAML parser places a repeated key at the start of its mapping; this finds the repeat
/// itself in a block mapping (whose keys all start in the mapping's column), or keeps the start.
pub(super) fn repeated_yaml_key(text: &str, message: &str, start: Location) -> Location {
    let Location::Text { line, column } = start else {
        return start;
    };
    let Some(key) = message
        .split_once("key `")
        .and_then(|(_, rest)| rest.split_once(&format!("` {DUPLICATE_KEY}")))
        .map(|(key, _)| key)
    else {
        return start;
    };
    let indent = column.saturating_sub(1);
    let spellings = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    let mut seen = 0;
    for (index, text_line) in text.lines().enumerate().skip(line.saturating_sub(1)) {
        let content = text_line.trim_start();
        let this_indent = text_line.len() - content.len();
        let ends_mapping = index + 1 > line
            && !content.is_empty()
            && !content.starts_with('#')
            && this_indent < indent;
        if ends_mapping {
            break;
        }
        let at_column = text_line.get(indent..).unwrap_or("");
        if spellings.iter().any(|s| at_column.starts_with(s.as_str())) {
            seen += 1;
            if seen == 2 {
                return Location::Text {
                    line: index + 1,
                    column,
                };
            }
        }
    }
    start
}

/// The words that mark a repeated key, so its diagnostic gets its own help.
pub(super) const DUPLICATE_KEY: &str = "is repeated in one mapping";

/// A document as parsed, its mappings in the order of the text. Only JSON-compatible values are
/// built: string keys, finite numbers, no YAML tags.
pub(super) type Ordered = serde_norway::Value;

/// The raw JSON tree of an ordered document.
pub(super) fn to_json(value: &Ordered) -> Value {
    match value {
        Ordered::Null | Ordered::Tagged(_) => Value::Null,
        Ordered::Bool(value) => Value::Bool(*value),
        Ordered::Number(number) => {
            if let Some(integer) = number.as_u64() {
                integer.into()
            } else if let Some(integer) = number.as_i64() {
                integer.into()
            } else {
                number
                    .as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Ordered::String(text) => Value::String(text.clone()),
        Ordered::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Ordered::Mapping(entries) => Value::Object(
            entries
                .iter()
                .filter_map(|(key, value)| Some((key.as_str()?.to_owned(), to_json(value))))
                .collect(),
        ),
    }
}

/// Reads any YAML or JSON value like `serde_json::Value`, keeping the order of keys, but refuses
/// a key repeated within one mapping, and a document that expands beyond its [`Budget`]; the
/// parser attaches the position of the mapping (or of the value that ran out) to the error.
#[derive(Clone, Copy)]
struct StrictValue<'b> {
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Ordered;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Ordered, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A mapping's key, paid for like any other string.
struct Key<'b> {
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        let key = <String as serde::Deserialize>::deserialize(deserializer)?;
        self.budget.spend(key.len())?;
        Ok(key)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Ordered, E> {
        self.budget.spend(0)?;
        Ok(Ordered::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Ordered, E> {
        self.budget.spend(0)?;
        Ok(Ordered::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Ordered, E> {
        self.budget.spend(0)?;
        Ok(Ordered::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Ordered, E> {
        self.budget.spend(0)?;
        if value.is_finite() {
            Ok(Ordered::Number(value.into()))
        } else {
            Err(E::custom(format!("{value} is not a JSON number")))
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Ordered, E> {
        // Paid for before it is copied: the copy is what an expansion would run out of memory on.
        self.budget.spend(value.len())?;
        Ok(Ordered::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Ordered, E> {
        self.budget.spend(value.len())?;
        Ok(Ordered::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Ordered, E> {
        self.budget.spend(0)?;
        Ok(Ordered::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Ordered, E> {
        self.budget.spend(0)?;
        Ok(Ordered::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Ordered, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        self.budget.spend(0)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Ordered::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        self.budget.spend(0)?;
        let mut entries = serde_norway::Mapping::new();
        let budget = self.budget;
        while let Some(key) = map.next_key_seed(Key { budget })? {
            let key = Ordered::String(key);
            if entries.contains_key(&key) {
                let key = key.as_str().unwrap_or_default();
                return Err(de::Error::custom(format!("key `{key}` {DUPLICATE_KEY}")));
            }
            let value = map.next_value_seed(self)?;
            entries.insert(key, value);
        }
        Ok(Ordered::Mapping(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_without_aliases_fits_its_budget_without_an_allowance() {
        let yaml = "a: [1, 2.5, true, ~, x, \"y\"]\nb: {c: d, '': e}\nf:\n- - g\n";
        parse_within(yaml, false, 0).expect("every value is paid for by its own text");
        let json = r#"{"a":[1,2.5,true,null,"x",""],"b":{"":{}},"f":[[]]}"#;
        parse_within(json, true, 0).expect("JSON has no aliases at all");
    }

    #[test]
    fn aliases_spend_the_allowance_and_no_more() {
        // 40 copies of 2 kB: more than the text pays for, less than 1 MiB.
        let text = "x".repeat(1000);
        let yaml = format!(
            "a: &a [{text}, {text}]\nb: [{}]\n",
            vec!["*a"; 40].join(", ")
        );
        let (_, message) = parse_within(&yaml, false, 0).unwrap_err();
        assert!(message.contains(EXPANDS_TOO_FAR), "{message}");
        parse_within(&yaml, false, 1 << 20).expect("the allowance covers the copies");
    }
}
