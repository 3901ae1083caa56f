//! JSON read strictly, for a token's header and payload: an object whose members all have
//! distinct names, at every depth. `serde_json` keeps the last of repeated names, as RFC 7519 §4
//! allows; other parsers keep the first, so a token that repeats `exp` or `sub` could mean one
//! thing here and another to a gateway in front. Such a token is refused instead.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The bytes as a JSON object, or why they are not one (a repeated name among them).
pub(crate) fn object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = deserializer
        .deserialize_any(Strict)
        .map_err(|error| match error.classify() {
            serde_json::error::Category::Data => format!("is not acceptable JSON: {error}"),
            _ => "is not JSON".to_owned(),
        })?;
    deserializer
        .end()
        .map_err(|_| "is not JSON (something follows the object)".to_owned())?;
    match value {
        Value::Object(object) => Ok(object),
        _ => Err("is not a JSON object".to_owned()),
    }
}

/// Builds a `Value` as serde_json does, refusing a repeated member name.
struct Strict;

impl<'de> de::DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(Strict)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = items.next_element_seed(Strict)? {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(name) = members.next_key::<String>()? {
            let value = members.next_value_seed(Strict)?;
            match object.entry(name) {
                serde_json::map::Entry::Vacant(vacant) => {
                    vacant.insert(value);
                }
                serde_json::map::Entry::Occupied(occupied) => {
                    // The name is a claim's, never a secret.
                    return Err(de::Error::custom(format!(
                        "member `{}` appears twice, and readers disagree on which counts",
                        occupied.key()
                    )));
                }
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_are_refused_at_every_depth() {
        assert!(object(br#"{"exp": 1, "sub": "U1"}"#).is_ok());
        let top = object(br#"{"exp": 1, "exp": 9999999999}"#).unwrap_err();
        assert!(top.contains("member `exp` appears twice"), "{top}");
        let nested = object(br#"{"tenants": {"T1": {"roles": [], "roles": ["admin"]}}}"#);
        assert!(nested.unwrap_err().contains("`roles`"));
        assert!(
            object(br#"[{"a": 1}]"#)
                .unwrap_err()
                .contains("not a JSON object")
        );
        assert!(object(b"{} {}").unwrap_err().contains("something follows"));
        assert!(object(br#"{"a": "#).unwrap_err().contains("not JSON"));
    }
}
