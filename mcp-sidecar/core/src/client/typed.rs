//! Typed reads: raw rows decoded into the entities of [`crate::models`], with
//! failures reported as [`ApiError::UnexpectedResponse`] naming the row and field.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::ManagementClient;
use crate::error::ApiError;
use crate::models;

impl ManagementClient {
    /// Decodes one entity (`what` names it in errors, e.g. "an Agent").
    pub fn decode<T: DeserializeOwned>(&self, what: &str, value: &Value) -> Result<T, ApiError> {
        models::decode(value).map_err(|snippet| self.decode_error(what, snippet))
    }

    /// Decodes rows (`what` names one row in errors, e.g. "a JobHistory row").
    pub fn decode_rows<T: DeserializeOwned>(
        &self,
        what: &str,
        rows: &[Value],
    ) -> Result<Vec<T>, ApiError> {
        models::decode_rows(rows).map_err(|snippet| self.decode_error(what, snippet))
    }

    fn decode_error(&self, what: &str, snippet: String) -> ApiError {
        ApiError::UnexpectedResponse {
            server: self.server().to_owned(),
            expected: what.to_owned(),
            snippet,
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;
    use serde_json::json;

    use crate::client::{ClientSettings, Credentials};
    use crate::models::Agent;

    use super::*;

    #[test]
    fn a_row_that_does_not_fit_names_the_server_row_and_field() {
        let client = ManagementClient::new(
            "https://cmc.example.com/managementserver",
            Credentials::new("alice", SecretString::from("pw".to_owned())),
            &ClientSettings::default(),
        )
        .unwrap();
        let rows = [json!({"AgentId": 1}), json!({"AgentId": "two"})];
        let error = client.decode_rows::<Agent>("an Agent", &rows).unwrap_err();
        let text = error.to_string();
        assert_eq!(error.kind(), "unexpected_response");
        assert!(text.contains("expected an Agent"), "{text}");
        assert!(text.contains("row 1, `AgentId`"), "{text}");
        let agent: Agent = client.decode("an Agent", &rows[0]).unwrap();
        assert_eq!(agent.agent_id, Some(1));
    }
}
