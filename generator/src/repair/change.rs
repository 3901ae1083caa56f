//! One change the repair made, with its place, as the user sees it.

use std::fmt;

use crate::diagnostic::Location;

/// One change the repair made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    /// Where the change was made.
    pub location: Location,
    /// What was changed, and to what.
    pub message: String,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "repaired: {}: {}", self.location, self.message)
    }
}
