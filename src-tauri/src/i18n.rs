//! The app's words in each language it speaks, read from the very catalogue files the
//! UI uses (`ui/src/locales/<language>.json`, i18next's JSON format), so the tray, the
//! notifications and the errors the app words itself say what the window says.
//!
//! Only the part of i18next's format the catalogues use is understood: nested keys
//! joined with `.`, `{{name}}` placeholders (a `{{name, format}}` is filled with the
//! plain value) and the `_one` / `_other` plural forms.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum Language {
    /// English (also the fallback for a key missing in another language).
    #[serde(rename = "en")]
    English,
    /// German.
    #[serde(rename = "de")]
    German,
}

/// The language chosen in Settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum LanguageChoice {
    /// The system's language, when the app speaks it (else English).
    #[default]
    #[serde(rename = "system")]
    System,
    /// English.
    #[serde(rename = "en")]
    English,
    /// German.
    #[serde(rename = "de")]
    German,
}

impl LanguageChoice {
    /// The language spoken under this choice on a system that speaks `system`.
    pub fn resolve(self, system: Language) -> Language {
        match self {
            Self::System => system,
            Self::English => Language::English,
            Self::German => Language::German,
        }
    }
}

impl Language {
    /// Every language the app speaks.
    pub const ALL: [Self; 2] = [Self::English, Self::German];

    /// The language's code, as in the catalogue's file name.
    pub fn code(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::German => "de",
        }
    }

    /// The language of a locale tag ("de-AT", "de_DE.UTF-8", "en-US"), if the app
    /// speaks it.
    pub fn of_locale(tag: &str) -> Option<Self> {
        let base = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|language| language.code() == base)
    }

    /// The system's preferred language among those the app speaks; English when it
    /// prefers none of them.
    pub fn system() -> Self {
        sys_locale::get_locales()
            .find_map(|tag| Self::of_locale(&tag))
            .unwrap_or(Self::English)
    }

    fn source(self) -> &'static str {
        match self {
            Self::English => include_str!("../../ui/src/locales/en.json"),
            Self::German => include_str!("../../ui/src/locales/de.json"),
        }
    }
}

/// One language's texts, by their dotted key.
#[derive(Debug)]
pub struct Catalogue {
    texts: HashMap<String, String>,
}

impl Catalogue {
    /// The catalogue of a language (parsed once).
    pub fn of(language: Language) -> &'static Self {
        static CATALOGUES: [OnceLock<Catalogue>; 2] = [OnceLock::new(), OnceLock::new()];
        let slot = match language {
            Language::English => &CATALOGUES[0],
            Language::German => &CATALOGUES[1],
        };
        slot.get_or_init(|| {
            let tree: Value = serde_json::from_str(language.source())
                .expect("the catalogues are JSON (checked by the UI's and the app's tests)");
            let mut texts = HashMap::new();
            flatten("", &tree, &mut texts);
            Self { texts }
        })
    }

    /// The text under a full key (with any plural suffix), if there is one.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// Every key, in no order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }
}

fn flatten(prefix: &str, value: &Value, into: &mut HashMap<String, String>) {
    match value {
        Value::Object(entries) => {
            for (name, value) in entries {
                let key = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                flatten(&key, value, into);
            }
        }
        Value::String(text) => {
            into.insert(prefix.to_owned(), text.clone());
        }
        other => {
            into.insert(prefix.to_owned(), other.to_string());
        }
    }
}

/// The text of `key` in `language` with its placeholders filled from `args`. A key
/// missing in `language` falls back to English, and one missing there too gives the
/// key itself (the tests keep every key the app uses in both catalogues).
pub fn text(language: Language, key: &str, args: &[(&str, &str)]) -> String {
    let template = Catalogue::of(language)
        .get(key)
        .or_else(|| Catalogue::of(Language::English).get(key));
    match template {
        Some(template) => fill(template, args),
        None => {
            tracing::warn!(key, "no text in the catalogue");
            key.to_owned()
        }
    }
}

/// The plural form of `key` for `count` (`key_one` or `key_other`), with `{{count}}`
/// and `args` filled in.
pub fn counted(language: Language, key: &str, count: usize, args: &[(&str, &str)]) -> String {
    let form = plural_form(language, count);
    let count_text = count.to_string();
    let mut all: Vec<(&str, &str)> = vec![("count", &count_text)];
    all.extend_from_slice(args);
    text(language, &format!("{key}_{form}"), &all)
}

/// The CLDR cardinal plural category of a whole number. English and German share one
/// rule: "one" for exactly 1, "other" for every other count. A language with more
/// forms would need CLDR's rules here (as `Intl.PluralRules` gives the UI).
fn plural_form(language: Language, count: usize) -> &'static str {
    match language {
        Language::English | Language::German if count == 1 => "one",
        Language::English | Language::German => "other",
    }
}

/// Names in a list: "A", "A and B", "A, B and C" ("A, B und C").
pub fn list(language: Language, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [first @ .., last] => text(
            language,
            "list.and",
            &[("first", &first.join(", ")), ("last", last)],
        ),
    }
}

/// Fills `{{name}}` and `{{name, format}}` from `args`; an unknown name stays as it is.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].split(',').next().unwrap_or_default().trim();
        match args.iter().find(|(arg, _)| *arg == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The placeholder names in a text (`{{label}}` → `label`), for the catalogue tests.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        names.push(after[..end].split(',').next().unwrap_or_default().trim());
        rest = &after[end + 2..];
    }
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_plural_forms_picked() {
        assert_eq!(
            text(
                Language::English,
                "notifications.downTitle",
                &[("label", "Acme MS")]
            ),
            "Acme MS stopped answering"
        );
        assert_eq!(
            text(
                Language::German,
                "notifications.downTitle",
                &[("label", "Acme MS")]
            ),
            "Acme MS antwortet nicht mehr"
        );
        assert_eq!(
            counted(Language::English, "summary.notChecked", 1, &[]),
            "1 server not checked yet"
        );
        assert_eq!(
            counted(Language::English, "summary.notChecked", 3, &[]),
            "3 servers not checked yet"
        );
        assert_eq!(
            counted(Language::German, "summary.healthy", 2, &[("healthy", "1")]),
            "1 von 2 Servern in Ordnung"
        );
        assert_eq!(
            fill("{{a}} and {{missing}}", &[("a", "x")]),
            "x and {{missing}}"
        );
        assert_eq!(fill("{{count, number}} left", &[("count", "7")]), "7 left");
    }

    #[test]
    fn lists_are_joined_in_each_language() {
        let names = ["Claude Desktop".to_owned(), "Claude Code".to_owned()];
        assert_eq!(
            list(Language::English, &names),
            "Claude Desktop and Claude Code"
        );
        assert_eq!(
            list(Language::German, &names),
            "Claude Desktop und Claude Code"
        );
        let three = ["A".to_owned(), "B".to_owned(), "C".to_owned()];
        assert_eq!(list(Language::English, &three), "A, B and C");
        assert_eq!(list(Language::English, &three[..1]), "A");
    }

    #[test]
    fn locale_tags_map_to_languages() {
        assert_eq!(Language::of_locale("de-AT"), Some(Language::German));
        assert_eq!(Language::of_locale("de_DE.UTF-8"), Some(Language::German));
        assert_eq!(Language::of_locale("en-US"), Some(Language::English));
        assert_eq!(Language::of_locale("fr-FR"), None);
        assert_eq!(Language::of_locale("C"), None);
        assert_eq!(
            LanguageChoice::System.resolve(Language::German),
            Language::German
        );
        assert_eq!(
            LanguageChoice::English.resolve(Language::German),
            Language::English
        );
    }

    /// Every key the app's Rust code names (a string literal starting with one of the
    /// catalogue's sections) is in both catalogues, as it is or in plural forms.
    #[test]
    fn every_key_the_rust_side_names_is_in_both_catalogues() {
        const SECTIONS: [&str; 6] = [
            "tray.",
            "summary.",
            "notifications.",
            "dialog.",
            "errors.",
            "list.",
        ];
        let mut named = Vec::new();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut folders = vec![src];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("src folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let code = std::fs::read_to_string(&path).expect("source");
                    for literal in code.split('"').skip(1).step_by(2) {
                        let is_key = SECTIONS.iter().any(|s| literal.starts_with(s))
                            && literal
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
                        if is_key && !literal.ends_with('.') {
                            named.push((path.display().to_string(), literal.to_owned()));
                        }
                    }
                }
            }
        }
        assert!(named.len() > 30, "the scan finds the keys: {named:?}");
        for language in Language::ALL {
            let catalogue = Catalogue::of(language);
            for (file, key) in &named {
                let plural = catalogue.get(&format!("{key}_one")).is_some()
                    && catalogue.get(&format!("{key}_other")).is_some();
                assert!(
                    catalogue.get(key).is_some() || plural,
                    "{file} names {key}, missing in {}.json",
                    language.code()
                );
            }
        }
    }

    /// The UI's catalogue test checks the same; this one checks what the Rust side reads.
    #[test]
    fn both_catalogues_have_the_same_keys_and_placeholders() {
        let english = Catalogue::of(Language::English);
        let german = Catalogue::of(Language::German);
        let mut english_keys: Vec<&str> = english.keys().collect();
        let mut german_keys: Vec<&str> = german.keys().collect();
        english_keys.sort_unstable();
        german_keys.sort_unstable();
        assert_eq!(
            english_keys, german_keys,
            "the same keys in en.json and de.json"
        );
        for key in english_keys {
            let (en, de) = (english.get(key).unwrap(), german.get(key).unwrap());
            assert!(!de.trim().is_empty(), "{key} has a German text");
            assert_eq!(
                placeholders(en),
                placeholders(de),
                "{key}: the same placeholders in both languages"
            );
        }
    }
}
