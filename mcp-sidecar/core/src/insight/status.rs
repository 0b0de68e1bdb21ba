//! Job status codes, their labels, and the triage characterization of a run.

use chrono::DateTime;
use serde_json::Value;

use super::fields;

/// The label of a job status code: `pending`, `success`, `warning`, `cancelled`,
/// `failed`, `running`, `queued`, or `unknown(N)` for anything else.
pub fn status_label(code: i64) -> String {
    match code {
        0 => "pending",
        1 => "success",
        2 => "warning",
        3 => "cancelled",
        4 => "failed",
        5 => "running",
        6 => "queued",
        other => return format!("unknown({other})"),
    }
    .to_owned()
}

/// The label of an optional status: `null` stays `null` (as JSON).
pub fn status_label_value(code: Option<i64>) -> Value {
    code.map_or(Value::Null, |code| Value::String(status_label(code)))
}

/// Whether the run wrote any data (bytes finished, processed, or a size).
fn wrote_data(run: &Value) -> bool {
    ["BytesFinished", "BytesProcessed", "SizeInBytes"]
        .iter()
        .any(|field| fields::int(run, field).is_some_and(|bytes| bytes > 0))
}

/// The triage characterization of a run: a warning with data written is
/// `warning_partial`, without is `warning_no_data`; a failure with data written is
/// `failed_after_partial`, without is `failed_immediate`; any other status is its label.
pub fn characterize(run: &Value) -> Value {
    let Some(status) = fields::int(run, "Status") else {
        return Value::Null;
    };
    let label = match (status, wrote_data(run)) {
        (2, true) => "warning_partial".to_owned(),
        (2, false) => "warning_no_data".to_owned(),
        (4, true) => "failed_after_partial".to_owned(),
        (4, false) => "failed_immediate".to_owned(),
        (other, _) => status_label(other),
    };
    Value::String(label)
}

/// A run's duration in seconds: `ElapsedTimeInSeconds`, else end minus start.
pub fn duration_seconds(run: &Value) -> Option<f64> {
    if let Some(elapsed) = fields::float(run, "ElapsedTimeInSeconds") {
        return Some(elapsed);
    }
    let start = DateTime::parse_from_rfc3339(fields::text(run, "StartDateTime")?).ok()?;
    let end = DateTime::parse_from_rfc3339(fields::text(run, "EndDateTime")?).ok()?;
    let millis = (end - start).num_milliseconds();
    (millis >= 0).then(|| millis as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_known_code_has_its_label() {
        let labels: Vec<String> = (0..=6).map(status_label).collect();
        assert_eq!(
            labels,
            [
                "pending",
                "success",
                "warning",
                "cancelled",
                "failed",
                "running",
                "queued"
            ]
        );
        assert_eq!(status_label(7), "unknown(7)");
        assert_eq!(status_label(-1), "unknown(-1)");
        assert_eq!(status_label_value(None), Value::Null);
    }

    #[test]
    fn runs_are_characterized_by_status_and_data_written() {
        let run = |status: i64, bytes: i64| json!({"Status": status, "BytesFinished": bytes});
        assert_eq!(characterize(&run(2, 10)), "warning_partial");
        assert_eq!(characterize(&run(2, 0)), "warning_no_data");
        assert_eq!(characterize(&run(4, 10)), "failed_after_partial");
        assert_eq!(characterize(&run(4, 0)), "failed_immediate");
        assert_eq!(characterize(&run(1, 0)), "success");
        assert_eq!(characterize(&json!({"Status": 4})), "failed_immediate");
        assert_eq!(characterize(&json!({})), Value::Null);
    }

    #[test]
    fn duration_prefers_elapsed_then_end_minus_start() {
        assert_eq!(
            duration_seconds(&json!({"ElapsedTimeInSeconds": 42})),
            Some(42.0)
        );
        let run = json!({
            "StartDateTime": "2026-04-22T10:00:00Z",
            "EndDateTime": "2026-04-22T10:01:30.5+00:00"
        });
        assert_eq!(duration_seconds(&run), Some(90.5));
        assert_eq!(
            duration_seconds(&json!({"StartDateTime": "2026-04-22T10:00:00Z"})),
            None,
            "a running job has no duration yet"
        );
    }
}
