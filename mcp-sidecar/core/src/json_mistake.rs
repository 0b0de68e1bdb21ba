//! Where a JSON file people edit is wrong, said the way they read it: a line and a
//! character column (serde_json counts bytes, and says column 0 at the very start),
//! and the path of the field at fault, a missing field included.

/// 1-based line and character column of `error` in `text` (both at least 1).
pub(crate) fn place(text: &str, error: &serde_json::Error) -> (usize, usize) {
    let line = error.line().max(1);
    let line_text = text.split('\n').nth(line - 1).unwrap_or("");
    let byte_column = error.column();
    let column = line_text
        .char_indices()
        .take_while(|(at, _)| at + 1 < byte_column)
        .count()
        + 1;
    (line, column)
}

/// serde_json's message without the " at line L column C" it ends with.
pub(crate) fn without_position(message: &str) -> &str {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(head, _)| head)
}

/// The field a path-tracking error is about (`servers[1].base_url`; empty for the
/// whole file), and whether it is missing rather than wrong.
pub(crate) fn field_at_fault(
    error: &serde_path_to_error::Error<serde_json::Error>,
) -> (String, bool) {
    let path = error.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let message = error.inner().to_string();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name.to_owned());
    match missing {
        Some(name) if path.is_empty() => (name, true),
        Some(name) => (format!("{path}.{name}"), true),
        None => (path, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> serde_json::Error {
        serde_json::from_str::<serde_json::Value>(text).unwrap_err()
    }

    #[test]
    fn columns_count_characters_and_start_at_one() {
        let text = "{\n  \"größe\": 1 2\n}";
        assert_eq!(place(text, &error_of(text)), (2, 14));
        assert_eq!(place("", &error_of("")), (1, 1));
        assert_eq!(place("[", &error_of("[")), (1, 1));
    }

    #[test]
    fn a_missing_field_is_named_by_its_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Entry {
            base_url: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct File {
            servers: Vec<Entry>,
        }
        let read = |text: &str| {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, File>(&mut de).unwrap_err()
        };
        assert_eq!(
            field_at_fault(&read(r#"{"servers":[{"base_url":"u"},{}]}"#)),
            ("servers[1].base_url".to_owned(), true)
        );
        assert_eq!(
            field_at_fault(&read(r#"{"servers":[{"base_url":5}]}"#)),
            ("servers[0].base_url".to_owned(), false)
        );
        assert_eq!(field_at_fault(&read("{}")), ("servers".to_owned(), true));
        assert_eq!(field_at_fault(&read("[]")), (String::new(), false));
    }
}
