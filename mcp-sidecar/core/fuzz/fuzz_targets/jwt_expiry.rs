//! Any login answer, and any JWT payload: the token is taken only when an
//! `Authorization` header can carry it, and reading its expiry and refresh time
//! never panics, whatever `exp` holds.

#![no_main]

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use novabackup_core::client::fuzzing::{jwt_expiry, lifetime_of, refresh_margin, token_of};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    // Even: the whole answer of a login. Odd: the payload of an otherwise good JWT.
    let text = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        format!("eyJhbGciOiJIUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(rest))
    };
    let Ok(jwt) = token_of(&text) else {
        return;
    };
    assert!(!jwt.is_empty() && jwt.bytes().all(|b| b.is_ascii_graphic()));

    let now = DateTime::from_timestamp(1_777_000_000, 0).unwrap();
    let (expires_at, lifetime) = lifetime_of(jwt, now);
    match jwt_expiry(jwt) {
        Some(exp) => assert_eq!(expires_at, exp),
        None => assert_eq!(expires_at, now + Duration::from_secs(300)),
    }
    let expected: Duration = (expires_at - now).to_std().unwrap_or(Duration::ZERO);
    assert_eq!(lifetime, expected);
    let margin = refresh_margin(lifetime);
    assert!(margin <= lifetime && margin <= Duration::from_secs(30));
    // The refresh moment, as the client computes it.
    let _refresh_at = Instant::now() + lifetime.saturating_sub(margin);
    let _: DateTime<Utc> = expires_at;
});
