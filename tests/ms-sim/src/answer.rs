//! The answers to a collection, entity or `$count` request: filter, order,
//! skip/top, server paging with nextLink, `$select` and `$expand` projection.

use serde_json::{Map, Value};

use crate::eval;
use crate::options::{ExpandItem, Limits, Options};
use crate::schema::{Link, SetId};
use crate::table::{Table, Tables, Val};

fn project(
    tables: &Tables,
    table: &Table,
    row: usize,
    select: Option<&[String]>,
    expand: &[ExpandItem],
) -> Map<String, Value> {
    let json = &table.rows[row].json;
    let mut out = match select {
        None => json.clone(),
        Some(names) => {
            let mut m = Map::new();
            if let Some(t) = json.get("@odata.type") {
                m.insert("@odata.type".into(), t.clone());
            }
            for (key, value) in json {
                if names.iter().any(|n| n == key) {
                    m.insert(key.clone(), value.clone());
                }
            }
            m
        }
    };
    for item in expand {
        let target = tables.get(item.nav.target);
        let value = match item.nav.link {
            Link::Single { fk } => {
                let key = table.schema.column(fk).map(|c| &table.rows[row].vals[c]);
                match key {
                    Some(Val::Int(k)) => target
                        .by_int_key(*k)
                        .map(|i| {
                            Value::Object(project(tables, target, i, item.select.as_deref(), &[]))
                        })
                        .unwrap_or(Value::Null),
                    _ => Value::Null,
                }
            }
            Link::Many { target_fk } => {
                let key = table
                    .schema
                    .column(table.schema.key)
                    .map(|c| &table.rows[row].vals[c]);
                let children = match key {
                    Some(Val::Int(k)) => target.children_of(target_fk, *k),
                    _ => &[],
                };
                Value::Array(
                    children
                        .iter()
                        .map(|&i| {
                            Value::Object(project(tables, target, i, item.select.as_deref(), &[]))
                        })
                        .collect(),
                )
            }
        };
        out.insert(item.nav.name.to_string(), value);
    }
    out
}

/// The `@odata.context` fragment for a set, with the selected properties.
fn context_suffix(o: &Options) -> String {
    match &o.select {
        Some(names) => format!("({})", names.join(",")),
        None => String::new(),
    }
}

/// Where a collection answer lives, for its `@odata.context` and nextLink.
pub(crate) struct Place<'a> {
    /// Absolute URL of the request without its query.
    pub request_url: &'a str,
    /// Absolute URL of `$metadata`.
    pub metadata_url: &'a str,
    /// The fragment naming the collection, e.g. `Agents(1001)/Devices`.
    pub context: &'a str,
}

/// Answers a collection request: filter, count, order, skip/top, page, project.
/// `rows` are the candidate rows (already limited to what the user may see).
pub(crate) fn collection(
    tables: &Tables,
    set: SetId,
    rows: impl Iterator<Item = usize>,
    o: &Options,
    limits: Limits,
    place: &Place,
) -> Value {
    let Place {
        request_url,
        metadata_url,
        context,
    } = *place;
    let table = tables.get(set);
    let mut matched: Vec<usize> = match &o.filter {
        Some(f) => rows.filter(|&r| eval::keeps(f, tables, table, r)).collect(),
        None => rows.collect(),
    };
    let total = matched.len();
    if !o.orderby.is_empty() {
        matched.sort_by(|&a, &b| {
            for (key, desc) in &o.orderby {
                let ord = eval::compare(
                    &eval::eval(key, tables, table, a),
                    &eval::eval(key, tables, table, b),
                )
                .unwrap_or(std::cmp::Ordering::Equal);
                let ord = if *desc { ord.reverse() } else { ord };
                if ord.is_ne() {
                    return ord;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let skip = o.skip.min(total);
    let available = (total - skip).min(o.top.unwrap_or(usize::MAX));
    let page = limits.page_size.map_or(available, |p| p.min(available));
    let value: Vec<Value> = matched[skip..skip + page]
        .iter()
        .map(|&r| Value::Object(project(tables, table, r, o.select.as_deref(), &o.expand)))
        .collect();
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        Value::String(format!("{metadata_url}#{context}{}", context_suffix(o))),
    );
    if o.count {
        body.insert("@odata.count".into(), Value::from(total));
    }
    body.insert("value".into(), Value::Array(value));
    if page < available {
        body.insert(
            "@odata.nextLink".into(),
            Value::String(next_link(
                request_url,
                o,
                skip + page,
                o.top.map(|t| t - page),
            )),
        );
    }
    Value::Object(body)
}

/// The number of candidate rows the filter keeps (`/$count` path segment).
pub(crate) fn count(
    tables: &Tables,
    set: SetId,
    rows: impl Iterator<Item = usize>,
    o: &Options,
) -> usize {
    let table = tables.get(set);
    match &o.filter {
        Some(f) => rows.filter(|&r| eval::keeps(f, tables, table, r)).count(),
        None => rows.count(),
    }
}

/// Answers a request for one entity (with `$select`/`$expand`).
pub(crate) fn entity(
    tables: &Tables,
    set: SetId,
    row: usize,
    o: &Options,
    metadata_url: &str,
) -> Value {
    let table = tables.get(set);
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        Value::String(format!(
            "{metadata_url}#{}{}/$entity",
            table.schema.set,
            context_suffix(o)
        )),
    );
    body.extend(project(tables, table, row, o.select.as_deref(), &o.expand));
    Value::Object(body)
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn next_link(request_url: &str, o: &Options, skip: usize, top: Option<usize>) -> String {
    let mut parts: Vec<String> = o
        .pairs
        .iter()
        .filter(|(k, _)| {
            let k = k.trim().to_ascii_lowercase();
            k != "$skip" && k != "$top" && k != "$skiptoken"
        })
        .map(|(k, v)| {
            let key = match k.strip_prefix('$') {
                Some(name) => format!("${}", encode(name)),
                None => encode(k),
            };
            format!("{key}={}", encode(v))
        })
        .collect();
    if let Some(top) = top {
        parts.push(format!("$top={top}"));
    }
    parts.push(format!("$skip={skip}"));
    format!("{request_url}?{}", parts.join("&"))
}
