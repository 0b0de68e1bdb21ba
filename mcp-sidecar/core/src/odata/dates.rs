//! Date-time literals in `$filter`, rewritten to the bare ISO 8601 form the server
//! accepts.
//!
//! The server wants `StartDateTime gt 2026-04-22T00:00:00Z`: unquoted, with a time and
//! a zone. People and models write `'2026-04-22'`, `2026-04-22T10:00:00`,
//! `datetime'2026-04-22T10:00:00'` or `+02:00` offsets (which a URL turns into a
//! space unless encoded). Every such literal becomes a UTC date-time ending in `Z`.
//! A literal without a zone is read as UTC. A quoted text is only rewritten when the
//! whole text is a date, and never inside a string function such as
//! `contains(Field,'2026-04-22')`, where it is meant as text.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Functions whose arguments are text: a quoted date inside them stays a string.
const STRING_FUNCTIONS: &[&str] = &[
    "contains",
    "startswith",
    "endswith",
    "indexof",
    "substringof",
    "substring",
    "concat",
    "tolower",
    "toupper",
    "trim",
    "length",
    "matchespattern",
];

/// OData v3 typed-literal prefixes (`datetime'...'`) that v4 no longer has.
const DATE_PREFIXES: &[&str] = &["datetimeoffset", "datetime"];

/// Rewrites every date or date-time literal in a `$filter` expression to the form
/// `2026-04-22T08:00:00Z`, leaving everything else exactly as it was.
pub fn normalise_filter_dates(filter: &str) -> String {
    let chars: Vec<char> = filter.chars().collect();
    let mut out = String::with_capacity(filter.len() + 16);
    let mut calls: Vec<String> = Vec::new();
    // Where the last `date(...)` call ended in `out`: `date(X) eq 2026-04-22`
    // compares dates, so a date there stays a date.
    let mut date_call_end: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => {
                let (literal, content, end) = read_string_literal(&chars, i);
                i = end;
                let prefix = DATE_PREFIXES
                    .iter()
                    .find(|p| ends_with_word_ci(&out, p))
                    .copied();
                if let Some(prefix) = prefix
                    && let Some(date) = normalise_date_literal(&content)
                {
                    out.truncate(out.len() - prefix.len());
                    out.push_str(&date);
                    continue;
                }
                let in_string_function = calls
                    .last()
                    .is_some_and(|name| STRING_FUNCTIONS.contains(&name.as_str()));
                let date_context = compares_with(&out, date_call_end);
                match literal_for(&content, date_context) {
                    Some(date) if !in_string_function => out.push_str(&date),
                    _ => out.push_str(&literal),
                }
                continue;
            }
            '(' => {
                calls.push(trailing_identifier(&out).to_ascii_lowercase());
                out.push(c);
            }
            ')' => {
                let name = calls.pop();
                out.push(c);
                if name.as_deref() == Some("date") {
                    date_call_end = Some(out.len());
                }
            }
            _ if c.is_ascii_digit() && starts_token(&chars, i) => {
                let end = (i..chars.len())
                    .find(|&j| !is_literal_char(chars[j]))
                    .unwrap_or(chars.len());
                let run: String = chars[i..end].iter().collect();
                match literal_for(&run, compares_with(&out, date_call_end)) {
                    Some(date) => out.push_str(&date),
                    None => out.push_str(&run),
                }
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// The form a date literal takes: a bare `2026-04-22` where it is compared with a
/// `date(...)` call, a UTC date-time everywhere else.
fn literal_for(text: &str, date_context: bool) -> Option<String> {
    let text = text.trim();
    if date_context
        && text.len() == 10
        && starts_with_date(text.as_bytes())
        && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
    {
        return Some(text.to_owned());
    }
    normalise_date_literal(text)
}

/// Whether `bytes` start with `dddd-dd-dd` (chrono alone also takes `+026-04-22`).
fn starts_with_date(bytes: &[u8]) -> bool {
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
}

/// Whether `out` ends with `<call ending at call_end> <comparison operator>`.
fn compares_with(out: &str, call_end: Option<usize>) -> bool {
    let Some(call_end) = call_end else {
        return false;
    };
    let before = out.trim_end();
    let operator = trailing_identifier(before);
    if !matches!(
        operator.to_ascii_lowercase().as_str(),
        "eq" | "ne" | "gt" | "ge" | "lt" | "le"
    ) {
        return false;
    }
    before[..before.len() - operator.len()].trim_end().len() == call_end
}

/// Reads one date or date-time (without quotes) and returns it as a UTC ISO 8601
/// date-time ending in `Z`, or `None` when the whole text is not a date.
///
/// Accepted: `2026-04-22`, `2026-04-22T10:00`, `2026-04-22T10:00:00`, a space instead
/// of `T`, fractional seconds, and a zone `Z`, `+02:00`, `+0200` or `+02`.
pub fn normalise_date_literal(text: &str) -> Option<String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if !starts_with_date(bytes) {
        return None;
    }
    if bytes.len() == 10 {
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        return Some(format_utc(
            Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?),
        ));
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let (body, zone) = split_zone(&text[11..])?;
    let naive_text = format!("{}T{}", &text[..10], body);
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&naive_text, format).ok())?;
    let utc = match zone {
        Some(offset) => offset
            .from_local_datetime(&naive)
            .single()?
            .with_timezone(&Utc),
        None => Utc.from_utc_datetime(&naive),
    };
    Some(format_utc(utc))
}

fn format_utc(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Splits a time (`10:00:00.5+02:00`) into its clock part and its zone.
/// `None` when a zone is present but malformed.
fn split_zone(time: &str) -> Option<(&str, Option<FixedOffset>)> {
    if let Some(body) = time.strip_suffix(['Z', 'z']) {
        return Some((body, FixedOffset::east_opt(0)));
    }
    let Some(sign_at) = time.rfind(['+', '-']) else {
        return Some((time, None));
    };
    let (body, zone) = time.split_at(sign_at);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((
        body,
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)),
    ))
}

/// Reads a `'...'` literal starting at `start` (a doubled quote is an escaped quote).
/// Returns the literal as written, its unescaped content and the index after it.
/// An unterminated literal runs to the end of the input and is returned unchanged.
fn read_string_literal(chars: &[char], start: usize) -> (String, String, usize) {
    let mut content = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                content.push('\'');
                i += 2;
                continue;
            }
            let literal: String = chars[start..=i].iter().collect();
            return (literal, content, i + 1);
        }
        content.push(chars[i]);
        i += 1;
    }
    let literal: String = chars[start..].iter().collect();
    // Not a date: an unterminated text is never rewritten.
    (literal, String::new(), chars.len())
}

/// The identifier (letters, digits, `_`) at the end of `text`, ignoring trailing spaces.
fn trailing_identifier(text: &str) -> &str {
    let trimmed = text.trim_end();
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(trimmed.len(), |(at, _)| at);
    &trimmed[start..]
}

/// Whether `text` ends with the word `word` (case-insensitive, not part of a longer name).
fn ends_with_word_ci(text: &str, word: &str) -> bool {
    if text.len() < word.len() || !text.is_char_boundary(text.len() - word.len()) {
        return false;
    }
    let (before, tail) = text.split_at(text.len() - word.len());
    tail.eq_ignore_ascii_case(word)
        && !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Whether a digit at `at` starts a literal rather than continuing a name or number.
fn starts_token(chars: &[char], at: usize) -> bool {
    at == 0
        || !{
            let prev = chars[at - 1];
            prev.is_alphanumeric() || matches!(prev, '_' | '.' | '/' | '-' | '+' | ':')
        }
}

fn is_literal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '+' | '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(filter: &str) -> String {
        normalise_filter_dates(filter)
    }

    #[test]
    fn quoted_date_time_loses_its_quotes() {
        assert_eq!(
            norm("StartDateTime gt '2026-04-22T00:00:00Z'"),
            "StartDateTime gt 2026-04-22T00:00:00Z"
        );
    }

    #[test]
    fn date_without_time_becomes_midnight_utc() {
        assert_eq!(
            norm("StartDateTime ge 2026-04-22"),
            "StartDateTime ge 2026-04-22T00:00:00Z"
        );
        assert_eq!(
            norm("StartDateTime ge '2026-04-22'"),
            "StartDateTime ge 2026-04-22T00:00:00Z"
        );
    }

    #[test]
    fn time_without_zone_is_read_as_utc() {
        assert_eq!(
            norm("EndDateTime lt 2026-04-22T10:00:00"),
            "EndDateTime lt 2026-04-22T10:00:00Z"
        );
        assert_eq!(
            norm("EndDateTime lt '2026-04-22 10:00'"),
            "EndDateTime lt 2026-04-22T10:00:00Z"
        );
    }

    #[test]
    fn fractional_seconds_are_kept() {
        assert_eq!(
            norm("StartDateTime gt 2026-04-22T10:00:00.123Z"),
            "StartDateTime gt 2026-04-22T10:00:00.123Z"
        );
        assert_eq!(
            norm("StartDateTime gt '2026-04-22T10:00:00.1234567'"),
            "StartDateTime gt 2026-04-22T10:00:00.123456700Z"
        );
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        assert_eq!(
            norm("StartDateTime gt 2026-04-22T10:00:00+02:00"),
            "StartDateTime gt 2026-04-22T08:00:00Z"
        );
        assert_eq!(
            norm("StartDateTime gt '2026-04-22T01:30:00-0330'"),
            "StartDateTime gt 2026-04-22T05:00:00Z"
        );
        assert_eq!(
            norm("StartDateTime gt 2026-04-22T00:00:00+01"),
            "StartDateTime gt 2026-04-21T23:00:00Z"
        );
    }

    #[test]
    fn v3_typed_literals_are_unwrapped() {
        assert_eq!(
            norm("StartDateTime gt datetime'2026-04-22T10:00:00'"),
            "StartDateTime gt 2026-04-22T10:00:00Z"
        );
        assert_eq!(
            norm("StartDateTime gt DateTimeOffset'2026-04-22T10:00:00+00:00'"),
            "StartDateTime gt 2026-04-22T10:00:00Z"
        );
    }

    #[test]
    fn already_normal_filters_are_unchanged() {
        let filters = [
            "StartDateTime gt 2026-04-22T00:00:00Z and Status eq 4",
            "Status eq 4 or (Status eq 2 and BytesFinished gt 0)",
            "Group/TenantId eq 'b5f3c9a2-0000-4000-8000-000000000001'",
            "AgentId eq 12345 and SizeInBytes ge 1e+5",
            "Connected eq false and LastBackupStatus ne null",
            "SizeInBytes gt -5",
        ];
        for filter in filters {
            assert_eq!(norm(filter), filter);
        }
    }

    #[test]
    fn date_like_text_inside_other_text_is_left_alone() {
        let filters = [
            "JobName eq 'Nightly 2026-04-22 run'",
            "JobName eq 'backup-2026-04-22'",
            "JobName eq '2026-04-22 and more'",
            "FriendlyName eq 'it''s 2026-04-22'",
            "MachineName eq 'PC2026-04-22'",
        ];
        for filter in filters {
            assert_eq!(norm(filter), filter);
        }
    }

    #[test]
    fn string_functions_keep_their_text() {
        let filters = [
            "contains(JobName,'2026-04-22')",
            "startswith(JobName, '2026-04-22T10:00:00')",
            "endswith(tolower(JobName),'2026-04-22')",
            "contains(JobName,'2026-04-22') and StartDateTime gt 2026-04-22T00:00:00Z",
        ];
        for filter in filters {
            assert_eq!(norm(filter), filter);
        }
    }

    #[test]
    fn dates_after_a_string_function_are_still_normalised() {
        assert_eq!(
            norm("contains(JobName,'x') and (StartDateTime gt '2026-04-22')"),
            "contains(JobName,'x') and (StartDateTime gt 2026-04-22T00:00:00Z)"
        );
    }

    #[test]
    fn dates_inside_parentheses_and_lists() {
        assert_eq!(
            norm("(StartDateTime ge 2026-04-22 and EndDateTime le 2026-04-23T00:00)"),
            "(StartDateTime ge 2026-04-22T00:00:00Z and EndDateTime le 2026-04-23T00:00:00Z)"
        );
    }

    #[test]
    fn dates_compared_with_the_date_function_stay_dates() {
        assert_eq!(
            norm("date(StartDateTime) eq 2026-04-22"),
            "date(StartDateTime) eq 2026-04-22"
        );
        assert_eq!(
            norm("date(StartDateTime) ge '2026-04-22' and StartDateTime lt 2026-04-23"),
            "date(StartDateTime) ge 2026-04-22 and StartDateTime lt 2026-04-23T00:00:00Z"
        );
        assert_eq!(
            norm("year(StartDateTime) eq 2026 and StartDateTime ge 2026-04-22"),
            "year(StartDateTime) eq 2026 and StartDateTime ge 2026-04-22T00:00:00Z"
        );
    }

    #[test]
    fn lambdas_in_lists_and_negations() {
        assert_eq!(
            norm("Devices/any(d: d/StatusUpdated gt '2026-04-22T06:00:00')"),
            "Devices/any(d: d/StatusUpdated gt 2026-04-22T06:00:00Z)"
        );
        assert_eq!(
            norm("StartDateTime in ('2026-04-22', 2026-04-23T00:00:00+00:00)"),
            "StartDateTime in (2026-04-22T00:00:00Z, 2026-04-23T00:00:00Z)"
        );
        assert_eq!(
            norm("not (EndDateTime lt 2026-04-22T10:00) and EndDateTime ne null"),
            "not (EndDateTime lt 2026-04-22T10:00:00Z) and EndDateTime ne null"
        );
        assert_eq!(
            norm("substringof('2026-04-22', JobName) eq true"),
            "substringof('2026-04-22', JobName) eq true"
        );
    }

    #[test]
    fn a_lower_case_t_and_z_are_accepted() {
        assert_eq!(
            norm("StartDateTime gt 2026-04-22t10:00:00z"),
            "StartDateTime gt 2026-04-22T10:00:00Z"
        );
    }

    #[test]
    fn invalid_dates_are_left_for_the_server_to_reject() {
        let filters = [
            "StartDateTime gt 2026-13-45",
            "StartDateTime gt '2026-02-30'",
            "StartDateTime gt 2026-04-22T25:00:00Z",
            "StartDateTime gt 2026-04-22T10:00:00+99:00",
        ];
        for filter in filters {
            assert_eq!(norm(filter), filter);
        }
    }

    #[test]
    fn only_four_digit_years_are_dates() {
        // Found by fuzzing: chrono reads "+026" as a year, and the quotes went.
        for filter in [
            "date(StartDateTime) ge ' +026-04-22'",
            "date(StartDateTime) eq '-026-04-22'",
        ] {
            assert_eq!(norm(filter), filter);
        }
    }

    #[test]
    fn unterminated_strings_are_passed_through() {
        assert_eq!(norm("JobName eq '2026-04-22"), "JobName eq '2026-04-22");
    }

    #[test]
    fn non_ascii_text_survives() {
        assert_eq!(
            norm("FriendlyName eq 'Müller GmbH' and StartDateTime gt '2026-04-22'"),
            "FriendlyName eq 'Müller GmbH' and StartDateTime gt 2026-04-22T00:00:00Z"
        );
    }

    #[test]
    fn single_literals() {
        assert_eq!(
            normalise_date_literal("2026-04-22").as_deref(),
            Some("2026-04-22T00:00:00Z")
        );
        assert_eq!(normalise_date_literal("2026-04-22x"), None);
        assert_eq!(normalise_date_literal("20260422"), None);
        assert_eq!(normalise_date_literal("not a date"), None);
        assert_eq!(normalise_date_literal("2026-04-22T10"), None);
    }
}
