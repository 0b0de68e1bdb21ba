//! Properties of the `$filter` date-literal normaliser on generated filters: every
//! accepted way of writing a date or date-time becomes the bare UTC form the server
//! accepts (the simulator counts the same runs as for the instant meant), rewriting
//! twice changes nothing, and nothing else in the filter changes: other literals,
//! texts holding date-like words, string functions, `date(...)` comparisons.

mod client_common;

use std::sync::LazyLock;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use client_common::admin_client;
use ms_sim::{Sim, SimConfig};
use novabackup_core::odata::{normalise_date_literal, normalise_filter_dates};
use novabackup_core::{ClientSettings, Deadline, ManagementClient};
use proptest::prelude::*;
use proptest::sample::select;

/// How a date-time's zone is written.
#[derive(Debug, Clone)]
enum Zone {
    /// No zone: read as UTC.
    Absent,
    /// `Z` or `z`.
    Utc(char),
    /// `+02:00`, `+0200` or `+02` (minutes zero), east of UTC when positive.
    Offset { minutes: i32, style: u8 },
}

/// Hours, minutes, and seconds with the digits of their fraction.
type Clock = (u32, u32, Option<(u32, String)>);

/// One date or date-time literal as someone might write it.
#[derive(Debug, Clone)]
struct Literal {
    date: NaiveDate,
    time: Option<Clock>,
    separator: char,
    zone: Zone,
    /// 0 bare, 1 quoted, 2 `datetime'..'`, 3 `DateTimeOffset'..'`, 4 `DATETIME'..'`.
    wrapping: u8,
}

impl Literal {
    /// The text inside any quotes.
    fn core(&self) -> String {
        let mut text = self.date.format("%Y-%m-%d").to_string();
        if let Some((hours, minutes, seconds)) = &self.time {
            text.push(self.separator);
            text.push_str(&format!("{hours:02}:{minutes:02}"));
            if let Some((seconds, fraction)) = seconds {
                text.push_str(&format!(":{seconds:02}"));
                if !fraction.is_empty() {
                    text.push_str(&format!(".{fraction}"));
                }
            }
            match &self.zone {
                Zone::Absent => {}
                Zone::Utc(z) => text.push(*z),
                Zone::Offset { minutes, style } => {
                    let sign = if *minutes < 0 { '-' } else { '+' };
                    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
                    text.push_str(&match style {
                        0 => format!("{sign}{h:02}:{m:02}"),
                        1 => format!("{sign}{h:02}{m:02}"),
                        _ => format!("{sign}{h:02}"),
                    });
                }
            }
        }
        text
    }

    /// The literal as written in a filter.
    fn written(&self) -> String {
        let core = self.core();
        match self.wrapping {
            0 => core,
            1 => format!("'{core}'"),
            2 => format!("datetime'{core}'"),
            3 => format!("DateTimeOffset'{core}'"),
            _ => format!("DATETIME'{core}'"),
        }
    }

    /// The instant it means.
    fn instant(&self) -> DateTime<Utc> {
        let (hours, minutes, seconds) = self.time.clone().unwrap_or((0, 0, None));
        let (seconds, fraction) = seconds.unwrap_or((0, String::new()));
        let nanos: u32 = format!("{:0<9}", &fraction[..fraction.len().min(9)])
            .parse()
            .unwrap();
        let naive = self
            .date
            .and_hms_nano_opt(hours, minutes, seconds, nanos)
            .unwrap();
        let offset = match &self.zone {
            Zone::Offset { minutes, .. } if self.time.is_some() => *minutes,
            _ => 0,
        };
        FixedOffset::east_opt(offset * 60)
            .unwrap()
            .from_local_datetime(&naive)
            .unwrap()
            .with_timezone(&Utc)
    }
}

fn literal() -> impl Strategy<Value = Literal> {
    let date = (0i64..(130 * 365))
        .prop_map(|days| NaiveDate::from_ymd_opt(1971, 1, 1).unwrap() + Duration::days(days));
    let seconds = prop::option::of((0u32..60, "[0-9]{0,9}"));
    let time = prop::option::of((0u32..24, 0u32..60, seconds));
    let zone = prop_oneof![
        Just(Zone::Absent),
        select(vec!['Z', 'z']).prop_map(Zone::Utc),
        (-23i32..=23, select(vec![0, 15, 30, 45]), 0u8..3).prop_map(|(h, m, style)| {
            let m = if style == 2 { 0 } else { m };
            Zone::Offset {
                minutes: h * 60 + h.signum() * m,
                style,
            }
        }),
    ];
    (date, time, select(vec!['T', 't', ' ']), zone, 0u8..5).prop_map(
        |(date, time, separator, zone, wrapping)| Literal {
            date,
            time,
            // A bare literal ends at a space: only quoted ones may use it.
            separator: if wrapping == 0 && separator == ' ' {
                'T'
            } else {
                separator
            },
            zone,
            wrapping,
        },
    )
}

/// Whether `text` is `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 3, 6 or 9 digits,
/// then `Z`: the form the server accepts.
fn is_server_form(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let head = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let tail = &text[19.min(text.len())..];
    head && match tail.strip_prefix('.') {
        None => tail == "Z",
        Some(fraction) => {
            let digits = fraction.trim_end_matches('Z');
            fraction.ends_with('Z')
                && fraction.len() == digits.len() + 1
                && [3, 6, 9].contains(&digits.len())
                && digits.bytes().all(|d| d.is_ascii_digit())
        }
    }
}

/// One clause of a generated filter: what is written and what must come out.
#[derive(Debug, Clone)]
struct Clause {
    written: String,
    expected: String,
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-zA-Z]{2,14}",
        Just("StartDateTime".to_owned()),
        Just("Group/TenantId".to_owned()),
        Just("d/StatusUpdated".to_owned()),
    ]
}

fn operator() -> impl Strategy<Value = &'static str> {
    select(vec!["eq", "ne", "gt", "ge", "lt", "le"])
}

/// Text around a date that makes the whole text not a date.
fn words() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z_ -]{0,6}[a-zA-Z_-]", "[a-zA-Zäöü()',.:+]{1,8}",]
        // A lone `Z` would complete a date-time that has no zone.
        .prop_filter("not a zone", |w| !w.eq_ignore_ascii_case("z"))
}

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn clause() -> impl Strategy<Value = Clause> {
    prop_oneof![
        // A date compared with a field: normalised.
        (field(), operator(), literal()).prop_map(|(f, op, lit)| Clause {
            written: format!("{f} {op} {}", lit.written()),
            expected: format!("{f} {op} {}", normalise_date_literal(&lit.core()).unwrap()),
        }),
        // A text holding a date among other words: left alone.
        (field(), operator(), words(), literal(), words(), 0u8..3).prop_map(
            |(f, op, before, lit, after, side)| {
                let text = match side {
                    0 => format!("{before}{}", lit.core()),
                    1 => format!("{}{after}", lit.core()),
                    _ => format!("{before}{}{after}", lit.core()),
                };
                let written = format!("{f} {op} {}", quoted(&text));
                Clause {
                    expected: written.clone(),
                    written,
                }
            }
        ),
        // A whole date inside a string function: text, left alone.
        (
            select(vec!["contains", "startswith", "endswith", "substringof"]),
            field(),
            literal()
        )
            .prop_map(|(function, f, lit)| {
                let written = format!("{function}({f},{})", quoted(&lit.core()));
                Clause {
                    expected: written.clone(),
                    written,
                }
            }),
        // A date compared with date(...): stays a bare date.
        (field(), operator(), literal(), any::<bool>()).prop_map(|(f, op, lit, quote)| {
            let day = lit.date.format("%Y-%m-%d").to_string();
            let shown = if quote { quoted(&day) } else { day.clone() };
            Clause {
                written: format!("date({f}) {op} {shown}"),
                expected: format!("date({f}) {op} {day}"),
            }
        }),
        // Numbers, booleans, null and other texts: left alone.
        (
            field(),
            operator(),
            prop_oneof![
                any::<i64>().prop_map(|n| n.to_string()),
                "[0-9]{1,4}\\.[0-9]{1,3}",
                "[1-9]e[+-]?[0-9]",
                Just("null".to_owned()),
                Just("true".to_owned()),
                "[a-zA-Z0-9 ä-]{0,10}".prop_map(|t| quoted(&t)),
            ]
        )
            .prop_map(|(f, op, value)| {
                let written = format!("{f} {op} {value}");
                Clause {
                    expected: written.clone(),
                    written,
                }
            }),
    ]
}

fn filter() -> impl Strategy<Value = Clause> {
    clause().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            (
                prop::collection::vec(inner.clone(), 2..4),
                select(vec![" and ", " or "])
            )
                .prop_map(|(clauses, joiner)| Clause {
                    written: clauses
                        .iter()
                        .map(|c| c.written.as_str())
                        .collect::<Vec<_>>()
                        .join(joiner),
                    expected: clauses
                        .iter()
                        .map(|c| c.expected.as_str())
                        .collect::<Vec<_>>()
                        .join(joiner),
                }),
            (inner, any::<bool>()).prop_map(|(c, negate)| {
                let not = if negate { "not " } else { "" };
                Clause {
                    written: format!("{not}({})", c.written),
                    expected: format!("{not}({})", c.expected),
                }
            }),
        ]
    })
}

/// Text made of the pieces filters are made of, in any order.
fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        literal().prop_map(|l| l.written()),
        literal().prop_map(|l| l.core()),
        select(vec![
            "'", "''", "(", ")", " ", ",", "eq ", " gt ", "date", "contains", "datetime", "T", "Z",
            "+", "-", ":", ".", "0", "12", "é"
        ])
        .prop_map(str::to_owned),
        ".{0,3}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

/// Whether `text` holds four digits, `-`, two digits, `-`, two digits anywhere.
fn has_date_shape(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(10).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5..7].iter().all(u8::is_ascii_digit)
            && w[7] == b'-'
            && w[8..].iter().all(u8::is_ascii_digit)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn every_accepted_form_becomes_the_server_form_of_the_same_instant(lit in literal()) {
        let filter = format!("StartDateTime gt {}", lit.written());
        let normal = normalise_filter_dates(&filter);
        let value = normal.strip_prefix("StartDateTime gt ").expect("the rest is kept");
        prop_assert!(is_server_form(value), "{} became {}", filter, normal);
        let read = DateTime::parse_from_rfc3339(value).unwrap().with_timezone(&Utc);
        prop_assert_eq!(read, lit.instant(), "{} became {}", filter, normal);
        prop_assert_eq!(normalise_filter_dates(&normal), normal.clone(), "idempotent");
    }

    #[test]
    fn nothing_but_date_literals_changes(filter in filter()) {
        let normal = normalise_filter_dates(&filter.written);
        prop_assert_eq!(&normal, &filter.expected, "from {}", filter.written);
        prop_assert_eq!(normalise_filter_dates(&normal), normal, "idempotent");
    }

    #[test]
    fn any_text_is_rewritten_once_and_only_where_a_date_is(text in prop_oneof![soup(), any::<String>()]) {
        let normal = normalise_filter_dates(&text);
        prop_assert_eq!(normalise_filter_dates(&normal), normal.clone(), "idempotent, from {:?}", text);
        if !has_date_shape(&text) {
            prop_assert_eq!(normal, text);
        }
    }
}

/// A simulator with a fixed estate of runs, a client for it, and the runtime both
/// run on, shared by every case.
struct Server {
    runtime: tokio::runtime::Runtime,
    sim: Sim,
    client: ManagementClient,
}

static SERVER: LazyLock<Server> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sim = runtime.block_on(async {
        Sim::start(SimConfig {
            runs: 400,
            now: Some(Utc.with_ymd_and_hms(2026, 4, 22, 12, 0, 0).unwrap()),
            ..SimConfig::default()
        })
        .await
        .unwrap()
    });
    let client = admin_client(&sim, &ClientSettings::default());
    Server {
        runtime,
        sim,
        client,
    }
});

/// A literal whose instant falls among the simulated runs.
fn recent_literal() -> impl Strategy<Value = Literal> {
    (literal(), 0i64..(45 * 24 * 60)).prop_map(|(mut lit, minutes_before)| {
        let moment =
            Utc.with_ymd_and_hms(2026, 4, 23, 0, 0, 0).unwrap() - Duration::minutes(minutes_before);
        lit.date = moment.date_naive();
        lit
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_server_reads_every_form_as_the_instant_meant(lit in recent_literal()) {
        let server = &*SERVER;
        let filter = format!("StartDateTime gt {}", lit.written());
        let count = server.runtime.block_on(
            server.client.count("JobHistories", Some(&filter), Deadline::after(std::time::Duration::from_secs(20))),
        );
        let instant = lit.instant().timestamp_millis();
        let expected = server
            .sim
            .estate()
            .runs
            .iter()
            .filter(|run| run.start_date_time.timestamp_millis() > instant)
            .count() as u64;
        prop_assert_eq!(count.map_err(|e| e.to_string()), Ok(expected), "{}", filter);
    }
}
