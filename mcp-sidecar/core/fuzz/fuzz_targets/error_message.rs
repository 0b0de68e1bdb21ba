//! Any error body: the server's message is found or the raw text is used, never
//! empty, and never longer than the limit, however long the body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use novabackup_core::client::fuzzing::{MESSAGE_LIMIT, server_message};

fuzz_target!(|data: &[u8]| {
    let message = server_message(data);
    let text = String::from_utf8_lossy(data);
    assert_eq!(message.is_none(), text.trim().is_empty(), "{message:?}");
    if let Some(message) = message {
        assert!(!message.trim().is_empty());
        assert!(
            message.chars().count() <= MESSAGE_LIMIT + 1,
            "{} characters",
            message.chars().count()
        );
    }
});
