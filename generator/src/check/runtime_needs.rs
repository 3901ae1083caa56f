//! The `runtime-needs` rule: the generated operations and types that the hand-written runtime
//! (`generated-client/src/`) calls and reads exist, in the API group whose feature compiles the
//! code that uses them, with the shape that code uses.
//!
//! The runtime sits above the generated code as an application would: `session/` fetches the
//! project's keys with `GetJwks` and reads each `Jwk`, renews sessions with `Refresh` and reads
//! its `JwtResponse`, exchanges access keys with `ExchangeAccessKey`, and reads the sign-in
//! history; `paging.rs` pages through `SearchUsers`. A
//! spec without one of them, or with one of another shape (a `Jwk` that is a YAML alias of an
//! unrelated schema is enough), would generate a client that does not compile. [`NEEDS`] is the
//! one list of what the runtime uses, each with the module that uses it; a group's needs apply
//! only when the spec has the group (its tag on some operation), since the module is compiled
//! only with the group's feature.
//!
//! Shapes are checked conservatively: a property the runtime reads as `Option<String>` must be
//! an optional, plain `type: string` (a format, an enum, limits or a default make typify write
//! another type), an `Option<i64>` an optional `integer` of format `int64` (or none), and so on.
//! Repair mode does not apply the rule (its plain client has no runtime of ours); neither do
//! relaxed fixtures, which compile over a stand-in without these modules.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diagnostic::{Location, Report, Rule};
use crate::model::{Credential, Operation, rust_identifier};
use crate::pointer::METHODS;

/// One thing a hand-written module uses, and the API group whose feature compiles the module.
pub(crate) struct Need {
    group: &'static str,
    /// The module, relative to `generated-client/src/`.
    module: &'static str,
    what: Needed,
}

enum Needed {
    /// An operation the module calls, as it calls it.
    Operation {
        id: &'static str,
        /// The call as written in the module, for the message.
        call: &'static str,
        /// What the method takes, in order (see `emit/call_shape`).
        arguments: &'static [Argument],
        /// The request body's component schema, when the module sets the body itself.
        body: Option<&'static str>,
        /// What the module reads from the success.
        success: Success,
    },
    /// A component schema the module names (`types::X`), of this shape.
    Schema { name: &'static str, shape: Shape },
    /// A field the module reads or sets.
    Field {
        schema: &'static str,
        /// Its Rust name, which the module spells.
        field: &'static str,
        /// Its wire name in the curated spec, for the message.
        wire: &'static str,
        shape: FieldShape,
    },
}

/// One argument of an operation's method.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Argument {
    /// A required parameter or body property of `type: string` (`impl Into<String>`).
    String,
    /// The signed-in user's refresh JWT, which a call with that credential takes first.
    RefreshJwt,
    /// The session JWT, likewise.
    SessionJwt,
    /// A machine client's access key, which the exchange takes first.
    AccessKey,
}

enum Success {
    /// The success body is this component schema (`Response<types::X>`).
    Schema(&'static str),
    /// The success body is an object whose property (by Rust name) has this shape.
    Field(&'static str, FieldShape),
}

#[derive(Clone, Copy)]
enum Shape {
    /// Any: the module only names the type.
    Any,
    /// `type: object` with properties: a struct with a builder.
    Object,
    /// Exactly these `$ref`s under `oneOf`: an enum of one variant each.
    OneOf(&'static [&'static str]),
    /// `type: array` of this schema: a newtype around `Vec`.
    ArrayOf(&'static str),
}

#[derive(Clone, Copy)]
enum FieldShape {
    /// `Option<String>`.
    OptionalString,
    /// `Option<i32>` or `Option<i64>`: the formats that give the type the module needs
    /// (`""` for none, which typify reads as `i64`).
    OptionalInteger(&'static [&'static str]),
    /// Any type, optional without a default (the module clears it with `None`).
    Optional,
    /// `Vec<X>`, required or not.
    ArrayOf(&'static str),
}

const OPTIONAL_I64: FieldShape = FieldShape::OptionalInteger(&["int64", ""]);
const OPTIONAL_I32: FieldShape = FieldShape::OptionalInteger(&["int32"]);

/// What the runtime uses, by module. Keep it in step with the modules: a new use of a generated
/// item there is a new line here.
pub(crate) const NEEDS: &[Need] = &[
    // Session validation: the keys, the refresh, the tokens it hands back.
    Need {
        group: "session",
        module: "session/mod.rs",
        what: Needed::Operation {
            id: "GetJwks",
            call: "client.get_jwks(project_id)",
            arguments: &[Argument::String],
            body: None,
            success: Success::Field("keys", FieldShape::ArrayOf("Jwk")),
        },
    },
    Need {
        group: "session",
        module: "session/mod.rs",
        what: Needed::Operation {
            id: "Refresh",
            call: "client.refresh(refresh_jwt)",
            arguments: &[Argument::RefreshJwt],
            body: None,
            success: Success::Schema("JwtResponse"),
        },
    },
    Need {
        group: "session",
        module: "session/keys.rs",
        what: Needed::Schema {
            name: "Jwk",
            shape: Shape::Object,
        },
    },
    jwk_string("kid", "kid"),
    jwk_string("kty", "kty"),
    jwk_string("alg", "alg"),
    jwk_string("key_use", "use"),
    jwk_string("crv", "crv"),
    jwk_string("n", "n"),
    jwk_string("e", "e"),
    jwk_string("x", "x"),
    jwk_string("y", "y"),
    Need {
        group: "session",
        module: "session/cookies.rs",
        what: Needed::Schema {
            name: "JwtResponse",
            shape: Shape::Object,
        },
    },
    tokens_field(
        "session/mod.rs",
        "session_jwt",
        "sessionJwt",
        FieldShape::OptionalString,
    ),
    tokens_field(
        "session/mod.rs",
        "refresh_jwt",
        "refreshJwt",
        FieldShape::OptionalString,
    ),
    tokens_field(
        "session/cookies.rs",
        "cookie_domain",
        "cookieDomain",
        FieldShape::OptionalString,
    ),
    tokens_field(
        "session/cookies.rs",
        "session_expiration",
        "sessionExpiration",
        OPTIONAL_I64,
    ),
    tokens_field(
        "session/cookies.rs",
        "cookie_expiration",
        "cookieExpiration",
        OPTIONAL_I64,
    ),
    tokens_field(
        "session/cookies.rs",
        "cookie_max_age",
        "cookieMaxAge",
        FieldShape::OptionalInteger(&["int32", "int64", ""]),
    ),
    // Access keys validated as sessions: the exchange, and the session JWT it answers with.
    Need {
        group: "session",
        module: "session/access_keys.rs",
        what: Needed::Operation {
            id: "ExchangeAccessKey",
            call: "client.exchange_access_key(access_key)",
            arguments: &[Argument::AccessKey],
            body: None,
            success: Success::Field("session_jwt", FieldShape::OptionalString),
        },
    },
    // The sign-in history in either shape (`entries()` matches on both variants).
    Need {
        group: "session",
        module: "session/history.rs",
        what: Needed::Schema {
            name: "MeAuthHistoryResponse",
            shape: Shape::OneOf(&["AuthHistoryList", "AuthHistoryEnvelope"]),
        },
    },
    Need {
        group: "session",
        module: "session/history.rs",
        what: Needed::Schema {
            name: "AuthHistoryList",
            shape: Shape::ArrayOf("AuthHistoryEntry"),
        },
    },
    Need {
        group: "session",
        module: "session/history.rs",
        what: Needed::Schema {
            name: "AuthHistoryEnvelope",
            shape: Shape::Object,
        },
    },
    Need {
        group: "session",
        module: "session/history.rs",
        what: Needed::Schema {
            name: "AuthHistoryEntry",
            shape: Shape::Any,
        },
    },
    Need {
        group: "session",
        module: "session/history.rs",
        what: Needed::Field {
            schema: "AuthHistoryEnvelope",
            field: "auth_history",
            wire: "authHistory",
            shape: FieldShape::ArrayOf("AuthHistoryEntry"),
        },
    },
    // Every user a search matches, page by page.
    Need {
        group: "users",
        module: "paging.rs",
        what: Needed::Operation {
            id: "SearchUsers",
            call: "builder::SearchUsers::new(client).body(request)",
            arguments: &[],
            body: Some("SearchUsersRequest"),
            success: Success::Schema("UsersResponse"),
        },
    },
    Need {
        group: "users",
        module: "client.rs",
        what: Needed::Schema {
            name: "SearchUsersRequest",
            shape: Shape::Object,
        },
    },
    search_field("page", OPTIONAL_I32),
    search_field("limit", OPTIONAL_I32),
    search_field("offset", FieldShape::Optional),
    Need {
        group: "users",
        module: "paging.rs",
        what: Needed::Schema {
            name: "UsersResponse",
            shape: Shape::Object,
        },
    },
    Need {
        group: "users",
        module: "paging.rs",
        what: Needed::Field {
            schema: "UsersResponse",
            field: "users",
            wire: "users",
            shape: FieldShape::ArrayOf("ResponseUser"),
        },
    },
    Need {
        group: "users",
        module: "paging.rs",
        what: Needed::Schema {
            name: "ResponseUser",
            shape: Shape::Any,
        },
    },
    Need {
        group: "users",
        module: "paging.rs",
        what: Needed::Field {
            schema: "UsersResponse",
            field: "total",
            wire: "total",
            shape: FieldShape::OptionalInteger(&["int32", "int64", ""]),
        },
    },
];

const fn jwk_string(field: &'static str, wire: &'static str) -> Need {
    Need {
        group: "session",
        module: "session/keys.rs",
        what: Needed::Field {
            schema: "Jwk",
            field,
            wire,
            shape: FieldShape::OptionalString,
        },
    }
}

const fn tokens_field(
    module: &'static str,
    field: &'static str,
    wire: &'static str,
    shape: FieldShape,
) -> Need {
    Need {
        group: "session",
        module,
        what: Needed::Field {
            schema: "JwtResponse",
            field,
            wire,
            shape,
        },
    }
}

const fn search_field(field: &'static str, shape: FieldShape) -> Need {
    Need {
        group: "users",
        module: "paging.rs",
        what: Needed::Field {
            schema: "SearchUsersRequest",
            field,
            wire: field,
            shape,
        },
    }
}

/// Schema keys that change no generated type: what a need's shape allows besides its own keys
/// (and `x-` extensions other than `x-extensible-enum`).
const ANNOTATIONS: [&str; 7] = [
    "description",
    "example",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
    "title",
];

/// Checks every need of every group the spec has. `operations` are those the other rules
/// accepted, `rust_names` the spec's `x-rust-name` choices by derived name.
pub(crate) fn check(
    root: &Value,
    operations: &[Operation],
    rust_names: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let spec = Spec::read(root);
    // Properties one module uses, in one shape, missing from one schema: one diagnostic names
    // them all (a `Jwk` that is another schema lacks every member of a key at once).
    let mut missing: Vec<Missing> = Vec::new();
    let mut slots: Vec<Slot> = Vec::new();
    for need in NEEDS {
        if !spec.groups.contains(need.group) {
            continue;
        }
        let problem = match &need.what {
            Needed::Operation {
                id,
                call,
                arguments,
                body,
                success,
            } => spec.operation_problem(
                need,
                OperationNeed {
                    id,
                    call,
                    arguments,
                    body: *body,
                    success,
                },
                operations,
                rust_names,
            ),
            Needed::Schema { name, shape } => spec.schema_problem(need, name, *shape),
            Needed::Field {
                schema,
                field,
                wire,
                shape,
            } => match spec.field_problem(need, schema, field, wire, *shape, rust_names) {
                FieldProblem::Missing => {
                    let shape_text = describe_field_shape(*shape);
                    let group = missing.iter_mut().position(|group| {
                        (group.schema, group.module, group.shape_text.as_str())
                            == (*schema, need.module, shape_text.as_str())
                    });
                    match group.and_then(|index| missing.get_mut(index)) {
                        Some(group) => group.fields.push((field, wire)),
                        None => {
                            slots.push(Slot::Missing(missing.len()));
                            missing.push(Missing {
                                schema,
                                module: need.module,
                                shape: *shape,
                                shape_text,
                                fields: vec![(field, wire)],
                            });
                        }
                    }
                    None
                }
                FieldProblem::Other(problem) => problem,
            },
        };
        slots.extend(problem.map(Slot::Problem));
    }
    for slot in slots {
        let (location, message, help) = match slot {
            Slot::Problem(problem) => problem,
            Slot::Missing(index) => match missing.get(index) {
                Some(group) => group.problem(),
                None => continue,
            },
        };
        report.push(location, Rule::RuntimeNeeds, message, help);
    }
}

/// A diagnostic in the order of [`NEEDS`]: a problem of its own, or a group of missing
/// properties (by index), placed where the first of them is.
enum Slot {
    Problem((Location, String, String)),
    Missing(usize),
}

/// Properties missing from one schema that one module uses in one shape.
struct Missing {
    schema: &'static str,
    module: &'static str,
    shape: FieldShape,
    shape_text: String,
    /// Each by Rust name and the curated spec's wire name.
    fields: Vec<(&'static str, &'static str)>,
}

impl Missing {
    fn problem(&self) -> (Location, String, String) {
        let location = Location::Schema(self.schema.to_owned());
        let module = self.module;
        if let [(field, wire)] = self.fields.as_slice() {
            let subject = if field == wire {
                format!("the property `{field}`")
            } else {
                format!(
                    "the property that becomes the field `{field}` (`{wire}` with \
                     `x-rust-name: {field}` in the curated spec)"
                )
            };
            return (
                location,
                format!(
                    "{subject}, which generated-client/src/{module} uses as {}, is missing",
                    self.shape_text
                ),
                shape_help(self.shape, wire, field),
            );
        }
        let names: Vec<String> = self
            .fields
            .iter()
            .map(|(field, wire)| {
                if field == wire {
                    format!("`{wire}`")
                } else {
                    format!("`{wire}` (with `x-rust-name: {field}`)")
                }
            })
            .collect();
        (
            location,
            format!(
                "the properties {}, which generated-client/src/{module} uses, each as {}, are \
                 missing",
                and_list(&names),
                self.shape_text
            ),
            shapes_help(
                self.shape,
                &self
                    .fields
                    .iter()
                    .copied()
                    .filter(|(field, wire)| field != wire)
                    .collect::<Vec<_>>(),
            ),
        )
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// What is wrong with a property a module uses.
enum FieldProblem {
    /// The schema has no property of that Rust name.
    Missing,
    /// Something else, or nothing (`None`).
    Other(Problem),
}

/// A problem: where, what, and how to fix it.
type Problem = Option<(Location, String, String)>;

struct OperationNeed<'n> {
    id: &'n str,
    call: &'n str,
    arguments: &'n [Argument],
    body: Option<&'n str>,
    success: &'n Success,
}

/// The parts of the raw tree the needs are checked against.
struct Spec<'a> {
    root: &'a Value,
    schemas: Option<&'a Map<String, Value>>,
    /// Every operation by id: its path, method and object.
    operations: BTreeMap<&'a str, (&'a str, &'static str, &'a Value)>,
    /// The API groups: the tags of the operations.
    groups: BTreeSet<&'a str>,
}

impl<'a> Spec<'a> {
    fn read(root: &'a Value) -> Self {
        let mut operations = BTreeMap::new();
        let mut groups = BTreeSet::new();
        for (path, item) in root
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                groups.extend(group_of(operation));
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    operations
                        .entry(id)
                        .or_insert((path.as_str(), method, operation));
                }
            }
        }
        Spec {
            root,
            schemas: root
                .pointer("/components/schemas")
                .and_then(Value::as_object),
            operations,
            groups,
        }
    }

    fn operation_problem(
        &self,
        need: &Need,
        wanted: OperationNeed<'_>,
        accepted: &[Operation],
        rust_names: &BTreeMap<String, String>,
    ) -> Problem {
        let (group, module, id) = (need.group, need.module, wanted.id);
        let Some(&(path, method, operation)) = self.operations.get(id) else {
            return Some((
                Location::Document,
                format!(
                    "the `{group}` group has no operation `{id}`, which \
                     generated-client/src/{module} calls (`{}`)",
                    wanted.call
                ),
                format!(
                    "add `{id}` to the `{group}` group as openapi/descope-auth.yaml has it, or \
                     leave the `{group}` group out; generator/src/check/runtime_needs.rs lists \
                     what the runtime uses"
                ),
            ));
        };
        let location = Location::operation(method, path, Some(id));
        let fail = |message: String, help: String| Some((location.clone(), message, help));
        let actual_group = group_of(operation);
        if actual_group != Some(group) {
            return fail(
                format!(
                    "operation `{id}` is in the {} group, but generated-client/src/{module}, \
                     compiled with the `{group}` feature, calls it",
                    actual_group.map_or("no".to_owned(), |g| format!("`{g}`"))
                ),
                format!("tag `{id}` with `{group}`"),
            );
        }
        // An operation the other rules refused has its diagnostics already; its shape below
        // would only repeat them.
        let model = accepted.iter().find(|o| o.operation_id == id)?;
        let arguments = self.arguments(path, operation, model, rust_names);
        let kinds: Vec<Option<Argument>> = arguments.iter().map(|(_, kind)| *kind).collect();
        let wanted_kinds: Vec<Option<Argument>> =
            wanted.arguments.iter().copied().map(Some).collect();
        if kinds != wanted_kinds {
            let names: Vec<&str> = arguments.iter().map(|(name, _)| name.as_str()).collect();
            return fail(
                format!(
                    "operation `{id}`'s method takes ({}), but generated-client/src/{module} \
                     calls it as `{}`",
                    names.join(", "),
                    wanted.call
                ),
                format!(
                    "give `{id}` the parameters, required body properties and security that \
                     openapi/descope-auth.yaml gives it; {}",
                    describe_arguments(wanted.arguments)
                ),
            );
        }
        if let Some(body) = wanted.body
            && self.body_schema(operation) != Some(body)
        {
            return fail(
                format!(
                    "operation `{id}`'s request body is not the schema `{body}`, which \
                     generated-client/src/{module} sets it to"
                ),
                format!("give `{id}` a JSON request body of `$ref: '#/components/schemas/{body}'`"),
            );
        }
        let success = self.success_schema(operation);
        match wanted.success {
            Success::Schema(name) if reference_name(success) != Some(name) => fail(
                format!(
                    "operation `{id}`'s success is not the schema `{name}`, which \
                     generated-client/src/{module} reads it as"
                ),
                format!("give `{id}` a 2xx JSON response of `$ref: '#/components/schemas/{name}'`"),
            ),
            Success::Schema(_) => None,
            Success::Field(field, shape) => {
                let (schema, object) = match success.and_then(|success| self.resolve(success)) {
                    Some((schema, object)) if plain_object(object).is_none() => (schema, object),
                    _ => {
                        return fail(
                            format!(
                                "operation `{id}`'s success is not an object, but \
                                 generated-client/src/{module} reads its `{field}`"
                            ),
                            format!("give `{id}` a 2xx JSON response whose schema is an object"),
                        );
                    }
                };
                let owner = schema.unwrap_or("an inline schema");
                let (subject, why) = self
                    .property_problem(object, field, *shape, rust_names)?
                    .unwrap_or_else(|| {
                        (format!("the property `{field}`"), "is missing".to_owned())
                    });
                fail(
                    format!(
                        "in operation `{id}`'s success ({owner}), {subject}, which \
                         generated-client/src/{module} uses as {}, {why}",
                        describe_field_shape(*shape)
                    ),
                    shape_help(*shape, field, field),
                )
            }
        }
    }

    fn schema_problem(&self, need: &Need, name: &str, shape: Shape) -> Problem {
        let module = need.module;
        let Some(schema) = self.schemas.and_then(|schemas| schemas.get(name)) else {
            return Some((
                Location::Pointer("/components/schemas".to_owned()),
                format!(
                    "the spec has the `{}` group but no schema `{name}`, which \
                     generated-client/src/{module} names (`types::{name}`)",
                    need.group
                ),
                format!(
                    "declare `{name}` under `components/schemas` as openapi/descope-auth.yaml does"
                ),
            ));
        };
        let location = Location::Schema(name.to_owned());
        let why = match shape {
            Shape::Any => None,
            Shape::Object => plain_object(schema),
            Shape::OneOf(members) => one_of(schema, members),
            Shape::ArrayOf(item) => array_of(schema, item),
        };
        if let Some(why) = why {
            return Some((
                location,
                format!(
                    "schema `{name}` {why}, but generated-client/src/{module} uses it as {}",
                    describe_shape(shape)
                ),
                format!(
                    "give `{name}` the shape openapi/descope-auth.yaml gives it: {}",
                    describe_shape(shape)
                ),
            ));
        }
        let groups = self.groups_using(name);
        if !groups.is_empty() && !groups.contains(need.group) {
            // `emit/groups` compiles a type with the features of the groups whose operations use
            // it (or always, when none does).
            let groups: Vec<String> = groups.iter().map(|group| format!("`{group}`")).collect();
            return Some((
                location,
                format!(
                    "schema `{name}` is used only by operations of the {} group, so \
                     `types::{name}` is compiled without the `{}` feature that compiles \
                     generated-client/src/{module}",
                    groups.join(", "),
                    need.group
                ),
                format!(
                    "answer with `{name}` (or a schema that holds it) in an operation of the `{}` \
                     group",
                    need.group
                ),
            ));
        }
        None
    }

    fn field_problem(
        &self,
        need: &Need,
        schema_name: &str,
        field: &str,
        wire: &str,
        shape: FieldShape,
        rust_names: &BTreeMap<String, String>,
    ) -> FieldProblem {
        // A missing or misshapen schema is its own need's problem.
        let Some(schema) = self.schemas.and_then(|schemas| schemas.get(schema_name)) else {
            return FieldProblem::Other(None);
        };
        if plain_object(schema).is_some() {
            return FieldProblem::Other(None);
        }
        match self.property_problem(schema, field, shape, rust_names) {
            None => FieldProblem::Other(None),
            Some(None) => FieldProblem::Missing,
            Some(Some((subject, why))) => FieldProblem::Other(Some((
                Location::Schema(schema_name.to_owned()),
                format!(
                    "{subject}, which generated-client/src/{} uses as {}, {why}",
                    need.module,
                    describe_field_shape(shape)
                ),
                shape_help(shape, wire, field),
            ))),
        }
    }

    /// What is wrong with the property of `object` whose Rust name is `field`: `None` when
    /// nothing, `Some(None)` when there is no such property, else the property as a message
    /// names it and why it does not have `shape`.
    #[allow(
        clippy::option_option,
        reason = "missing and misshapen are reported differently"
    )]
    fn property_problem(
        &self,
        object: &Value,
        field: &str,
        shape: FieldShape,
        rust_names: &BTreeMap<String, String>,
    ) -> Option<Option<(String, String)>> {
        let properties = object.get("properties").and_then(Value::as_object);
        let found = properties.into_iter().flatten().find(|(name, _)| {
            let derived = rust_identifier(name);
            rust_names.get(&derived).unwrap_or(&derived) == field
        });
        let Some((name, property)) = found else {
            return Some(None);
        };
        let subject = if rust_identifier(name) == field {
            format!("the property `{name}`")
        } else {
            format!("the property `{name}` (the field `{field}`)")
        };
        let required = object
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| required.iter().any(|r| r.as_str() == Some(name)));
        let why = match shape {
            FieldShape::OptionalString => {
                optional(required).or_else(|| plain(property, "string", &[]))
            }
            FieldShape::OptionalInteger(formats) => {
                optional(required).or_else(|| integer(property, formats))
            }
            FieldShape::Optional => optional(required)
                .or_else(|| has(property, "default").then(|| "has a default".to_owned())),
            FieldShape::ArrayOf(item) => array_of(self.inline(property), item),
        }?;
        Some(Some((subject, why)))
    }

    /// The method's arguments, as `emit/call_shape` makes them: the user's token when the
    /// credential needs one, the required parameters, then the required body properties; each
    /// with its name and, when it is one the needs speak of, its kind.
    fn arguments(
        &self,
        path: &str,
        operation: &'a Value,
        model: &Operation,
        rust_names: &BTreeMap<String, String>,
    ) -> Vec<(String, Option<Argument>)> {
        let mut arguments = Vec::new();
        match model.credential {
            Credential::ProjectIdAndRefreshJwt => {
                arguments.push(("refresh_jwt".to_owned(), Some(Argument::RefreshJwt)));
            }
            Credential::ProjectIdAndSessionJwt => {
                arguments.push(("session_jwt".to_owned(), Some(Argument::SessionJwt)));
            }
            Credential::ProjectIdAndAccessKey => {
                arguments.push(("access_key".to_owned(), Some(Argument::AccessKey)));
            }
            _ => {}
        }
        let path_item = self.root.get("paths").and_then(|paths| paths.get(path));
        let declared: Vec<&Value> = [Some(operation), path_item]
            .into_iter()
            .flatten()
            .filter_map(|holder| holder.get("parameters").and_then(Value::as_array))
            .flatten()
            .map(|parameter| self.inline(parameter))
            .collect();
        for parameter in model.parameters.iter().filter(|p| p.required) {
            let schema = declared
                .iter()
                .find(|declared| {
                    declared.get("name").and_then(Value::as_str) == Some(&parameter.name)
                })
                .and_then(|declared| declared.get("schema"))
                .map(|schema| self.inline(schema));
            arguments.push((parameter.rust_name(), string_argument(schema)));
        }
        if let Some(body) = &model.request_body {
            let object = self
                .body_schema_value(operation)
                .map(|schema| self.inline(schema));
            for wire in &body.arguments {
                let derived = rust_identifier(wire);
                let name = rust_names.get(&derived).cloned().unwrap_or(derived);
                let property = object
                    .and_then(|object| object.get("properties"))
                    .and_then(|properties| properties.get(wire))
                    .map(|property| self.inline(property));
                arguments.push((name, string_argument(property)));
            }
        }
        arguments
    }

    /// The component schema the JSON request body refers to.
    fn body_schema(&self, operation: &'a Value) -> Option<&'a str> {
        reference_name(self.body_schema_value(operation))
    }

    fn body_schema_value(&self, operation: &'a Value) -> Option<&'a Value> {
        let body = self.inline(operation.get("requestBody")?);
        body.get("content")?.get("application/json")?.get("schema")
    }

    /// The schema of the first 2xx response's JSON body.
    fn success_schema(&self, operation: &'a Value) -> Option<&'a Value> {
        let responses = operation.get("responses")?.as_object()?;
        let (_, response) = responses.iter().find(|(status, _)| is_success(status))?;
        let response = self.inline(response);
        response
            .get("content")?
            .get("application/json")?
            .get("schema")
    }

    /// Follows `$ref`s (at most a few: the reference rule reports loops) to the value; `value`
    /// itself when it is no reference or leads nowhere.
    fn inline(&self, value: &'a Value) -> &'a Value {
        self.resolve(value).map_or(value, |(_, value)| value)
    }

    /// The value a `$ref` chain leads to, with the name of the last component schema on the
    /// way.
    fn resolve(&self, value: &'a Value) -> Option<(Option<&'a str>, &'a Value)> {
        let mut current = value;
        let mut name = None;
        for _ in 0..8 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Some((name, current));
            };
            let pointer = reference.strip_prefix('#')?;
            name = pointer
                .strip_prefix("/components/schemas/")
                .filter(|n| !n.contains('/'));
            current = self.root.pointer(pointer)?;
        }
        None
    }

    /// The groups whose operations name schema `name` (through their parameters, body or
    /// success, as `emit/groups` reads the builders).
    fn groups_using(&self, name: &str) -> BTreeSet<&'a str> {
        let mut groups = BTreeSet::new();
        for &(path, _, operation) in self.operations.values() {
            let Some(group) = group_of(operation) else {
                continue;
            };
            let path_parameters = self
                .root
                .get("paths")
                .and_then(|paths| paths.get(path))
                .and_then(|item| item.get("parameters"));
            let successes = operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(status, _)| is_success(status))
                .map(|(_, response)| response);
            let roots = [
                operation.get("parameters"),
                operation.get("requestBody"),
                path_parameters,
            ]
            .into_iter()
            .flatten()
            .chain(successes);
            let (mut seen, mut schemas) = (BTreeSet::new(), BTreeSet::new());
            for root in roots {
                self.collect_schemas(root, &mut seen, &mut schemas);
            }
            if schemas.contains(name) {
                groups.insert(group);
            }
        }
        groups
    }

    /// Every component schema `value` refers to, directly or through other components.
    fn collect_schemas(
        &self,
        value: &'a Value,
        seen: &mut BTreeSet<&'a str>,
        schemas: &mut BTreeSet<&'a str>,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                    && seen.insert(reference)
                {
                    if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                        schemas.insert(name);
                    }
                    if let Some(target) = reference
                        .strip_prefix('#')
                        .and_then(|pointer| self.root.pointer(pointer))
                    {
                        self.collect_schemas(target, seen, schemas);
                    }
                }
                for child in map.values() {
                    self.collect_schemas(child, seen, schemas);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.collect_schemas(item, seen, schemas);
                }
            }
            _ => {}
        }
    }
}

/// The operation's API group: its one tag.
fn group_of(operation: &Value) -> Option<&str> {
    match operation.get("tags").and_then(Value::as_array)?.as_slice() {
        [tag] => tag.as_str(),
        _ => None,
    }
}

fn is_success(status: &str) -> bool {
    status == "2XX" || status.len() == 3 && status.starts_with('2')
}

/// `X` of `{$ref: '#/components/schemas/X'}`.
fn reference_name(schema: Option<&Value>) -> Option<&str> {
    schema?
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn has(schema: &Value, key: &str) -> bool {
    schema.get(key).is_some()
}

/// The first key of `schema` that is neither `allowed` nor an annotation.
fn unexpected_key<'s>(schema: &'s Value, allowed: &[&str]) -> Option<&'s str> {
    schema.as_object()?.keys().map(String::as_str).find(|key| {
        let extension = key.starts_with("x-") && *key != "x-extensible-enum";
        !(allowed.contains(key) || ANNOTATIONS.contains(key) || extension)
    })
}

fn optional(required: bool) -> Option<String> {
    required.then(|| "is required".to_owned())
}

/// Why `schema` is not a plain `type: <kind>` (with only `extra` keys besides), if it is not.
fn plain(schema: &Value, kind: &str, extra: &[&str]) -> Option<String> {
    if schema.get("type").and_then(Value::as_str) != Some(kind) {
        return Some(match schema.get("type").and_then(Value::as_str) {
            Some(other) => format!("is of type `{other}`"),
            None if has(schema, "$ref") => "is a `$ref`".to_owned(),
            None => format!("is not of type `{kind}`"),
        });
    }
    let mut allowed = vec!["type"];
    allowed.extend_from_slice(extra);
    unexpected_key(schema, &allowed).map(|key| format!("has `{key}`"))
}

/// Why `schema` is not an integer typify writes as one of `formats` (`""`: no format), if it
/// is not. A bound may stay when a format fixes the type, unless it makes typify choose a
/// `NonZero` type (a minimum of 1).
fn integer(schema: &Value, formats: &[&str]) -> Option<String> {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    if let Some(why) = plain(schema, "integer", &["format", "minimum", "maximum"]) {
        return Some(why);
    }
    if !formats.contains(&format) {
        return Some(if format.is_empty() {
            "has no `format`".to_owned()
        } else {
            format!("has `format: {format}`")
        });
    }
    let (low, high) = match format {
        "int32" => (f64::from(i32::MIN), f64::from(i32::MAX)),
        "int64" => (i64::MIN as f64, i64::MAX as f64),
        // Without a format, any bound makes typify pick the type from it.
        _ => (f64::NAN, f64::NAN),
    };
    for bound in ["minimum", "maximum"] {
        let Some(value) = schema.get(bound) else {
            continue;
        };
        let within = value.as_f64().is_some_and(|value| {
            value >= low && value <= high && !(bound == "minimum" && value == 1.0)
        });
        if !within {
            return Some(format!("has a `{bound}` that changes its Rust type"));
        }
    }
    None
}

/// Why `schema` is not a plain object (`type: object` with properties), if it is not.
fn plain_object(schema: &Value) -> Option<String> {
    if has(schema, "$ref") {
        return Some("is a `$ref`".to_owned());
    }
    for key in [
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "enum",
        "nullable",
        "x-extensible-enum",
    ] {
        if has(schema, key) {
            return Some(format!("has `{key}`"));
        }
    }
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Some("is not of type `object`".to_owned());
    }
    if !schema.get("properties").is_some_and(Value::is_object) {
        return Some("has no `properties`".to_owned());
    }
    None
}

/// Why `schema` is not exactly a `oneOf` of `members` (by `$ref`), if it is not.
fn one_of(schema: &Value, members: &[&str]) -> Option<String> {
    let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) else {
        return Some("has no `oneOf`".to_owned());
    };
    let names: BTreeSet<Option<&str>> = alternatives
        .iter()
        .map(|alternative| reference_name(Some(alternative)))
        .collect();
    let wanted: BTreeSet<Option<&str>> = members.iter().copied().map(Some).collect();
    if names != wanted || alternatives.len() != members.len() {
        return Some("has other `oneOf` alternatives".to_owned());
    }
    unexpected_key(schema, &["oneOf"]).map(|key| format!("has `{key}`"))
}

/// Why `schema` is not a `type: array` of `$ref: item`, if it is not.
fn array_of(schema: &Value, item: &str) -> Option<String> {
    if let Some(why) = plain(schema, "array", &["items"]) {
        return Some(why);
    }
    (reference_name(schema.get("items")) != Some(item))
        .then(|| format!("does not hold `{item}` items"))
}

/// An argument's kind: a plain string, or another (`None`).
fn string_argument(schema: Option<&Value>) -> Option<Argument> {
    schema
        .filter(|schema| plain(schema, "string", &[]).is_none())
        .map(|_| Argument::String)
}

fn describe_arguments(arguments: &[Argument]) -> String {
    if arguments.is_empty() {
        return "the call passes no argument".to_owned();
    }
    let described: Vec<&str> = arguments
        .iter()
        .map(|argument| match argument {
            Argument::String => "a required string parameter",
            Argument::RefreshJwt => "the user's refresh JWT (its security)",
            Argument::SessionJwt => "the session JWT (its security)",
            Argument::AccessKey => "the access key (its security)",
        })
        .collect();
    format!("the call passes {}", described.join(", then "))
}

fn describe_shape(shape: Shape) -> String {
    match shape {
        Shape::Any => "a type".to_owned(),
        Shape::Object => "an object with properties".to_owned(),
        Shape::OneOf(members) => format!(
            "a `oneOf` of exactly {}",
            members
                .iter()
                .map(|member| format!("`{member}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        Shape::ArrayOf(item) => format!("an array of `{item}`"),
    }
}

fn describe_field_shape(shape: FieldShape) -> String {
    match shape {
        FieldShape::OptionalString => "an optional string".to_owned(),
        FieldShape::OptionalInteger(["int32"]) => "an optional 32-bit integer".to_owned(),
        FieldShape::OptionalInteger(formats) if !formats.contains(&"int32") => {
            "an optional 64-bit integer".to_owned()
        }
        FieldShape::OptionalInteger(_) => "an optional integer".to_owned(),
        FieldShape::Optional => "an optional value".to_owned(),
        FieldShape::ArrayOf(item) => format!("an array of `{item}`"),
    }
}

/// How to declare one property of `shape`: `declare `use: {type: string, x-rust-name:
/// key_use}`, left out of `required`, …`.
fn shape_help(shape: FieldShape, wire: &str, field: &str) -> String {
    let (schema, tail) = declaration(shape);
    match shape {
        FieldShape::Optional => format!("leave `{wire}` out of `required`, {tail}"),
        _ if rust_identifier(wire) == field => format!("declare `{wire}: {schema}`{tail}"),
        // The name the runtime spells, kept with `x-rust-name`.
        _ => format!(
            "declare `{wire}: {}, x-rust-name: {field}}}`{tail}",
            schema.trim_end_matches('}')
        ),
    }
}

/// How to declare several properties of `shape`, some with a chosen Rust name.
fn shapes_help(shape: FieldShape, renamed: &[(&str, &str)]) -> String {
    let (schema, tail) = declaration(shape);
    let renamed: Vec<String> = renamed
        .iter()
        .map(|(field, wire)| format!("`{wire}` with `x-rust-name: {field}`"))
        .collect();
    let renamed = if renamed.is_empty() {
        String::new()
    } else {
        format!(" ({})", renamed.join(", "))
    };
    match shape {
        FieldShape::Optional => format!("leave each out of `required`, {tail}"),
        _ => format!("declare each as `{schema}`{renamed}{tail}"),
    }
}

/// The schema that gives `shape`, and what else to keep it so.
fn declaration(shape: FieldShape) -> (String, &'static str) {
    match shape {
        FieldShape::OptionalString => (
            "{type: string}".to_owned(),
            ", left out of `required`, with no format, enum, limit or default (each makes it \
             another Rust type)",
        ),
        FieldShape::OptionalInteger(formats) => (
            format!(
                "{{type: integer, format: {}}}",
                formats.first().copied().unwrap_or("int64")
            ),
            ", left out of `required`, without a default",
        ),
        FieldShape::Optional => (String::new(), "without a default"),
        FieldShape::ArrayOf(item) => (
            format!("{{type: array, items: {{$ref: '#/components/schemas/{item}'}}}}"),
            "",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime's modules are all there: a need that names a module nobody has is stale.
    #[test]
    fn every_need_names_a_module_of_the_runtime() {
        let runtime = concat!(env!("CARGO_MANIFEST_DIR"), "/../generated-client/src/");
        for need in NEEDS {
            assert!(
                std::path::Path::new(runtime).join(need.module).is_file(),
                "{} does not exist",
                need.module
            );
        }
    }

    #[test]
    fn each_shape_takes_what_typify_writes_as_the_runtime_reads_it() {
        let string =
            serde_json::json!({"type": "string", "description": "d", "x-descope-sensitive": true});
        assert_eq!(plain(&string, "string", &[]), None);
        let limited = serde_json::json!({"type": "string", "maxLength": 3});
        assert_eq!(
            plain(&limited, "string", &[]).as_deref(),
            Some("has `maxLength`")
        );
        let int32 = serde_json::json!({"type": "integer", "format": "int32", "minimum": 0});
        assert_eq!(integer(&int32, &["int32"]), None);
        assert!(integer(&int32, &["int64", ""]).is_some());
        let non_zero = serde_json::json!({"type": "integer", "format": "int32", "minimum": 1});
        assert!(integer(&non_zero, &["int32"]).is_some(), "NonZeroU32");
        let unbounded = serde_json::json!({"type": "integer", "minimum": 0});
        assert!(integer(&unbounded, &["int64", ""]).is_some(), "u64");
        let array =
            serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/Jwk"}});
        assert_eq!(array_of(&array, "Jwk"), None);
        assert!(array_of(&array, "User").is_some());
    }
}
