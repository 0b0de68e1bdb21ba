//! Any text as a `$filter`: normalising its dates never panics, a second pass
//! changes nothing, text without anything date-shaped is left as it is, and a
//! literal that is rewritten becomes the form the server accepts.

#![no_main]

use libfuzzer_sys::fuzz_target;
use novabackup_core::odata::{normalise_date_literal, normalise_filter_dates};

/// Whether `text` holds `dddd-dd-dd` anywhere.
fn has_date_shape(text: &str) -> bool {
    text.as_bytes().windows(10).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5..7].iter().all(u8::is_ascii_digit)
            && w[7] == b'-'
            && w[8..].iter().all(u8::is_ascii_digit)
    })
}

/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction, `Z`, as chrono reads RFC 3339.
fn is_server_form(text: &str) -> bool {
    text.len() >= 20
        && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[10] == b'T'
        && text.ends_with('Z')
        && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = normalise_filter_dates(text);
    assert_eq!(
        normalise_filter_dates(&once),
        once,
        "a second pass changes nothing"
    );
    if !has_date_shape(text) {
        assert_eq!(once, text, "nothing date-shaped, nothing changed");
    }
    if let Some(literal) = normalise_date_literal(text) {
        assert!(is_server_form(&literal), "{text:?} became {literal:?}");
        assert_eq!(normalise_date_literal(&literal), Some(literal));
    }
});
