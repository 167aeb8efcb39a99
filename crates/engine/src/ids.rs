//! Typed ids of the Docker objects. A container is found by its id, never by its position in
//! a list: positions shift when one is removed, and a handle kept across a removal (an open
//! shell, a mount namespace) would silently point at another container.
//!
//! Architecture invariant: pure data; nothing here knows the world.

use std::fmt;
use std::rc::Rc;

/// A container's id: 64 lowercase hex digits, as Docker makes them. Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContainerId(Rc<str>);

impl ContainerId {
    pub fn new(hex: &str) -> ContainerId {
        ContainerId(Rc::from(hex))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The 12 digits `docker ps` shows.
    pub fn short(&self) -> &str {
        self.0.get(..12).unwrap_or(&self.0)
    }
    /// Whether `prefix` names this id the way `docker` accepts a prefix of one.
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix)
    }
}

impl fmt::Display for ContainerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for ContainerId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for ContainerId {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for ContainerId {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl serde::Serialize for ContainerId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Bytes in lowercase hex, as digests are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A content digest as Docker writes one: SHA-256 in lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::ContainerId;

    #[test]
    fn an_id_shows_and_compares_as_its_digits() {
        let id = ContainerId::new("14486c9f337b7979acad537ba2217ee983b5b3ed8b2e5e6da921ef4b464c3d5d");
        assert_eq!(id.short(), "14486c9f337b");
        assert!(id.starts_with("1448") && id == "14486c9f337b7979acad537ba2217ee983b5b3ed8b2e5e6da921ef4b464c3d5d");
        assert_eq!(
            serde_json::to_string(&id).ok().as_deref(),
            Some("\"14486c9f337b7979acad537ba2217ee983b5b3ed8b2e5e6da921ef4b464c3d5d\"")
        );
        assert_eq!(ContainerId::new("ab").short(), "ab");
    }
}
