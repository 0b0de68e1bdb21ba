//! The HTTP front: faults and counters first, then login, bearer checks, and the
//! OData routes of ms-api.md under `/managementserver/api` (hostile answers last).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::answer::{self, Place};
use crate::auth::Signer;
use crate::counters::{Counters, local_path};
use crate::error::QueryError;
use crate::estate::SimEstate;
use crate::faults::Faults;
use crate::login::{authorize, login, unauthorized};
use crate::model::DemoUser;
use crate::options::{Limits, Options};
use crate::schema::{Kind, SetId};
use crate::table::{Table, Tables, Val};

/// Everything a request handler reads.
pub(crate) struct Shared {
    pub estate: SimEstate,
    pub tables: Tables,
    pub faults: Faults,
    pub counters: Counters,
    pub signer: Signer,
    pub limits: Limits,
    /// `http(s)://127.0.0.1:PORT/managementserver`.
    pub base_url: String,
}

fn status_only(status: StatusCode) -> Response {
    status.into_response()
}

fn injected(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = status.canonical_reason().unwrap_or("Error").to_string();
    let mut response = (status, text).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// Closes the connection a request came on (set per connection by the server).
#[derive(Clone)]
pub(crate) struct Hangup(pub Arc<tokio::sync::Notify>);

/// The single entry point: every request passes here.
pub(crate) async fn handle(State(s): State<Arc<Shared>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    s.counters.record(&path);
    let plan = s.faults.plan();
    if plan.close
        && let Some(Hangup(hangup)) = request.extensions().get::<Hangup>()
    {
        hangup.notify_one();
        std::future::pending::<()>().await;
    }
    if plan.hang {
        std::future::pending::<()>().await;
    }
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    if let Some(status) = plan.fail {
        return injected(status);
    }
    let local = local_path(&path);
    if local.len() == path.len() {
        return status_only(StatusCode::NOT_FOUND);
    }
    let Some(rest) = local.strip_prefix("/api/") else {
        return status_only(StatusCode::NOT_FOUND);
    };
    let rest = rest.to_string();
    let response = if rest.eq_ignore_ascii_case("Account/Authenticate") {
        if request.method() != Method::POST {
            return status_only(StatusCode::METHOD_NOT_ALLOWED);
        }
        let body = axum::body::to_bytes(request.into_body(), 64 * 1024)
            .await
            .unwrap_or_default();
        login(&s, &body)
    } else {
        if request.method() != Method::GET {
            return status_only(StatusCode::METHOD_NOT_ALLOWED);
        }
        let user = match authorize(&s, request.headers()) {
            Ok(user) => user,
            Err(challenge) => return unauthorized(challenge),
        };
        let query = request.uri().query().unwrap_or("").to_string();
        let response = get(&s, user, &rest, &query);
        match s.faults.hostile() {
            Some(hostile) if response.status().is_success() => {
                return crate::hostile::answer(&s, hostile, response, &path, &query).await;
            }
            _ => response,
        }
    };
    if s.faults.malformed_json() {
        return truncate_json(response).await;
    }
    response
}

async fn truncate_json(response: Response) -> Response {
    let is_json = response.status().is_success()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("json"));
    if !is_json {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let cut = body.slice(..body.len() / 2);
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/json; odata.metadata=minimal",
        )],
        cut,
    )
        .into_response()
}

fn json_ok(body: Value) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/json; odata.metadata=minimal; odata.streaming=true",
            ),
            (header::HeaderName::from_static("odata-version"), "4.0"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// A path segment `Name` or `Name(key)`.
fn split_key(segment: &str) -> Option<(&str, Option<&str>)> {
    match segment.find('(') {
        None => Some((segment, None)),
        Some(open) if segment.ends_with(')') => Some((
            &segment[..open],
            Some(&segment[open + 1..segment.len() - 1]),
        )),
        Some(_) => None,
    }
}

fn key_row(table: &Table, key: &str) -> Result<Option<usize>, QueryError> {
    let key = key.trim();
    let key_kind = table
        .schema
        .column(table.schema.key)
        .map(|c| table.schema.columns[c].1);
    if key_kind == Some(Kind::Int) {
        return match key.parse::<i64>() {
            Ok(k) => Ok(table.by_int_key(k)),
            Err(_) => Err(QueryError::new(format!(
                "The key value '{key}' is not a valid Edm.Int64 key for '{}'.",
                table.schema.set
            ))),
        };
    }
    let unquoted = key.trim_matches('\'');
    Ok(table.by_str_key(unquoted))
}

fn get(s: &Shared, user: &DemoUser, rest: &str, query: &str) -> Response {
    let rest = rest.trim_end_matches('/');
    let (head, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let Some((name, key)) = split_key(head) else {
        return status_only(StatusCode::NOT_FOUND);
    };
    let Some(set) = s.tables.by_name(name) else {
        return status_only(StatusCode::NOT_FOUND);
    };
    let table = s.tables.get(set);
    let sees = |row: usize| table.tenant[row].is_none_or(|t| s.estate.sees_tenant(user, t));
    let api = format!("{}/api", s.base_url);
    let metadata = format!("{api}/$metadata");
    let Some(key) = key else {
        let counting = match tail {
            None => false,
            Some(t) if t.eq_ignore_ascii_case("$count") => true,
            Some(_) => return status_only(StatusCode::NOT_FOUND),
        };
        let options = match Options::parse(&s.tables, set, query, s.limits) {
            Ok(o) => o,
            Err(e) => return e.into_response(),
        };
        let rows = (0..table.rows.len()).filter(|&r| sees(r));
        if counting {
            let count = answer::count(&s.tables, set, rows, &options);
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                count.to_string(),
            )
                .into_response();
        }
        let url = format!("{api}/{}", table.schema.set);
        let place = Place {
            request_url: &url,
            metadata_url: &metadata,
            context: table.schema.set,
        };
        return json_ok(answer::collection(
            &s.tables, set, rows, &options, s.limits, &place,
        ));
    };
    let row = match key_row(table, key) {
        Ok(Some(row)) if sees(row) => row,
        Ok(_) => return status_only(StatusCode::NOT_FOUND),
        Err(bad) => return bad.into_response(),
    };
    let key_value = match &table.rows[row].vals[table.schema.column(table.schema.key).unwrap_or(0)]
    {
        Val::Int(k) => *k,
        _ => 0,
    };
    let nav = tail.map(str::to_ascii_lowercase);
    let child = match (set, nav.as_deref()) {
        (_, None) => {
            return match Options::parse(&s.tables, set, query, s.limits) {
                Ok(o) => json_ok(answer::entity(&s.tables, set, row, &o, &metadata)),
                Err(e) => e.into_response(),
            };
        }
        (SetId::Agents, Some("devices")) => SetId::Devices,
        (SetId::Agents, Some("jobs")) => SetId::Jobs,
        (SetId::Agents, Some("backupsources")) => {
            let path = url::form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k.eq_ignore_ascii_case("path"))
                .map(|(_, v)| v.into_owned());
            return match crate::backup_sources::list(key_value, path.as_deref()) {
                Some(value) => json_ok(json!({
                    "@odata.context": format!("{metadata}#BackupSources"),
                    "value": value
                })),
                None => status_only(StatusCode::NOT_FOUND),
            };
        }
        (SetId::JobHistories, Some("log")) => {
            if s.estate.unavailable_logs.contains(&key_value) {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The agent that holds this log cannot be reached right now.",
                )
                    .into_response();
            }
            return match s.estate.log(key_value) {
                Some(log) => json_ok(serde_json::to_value(log).unwrap_or(Value::Null)),
                None => status_only(StatusCode::NOT_FOUND),
            };
        }
        _ => return status_only(StatusCode::NOT_FOUND),
    };
    let options = match Options::parse(&s.tables, child, query, s.limits) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let children = s.tables.get(child).children_of("AgentId", key_value);
    let segment = format!(
        "{}({key_value})/{}",
        table.schema.set,
        s.tables.get(child).schema.set
    );
    let place = Place {
        request_url: &format!("{api}/{segment}"),
        metadata_url: &metadata,
        context: &segment,
    };
    json_ok(answer::collection(
        &s.tables,
        child,
        children.iter().copied(),
        &options,
        s.limits,
        &place,
    ))
}
