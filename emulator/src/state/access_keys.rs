//! Access keys as the emulator keeps them: what management sees of each key, the SHA-256 of
//! its cleartext (never the cleartext, which only the create and rotate answers carry), and
//! the checks the exchange makes (status, expiry, the caller's address against `permittedIps`).

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use subtle::ConstantTimeEq;

use crate::state::directory::Directory;
use crate::state::secret;

/// One access key. `Debug` leaves the digest out; a state file holds it in hex.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccessKey {
    pub id: String,
    pub name: String,
    /// The SHA-256 of the cleartext; `None` for a key imported without one, which cannot be
    /// exchanged until it is rotated. The cleartexts are 256 random bits, so an unsalted
    /// digest reveals nothing a salt would protect.
    #[serde(rename = "sha256", with = "crate::state::user::hex_digest")]
    pub digest: Option<[u8; 32]>,
    pub active: bool,
    pub created: i64,
    /// Unix seconds after which the key is refused; 0 is never.
    pub expire_time: i64,
    pub role_names: Vec<String>,
    pub key_tenants: Vec<KeyTenant>,
    /// The user the key acts for (`userId` at creation, `boundUserId` in answers).
    pub bound_user_id: String,
    pub custom_claims: Map<String, Value>,
    /// Any JSON by name (access keys' attributes need no definition in the emulator).
    pub custom_attributes: Map<String, Value>,
    pub description: String,
    /// Plain addresses or CIDR ranges; empty permits every caller.
    pub permitted_ips: Vec<String>,
    pub created_by: String,
    pub client_id: String,
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("active", &self.active)
            .field("expire_time", &self.expire_time)
            .field("role_names", &self.role_names)
            .field("key_tenants", &self.key_tenants)
            .field("permitted_ips", &self.permitted_ips)
            .finish_non_exhaustive()
    }
}

/// A key's roles in one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyTenant {
    pub tenant_id: String,
    pub role_names: Vec<String>,
}

/// Every access key, in creation order.
#[derive(Debug, Clone, Default)]
pub struct AccessKeys {
    pub keys: Vec<AccessKey>,
}

impl AccessKeys {
    pub fn get(&self, id: &str) -> Option<&AccessKey> {
        self.keys.iter().find(|key| key.id == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut AccessKey> {
        self.keys.iter_mut().find(|key| key.id == id)
    }

    /// Forgets the key; whether there was one.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.keys.len();
        self.keys.retain(|key| key.id != id);
        self.keys.len() != before
    }

    /// The key whose cleartext this is. Every stored digest is compared in constant time,
    /// so the answer's timing says nothing about which key came close.
    pub fn by_cleartext(&self, cleartext: &str) -> Option<&AccessKey> {
        let given = secret::token_hash(cleartext);
        let mut found = None;
        for key in &self.keys {
            if let Some(digest) = &key.digest
                && bool::from(digest.ct_eq(&given))
            {
                found = Some(key);
            }
        }
        found
    }
}

impl AccessKey {
    /// Whether the key has expired at `now` (unix seconds).
    pub fn expired(&self, now: i64) -> bool {
        self.expire_time > 0 && self.expire_time <= now
    }

    /// Whether a caller at `peer` may exchange the key.
    pub fn permits(&self, peer: IpAddr) -> bool {
        self.permitted_ips.is_empty()
            || self
                .permitted_ips
                .iter()
                .any(|entry| parse_range(entry).is_some_and(|range| range.contains(peer)))
    }

    /// The spec's `AccessKey`: never the cleartext or its digest.
    pub fn to_json(&self, directory: &Directory) -> Value {
        let tenants: Vec<Value> = self
            .key_tenants
            .iter()
            .map(|t| {
                let name = directory
                    .tenant(&t.tenant_id)
                    .map_or(t.tenant_id.as_str(), |found| found.name.as_str());
                json!({"tenantId": t.tenant_id, "tenantName": name, "roleNames": t.role_names})
            })
            .collect();
        json!({
            "id": self.id,
            "name": self.name,
            "roleNames": self.role_names,
            "keyTenants": tenants,
            "status": if self.active { "active" } else { "inactive" },
            "createdTime": self.created,
            "expireTime": self.expire_time,
            "createdBy": self.created_by,
            "clientId": self.client_id,
            "boundUserId": self.bound_user_id,
            "customClaims": self.custom_claims,
            "customAttributes": self.custom_attributes,
            "description": self.description,
            "editable": true,
            "permittedIps": self.permitted_ips,
        })
    }
}

/// An address range: a network address and the length of its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    fn contains(self, peer: IpAddr) -> bool {
        match (self.network, canonical(peer)) {
            (IpAddr::V4(network), IpAddr::V4(peer)) => {
                same_prefix(&network.octets(), &peer.octets(), self.prefix)
            }
            (IpAddr::V6(network), IpAddr::V6(peer)) => {
                same_prefix(&network.octets(), &peer.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

/// An IPv4 address carried in IPv6 (`::ffff:127.0.0.1`, how a dual-stack socket reports an
/// IPv4 caller) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn same_prefix(network: &[u8], peer: &[u8], prefix: u8) -> bool {
    let whole = usize::from(prefix / 8);
    let rest = prefix % 8;
    if network[..whole] != peer[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        network[whole] & mask == peer[whole] & mask
    }
}

/// `10.0.0.1`, `10.0.0.0/8`, `::1` or `fd00::/8`; `None` for anything else (a prefix longer
/// than the address, a host name).
pub fn parse_range(entry: &str) -> Option<IpRange> {
    let entry = entry.trim();
    let (address, prefix) = match entry.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix.parse::<u8>().ok()?)),
        None => (entry, None),
    };
    let network = canonical(address.parse::<IpAddr>().ok()?);
    let bits = if network.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(bits);
    (prefix <= bits).then_some(IpRange { network, prefix })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ips: &[&str]) -> AccessKey {
        AccessKey {
            permitted_ips: ips.iter().map(|&ip| ip.to_owned()).collect(),
            ..AccessKey::default()
        }
    }

    #[test]
    fn permitted_ips_take_addresses_and_ranges_of_both_families() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(key(&[]).permits(loopback));
        assert!(key(&["127.0.0.1"]).permits(loopback));
        assert!(key(&["10.0.0.0/8", "127.0.0.0/8"]).permits(loopback));
        assert!(key(&["127.0.0.0/31"]).permits(loopback));
        assert!(!key(&["127.0.0.2/32"]).permits(loopback));
        assert!(!key(&["10.0.0.0/8"]).permits(loopback));
        assert!(key(&["0.0.0.0/0"]).permits(loopback));
        assert!(key(&["127.0.0.1"]).permits("::ffff:127.0.0.1".parse().unwrap()));
        assert!(key(&["::1"]).permits("::1".parse().unwrap()));
        assert!(key(&["fd00::/8"]).permits("fd12::1".parse().unwrap()));
        assert!(!key(&["fd00::/8"]).permits(loopback));
        assert!(!key(&["localhost", "127.0.0.1/33"]).permits(loopback));
        assert_eq!(parse_range("1.2.3.4/x"), None);
    }

    #[test]
    fn a_key_is_found_by_its_cleartext_and_never_shown() {
        let keys = AccessKeys {
            keys: vec![AccessKey {
                id: "K1".into(),
                digest: Some(secret::token_hash("s3cret-cleartext")),
                ..AccessKey::default()
            }],
        };
        assert_eq!(keys.by_cleartext("s3cret-cleartext").unwrap().id, "K1");
        assert!(keys.by_cleartext("s3cret-cleartexT").is_none());
        let shown = format!("{:?}", keys.keys[0]);
        assert!(
            !shown.contains("digest") && !shown.contains("sha256"),
            "{shown}"
        );
        let json = keys.keys[0].to_json(&Directory::default());
        assert!(json.get("sha256").is_none() && json.get("cleartext").is_none());
        assert!(
            serde_json::to_string(&keys.keys[0])
                .unwrap()
                .contains("\"sha256\":\"")
        );
    }

    #[test]
    fn a_key_expires_at_its_expire_time_unless_it_is_zero() {
        let mut key = key(&[]);
        assert!(!key.expired(i64::MAX));
        key.expire_time = 100;
        assert!(!key.expired(99) && key.expired(100));
    }
}
