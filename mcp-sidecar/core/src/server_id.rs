//! The identifier a user gives each Management Server (`cmc-test`, `acme_eu`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

/// A validated server id: one or more of `a-z`, `A-Z`, `0-9`, `_` and `-`.
///
/// It names the server in profiles, in the keychain (as the account) and in every
/// tool result, so it never holds anything that needs quoting.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ServerId(String);

/// Why a text is not a valid server id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a valid server id: use only letters, digits, '_' and '-' (for example \"acme-eu\")"
)]
pub struct InvalidServerId(pub String);

impl ServerId {
    /// Checks `text` and wraps it.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidServerId> {
        let text = text.into();
        let valid = !text.is_empty()
            && text.len() <= 128
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if valid {
            Ok(Self(text))
        } else {
            Err(InvalidServerId(text))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ServerId {
    type Err = InvalidServerId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl AsRef<str> for ServerId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ServerId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::new(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_alphabet() {
        for ok in ["cmc-test", "acme_EU", "a", "0-9_x"] {
            assert!(ServerId::new(ok).is_ok(), "{ok} should be a valid id");
        }
    }

    #[test]
    fn rejects_anything_else_with_an_actionable_message() {
        for bad in ["", "has space", "dot.ted", "slash/", "ünï", "quote\""] {
            let err = ServerId::new(bad).expect_err(bad);
            assert!(err.to_string().contains("letters, digits"), "{err}");
        }
    }

    #[test]
    fn deserialising_validates() {
        let err = serde_json::from_str::<ServerId>("\"no way\"").unwrap_err();
        assert!(err.to_string().contains("not a valid server id"), "{err}");
        let ok: ServerId = serde_json::from_str("\"ok-id\"").unwrap();
        assert_eq!(ok.as_str(), "ok-id");
    }
}
