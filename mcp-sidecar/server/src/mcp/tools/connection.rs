//! Connecting a server for this session and disconnecting one. Credentials are asked
//! out of band when the client can show a form: by an elicitation request on the
//! 2025 revisions, by an input-required round trip on 2026-07-28 and later; else they
//! come as explicit arguments. They are kept in memory for the session only, never
//! written anywhere.

use novabackup_core::ServerId;
use novabackup_core::estate::{Enrolment, Password, Phase};
use rmcp::handler::server::tool::{InputResponses, RequestState};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResponse, CallToolResult, ElicitRequest, ElicitRequestParams, ElicitResult,
    ElicitationAction, ElicitationSchema, InputRequest, InputRequests, InputRequiredResult,
};
use rmcp::service::{ElicitationError, RequestContext};
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use schemars::JsonSchema;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};

use super::OneServer;
use crate::mcp::asking::{answer, failure};
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

/// The key of the credentials form in an input-required round trip.
const FORM_KEY: &str = "credentials";

/// Which form a connection asks for: the whole one for a new server, user and password
/// for one whose address is known.
enum Form<'a> {
    New,
    Known(&'a str),
}

impl<'a> Form<'a> {
    fn for_address(base_url: Option<&'a str>) -> Self {
        base_url.map_or(Form::New, Form::Known)
    }

    fn message(&self) -> String {
        match self {
            Form::New => "Connect a NovaBACKUP Management Server".to_owned(),
            Form::Known(base_url) => {
                format!("Sign in to the NovaBACKUP Management Server at {base_url}")
            }
        }
    }

    /// The opaque round-trip state naming this form (it holds nothing secret).
    fn state(&self) -> &'static str {
        match self {
            Form::New => "connect_server:new",
            Form::Known(_) => "connect_server:known",
        }
    }

    fn schema(&self) -> Result<ElicitationSchema, ErrorData> {
        let schema = match self {
            Form::New => ElicitationSchema::from_type::<NewServerForm>(),
            Form::Known(_) => ElicitationSchema::from_type::<KnownServerForm>(),
        };
        schema.map_err(|error| {
            ErrorData::internal_error(format!("the credentials form is invalid: {error}"), None)
        })
    }

    /// The credentials in a form the client filled in (the input-required answer).
    fn read(&self, content: Value) -> Result<Gathered, String> {
        let filled = match self {
            Form::New => serde_json::from_value::<NewServerForm>(content).map(Filled::from),
            Form::Known(_) => serde_json::from_value::<KnownServerForm>(content).map(Filled::from),
        };
        filled
            .map(|filled| self.gathered(filled))
            .map_err(|_| "The credentials form came back without the expected fields.".to_owned())
    }

    /// The credentials of a filled-in form, with the known address where it asked none.
    fn gathered(&self, filled: Filled) -> Gathered {
        let base_url = match self {
            Form::Known(base_url) => (*base_url).to_owned(),
            Form::New => filled.base_url.unwrap_or_default(),
        };
        Gathered {
            base_url,
            username: filled.username,
            password: filled.password,
            source: "elicitation",
        }
    }
}

/// What either form holds once filled in.
struct Filled {
    base_url: Option<String>,
    username: String,
    password: SecretString,
}

impl From<NewServerForm> for Filled {
    fn from(form: NewServerForm) -> Self {
        Self {
            base_url: Some(form.base_url),
            username: form.username,
            password: SecretString::from(form.password),
        }
    }
}

impl From<KnownServerForm> for Filled {
    fn from(form: KnownServerForm) -> Self {
        Self {
            base_url: None,
            username: form.username,
            password: SecretString::from(form.password),
        }
    }
}

/// What to tell the model when the user did not fill the form in.
fn not_filled(action: ElicitationAction) -> String {
    match action {
        ElicitationAction::Accept => "The form came back empty.",
        ElicitationAction::Decline => "The user declined to enter credentials.",
        ElicitationAction::Cancel => "The user cancelled the credentials form.",
        _ => "The credentials form was not filled in.",
    }
    .to_owned()
}

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
        RequestState(state): RequestState,
        InputResponses(responses): InputResponses,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
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
            let form = Form::for_address(base_url.as_deref());
            let asked = if without_server_requests(&context) {
                match round_trip(&form, state.as_deref(), responses)? {
                    RoundTrip::Ask(input_required) => return Ok(input_required.into()),
                    RoundTrip::Answered(outcome) => outcome,
                }
            } else {
                elicit(&context, &form).await
            };
            match asked {
                Ok(gathered) => gathered,
                Err(message) => {
                    return Ok(answer(
                        json!({"connected": false, "error": message,
                               "next_step": "Call connect_server again, or add the server in the companion app."}),
                        None,
                    )
                    .into());
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
                    )
                    .into());
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
            Err(error) => {
                return Ok(failure(&error.to_string(), json!({"connected": false})).into());
            }
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
            "server": super::orientation::connected_server(&member),
            "credentials_from": gathered.source,
            "credential_source": gathered.source,
            "next_step": "Connected: the tools now reach this server too.",
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
        Ok(answer(body, None).into())
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

/// Whether the client's revision (2026-07-28 and later) forbids requests from the
/// server, so that a form is asked for by an input-required answer instead.
fn without_server_requests(context: &RequestContext<RoleServer>) -> bool {
    context
        .protocol_version()
        .is_some_and(|version| !version.has_initialize())
}

/// One step of the input-required round trip.
enum RoundTrip {
    /// Answer with this: the client shows the form and calls again with its answer.
    Ask(InputRequiredResult),
    /// The form came back: its credentials, or why there are none.
    Answered(Result<Gathered, String>),
}

/// The first call asks for the form; the retry carries the client's answer to it.
fn round_trip(
    form: &Form<'_>,
    state: Option<&str>,
    responses: Option<rmcp::model::InputResponses>,
) -> Result<RoundTrip, ErrorData> {
    let Some(mut responses) = responses else {
        let request = ElicitRequest::new(ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: form.message(),
            requested_schema: form.schema()?,
        });
        let mut requests = InputRequests::new();
        requests.insert(FORM_KEY.to_owned(), InputRequest::Elicitation(request));
        return Ok(RoundTrip::Ask(InputRequiredResult::new(
            Some(requests),
            Some(form.state().to_owned()),
        )));
    };
    if state != Some(form.state()) {
        return Err(ErrorData::invalid_params(
            "this answer belongs to another connect_server form; call connect_server again",
            None,
        ));
    }
    let Some(answer) = responses.remove(FORM_KEY) else {
        return Err(ErrorData::invalid_params(
            format!("the input responses lack \"{FORM_KEY}\"; call connect_server again"),
            None,
        ));
    };
    let outcome = match serde_json::from_value::<ElicitResult>(answer) {
        Err(_) => {
            Err("The credentials form came back in a shape this server does not know.".to_owned())
        }
        Ok(ElicitResult {
            action: ElicitationAction::Accept,
            content: Some(content),
            ..
        }) => form.read(content),
        Ok(result) => Err(not_filled(result.action)),
    };
    Ok(RoundTrip::Answered(outcome))
}

/// Asks for the form by an elicitation request (the 2025 revisions).
async fn elicit(context: &RequestContext<RoleServer>, form: &Form<'_>) -> Result<Gathered, String> {
    let filled = match form {
        Form::Known(_) => context
            .peer
            .elicit::<KnownServerForm>(form.message())
            .await
            .map(|filled| filled.map(Filled::from)),
        Form::New => context
            .peer
            .elicit::<NewServerForm>(form.message())
            .await
            .map(|filled| filled.map(Filled::from)),
    };
    match filled {
        Ok(Some(filled)) => Ok(form.gathered(filled)),
        Ok(None) => Err(not_filled(ElicitationAction::Accept)),
        Err(ElicitationError::UserDeclined) => Err(not_filled(ElicitationAction::Decline)),
        Err(ElicitationError::UserCancelled) => Err(not_filled(ElicitationAction::Cancel)),
        Err(error) => Err(format!("The credentials form could not be shown: {error}")),
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
