//! `Account/Authenticate` and the bearer check every other request passes.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::auth::Refusal;
use crate::model::DemoUser;
use crate::routes::Shared;

fn problem(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            "application/problem+json; charset=utf-8",
        )],
        body.to_string(),
    )
        .into_response()
}

fn bad_login_body(field: &str, message: String) -> Response {
    problem(
        StatusCode::BAD_REQUEST,
        json!({
            "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            "title": "One or more validation errors occurred.",
            "status": 400,
            "errors": { field: [message] }
        }),
    )
}

/// Answers `POST Account/Authenticate`: a JWT as text, 401 ProblemDetails for
/// wrong credentials, 400 for a malformed body.
pub(crate) fn login(s: &Shared, body: &Bytes) -> Response {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return bad_login_body(
                "$",
                format!(
                    "The request body is not valid JSON: {e}. Send {{\"UserName\": \"...\", \"Password\": \"...\"}}."
                ),
            );
        }
    };
    let Some(fields) = value.as_object() else {
        return bad_login_body(
            "$",
            "The request body must be a JSON object with UserName and Password.".into(),
        );
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let Some(user_name) = field("UserName") else {
        return bad_login_body("UserName", "The UserName field is required.".into());
    };
    let Some(password) = field("Password") else {
        return bad_login_body("Password", "The Password field is required.".into());
    };
    let user = s
        .estate
        .demo_users
        .iter()
        .find(|u| u.user_name.eq_ignore_ascii_case(user_name) && u.password == password);
    let Some(user) = user else {
        return problem(
            StatusCode::UNAUTHORIZED,
            json!({
                "type": "https://tools.ietf.org/html/rfc9110#section-15.5.2",
                "title": "Unauthorized",
                "status": 401,
                "detail": "The user name or password is incorrect."
            }),
        );
    };
    let lifetime = s.faults.token_lifetime().as_millis() as i64;
    let token = s.signer.issue(
        user,
        chrono::Utc::now(),
        lifetime,
        s.faults.token_generation(),
    );
    s.counters.record_login();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        token,
    )
        .into_response()
}

/// A 401 with an empty body and the `WWW-Authenticate` challenge.
pub(crate) fn unauthorized(challenge: String) -> Response {
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// Checks the bearer token; the error is the `WWW-Authenticate` challenge.
pub(crate) fn authorize<'a>(s: &'a Shared, headers: &HeaderMap) -> Result<&'a DemoUser, String> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    let Some(token) = token else {
        return Err("Bearer".into());
    };
    match s
        .signer
        .verify(token, chrono::Utc::now(), s.faults.token_generation())
    {
        Ok(claims) => s
            .estate
            .demo_user(&claims.unique_name)
            .ok_or_else(|| "Bearer error=\"invalid_token\"".into()),
        Err(Refusal::Expired(exp)) => {
            let at = chrono::DateTime::from_timestamp(exp, 0)
                .map(|d| d.format("%m/%d/%Y %H:%M:%S").to_string())
                .unwrap_or_default();
            Err(format!(
                "Bearer error=\"invalid_token\", error_description=\"The token expired at '{at}'\""
            ))
        }
        Err(Refusal::Invalid | Refusal::Revoked) => Err("Bearer error=\"invalid_token\"".into()),
    }
}
