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
    /// The longest id, in characters.
    pub const MAX_LEN: usize = 128;

    /// Checks `text` and wraps it.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidServerId> {
        let text = text.into();
        let valid = !text.is_empty()
            && text.len() <= Self::MAX_LEN
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

    /// An id made from any text (a label, an address's host), the one way every id is
    /// made for the user: ASCII letters and digits kept in lower case, every other run
    /// of characters one `-` ("Acme MS" → `acme-ms`, "cmc.example.com" →
    /// `cmc-example-com`), `server` when nothing is left; the first of `base`,
    /// `base-2`, `base-3`, … that `taken` refuses, cut to fit [`ServerId::MAX_LEN`]
    /// with its suffix.
    pub fn from_text(text: &str, taken: impl Fn(&ServerId) -> bool) -> ServerId {
        let mut slug = String::new();
        for c in text.trim().chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let base = if slug.is_empty() { "server" } else { slug };
        (1u64..)
            .map(|n| {
                let suffix = if n == 1 {
                    String::new()
                } else {
                    format!("-{n}")
                };
                // ASCII only, so bytes are characters; no dash left before the suffix.
                let room = Self::MAX_LEN - suffix.len();
                let stem = base[..base.len().min(room)].trim_end_matches('-');
                Self(format!("{stem}{suffix}"))
            })
            .find(|id| !taken(id))
            .expect("some suffix is free")
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
    fn ids_come_from_any_text_and_stay_unique() {
        let free = |_: &ServerId| false;
        let taken = |id: &ServerId| id.as_str() == "acme-ms";
        assert_eq!(ServerId::from_text("Acme MS", free).as_str(), "acme-ms");
        assert_eq!(ServerId::from_text("Acme MS", taken).as_str(), "acme-ms-2");
        assert_eq!(ServerId::from_text("  Ünïcode! ", free).as_str(), "n-code");
        assert_eq!(ServerId::from_text("!!!", free).as_str(), "server");
        assert_eq!(
            ServerId::from_text("cmc.example.com", free).as_str(),
            "cmc-example-com",
            "a host makes an id the same way"
        );
    }

    #[test]
    fn a_long_text_makes_an_id_within_the_limit_even_with_a_suffix() {
        let label = "a".repeat(300);
        let first = ServerId::from_text(&label, |_| false);
        assert_eq!(first.as_str().len(), ServerId::MAX_LEN);
        let taken =
            |id: &ServerId| id.as_str().len() == ServerId::MAX_LEN && !id.as_str().contains('-');
        let second = ServerId::from_text(&label, taken);
        assert_eq!(second.as_str().len(), ServerId::MAX_LEN);
        assert!(second.as_str().ends_with("-2"), "{second}");
        // A cut that would end in a dash drops the dash.
        let dashed = format!("{}-b", "a".repeat(127));
        let cut = ServerId::from_text(&dashed, |_| false);
        assert_eq!(cut.as_str(), "a".repeat(127));
        for id in [first, second, cut] {
            assert!(ServerId::new(id.as_str()).is_ok(), "{id} is a valid id");
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
