//! JWTs (HS256) as the Management Server hands them out: the user name, role and
//! tenant scope in the claims, `exp` in seconds. Only HS256 is needed, so the
//! token is assembled here from `hmac` + `sha2` rather than a full JOSE crate.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::model::DemoUser;

type HmacSha256 = Hmac<Sha256>;

/// The claims of a simulator token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    pub unique_name: String,
    pub role: String,
    /// `all` for an administrator, else `tenants`.
    pub scope: String,
    pub tenant_ids: Vec<String>,
    pub iss: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// Revocation generation: tokens from before `revoke_tokens` no longer pass.
    pub generation: u64,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    Invalid,
    Expired(i64),
    Revoked,
}

/// Signs and verifies tokens with a key drawn at start (tokens of one simulator
/// are worthless on another).
pub(crate) struct Signer {
    key: [u8; 32],
}

impl Signer {
    pub(crate) fn new(key: [u8; 32]) -> Signer {
        Signer { key }
    }

    fn mac(&self, data: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(data);
        mac
    }

    /// A token for `user` valid `lifetime_ms` from `now`.
    pub(crate) fn issue(
        &self,
        user: &DemoUser,
        now: DateTime<Utc>,
        lifetime_ms: i64,
        generation: u64,
    ) -> String {
        let claims = Claims {
            unique_name: user.user_name.clone(),
            role: if user.is_admin {
                "Administrator"
            } else {
                "Technician"
            }
            .into(),
            scope: if user.is_admin { "all" } else { "tenants" }.into(),
            tenant_ids: user.tenant_ids.clone(),
            iss: "NovaBACKUP Management Server (simulated)".into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now.timestamp_millis() + lifetime_ms).div_euclid(1000),
            generation,
        };
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let signing_input = format!("{header}.{payload}");
        let signature =
            URL_SAFE_NO_PAD.encode(self.mac(signing_input.as_bytes()).finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// Checks signature, expiry and revocation.
    pub(crate) fn verify(
        &self,
        token: &str,
        now: DateTime<Utc>,
        generation: u64,
    ) -> Result<Claims, Refusal> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Refusal::Invalid);
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| Refusal::Invalid)?;
        self.mac(format!("{header}.{payload}").as_bytes())
            .verify_slice(&signature)
            .map_err(|_| Refusal::Invalid)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| Refusal::Invalid)?;
        let claims: Claims = serde_json::from_slice(&payload).map_err(|_| Refusal::Invalid)?;
        if now.timestamp() >= claims.exp {
            return Err(Refusal::Expired(claims.exp));
        }
        if claims.generation != generation {
            return Err(Refusal::Revoked);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn user() -> DemoUser {
        DemoUser {
            user_name: "tech-north".into(),
            password: "demo-north".into(),
            is_admin: false,
            tenant_ids: vec!["t1".into()],
        }
    }

    #[test]
    fn issued_token_verifies_until_it_expires() {
        let signer = Signer::new([7; 32]);
        let now = Utc::now();
        let token = signer.issue(&user(), now, 60_000, 0);
        let claims = signer.verify(&token, now, 0).expect("fresh token passes");
        assert_eq!(claims.unique_name, "tech-north");
        assert_eq!(claims.tenant_ids, vec!["t1".to_string()]);
        assert!(matches!(
            signer.verify(&token, now + Duration::seconds(61), 0),
            Err(Refusal::Expired(_))
        ));
        assert_eq!(signer.verify(&token, now, 1).unwrap_err(), Refusal::Revoked);
    }

    #[test]
    fn tampered_or_foreign_tokens_are_invalid() {
        let signer = Signer::new([7; 32]);
        let other = Signer::new([8; 32]);
        let now = Utc::now();
        let token = signer.issue(&user(), now, 60_000, 0);
        assert_eq!(other.verify(&token, now, 0).unwrap_err(), Refusal::Invalid);
        let mut tampered = token.clone();
        tampered.insert(token.find('.').unwrap() + 2, 'x');
        assert_eq!(
            signer.verify(&tampered, now, 0).unwrap_err(),
            Refusal::Invalid
        );
        assert_eq!(signer.verify("abc", now, 0).unwrap_err(), Refusal::Invalid);
    }
}
