//! Any bytes as a Management Server's answer: read as the client reads a success
//! body, split into a page, and decoded as every entity. Nothing panics; what is
//! refused is refused as an unexpected response; what is decoded survives a round
//! trip unchanged (unknown fields included).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use novabackup_core::client::fuzzing::{page_from_body, read_json};
use novabackup_core::models::{
    Agent, CloudStorageAccount, Device, Group, Job, JobHistory, LogMessage, RunLog, StorageServer,
    User, decode,
};
use novabackup_core::{ClientSettings, Credentials, ManagementClient, Query};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

static CLIENT: LazyLock<ManagementClient> = LazyLock::new(|| {
    ManagementClient::new(
        "https://cmc.example.com/managementserver",
        Credentials::new("fuzz", secrecy::SecretString::from("not-used".to_owned())),
        &ClientSettings::default(),
    )
    .expect("a valid address")
});

/// Decodes `value` as `T`; a decoded entity encodes and decodes to itself.
fn round_trip<T>(what: &str, value: &Value)
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(entity) = CLIENT.decode::<T>(what, value) else {
        return;
    };
    let encoded = serde_json::to_value(&entity).expect("an entity encodes");
    let again: T = decode(&encoded).expect("an encoded entity decodes");
    assert_eq!(again, entity, "{what} survives a round trip");
}

fn every_entity(value: &Value) {
    round_trip::<Agent>("an Agent", value);
    round_trip::<Group>("a Group", value);
    round_trip::<Device>("a Device", value);
    round_trip::<Job>("a Job", value);
    round_trip::<JobHistory>("a JobHistory row", value);
    round_trip::<RunLog>("a run log", value);
    round_trip::<LogMessage>("a log message", value);
    round_trip::<CloudStorageAccount>("a CloudStorageAccount", value);
    round_trip::<StorageServer>("a StorageServer", value);
    round_trip::<User>("a User", value);
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = read_json(data) else {
        return;
    };
    every_entity(&body);
    let query = Query::new().top(50).skip(10).count(true);
    match page_from_body(&CLIENT, "Agents", body, &query) {
        Ok(page) => {
            assert_eq!(page.more, page.next_skip.is_some(), "{page:?}");
            if page.next_link.is_some() {
                assert!(page.more, "a nextLink means more: {page:?}");
            }
            for row in &page.rows {
                every_entity(row);
            }
            let _ = CLIENT.decode_rows::<Agent>("an Agent", &page.rows);
        }
        Err(error) => assert_eq!(error.kind(), "unexpected_response", "{error}"),
    }
});
