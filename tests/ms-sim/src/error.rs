//! A rejected query: answered with 400 and an OData error body naming the problem.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A query ASP.NET OData would reject with 400; `message` says what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryError {
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(message: String) -> QueryError {
        QueryError { message }
    }
}

impl IntoResponse for QueryError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "code": "",
                "message": self.message,
                "details": [],
                "innererror": {
                    "message": self.message,
                    "type": "Microsoft.OData.ODataException",
                    "stacktrace": ""
                }
            }
        });
        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
    }
}
