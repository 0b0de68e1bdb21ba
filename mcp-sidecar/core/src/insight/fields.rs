//! Lenient field access on Management Server JSON rows: every field may be absent,
//! null or of an unexpected type, and none of that is a crash.

use serde_json::Value;

/// The field as a signed integer, accepting integral floats and numeric strings.
pub fn int(row: &Value, field: &str) -> Option<i64> {
    match row.get(field)? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The field as a float, accepting numeric strings.
pub fn float(row: &Value, field: &str) -> Option<f64> {
    match row.get(field)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The field as a string slice when it is a string.
pub fn text<'a>(row: &'a Value, field: &str) -> Option<&'a str> {
    row.get(field)?.as_str()
}

/// The field as-is, or `null` when absent.
pub fn raw(row: &Value, field: &str) -> Value {
    row.get(field).cloned().unwrap_or(Value::Null)
}

/// The field as a list of rows, empty when absent or not a list.
pub fn list<'a>(row: &'a Value, field: &str) -> &'a [Value] {
    row.get(field)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A whole number of bytes as a GiB figure rounded to two decimals.
pub fn gib(bytes: u64) -> f64 {
    round2(bytes as f64 / 1024f64.powi(3))
}

/// A whole number of bytes as a TiB figure rounded to two decimals (three for small values).
pub fn tib(bytes: u64) -> f64 {
    let value = bytes as f64 / 1024f64.powi(4);
    (value * 1000.0).round() / 1000.0
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_are_read_leniently() {
        let row = json!({"a": 4, "b": 4.0, "c": "17", "d": null, "e": true, "f": 4.5});
        assert_eq!(int(&row, "a"), Some(4));
        assert_eq!(int(&row, "b"), Some(4));
        assert_eq!(int(&row, "c"), Some(17));
        assert_eq!(int(&row, "d"), None);
        assert_eq!(int(&row, "e"), None);
        assert_eq!(int(&row, "f"), None, "a fractional value is not an integer");
        assert_eq!(int(&row, "missing"), None);
        assert_eq!(float(&row, "f"), Some(4.5));
    }

    #[test]
    fn sizes_convert_to_binary_units() {
        assert_eq!(gib(1024 * 1024 * 1024), 1.0);
        assert_eq!(gib(1536 * 1024 * 1024), 1.5);
        assert_eq!(tib(1024u64.pow(4) * 3), 3.0);
        assert_eq!(list(&json!({"x": 1}), "x").len(), 0);
    }
}
