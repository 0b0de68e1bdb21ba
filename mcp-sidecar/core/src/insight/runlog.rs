//! Views of one run's log: a summary (every warning and error, the last informational
//! lines and a verdict), only warnings or errors, the tail, or the whole log capped.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::fields::{list, raw};

/// Which view of the log to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LogMode {
    /// All warnings and errors, the last 5 informational messages and a verdict.
    #[default]
    Summary,
    /// Only the warnings.
    Warnings,
    /// Only the errors.
    Errors,
    /// The last `tail_count` messages.
    Tail,
    /// Up to `full_max` messages (the last ones).
    Full,
}

impl LogMode {
    /// The name as the tools spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            LogMode::Summary => "summary",
            LogMode::Warnings => "warnings",
            LogMode::Errors => "errors",
            LogMode::Tail => "tail",
            LogMode::Full => "full",
        }
    }
}

/// How a message is classed, from its `Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Severity {
    Error,
    Warning,
    Other,
}

fn type_name(message: &Value) -> String {
    match message.get("Type") {
        Some(Value::String(name)) => name.clone(),
        Some(Value::Null) | None => "Unknown".to_owned(),
        Some(other) => other.to_string(),
    }
}

fn severity(message: &Value) -> Severity {
    let name = type_name(message).to_ascii_lowercase();
    if name.starts_with("err") || name == "critical" || name == "fatal" {
        Severity::Error
    } else if name.starts_with("warn") {
        Severity::Warning
    } else {
        Severity::Other
    }
}

/// The first problem line of a log: its first error message, else its first warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Whether the line is an error (else a warning).
    pub is_error: bool,
    /// The message text.
    pub text: String,
}

/// The first `Error` message of a raw log, else its first `Warning` (`None` when it has
/// neither, or their text is empty).
pub fn first_problem(log: &Value) -> Option<Problem> {
    let messages = list(log, "Messages");
    let text_of = |message: &Value| {
        ["Message", "Text"]
            .iter()
            .find_map(|field| message.get(*field).and_then(Value::as_str))
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned)
    };
    [Severity::Error, Severity::Warning]
        .into_iter()
        .find_map(|wanted| {
            messages
                .iter()
                .filter(|m| severity(m) == wanted)
                .find_map(text_of)
                .map(|text| Problem {
                    is_error: wanted == Severity::Error,
                    text,
                })
        })
}

fn last(messages: &[Value], count: usize) -> Vec<Value> {
    messages[messages.len().saturating_sub(count)..].to_vec()
}

/// Shapes a raw log (`{"ScriptFilePath", "Messages": [...]}`) for `mode`.
/// `tail_count` and `full_max` are the caller's already-bounded limits.
pub fn view(log: &Value, mode: LogMode, tail_count: usize, full_max: usize) -> Value {
    let messages = list(log, "Messages");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for message in messages {
        *counts.entry(type_name(message)).or_default() += 1;
    }
    let of = |wanted: Severity| -> Vec<Value> {
        messages
            .iter()
            .filter(|m| severity(m) == wanted)
            .cloned()
            .collect()
    };
    let warnings = of(Severity::Warning);
    let errors = of(Severity::Error);
    let mut result = json!({
        "script_file_path": raw(log, "ScriptFilePath"),
        "message_count": messages.len(),
        "counts_by_type": counts,
        "has_warnings": !warnings.is_empty(),
        "has_errors": !errors.is_empty(),
        "mode": mode.as_str(),
    });
    match mode {
        LogMode::Summary => {
            let info = of(Severity::Other);
            let verdict = match (errors.len(), warnings.len()) {
                (0, 0) => "No warnings or errors in this run's log.".to_owned(),
                (0, w) => format!("{w} warning(s), no errors: the run completed with issues."),
                (e, w) => format!("{e} error(s) and {w} warning(s): look at the errors first."),
            };
            result["verdict"] = json!(verdict);
            result["summary_note"] = json!(verdict);
            result["errors"] = Value::Array(errors);
            result["warnings"] = Value::Array(warnings);
            result["last_informational"] = Value::Array(last(&info, 5));
        }
        LogMode::Warnings => result["messages"] = Value::Array(warnings),
        LogMode::Errors => result["messages"] = Value::Array(errors),
        LogMode::Tail => result["messages"] = Value::Array(last(messages, tail_count)),
        LogMode::Full => {
            result["messages"] = Value::Array(last(messages, full_max));
            result["truncated"] = json!(messages.len() > full_max);
            if messages.len() > full_max {
                result["truncation_note"] = json!(format!(
                    "Returned the last {full_max} of {} messages. Raise full_max, or use mode \
                     warnings or errors to see only the problems.",
                    messages.len()
                ));
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log() -> Value {
        let mut messages: Vec<Value> = (0..10)
            .map(|i| json!({"Type": "Information", "Message": format!("info {i}")}))
            .collect();
        messages.insert(3, json!({"Type": "Warning", "Message": "slow disk"}));
        messages.insert(6, json!({"Type": "Error", "Message": "access denied"}));
        json!({"ScriptFilePath": "C:\\logs\\run.log", "Messages": messages})
    }

    #[test]
    fn summary_keeps_problems_and_the_last_informational_lines() {
        let view = view(&log(), LogMode::Summary, 20, 1000);
        assert_eq!(view["message_count"], 12);
        assert_eq!(view["counts_by_type"]["Information"], 10);
        assert_eq!(view["has_errors"], true);
        assert_eq!(view["errors"][0]["Message"], "access denied");
        assert_eq!(view["warnings"].as_array().unwrap().len(), 1);
        let info = view["last_informational"].as_array().unwrap();
        assert_eq!(info.len(), 5);
        assert_eq!(info[4]["Message"], "info 9");
        assert!(view["verdict"].as_str().unwrap().contains("1 error"));
    }

    #[test]
    fn the_first_problem_is_the_first_error_else_the_first_warning() {
        let problem = first_problem(&log()).unwrap();
        assert_eq!(
            problem,
            Problem {
                is_error: true,
                text: "access denied".into()
            }
        );
        let warned = json!({"Messages": [
            {"Type": "Information", "Message": "start"},
            {"Type": "Warning", "Message": " slow disk "},
        ]});
        assert_eq!(first_problem(&warned).unwrap().text, "slow disk");
        assert!(!first_problem(&warned).unwrap().is_error);
        assert_eq!(
            first_problem(&json!({"Messages": [{"Type": "Information"}]})),
            None
        );
    }

    #[test]
    fn tail_and_full_take_the_last_messages() {
        let tail = view(&log(), LogMode::Tail, 3, 1000);
        assert_eq!(tail["messages"].as_array().unwrap().len(), 3);
        assert_eq!(tail["messages"][2]["Message"], "info 9");
        let full = view(&log(), LogMode::Full, 20, 4);
        assert_eq!(full["truncated"], true);
        assert!(
            full["truncation_note"]
                .as_str()
                .unwrap()
                .contains("last 4 of 12")
        );
        assert_eq!(full["messages"].as_array().unwrap().len(), 4);
        let all = view(&log(), LogMode::Full, 20, 1000);
        assert_eq!(all["truncated"], false);
        let errors = view(&log(), LogMode::Errors, 20, 1000);
        assert_eq!(errors["messages"].as_array().unwrap().len(), 1);
        let empty = view(&json!({}), LogMode::Summary, 20, 1000);
        assert_eq!(empty["message_count"], 0);
        assert_eq!(empty["has_warnings"], false);
    }
}
