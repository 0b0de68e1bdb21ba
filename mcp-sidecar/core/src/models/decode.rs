//! Turning raw JSON rows into typed entities, with errors that name the field.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes one entity. The error names the path of the field that did not fit,
/// e.g. "`Connected`: invalid type: string \"yes\", expected a boolean".
pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        format!("`{path}`: {}", error.inner())
    })
}

/// Decodes a list of rows; the error names the row index and the field.
pub fn decode_rows<T: DeserializeOwned>(rows: &[Value]) -> Result<Vec<T>, String> {
    rows.iter()
        .enumerate()
        .map(|(index, row)| decode(row).map_err(|error| format!("row {index}, {error}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Agent, Device, JobHistory, RunLog};
    use serde_json::json;

    #[test]
    fn unknown_fields_are_kept_and_missing_ones_are_none() {
        let agent: Agent = decode(&json!({
            "AgentId": 7, "FriendlyName": "PC-7", "IPAddress": "10.0.0.7",
            "Connected": null, "Colour": "blue"
        }))
        .unwrap();
        assert_eq!(agent.agent_id, Some(7));
        assert_eq!(agent.ip_address.as_deref(), Some("10.0.0.7"));
        assert_eq!(agent.connected, None);
        assert_eq!(agent.machine_name, None);
        assert_eq!(agent.extra.get("Colour"), Some(&json!("blue")));
        let back = serde_json::to_value(&agent).unwrap();
        assert_eq!(back["Colour"], json!("blue"), "extra fields round-trip");
        assert_eq!(back["IPAddress"], json!("10.0.0.7"));
    }

    #[test]
    fn decode_errors_name_the_field() {
        let error = decode::<Agent>(&json!({"AgentId": 1, "Connected": "yes"})).unwrap_err();
        assert!(error.contains("`Connected`"), "{error}");
        let error = decode::<Agent>(&json!({"Devices": [{"Size": "big"}]})).unwrap_err();
        assert!(error.contains("Devices[0].Size"), "{error}");
        let error =
            decode_rows::<JobHistory>(&[json!({"Status": 1}), json!({"Status": "x"})]).unwrap_err();
        assert!(error.starts_with("row 1"), "{error}");
    }

    #[test]
    fn devices_keep_their_odata_type_and_s3_fields() {
        let device: Device = decode(&json!({
            "@odata.type": "#Devices.AmazonS3CompatibleDevice",
            "AgentDeviceId": 3, "DisplayType": "AmazonS3Compatible",
            "AmazonS3CompatibleCloudStorageAccountId": 9, "BucketName": "b", "URL": "https://s3"
        }))
        .unwrap();
        assert_eq!(
            device.odata_type.as_deref(),
            Some("#Devices.AmazonS3CompatibleDevice")
        );
        assert_eq!(
            device.amazon_s3_compatible_cloud_storage_account_id,
            Some(9)
        );
        assert_eq!(device.url.as_deref(), Some("https://s3"));
        assert!(device.extra.is_empty(), "{:?}", device.extra);
    }

    #[test]
    fn run_logs_read_their_messages() {
        let log: RunLog = decode(&json!({
            "ScriptFilePath": "C:\\x.nsf",
            "Messages": [{"Type": "Error", "Message": "disk full", "DateTime": "2026-04-22T01:00:00Z"}]
        }))
        .unwrap();
        let messages = log.messages.unwrap();
        assert_eq!(messages[0].kind.as_deref(), Some("Error"));
        assert_eq!(messages[0].message.as_deref(), Some("disk full"));
    }
}
