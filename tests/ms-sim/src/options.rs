//! The OData query options of a request (`$filter`, `$select`, `$expand`,
//! `$orderby`, `$top`, `$skip`, `$count`), decoded as ASP.NET does and validated
//! against an entity set.

use crate::error::QueryError;
use crate::eval::{self, Bound};
use crate::filter;
use crate::schema::{Nav, SetId};
use crate::table::{Table, Tables};

/// One `$expand` item with its nested `$select`.
pub(crate) struct ExpandItem {
    pub(crate) nav: &'static Nav,
    pub(crate) select: Option<Vec<String>>,
}

/// The validated options of one request.
pub(crate) struct Options {
    pub(crate) filter: Option<Bound>,
    pub(crate) select: Option<Vec<String>>,
    pub(crate) expand: Vec<ExpandItem>,
    pub(crate) orderby: Vec<(Bound, bool)>,
    pub(crate) top: Option<usize>,
    pub(crate) skip: usize,
    pub(crate) count: bool,
    /// Every decoded pair, to carry into a nextLink.
    pub(crate) pairs: Vec<(String, String)>,
}

/// Limits the server applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub page_size: Option<usize>,
    pub max_top: Option<usize>,
}

/// Splits `text` at `sep` where not inside parentheses or quotes.
fn split_top_level(text: &str, sep: char) -> Vec<&str> {
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    let mut parts = vec![];
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == sep && depth == 0 && !quoted => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn non_negative(name: &str, value: &str) -> Result<usize, QueryError> {
    value.trim().parse::<usize>().map_err(|_| {
        QueryError::new(format!(
            "Invalid value '{value}' for {name} query option found. The {name} query option \
             requires a non-negative integer value."
        ))
    })
}

fn parse_select(table: &Table, text: &str) -> Result<Option<Vec<String>>, QueryError> {
    let mut names = vec![];
    for item in text.split(',').map(str::trim) {
        if item == "*" {
            return Ok(None);
        }
        if table.schema.column(item).is_none() && table.schema.nav(item).is_none() {
            return Err(QueryError::new(format!(
                "Could not find a property named '{item}' on type '{}'.",
                table.schema.type_name
            )));
        }
        names.push(item.to_string());
    }
    Ok(Some(names))
}

fn parse_expand(tables: &Tables, table: &Table, text: &str) -> Result<Vec<ExpandItem>, QueryError> {
    let mut items = vec![];
    for item in split_top_level(text, ',') {
        let item = item.trim();
        let (name, nested) = match item.find('(') {
            Some(open) if item.ends_with(')') => {
                (&item[..open], Some(&item[open + 1..item.len() - 1]))
            }
            Some(_) => {
                return Err(QueryError::new(format!(
                    "Syntax error in $expand: ')' expected at the end of '{item}'."
                )));
            }
            None => (item, None),
        };
        let name = name.trim();
        let Some(nav) = table.schema.nav(name) else {
            if table.schema.column(name).is_some() {
                return Err(QueryError::new(format!(
                    "Property '{name}' on type '{}' is not a navigation property or complex \
                     property. Only navigation properties can be expanded.",
                    table.schema.type_name
                )));
            }
            return Err(QueryError::new(format!(
                "Could not find a property named '{name}' on type '{}'.",
                table.schema.type_name
            )));
        };
        let mut select = None;
        for option in nested.map(|n| split_top_level(n, ';')).unwrap_or_default() {
            let Some((key, value)) = option.split_once('=') else {
                return Err(QueryError::new(format!(
                    "Syntax error in $expand: '{option}' is not an option of the form $name=value."
                )));
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "$select" => select = parse_select(tables.get(nav.target), value)?,
                other => {
                    return Err(QueryError::new(format!(
                        "The query option '{other}' inside $expand is not supported by this \
                         server; only $select is."
                    )));
                }
            }
        }
        items.push(ExpandItem { nav, select });
    }
    Ok(items)
}

fn parse_orderby(
    tables: &Tables,
    set: SetId,
    text: &str,
) -> Result<Vec<(Bound, bool)>, QueryError> {
    let mut keys = vec![];
    for item in split_top_level(text, ',') {
        let mut words = item.split_whitespace();
        let Some(path) = words.next() else {
            return Err(QueryError::new(format!(
                "Syntax error in $orderby '{text}': an empty item was found."
            )));
        };
        let desc = match words.next() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(QueryError::new(format!(
                    "Syntax error in $orderby '{text}': 'asc' or 'desc' expected, found '{other}'."
                )));
            }
        };
        if let Some(extra) = words.next() {
            return Err(QueryError::new(format!(
                "Syntax error in $orderby '{text}': ',' expected, found '{extra}'."
            )));
        }
        let segments: Vec<String> = path.split('/').map(String::from).collect();
        let (bound, _) = eval::bind_path(tables, set, &segments)?;
        keys.push((bound, desc));
    }
    Ok(keys)
}

impl Options {
    /// Decodes the raw query string the way ASP.NET does (`+` is a space) and
    /// validates every option against `set`.
    pub(crate) fn parse(
        tables: &Tables,
        set: SetId,
        raw_query: &str,
        limits: Limits,
    ) -> Result<Options, QueryError> {
        let table = tables.get(set);
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw_query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut o = Options {
            filter: None,
            select: None,
            expand: vec![],
            orderby: vec![],
            top: None,
            skip: 0,
            count: false,
            pairs: pairs.clone(),
        };
        let mut seen: Vec<String> = vec![];
        for (key, value) in &pairs {
            let name = key.trim().to_ascii_lowercase();
            if !name.starts_with('$') {
                continue;
            }
            if seen.contains(&name) {
                return Err(QueryError::new(format!(
                    "Query option '{name}' was specified more than once, but it must be \
                     specified at most once."
                )));
            }
            seen.push(name.clone());
            match name.as_str() {
                "$filter" => {
                    let expr = filter::parse(value)?;
                    o.filter = Some(eval::bind_filter(tables, set, &expr)?);
                }
                "$select" => o.select = parse_select(table, value)?,
                "$expand" => o.expand = parse_expand(tables, table, value)?,
                "$orderby" => o.orderby = parse_orderby(tables, set, value)?,
                "$top" => {
                    let top = non_negative("$top", value)?;
                    if let Some(max) = limits.max_top
                        && top > max
                    {
                        return Err(QueryError::new(format!(
                            "The limit of '{max}' for Top query has been exceeded. The value \
                             from the incoming request is '{top}'."
                        )));
                    }
                    o.top = Some(top);
                }
                "$skip" | "$skiptoken" => o.skip += non_negative(&name, value)?,
                "$count" => {
                    o.count = match value.trim() {
                        "true" => true,
                        "false" => false,
                        other => {
                            return Err(QueryError::new(format!(
                                "'{other}' is not a valid count option."
                            )));
                        }
                    }
                }
                "$format" => {}
                other => {
                    return Err(QueryError::new(format!(
                        "The query parameter '{other}' is not supported."
                    )));
                }
            }
        }
        Ok(o)
    }
}
