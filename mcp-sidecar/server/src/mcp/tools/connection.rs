//! Connecting a server for this session (by MCP elicitation when the client supports
//! it, else from explicit arguments) and disconnecting one. Credentials given here
//! are kept in memory for the session only, never written anywhere.

use novabackup_core::ServerId;
use novabackup_core::estate::{Enrolment, Password, Phase};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::{ElicitationError, RequestContext};
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;

use super::OneServer;
use crate::mcp::reach::{answer, failure};
use crate::mcp::server::NovaServer;

/// Arguments of `connect_server`. `Debug` leaves the password out.
#[derive(Default, Deserialize, JsonSchema)]
pub struct ConnectArgs {
    /// The id to use for the server (letters, digits, `-`, `_`). A configured id
    /// reconnects that server; omit it to derive one from `base_url`.
    pub server_id: Option<String>,
    /// A friendly name for the server.
    pub label: Option<String>,
    /// The Management Server address including its virtual directory, e.g.
    /// `https://cmc.example.com/managementserver`. Not needed for a configured server.
    pub base_url: Option<String>,
    /// The Management Server user name. Only when the client cannot show a form
    /// (no elicitation): it then stays in the chat history.
    pub username: Option<String>,
    /// The password. Only when the client cannot show a form (no elicitation): it
    /// then stays in the chat history, so prefer the companion app or
    /// `novabackup-mcp login`.
    pub password: Option<String>,
}

impl std::fmt::Debug for ConnectArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectArgs")
            .field("server_id", &self.server_id)
            .field("label", &self.label)
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The form shown for a new server.
#[derive(Deserialize, JsonSchema)]
struct NewServerForm {
    /// The Management Server address, e.g. https://cmc.example.com/managementserver
    base_url: String,
    /// Your Management Server user name
    username: String,
    /// Your Management Server password
    password: String,
}

/// The form shown for a server whose address is known.
#[derive(Deserialize, JsonSchema)]
struct KnownServerForm {
    /// Your Management Server user name
    username: String,
    /// Your Management Server password
    password: String,
}

rmcp::elicit_safe!(NewServerForm, KnownServerForm);

/// Credentials gathered for a connection, and where they came from.
struct Gathered {
    base_url: String,
    username: String,
    password: SecretString,
    source: &'static str,
}

#[tool_router(router = connection_tools, vis = "pub(crate)")]
impl NovaServer {
    /// Connects a Management Server for this session. Asks the user for credentials in
    /// a form when the client supports MCP elicitation (nothing enters the chat);
    /// otherwise takes them as arguments (they then stay in the chat history). Saves
    /// nothing: for a permanent server use the companion app or `novabackup-mcp login`.
    #[tool(annotations(
        read_only_hint = false,
        destructive_hint = false,
        open_world_hint = true
    ))]
    async fn connect_server(
        &self,
        Parameters(args): Parameters<ConnectArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let known = args
            .server_id
            .as_deref()
            .and_then(|id| ServerId::new(id.trim()).ok())
            .and_then(|id| self.estate().member(&id));
        let base_url = args
            .base_url
            .clone()
            .or_else(|| known.as_ref().map(|m| m.base_url.clone()));
        let supports_elicitation = context
            .client_capabilities()
            .is_some_and(|caps| caps.elicitation.is_some());
        let gathered = if args.password.is_none() && supports_elicitation {
            match self
                .ask_for_credentials(&context, base_url.as_deref())
                .await
            {
                Ok(gathered) => gathered,
                Err(message) => {
                    return Ok(answer(
                        json!({"connected": false, "error": message,
                               "next_step": "Call connect_server again, or add the server in the companion app."}),
                        None,
                    ));
                }
            }
        } else {
            match (base_url, args.username.clone(), args.password.clone()) {
                (Some(base_url), Some(username), Some(password)) => Gathered {
                    base_url,
                    username,
                    password: SecretString::from(password),
                    source: "arguments",
                },
                _ => {
                    return Ok(failure(
                        "This client cannot show a credentials form (no MCP elicitation). Pass \
                         base_url (unless the server is configured), username and password as \
                         arguments (they then stay in the chat history), or add the server in \
                         the companion app / with `novabackup-mcp login` and restart the client.",
                        json!({"connected": false, "supports_elicitation": supports_elicitation}),
                    ));
                }
            }
        };
        let server_id = match args
            .server_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or_else(|| derive_id(&gathered.base_url), ServerId::new)
        {
            Ok(id) => id,
            Err(error) => return Ok(failure(&error.to_string(), json!({"connected": false}))),
        };
        let label = args
            .label
            .clone()
            .or_else(|| known.as_ref().map(|m| m.label.clone()))
            .unwrap_or_else(|| server_id.to_string());
        let member = self.estate().enrol(Enrolment {
            server_id: server_id.clone(),
            label: label.clone(),
            base_url: gathered.base_url.clone(),
            username: Some(gathered.username.clone()),
            ca_certificate: None,
            password: Password::Given(gathered.password),
            source: gathered.source.to_owned(),
        });
        let health = member.settled(self.deadline()).await;
        let mut body = json!({
            "connected": health.phase == Phase::Up,
            "server": {"server_id": server_id, "label": label, "base_url": member.base_url, "username": gathered.username},
            "credentials_from": gathered.source,
        });
        if gathered.source == "arguments" {
            body["warning"] = json!(
                "The password was passed as a tool argument and stays in this chat's history. \
                 Prefer the companion app or `novabackup-mcp login` (OS keychain)."
            );
        }
        if health.phase != Phase::Up {
            body["error"] = json!(health.failure.map(|f| f.message));
            body["next_step"] = json!(
                "Check the address (including /managementserver) and the credentials, then call connect_server again."
            );
        }
        Ok(answer(body, None))
    }

    /// Forgets this session's token and password for one server; it is no longer asked.
    #[tool(annotations(
        read_only_hint = false,
        destructive_hint = false,
        idempotent_hint = true,
        open_world_hint = false
    ))]
    async fn disconnect_server(
        &self,
        Parameters(args): Parameters<OneServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let removed = ServerId::new(args.server_id.trim())
            .map(|id| self.estate().remove(&id))
            .unwrap_or(false);
        let message = if removed {
            format!(
                "Disconnected {}: its token and password are forgotten for this session. \
                 Saved servers come back when the MCP client restarts; connect_server reconnects now.",
                args.server_id
            )
        } else {
            format!("{} was not connected; nothing to do.", args.server_id)
        };
        Ok(answer(
            json!({"disconnected": removed, "server_id": args.server_id, "message": message}),
            None,
        ))
    }
}

impl NovaServer {
    async fn ask_for_credentials(
        &self,
        context: &RequestContext<RoleServer>,
        base_url: Option<&str>,
    ) -> Result<Gathered, String> {
        let outcome = match base_url {
            Some(base_url) => context
                .peer
                .elicit::<KnownServerForm>(format!(
                    "Sign in to the NovaBACKUP Management Server at {base_url}"
                ))
                .await
                .map(|form| {
                    form.map(|f| Gathered {
                        base_url: base_url.to_owned(),
                        username: f.username,
                        password: SecretString::from(f.password),
                        source: "elicitation",
                    })
                }),
            None => context
                .peer
                .elicit::<NewServerForm>("Connect a NovaBACKUP Management Server")
                .await
                .map(|form| {
                    form.map(|f| Gathered {
                        base_url: f.base_url,
                        username: f.username,
                        password: SecretString::from(f.password),
                        source: "elicitation",
                    })
                }),
        };
        match outcome {
            Ok(Some(gathered)) => Ok(gathered),
            Ok(None) => Err("The form came back empty.".to_owned()),
            Err(ElicitationError::UserDeclined) => {
                Err("The user declined to enter credentials.".to_owned())
            }
            Err(ElicitationError::UserCancelled) => {
                Err("The user cancelled the credentials form.".to_owned())
            }
            Err(error) => Err(format!("The credentials form could not be shown: {error}")),
        }
    }
}

/// A server id from an address: its host with other characters turned into `-`.
fn derive_id(base_url: &str) -> Result<ServerId, novabackup_core::server_id::InvalidServerId> {
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    let id: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    ServerId::new(if id.is_empty() {
        "server".to_owned()
    } else {
        id
    })
}
