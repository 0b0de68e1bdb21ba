//! Properties of registering in settings files nobody wrote by hand: generated JSON
//! documents (nested objects and arrays, unicode keys and strings, numbers in every
//! notation, other MCP entries, with and without the servers key, LF or CRLF, with or
//! without a byte order mark, any indentation, compact or spread out) for every
//! client. Register then unregister gives the document back, register changes no
//! byte outside our entry, registering twice changes nothing; a broken document is
//! refused with its line and column and stays byte-identical on disk.

use std::fs;
use std::path::Path;

use chrono::{TimeZone, Utc};
use novabackup_core::registration::{
    Client, ENTRY_NAME, Registration, RegistrationError, ServerEntry, register_in_bytes,
    register_in_file, unregister_from_file, unregister_in_bytes,
};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};

/// A JSON value as it will be written: numbers keep their notation, and each array
/// and object says whether it sits on one line.
#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Array(Vec<Json>, bool),
    Object(Vec<(String, Json)>, bool),
}

/// How a document is laid out.
#[derive(Debug, Clone)]
struct Layout {
    indent: String,
    crlf: bool,
    bom: bool,
    final_newline: bool,
    space_after_colon: bool,
    escape_non_ascii: bool,
    escape_slash: bool,
}

impl Layout {
    fn newline(&self) -> &'static str {
        if self.crlf { "\r\n" } else { "\n" }
    }
}

fn escape(text: &str, layout: &Layout, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '/' if layout.escape_slash => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if !c.is_ascii() && layout.escape_non_ascii => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn render(value: &Json, depth: usize, layout: &Layout, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::Str(s) => escape(s, layout, out),
        Json::Array(items, inline) => render_list(
            items.iter(),
            ('[', ']'),
            *inline,
            depth,
            layout,
            out,
            |item, d, o| render(item, d, layout, o),
        ),
        Json::Object(members, inline) => render_object(members, *inline, depth, layout, out),
    }
}

fn render_object(
    members: &[(String, Json)],
    inline: bool,
    depth: usize,
    layout: &Layout,
    out: &mut String,
) {
    render_list(
        members.iter(),
        ('{', '}'),
        inline,
        depth,
        layout,
        out,
        |(key, value), d, o| {
            escape(key, layout, o);
            o.push(':');
            if layout.space_after_colon {
                o.push(' ');
            }
            render(value, d, layout, o);
        },
    );
}

fn render_list<'a, T: 'a>(
    items: impl ExactSizeIterator<Item = &'a T>,
    (open, close): (char, char),
    inline: bool,
    depth: usize,
    layout: &Layout,
    out: &mut String,
    mut item: impl FnMut(&T, usize, &mut String),
) {
    out.push(open);
    if items.len() == 0 {
        out.push(close);
        return;
    }
    let nl = layout.newline();
    for (i, it) in items.enumerate() {
        if i > 0 {
            out.push(',');
            if inline {
                out.push(' ');
            }
        }
        if !inline {
            out.push_str(nl);
            out.push_str(&layout.indent.repeat(depth + 1));
        }
        item(it, depth + 1, out);
    }
    if !inline {
        out.push_str(nl);
        out.push_str(&layout.indent.repeat(depth));
    }
    out.push(close);
}

/// A document's bytes: layout, byte order mark, final newline.
fn document(root: &[(String, Json)], inline: bool, layout: &Layout) -> Vec<u8> {
    let mut out = String::new();
    if layout.bom {
        out.push('\u{feff}');
    }
    render_object(root, inline, 0, layout, &mut out);
    if layout.final_newline {
        out.push_str(layout.newline());
    }
    out.into_bytes()
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        "-?(0|[1-9][0-9]{0,2})\\.[0-9]{1,6}",
        "-?(0|[1-9][0-9]{0,2})(\\.[0-9]{1,4})?[eE][+-]?[0-9]{1,2}",
        "-?[1-9][0-9]{1,2}[eE]\\+?(1[0-9]{2}|2[0-9]{2})",
        "[1-9][0-9]{19,30}",
        Just("-0".to_owned()),
        Just("0.0".to_owned()),
        Just("1E-300".to_owned()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _./:-]{0,16}",
        ".{0,12}",
        "[ä-ÿ一-鿿😀-🙏\u{2028}\u{0}-\u{1f}\"\\\\/]{0,8}",
    ]
}

/// A key: ordinary, any text, or one of the names the editor looks for (inside
/// nested objects they must be left alone).
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z_][a-zA-Z0-9_.-]{0,12}",
        2 => text(),
        1 => Just("mcpServers".to_owned()),
        1 => Just("servers".to_owned()),
        1 => Just(ENTRY_NAME.to_owned()),
    ]
}

fn unique(mut members: Vec<(String, Json)>) -> Vec<(String, Json)> {
    let mut seen = std::collections::HashSet::new();
    members.retain(|(k, _)| seen.insert(k.clone()));
    members
}

fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        number().prop_map(Json::Number),
        text().prop_map(Json::Str),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..6), any::<bool>())
                .prop_map(|(items, inline)| Json::Array(items, inline)),
            (prop::collection::vec((key(), inner), 0..6), any::<bool>())
                .prop_map(|(members, inline)| Json::Object(unique(members), inline)),
        ]
    })
}

/// Another program's MCP server entry.
fn mcp_entry() -> impl Strategy<Value = (String, Json)> {
    (
        "[a-z][a-z0-9_-]{0,10}".prop_filter("not our name", |n| n != ENTRY_NAME),
        text(),
        prop::collection::vec(text(), 0..4),
        prop::collection::vec(("[A-Z][A-Z_]{0,8}", text()), 0..3),
        prop::collection::vec((key(), json()), 0..2),
        any::<[bool; 3]>(),
    )
        .prop_map(|(name, command, args, env, extra, inline)| {
            let mut members = vec![
                ("command".to_owned(), Json::Str(command)),
                (
                    "args".to_owned(),
                    Json::Array(args.into_iter().map(Json::Str).collect(), inline[0]),
                ),
                (
                    "env".to_owned(),
                    Json::Object(
                        unique(env.into_iter().map(|(k, v)| (k, Json::Str(v))).collect()),
                        inline[1],
                    ),
                ),
            ];
            members.extend(extra);
            (name, Json::Object(unique(members), inline[2]))
        })
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop_oneof![Just("\t".to_owned()), "[ ]{1,8}"],
        any::<[bool; 6]>(),
    )
        .prop_map(|(indent, flags)| Layout {
            indent,
            crlf: flags[0],
            bom: flags[1],
            final_newline: flags[2],
            space_after_colon: flags[3],
            escape_non_ascii: flags[4],
            escape_slash: flags[5],
        })
}

/// A settings document for `client`: other keys, and (or not) the servers key with
/// other MCP entries, at any place.
#[derive(Debug, Clone)]
struct Settings {
    client: Client,
    root: Vec<(String, Json)>,
    root_inline: bool,
    has_servers: bool,
    layout: Layout,
}

impl Settings {
    fn bytes(&self) -> Vec<u8> {
        document(&self.root, self.root_inline, &self.layout)
    }

    fn servers_count(&self) -> Option<usize> {
        self.root
            .iter()
            .find(|(k, _)| k == self.client.servers_key())
            .map(|(_, v)| match v {
                Json::Object(members, _) => members.len(),
                _ => 0,
            })
    }
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        select(Client::ALL.to_vec()),
        prop::collection::vec((key(), json()), 0..6),
        prop::option::weighted(
            0.7,
            (prop::collection::vec(mcp_entry(), 0..4), any::<bool>()),
        ),
        any::<prop::sample::Index>(),
        any::<bool>(),
        layout(),
    )
        .prop_map(|(client, others, servers, place, root_inline, layout)| {
            let key = client.servers_key();
            let mut root: Vec<(String, Json)> = unique(others)
                .into_iter()
                .filter(|(k, _)| k != key)
                .collect();
            let has_servers = servers.is_some();
            if let Some((entries, inline)) = servers {
                let at = place.index(root.len() + 1);
                root.insert(at, (key.to_owned(), Json::Object(unique(entries), inline)));
            }
            Settings {
                client,
                root,
                root_inline,
                has_servers,
                layout,
            }
        })
}

fn registration(client: Client) -> Registration {
    Registration {
        client,
        name: ENTRY_NAME.to_owned(),
        entry: ServerEntry::new(
            "/opt/novabackup/bin/novabackup-mcp",
            "/home/tech/.config/novabackup-mcp/servers.json",
        ),
        replace_node: false,
    }
}

/// The document's top-level object, key order kept.
fn parse(bytes: &[u8]) -> Map<String, Value> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).expect("valid JSON")
}

/// A value's JSON with its key order: equal texts mean equal values in equal order.
fn ordered(value: &Map<String, Value>) -> String {
    serde_json::to_string(value).unwrap()
}

/// Where `before` and `after` differ: the bytes of `before` that `after` replaced.
fn replaced<'a>(before: &'a [u8], after: &[u8]) -> &'a [u8] {
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let room = before.len().min(after.len()) - prefix;
    let suffix = before
        .iter()
        .rev()
        .zip(after.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    &before[prefix..before.len() - suffix]
}

const PATH: &str = "settings.json";

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        max_shrink_time: 30_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn register_then_unregister_gives_the_document_back(doc in settings()) {
        let original = doc.bytes();
        let path = Path::new(PATH);
        let key = doc.client.servers_key();
        let registration = registration(doc.client);
        let before = parse(&original);

        let after = register_in_bytes(Some(&original), path, &registration)
            .expect("a valid document is registered in")
            .expect("the entry is new, so the file changes");

        // Only our entry was added, at the end of the servers (or with a new servers key
        // at the end of the file).
        let mut expected = before.clone();
        let entry = registration.entry.to_json(doc.client);
        match expected.get_mut(key) {
            Some(Value::Object(servers)) => {
                servers.insert(ENTRY_NAME.to_owned(), entry);
            }
            _ => {
                expected.insert(key.to_owned(), Value::Object(Map::from_iter([(ENTRY_NAME.to_owned(), entry)])));
            }
        }
        prop_assert_eq!(ordered(&parse(&after)), ordered(&expected));

        // Every byte outside our entry is as it was: the change inserts text and at
        // most drops blanks (inside an empty object).
        let gone = replaced(&original, &after);
        prop_assert!(
            gone.iter().all(|b| b" \t\r\n".contains(b)),
            "bytes outside our entry changed: {:?} replaced in\n{}\n---\n{}",
            String::from_utf8_lossy(gone), String::from_utf8_lossy(&original), String::from_utf8_lossy(&after)
        );
        prop_assert_eq!(after.starts_with("\u{feff}".as_bytes()), doc.layout.bom);

        // A second registration changes nothing.
        prop_assert_eq!(register_in_bytes(Some(&after), path, &registration).unwrap(), None);

        // Unregistering gives the original back: equal in value and key order (a
        // servers key that registration added stays, empty), and byte for byte when
        // the servers held other entries.
        let back = unregister_in_bytes(Some(&after), path, doc.client, ENTRY_NAME)
            .unwrap()
            .expect("our entry is removed");
        let mut expected_back = before.clone();
        if !doc.has_servers {
            expected_back.insert(key.to_owned(), Value::Object(Map::new()));
        }
        prop_assert_eq!(ordered(&parse(&back)), ordered(&expected_back));
        if doc.servers_count().is_some_and(|n| n > 0) {
            prop_assert_eq!(
                String::from_utf8_lossy(&back),
                String::from_utf8_lossy(&original)
            );
        }
        prop_assert_eq!(unregister_in_bytes(Some(&back), path, doc.client, ENTRY_NAME).unwrap(), None);
    }
}

/// Ways to break a valid document, each of which makes it invalid.
#[derive(Debug, Clone)]
enum Breakage {
    /// Cut before its final `}`.
    Truncate(prop::sample::Index),
    /// A `// comment` at the end of a line (or before the final `}`).
    Comment(prop::sample::Index),
    /// A comma before the final `}`.
    TrailingComma,
    /// One `"` becomes `'`.
    SingleQuote(prop::sample::Index),
    /// A byte that is not UTF-8.
    NotUtf8(prop::sample::Index),
    /// The whole document inside an array.
    InArray,
    /// The servers key holding something other than an object.
    ServersNotAnObject(prop::sample::Index),
}

fn breakage() -> impl Strategy<Value = Breakage> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Breakage::Truncate),
        any::<prop::sample::Index>().prop_map(Breakage::Comment),
        Just(Breakage::TrailingComma),
        any::<prop::sample::Index>().prop_map(Breakage::SingleQuote),
        any::<prop::sample::Index>().prop_map(Breakage::NotUtf8),
        Just(Breakage::InArray),
        any::<prop::sample::Index>().prop_map(Breakage::ServersNotAnObject),
    ]
}

/// What the refusal must say.
#[derive(Debug, PartialEq)]
enum Expected {
    /// A mistake somewhere at or after this byte of the text after any byte order mark.
    MistakeFrom(usize),
    /// A mistake exactly at this (line, column), columns counted in characters.
    MistakeAt(usize, usize),
    NotText,
    NotAnObject(&'static str),
}

/// 1-based line and character column of byte `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Byte offset of a 1-based line and character column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = &text[line_start..];
    line_start
        + rest
            .char_indices()
            .nth(column - 1)
            .map_or(rest.len(), |(i, _)| i)
}

/// `doc` broken by `how`: the bytes and what the refusal must say.
fn broken(doc: &Settings, how: &Breakage) -> (Vec<u8>, Expected) {
    let bom = if doc.layout.bom { "\u{feff}" } else { "" };
    let text = String::from_utf8(doc.bytes()).unwrap();
    let body = &text[bom.len()..];
    let last = body.rfind('}').unwrap();
    let mistake = |body: String, from: usize| {
        (
            format!("{bom}{body}").into_bytes(),
            Expected::MistakeFrom(from),
        )
    };
    match how {
        Breakage::Truncate(i) => {
            let mut cut = 1 + i.index(last);
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            mistake(body[..cut].to_owned(), 0)
        }
        Breakage::Comment(i) => {
            let ends: Vec<usize> = body
                .match_indices('\n')
                .map(|(at, _)| {
                    if body[..at].ends_with('\r') {
                        at - 1
                    } else {
                        at
                    }
                })
                .filter(|&at| at < last)
                .chain([last])
                .collect();
            let at = ends[i.index(ends.len())];
            let (line, column) = line_column(body, at);
            let changed = format!("{}// note{}", &body[..at], &body[at..]);
            (
                format!("{bom}{changed}").into_bytes(),
                Expected::MistakeAt(line, column),
            )
        }
        Breakage::TrailingComma => {
            let end = body[..last].trim_end().len();
            mistake(format!("{},{}", &body[..end], &body[end..]), end)
        }
        Breakage::SingleQuote(i) => {
            let quotes: Vec<usize> = body.match_indices('"').map(|(at, _)| at).collect();
            if quotes.is_empty() {
                return broken(doc, &Breakage::TrailingComma);
            }
            let at = quotes[i.index(quotes.len())];
            mistake(format!("{}'{}", &body[..at], &body[at + 1..]), at)
        }
        Breakage::NotUtf8(i) => {
            let mut bytes = text.into_bytes();
            let at = bom.len() + i.index(bytes.len() - bom.len() + 1);
            bytes.insert(at, 0xff);
            (bytes, Expected::NotText)
        }
        Breakage::InArray => (
            format!("{bom}[{body}]").into_bytes(),
            Expected::NotAnObject("the whole file"),
        ),
        Breakage::ServersNotAnObject(i) => {
            let mut doc = doc.clone();
            let key = doc.client.servers_key();
            let wrong = [
                Json::Array(vec![], true),
                Json::Str("x".into()),
                Json::Number("1".into()),
                Json::Null,
            ];
            let value = wrong[i.index(wrong.len())].clone();
            match doc.root.iter_mut().find(|(k, _)| k == key) {
                Some(member) => member.1 = value,
                None => doc.root.push((key.to_owned(), value)),
            }
            (
                doc.bytes(),
                Expected::NotAnObject(if key == "servers" {
                    "\"servers\""
                } else {
                    "\"mcpServers\""
                }),
            )
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        max_shrink_time: 30_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_broken_document_is_refused_with_its_place_and_left_as_it_was(
        doc in settings(),
        how in breakage(),
    ) {
        let (bytes, expected) = broken(&doc, &how);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        fs::write(&path, &bytes).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();

        let refusals = [
            register_in_file(&path, &registration(doc.client), now, false).map(|_| ()),
            unregister_from_file(&path, doc.client, ENTRY_NAME, now, false).map(|_| ()),
        ];
        for outcome in refusals {
            let error = outcome.expect_err("a broken document is refused");
            prop_assert_eq!(fs::read(&path).unwrap(), bytes.clone(), "the file is byte-identical");
            let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            prop_assert_eq!(names.len(), 1, "nothing written beside it: {:?}", names);
            let message = error.to_string();
            prop_assert!(message.contains("nothing was changed"), "{}", message);
            let body = String::from_utf8_lossy(&bytes);
            let body = body.strip_prefix('\u{feff}').unwrap_or(&body);
            match (&error, &expected) {
                (RegistrationError::InvalidJson { line, column, .. }, Expected::MistakeFrom(from)) => {
                    prop_assert!(message.contains(&format!("line {line}, column {column}")), "{}", message);
                    let at = offset_of(body, *line, *column);
                    prop_assert!(at >= *from && at <= body.len(), "{} points before the mistake at byte {}", message, from);
                }
                (RegistrationError::InvalidJson { line, column, .. }, Expected::MistakeAt(l, c)) => {
                    prop_assert_eq!((*line, *column), (*l, *c), "{}", message);
                    prop_assert!(message.contains("a comment"), "{}", message);
                }
                (RegistrationError::NotText { .. }, Expected::NotText) => {
                    prop_assert!(message.contains("not UTF-8"), "{}", message);
                }
                (RegistrationError::NotAnObject { what, line, column, .. }, Expected::NotAnObject(part)) => {
                    prop_assert_eq!(what.as_str(), *part);
                    prop_assert!(message.contains(&format!("line {line}, column {column}")), "{}", message);
                    let at = offset_of(body, *line, *column);
                    prop_assert!(body[at..].starts_with(['[', '"', '1', 'n']), "{} points at {:?}", message, &body[at..]);
                }
                (error, expected) => prop_assert!(false, "expected {:?}, got {:?}", expected, error),
            }
        }
    }
}
