//! Seed users from JSON: one user object (a users-file entry, or a `POST /emulator/users`
//! body) and whole documents or files (`--users`): an array of users, or `{"users": [...]}`.
//! Unknown fields are refused, so a misspelt one is not silently ignored, and every problem
//! names its place: `line 3, column 7` for JSON syntax, `[1].tenants[0].tenantId` for content.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::setup::seed::{SeedError, SeedUser, field};
use crate::state::user::Membership;

/// The JSON names of a user's fields, in the order `--help` and the errors list them.
const USER_FIELDS: [&str; 13] = [
    "loginId",
    "email",
    "phone",
    "name",
    "givenName",
    "middleName",
    "familyName",
    "verifiedEmail",
    "verifiedPhone",
    "roles",
    "permissions",
    "tenants",
    "fixedCode",
];
const TENANT_FIELDS: [&str; 4] = ["tenantId", "tenantName", "roles", "permissions"];

impl SeedUser {
    /// One user from its JSON object; `place` names it in errors (`[2]`, or empty for a body).
    pub fn from_json(value: &Value, place: &str) -> Result<SeedUser, SeedError> {
        let object = object(value, place, &USER_FIELDS)?;
        let Some(login_id) = object.get("loginId") else {
            return Err(SeedError::missing(&field(place, "loginId")));
        };
        let user = SeedUser {
            login_id: string(login_id, &field(place, "loginId"))?,
            email: optional_string(object, place, "email")?,
            phone: optional_string(object, place, "phone")?,
            name: optional_string(object, place, "name")?,
            given_name: optional_string(object, place, "givenName")?,
            middle_name: optional_string(object, place, "middleName")?,
            family_name: optional_string(object, place, "familyName")?,
            verified_email: boolean(object, place, "verifiedEmail")?,
            verified_phone: boolean(object, place, "verifiedPhone")?,
            roles: strings(object, place, "roles")?,
            permissions: strings(object, place, "permissions")?,
            tenants: tenants(object, place)?,
            fixed_code: optional_string(object, place, "fixedCode")?,
        };
        user.check().map_err(|error| SeedError {
            place: field(place, &error.place),
            ..error
        })?;
        Ok(user)
    }
}

/// The object at `place`, whose keys must all be among `known`.
fn object<'v>(
    value: &'v Value,
    place: &str,
    known: &[&str],
) -> Result<&'v Map<String, Value>, SeedError> {
    let object = value
        .as_object()
        .ok_or_else(|| SeedError::new(place, "must be an object"))?;
    if let Some(unknown) = object.keys().find(|key| !known.contains(&key.as_str())) {
        return Err(SeedError::new(
            &field(place, unknown),
            format!("unknown field; the fields are {}", known.join(", ")),
        ));
    }
    Ok(object)
}

fn string(value: &Value, place: &str) -> Result<String, SeedError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| SeedError::new(place, "must be a string"))
}

fn optional_string(
    object: &Map<String, Value>,
    place: &str,
    key: &str,
) -> Result<Option<String>, SeedError> {
    object
        .get(key)
        .map(|value| string(value, &field(place, key)))
        .transpose()
}

fn boolean(object: &Map<String, Value>, place: &str, key: &str) -> Result<bool, SeedError> {
    match object.get(key) {
        None => Ok(false),
        Some(value) => value
            .as_bool()
            .ok_or_else(|| SeedError::new(&field(place, key), "must be true or false")),
    }
}

fn strings(object: &Map<String, Value>, place: &str, key: &str) -> Result<Vec<String>, SeedError> {
    let Some(value) = object.get(key) else {
        return Ok(Vec::new());
    };
    let place = field(place, key);
    let items = value
        .as_array()
        .ok_or_else(|| SeedError::new(&place, "must be an array of strings"))?;
    items
        .iter()
        .enumerate()
        .map(|(at, item)| string(item, &format!("{place}[{at}]")))
        .collect()
}

fn tenants(user: &Map<String, Value>, place: &str) -> Result<Vec<Membership>, SeedError> {
    let Some(value) = user.get("tenants") else {
        return Ok(Vec::new());
    };
    let place = field(place, "tenants");
    let items = value
        .as_array()
        .ok_or_else(|| SeedError::new(&place, "must be an array of tenants"))?;
    let mut tenants = Vec::with_capacity(items.len());
    for (at, item) in items.iter().enumerate() {
        let place = format!("{place}[{at}]");
        let tenant = object(item, &place, &TENANT_FIELDS)?;
        let Some(id) = tenant.get("tenantId") else {
            return Err(SeedError::missing(&field(&place, "tenantId")));
        };
        let tenant_id = string(id, &field(&place, "tenantId"))?;
        tenants.push(Membership {
            tenant_name: optional_string(tenant, &place, "tenantName")?
                .unwrap_or_else(|| tenant_id.clone()),
            tenant_id,
            roles: strings(tenant, &place, "roles")?,
            permissions: strings(tenant, &place, "permissions")?,
        });
    }
    Ok(tenants)
}

/// Users from a JSON document: an array of users, or `{"users": [...]}`. Login ids must be
/// unique.
pub fn users_from_json(text: &str) -> Result<Vec<SeedUser>, SeedError> {
    let document: Value = serde_json::from_str(text).map_err(|error| {
        let place = format!("line {}, column {}", error.line(), error.column());
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = error.to_string();
        let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
        SeedError::new(&place, format!("not JSON: {message}"))
    })?;
    let (items, root) = match &document {
        Value::Array(items) => (items, ""),
        Value::Object(_) => {
            let wrapper = object(&document, "", &["users"])?;
            let users = wrapper.get("users").ok_or_else(|| {
                SeedError::new("", "an object must have a \"users\" array of users")
            })?;
            let items = users
                .as_array()
                .ok_or_else(|| SeedError::new("users", "must be an array of users"))?;
            (items, "users")
        }
        _ => {
            return Err(SeedError::new(
                "",
                "must be an array of users, or {\"users\": [...]}",
            ));
        }
    };
    let mut users = Vec::with_capacity(items.len());
    let mut places: BTreeMap<String, String> = BTreeMap::new();
    for (at, item) in items.iter().enumerate() {
        let place = format!("{root}[{at}]");
        let user = SeedUser::from_json(item, &place)?;
        if let Some(first) = places.get(&user.login_id) {
            return Err(SeedError::new(
                &field(&place, "loginId"),
                format!("{:?} is also the login id of {first}", user.login_id),
            ));
        }
        places.insert(user.login_id.clone(), place);
        users.push(user);
    }
    Ok(users)
}

/// Users from a JSON file (see [`users_from_json`]); errors name the file.
pub fn load_users(path: &Path) -> Result<Vec<SeedUser>, SeedError> {
    let named = |error: SeedError| SeedError {
        file: Some(path.to_owned()),
        ..error
    };
    let text = std::fs::read_to_string(path)
        .map_err(|error| named(SeedError::new("", format!("cannot be read: {error}"))))?;
    users_from_json(&text).map_err(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        users_from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn a_full_user_reads_with_defaults_for_what_is_absent() {
        let users = users_from_json(
            r#"{"users": [
                {"loginId": "jane@example.com", "name": "Jane", "roles": ["admin"],
                 "tenants": [{"tenantId": "T1", "roles": ["member"]}], "fixedCode": "123456"},
                {"loginId": "+14155550123", "verifiedPhone": true}
            ]}"#,
        )
        .unwrap();
        assert_eq!(users.len(), 2);
        let jane = users[0].to_user("U1".into(), 0);
        assert_eq!(jane.email.as_deref(), Some("jane@example.com"));
        assert_eq!(jane.phone, None);
        assert_eq!(
            jane.tenants[0].tenant_name, "T1",
            "the name defaults to the id"
        );
        assert_eq!(users[0].fixed_code.as_deref(), Some("123456"));
        let phone = users[1].to_user("U2".into(), 0);
        assert_eq!(
            (phone.phone.as_deref(), phone.verified_phone),
            (Some("+14155550123"), true)
        );
        assert!(users_from_json("[]").unwrap().is_empty());
    }

    #[test]
    fn every_problem_names_its_place() {
        let cases = [
            ("[{\"loginId\": 5}]", "[0].loginId: must be a string"),
            ("[{}]", "[0].loginId: is required"),
            (
                "[{\"loginId\": \"a@b.c\", \"mail\": \"x\"}]",
                "[0].mail: unknown field",
            ),
            (
                "[{\"loginId\": \"a@b.c\", \"tenants\": [{\"roles\": []}]}]",
                "[0].tenants[0].tenantId: is required",
            ),
            (
                "[{\"loginId\": \"a@b.c\", \"roles\": [\"x\", 1]}]",
                "[0].roles[1]: must be a string",
            ),
            (
                "[{\"loginId\": \"a@b.c\", \"fixedCode\": \"12\"}]",
                "[0].fixedCode: \"12\" is not",
            ),
            (
                "[{\"loginId\": \"jane\"}]",
                "[0].loginId: \"jane\" is neither",
            ),
            (
                "[{\"loginId\": \"jane\", \"phone\": \"12\"}]",
                "[0].phone: \"12\" is not a phone",
            ),
            (
                "[{\"loginId\": \"a@b.c\"}, {\"loginId\": \"a@b.c\"}]",
                "[1].loginId: \"a@b.c\" is also the login id of [0]",
            ),
            ("{\"users\": [{\"loginId\": 1}]}", "users[0].loginId"),
            ("{\"people\": []}", "people: unknown field"),
            ("7", "must be an array of users"),
            (
                "[\n  {\"loginId\": \"a@b.c\",}\n]",
                "line 2, column 23: not JSON: trailing comma",
            ),
        ];
        for (text, expected) in cases {
            let shown = error(text);
            assert!(shown.starts_with(expected), "{text}: {shown}");
        }
    }

    #[test]
    fn a_file_error_names_the_file() {
        let missing = load_users(Path::new("/nonexistent/users.json")).unwrap_err();
        assert!(
            missing
                .to_string()
                .starts_with("/nonexistent/users.json: cannot be read"),
            "{missing}"
        );
    }
}
