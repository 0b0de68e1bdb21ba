//! A client's JSON settings file as text: parsed into an ordered object, and written
//! back in the user's own style (indentation, line ends, byte order mark, final newline).

use std::path::Path;

use serde::Serialize;
use serde_json::ser::PrettyFormatter;
use serde_json::{Map, Value};

use super::error::RegistrationError;
use crate::json_mistake;

const BOM: &str = "\u{feff}";

/// The characters JSON allows between values.
const JSON_WHITESPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// How the user's file is laid out, so a rewrite looks like their file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextStyle {
    /// The file starts with a UTF-8 byte order mark.
    pub bom: bool,
    /// Lines end with `\r\n`.
    pub crlf: bool,
    /// One level of indentation (`"  "`, `"    "` or `"\t"`).
    pub indent: String,
    /// The file ends with a line end.
    pub final_newline: bool,
}

impl Default for TextStyle {
    /// The style of a new file: two spaces, `\n`, a final newline, no byte order mark.
    fn default() -> Self {
        Self {
            bom: false,
            crlf: false,
            indent: "  ".to_owned(),
            final_newline: true,
        }
    }
}

/// A settings file's content: its top-level object, key order kept, and its style.
/// Its `Debug` shows the top-level keys only: values can hold other servers' tokens.
#[derive(Clone, PartialEq)]
pub struct ConfigDocument {
    /// The top-level object.
    pub root: Map<String, Value>,
    /// The layout to write it back in.
    pub style: TextStyle,
}

impl std::fmt::Debug for ConfigDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigDocument")
            .field("keys", &self.root.keys().collect::<Vec<_>>())
            .field("style", &self.style)
            .finish()
    }
}

impl ConfigDocument {
    /// Parses a file's bytes; `None` (no file) and an empty or blank file give an empty
    /// object. `owner` names the client in error messages ("Claude Desktop").
    pub fn parse(
        bytes: Option<&[u8]>,
        path: &Path,
        owner: &str,
    ) -> Result<Self, RegistrationError> {
        let Some(bytes) = bytes else {
            return Ok(Self {
                root: Map::new(),
                style: TextStyle::default(),
            });
        };
        let text = std::str::from_utf8(bytes).map_err(|_| RegistrationError::NotText {
            owner: owner.to_owned(),
            path: path.to_path_buf(),
        })?;
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let style = TextStyle {
            bom,
            crlf: body.contains("\r\n"),
            indent: detect_indent(body),
            final_newline: body.is_empty() || body.ends_with('\n'),
        };
        // Blank in JSON's sense only: a file of, say, vertical tabs is not taken as empty.
        if body.trim_matches(JSON_WHITESPACE).is_empty() {
            return Ok(Self {
                root: Map::new(),
                style,
            });
        }
        let value: Value = serde_json::from_str(body).map_err(|e| {
            let (line, column) = json_mistake::place(body, &e);
            RegistrationError::InvalidJson {
                owner: owner.to_owned(),
                path: path.to_path_buf(),
                line,
                column,
                detail: describe(&e, body, line, column),
            }
        })?;
        match value {
            Value::Object(root) => Ok(Self { root, style }),
            other => {
                let (line, column) = position_of_first_value(body);
                Err(RegistrationError::NotAnObject {
                    owner: owner.to_owned(),
                    path: path.to_path_buf(),
                    what: "the whole file".to_owned(),
                    found: kind_of(&other),
                    line,
                    column,
                })
            }
        }
    }

    /// The object under `key` (`"mcpServers"`, `"servers"`), `None` when absent; an
    /// error naming its line and column when it is not an object. `text` is the
    /// file's text, used only to point at the mistake.
    pub fn servers<'a>(
        &'a self,
        key: &str,
        text: &[u8],
        path: &Path,
        owner: &str,
    ) -> Result<Option<&'a Map<String, Value>>, RegistrationError> {
        match self.root.get(key) {
            None => Ok(None),
            Some(Value::Object(servers)) => Ok(Some(servers)),
            Some(other) => {
                let text = String::from_utf8_lossy(text);
                let (line, column) = position_of_key(&text, key);
                Err(RegistrationError::NotAnObject {
                    owner: owner.to_owned(),
                    path: path.to_path_buf(),
                    what: format!("\"{key}\""),
                    found: kind_of(other),
                    line,
                    column,
                })
            }
        }
    }

    /// The file's bytes in the document's style.
    pub fn render(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let formatter = PrettyFormatter::with_indent(self.style.indent.as_bytes());
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
        self.root
            .serialize(&mut serializer)
            .expect("a JSON value always serialises into memory");
        let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
        if self.style.final_newline {
            text.push('\n');
        }
        if self.style.crlf {
            // JSON strings escape their line ends, so every '\n' here is layout.
            text = text.replace('\n', "\r\n");
        }
        if self.style.bom {
            text.insert_str(0, BOM);
        }
        text.into_bytes()
    }
}

/// The indentation of the first indented line: a tab, or that many spaces (2 when
/// nothing is indented).
fn detect_indent(text: &str) -> String {
    for line in text.lines() {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let width = line.len() - trimmed.len();
        if width == 0 || trimmed.trim().is_empty() {
            continue;
        }
        if line.starts_with('\t') {
            return "\t".to_owned();
        }
        return " ".repeat(width.clamp(1, 8));
    }
    "  ".to_owned()
}

/// What the parser found, with a word on comments: VS Code allows them in its
/// settings, but a strict JSON file (and this program's editor) does not. `line` and
/// `column` place the mistake (a character column).
fn describe(error: &serde_json::Error, text: &str, line: usize, column: usize) -> String {
    let detail = json_mistake::without_position(&error.to_string()).to_owned();
    let line = text.split('\n').nth(line - 1).unwrap_or("");
    // serde_json's position is the offending character itself.
    let from = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = line[from..].trim_start();
    if rest.starts_with("//") || rest.starts_with("/*") {
        format!(
            "{detail} (a comment: this program only edits plain JSON, so remove the comments or add the entry by hand)"
        )
    } else {
        detail
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array (`[ ... ]`)",
        Value::Object(_) => "an object",
    }
}

/// 1-based line and column of byte offset `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn position_of_first_value(text: &str) -> (usize, usize) {
    let at = text.len() - text.trim_start().len();
    line_column(text, at)
}

/// Where the value of the top-level `"key":` starts (not a nested key of that name);
/// the start of the file when it cannot be found.
fn position_of_key(text: &str, key: &str) -> (usize, usize) {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    super::splice::member_value_start(text, key).map_or((1, 1), |at| line_column(text, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_is_detected() {
        assert_eq!(detect_indent("{\n    \"a\": 1\n}"), "    ");
        assert_eq!(detect_indent("{\n\t\"a\": 1\n}"), "\t");
        assert_eq!(detect_indent("{\"a\": 1}"), "  ");
    }

    #[test]
    fn key_position_points_at_the_value() {
        let text = "{\n  \"x\": \"mcpServers\",\n  \"mcpServers\": [1]\n}";
        assert_eq!(position_of_key(text, "mcpServers"), (3, 17));
        let nested = "{\n  \"x\": {\"mcpServers\": {}},\n  \"mcpServers\": [1]\n}";
        assert_eq!(
            position_of_key(nested, "mcpServers"),
            (3, 17),
            "the top-level key, not a nested one of that name"
        );
    }

    #[test]
    fn mistakes_are_placed_in_characters_not_bytes() {
        let text = "{\n  \"größe\": 1 2\n}";
        let error = ConfigDocument::parse(Some(text.as_bytes()), Path::new("x"), "X")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2, column 14"), "{error}");
    }

    #[test]
    fn comments_are_named_as_such() {
        let text = "{\n  // my servers\n  \"servers\": {}\n}";
        let error = ConfigDocument::parse(Some(text.as_bytes()), Path::new("mcp.json"), "VS Code")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2, column 3"), "{error}");
        assert!(error.contains("a comment"), "{error}");
        // Right after a brace or a value too (found by the property tests).
        for text in ["{// note\n}", "{\"a\": 1// note\n}", "{\"a\": 1,/* x */\n}"] {
            let error =
                ConfigDocument::parse(Some(text.as_bytes()), Path::new("mcp.json"), "VS Code")
                    .unwrap_err()
                    .to_string();
            assert!(error.contains("a comment"), "{text:?}: {error}");
        }
        let text = "{\n  \"servers\": {},\n}";
        let error = ConfigDocument::parse(Some(text.as_bytes()), Path::new("mcp.json"), "VS Code")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("a comment"), "{error}");
    }

    #[test]
    fn only_json_whitespace_makes_a_file_blank() {
        // Found by fuzzing: a file holding a vertical tab was taken as empty and replaced.
        let blank = ConfigDocument::parse(Some(b" \r\n\t"), Path::new("x"), "X").unwrap();
        assert!(blank.root.is_empty());
        for odd in ["\u{b}", "\u{c}", "\u{a0}"] {
            let error = ConfigDocument::parse(Some(odd.as_bytes()), Path::new("x"), "X")
                .unwrap_err()
                .to_string();
            assert!(error.contains("line 1, column 1"), "{odd:?}: {error}");
        }
    }

    #[test]
    fn debug_output_shows_no_values() {
        let text = br#"{"mcpServers": {"gh": {"env": {"GITHUB_TOKEN": "ghp_secret"}}}}"#;
        let doc = ConfigDocument::parse(Some(text), Path::new("x"), "X").unwrap();
        let shown = format!("{doc:?}");
        assert!(
            shown.contains("mcpServers") && !shown.contains("ghp_secret"),
            "{shown}"
        );
    }

    #[test]
    fn round_trip_keeps_style() {
        let text = "\u{feff}{\r\n    \"b\": 1,\r\n    \"a\": [\r\n        2\r\n    ]\r\n}";
        let doc = ConfigDocument::parse(Some(text.as_bytes()), Path::new("x"), "X").unwrap();
        assert_eq!(String::from_utf8(doc.render()).unwrap(), text);
    }
}
