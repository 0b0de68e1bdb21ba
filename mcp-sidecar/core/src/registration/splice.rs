//! Editing a JSON settings file in place: our entry is inserted, replaced or removed
//! as text, so everything else (compact arrays, spacing, blank lines, key order) keeps
//! its exact bytes. The text is known to be valid JSON (it was parsed first).

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::PrettyFormatter;

use super::document::TextStyle;

/// One `"key": value` in an object, as byte offsets into the text.
struct Member {
    key: String,
    key_start: usize,
    value_start: usize,
    value_end: usize,
}

/// An object's braces and members.
struct ObjectSpan {
    open: usize,
    close: usize,
    members: Vec<Member>,
}

/// In `text` (a JSON document whose top level is an object, without byte order mark):
/// removes the members `remove` of the object under `servers_key`, then sets its
/// member `set.0` to `set.1` (in place when present, appended when not; the object is
/// appended to the top level when absent). `None` when the text has a shape this
/// editor does not handle; the caller then rewrites the whole file.
pub(crate) fn edit_servers(
    text: &str,
    style: &TextStyle,
    servers_key: &str,
    remove: &[String],
    set: Option<(&str, &Value)>,
) -> Option<String> {
    let mut text = text.to_owned();
    for name in remove {
        // Every occurrence: with a key written twice, the parser keeps the last one.
        let mut removed = false;
        loop {
            let root = scan_object(&text, skip_ws(&text, 0))?;
            let servers = last_member(&root, servers_key)?;
            let object = scan_object(&text, servers.value_start)?;
            let Some(index) = object.members.iter().position(|m| &m.key == name) else {
                break;
            };
            let range = removal_range(&object, index);
            text.replace_range(range, "");
            removed = true;
        }
        if !removed {
            return None;
        }
    }
    if let Some((name, value)) = set {
        let root = scan_object(&text, skip_ws(&text, 0))?;
        match last_member(&root, servers_key) {
            Some(servers) => {
                let object = scan_object(&text, servers.value_start)?;
                set_member(&mut text, &object, name, value, style);
            }
            None => {
                let mut servers = serde_json::Map::new();
                servers.insert(name.to_owned(), value.clone());
                set_member(
                    &mut text,
                    &root,
                    servers_key,
                    &Value::Object(servers),
                    style,
                );
            }
        }
    }
    Some(text)
}

/// Where the value of the top-level member `key` starts in `text` (a JSON object,
/// without byte order mark), as a byte offset.
pub(crate) fn member_value_start(text: &str, key: &str) -> Option<usize> {
    let root = scan_object(text, skip_ws(text, 0))?;
    last_member(&root, key).map(|m| m.value_start)
}

/// The member called `key`: the last one when the key is written more than once,
/// since that is the one a JSON parser keeps.
fn last_member<'a>(object: &'a ObjectSpan, key: &str) -> Option<&'a Member> {
    object.members.iter().rev().find(|m| m.key == key)
}

fn removal_range(object: &ObjectSpan, index: usize) -> std::ops::Range<usize> {
    let members = &object.members;
    if members.len() == 1 {
        object.open + 1..object.close
    } else if index > 0 {
        members[index - 1].value_end..members[index].value_end
    } else {
        members[0].key_start..members[1].key_start
    }
}

fn set_member(text: &mut String, object: &ObjectSpan, key: &str, value: &Value, style: &TextStyle) {
    let nl = if style.crlf { "\r\n" } else { "\n" };
    if let Some(member) = last_member(object, key) {
        let indent = line_indent(text, member.key_start);
        let rendered = render(value, style, &indent, nl, is_multiline(text, object));
        text.replace_range(member.value_start..member.value_end, &rendered);
        return;
    }
    let key_json = serde_json::to_string(key).expect("a string serialises");
    match object.members.last() {
        Some(last) if is_multiline(text, object) => {
            let indent = line_indent(text, last.key_start);
            let rendered = render(value, style, &indent, nl, true);
            text.insert_str(
                last.value_end,
                &format!(",{nl}{indent}{key_json}: {rendered}"),
            );
        }
        Some(last) => {
            let rendered = render(value, style, "", nl, false);
            text.insert_str(last.value_end, &format!(", {key_json}: {rendered}"));
        }
        None => {
            let outer = line_indent(text, object.open);
            let indent = format!("{outer}{}", style.indent);
            let rendered = render(value, style, &indent, nl, true);
            text.replace_range(
                object.open + 1..object.close,
                &format!("{nl}{indent}{key_json}: {rendered}{nl}{outer}"),
            );
        }
    }
}

/// Whether the object's members sit on their own lines (an empty object counts as such).
fn is_multiline(text: &str, object: &ObjectSpan) -> bool {
    match object.members.first() {
        Some(first) => text[object.open..first.key_start].contains('\n'),
        None => true,
    }
}

/// `value` as JSON: pretty in the file's indentation, continuation lines starting at
/// `indent`; or on one line.
fn render(value: &Value, style: &TextStyle, indent: &str, nl: &str, pretty: bool) -> String {
    if !pretty {
        return serde_json::to_string(value).expect("a JSON value serialises");
    }
    let mut out = Vec::new();
    let formatter = PrettyFormatter::with_indent(style.indent.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a JSON value serialises");
    let text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.replace('\n', &format!("{nl}{indent}"))
}

/// The spaces and tabs that start the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[start..at]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

fn skip_ws(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
        at += 1;
    }
    at
}

/// The object whose `{` is at `open`.
fn scan_object(text: &str, open: usize) -> Option<ObjectSpan> {
    let bytes = text.as_bytes();
    if bytes.get(open) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    let mut at = skip_ws(text, open + 1);
    if bytes.get(at) == Some(&b'}') {
        return Some(ObjectSpan {
            open,
            close: at,
            members,
        });
    }
    loop {
        let key_start = at;
        let key_end = skip_string(bytes, at)?;
        let key: String = serde_json::from_str(&text[key_start..key_end]).ok()?;
        at = skip_ws(text, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(text, at + 1);
        let value_end = skip_value(bytes, value_start)?;
        members.push(Member {
            key,
            key_start,
            value_start,
            value_end,
        });
        at = skip_ws(text, value_end);
        match bytes.get(at) {
            Some(b',') => at = skip_ws(text, at + 1),
            Some(b'}') => {
                return Some(ObjectSpan {
                    open,
                    close: at,
                    members,
                });
            }
            _ => return None,
        }
    }
}

/// The end of the string starting at `at` (a `"`).
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The end of the value starting at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                .unwrap_or(bytes.len() - at);
            Some(at + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_with_braces_quotes_and_escapes_do_not_confuse_the_scanner() {
        let text = "{\"a}\": \"x\\\"]}\", \"mcpServers\": {\n  \"we{ird\\\"\": {\"args\": [\"}\", \"\\\\\"]},\n  \"old\": 1.5e3\n}, \"z\": [true, null]}";
        let value = json!({"command": "c"});
        let style = TextStyle::default();
        let edited = edit_servers(
            text,
            &style,
            "mcpServers",
            &["old".to_owned()],
            Some(("n", &value)),
        )
        .unwrap();
        let parsed: Value = serde_json::from_str(&edited).unwrap();
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            serde_json::to_string(&json!({
                "a}": "x\"]}",
                "mcpServers": {"we{ird\"": {"args": ["}", "\\"]}, "n": {"command": "c"}},
                "z": [true, null]
            }))
            .unwrap()
        );
        assert!(
            edited.contains("\"we{ird\\\"\": {\"args\": [\"}\", \"\\\\\"]}"),
            "{edited}"
        );
    }

    #[test]
    fn a_key_written_twice_is_edited_where_a_parser_reads_it() {
        // A JSON parser keeps the last of two equal keys: that is the one to change.
        let text = r#"{"mcpServers": {"a": 1}, "mcpServers": {"b": 2, "n": 0, "n": 1}}"#;
        let value = json!({"command": "c"});
        let style = TextStyle::default();
        let set = edit_servers(text, &style, "mcpServers", &[], Some(("n", &value))).unwrap();
        assert_eq!(
            set,
            r#"{"mcpServers": {"a": 1}, "mcpServers": {"b": 2, "n": 0, "n": {"command":"c"}}}"#
        );
        let removed = edit_servers(text, &style, "mcpServers", &["n".to_owned()], None).unwrap();
        assert_eq!(
            removed,
            r#"{"mcpServers": {"a": 1}, "mcpServers": {"b": 2}}"#
        );
        assert_eq!(member_value_start(text, "mcpServers"), text.find(r#"{"b""#));
    }
}
