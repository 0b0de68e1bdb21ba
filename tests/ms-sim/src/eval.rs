//! Binds a parsed `$filter` (or an `$orderby` path) to an entity set, checking
//! property names and operand types the way ASP.NET OData does, then evaluates it
//! directly on the pre-built rows.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::error::QueryError;
use crate::filter::{BinOp, Expr, Lit};
use crate::schema::{Kind, Link, SetId};
use crate::table::{Table, Tables, Val};

/// The static type of a bound expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Null,
    Of(Kind),
    /// `Edm.Date` (a date literal without a time).
    DateOnly,
}

impl Ty {
    fn edm(self) -> &'static str {
        match self {
            Ty::Null => "<null>",
            Ty::Of(k) => k.edm(),
            Ty::DateOnly => "Edm.Date",
        }
    }

    fn numeric(self) -> bool {
        matches!(self, Ty::Of(Kind::Int | Kind::Double))
    }
}

/// One navigation step: read the foreign key column, find the row in `target`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hop {
    fk: usize,
    target: SetId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    Contains,
    StartsWith,
    EndsWith,
    ToLower,
    ToUpper,
    Length,
}

/// A type-checked expression over one entity set.
#[derive(Debug, Clone)]
pub(crate) enum Bound {
    Const(Val),
    Col { hops: Vec<Hop>, col: usize },
    Not(Box<Bound>),
    And(Box<Bound>, Box<Bound>),
    Or(Box<Bound>, Box<Bound>),
    Cmp(BinOp, Box<Bound>, Box<Bound>),
    Call(Func, Vec<Bound>),
}

/// A value during evaluation, borrowing strings from the rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ev<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(Cow<'a, str>),
    Date(i64),
}

fn not_found(name: &str, type_name: &str) -> QueryError {
    QueryError::new(format!(
        "Could not find a property named '{name}' on type '{type_name}'."
    ))
}

/// Binds a property path (`Status`, `Group/TenantId`) to a column of `set`.
pub(crate) fn bind_path(
    tables: &Tables,
    set: SetId,
    path: &[String],
) -> Result<(Bound, Ty), QueryError> {
    let mut table = tables.get(set);
    let mut hops = vec![];
    for (i, segment) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        if let Some(col) = table.schema.column(segment) {
            if !last {
                return Err(not_found(&path[i + 1], table.schema.columns[col].1.edm()));
            }
            let kind = table.schema.columns[col].1;
            return Ok((Bound::Col { hops, col }, Ty::Of(kind)));
        }
        let Some(nav) = table.schema.nav(segment) else {
            return Err(not_found(segment, table.schema.type_name));
        };
        match nav.link {
            Link::Single { fk } if !last => {
                let fk = table.schema.column(fk).unwrap_or(0);
                hops.push(Hop {
                    fk,
                    target: nav.target,
                });
                table = tables.get(nav.target);
            }
            Link::Many { .. } if !last => {
                return Err(QueryError::new(format!(
                    "The parent value for a property access of a property '{}' is not a single \
                     value. Property access can only be applied to a single value.",
                    path[i + 1]
                )));
            }
            _ => {
                return Err(QueryError::new(format!(
                    "The navigation property '{segment}' cannot be used as a value here; \
                     name one of its properties, e.g. '{segment}/...'."
                )));
            }
        }
    }
    Err(QueryError::new("An empty property path was given.".into()))
}

/// Binds a whole `$filter` expression; it must be boolean.
pub(crate) fn bind_filter(tables: &Tables, set: SetId, expr: &Expr) -> Result<Bound, QueryError> {
    let (bound, ty) = bind(tables, set, expr)?;
    if !matches!(ty, Ty::Of(Kind::Bool) | Ty::Null) {
        return Err(QueryError::new(
            "The $filter expression must evaluate to a single boolean value.".into(),
        ));
    }
    Ok(bound)
}

fn incompatible(op: BinOp, l: Ty, r: Ty) -> QueryError {
    QueryError::new(format!(
        "A binary operator with incompatible types was detected. Found operand types '{}' and \
         '{}' for operator kind '{}'.",
        l.edm(),
        r.edm(),
        op.kind_name()
    ))
}

fn bind(tables: &Tables, set: SetId, expr: &Expr) -> Result<(Bound, Ty), QueryError> {
    Ok(match expr {
        Expr::Lit(lit) => match lit {
            Lit::Null => (Bound::Const(Val::Null), Ty::Null),
            Lit::Bool(b) => (Bound::Const(Val::Bool(*b)), Ty::Of(Kind::Bool)),
            Lit::Int(i) => (Bound::Const(Val::Int(*i)), Ty::Of(Kind::Int)),
            Lit::Num(n) => (Bound::Const(Val::Num(*n)), Ty::Of(Kind::Double)),
            Lit::Str(s) => (Bound::Const(Val::Str(s.clone())), Ty::Of(Kind::Str)),
            Lit::DateTime(ms) => (Bound::Const(Val::Date(*ms)), Ty::Of(Kind::Date)),
            Lit::Date(d) => {
                let ms = d
                    .and_hms_opt(0, 0, 0)
                    .map(|t| t.and_utc().timestamp_millis());
                (Bound::Const(Val::Date(ms.unwrap_or(0))), Ty::DateOnly)
            }
        },
        Expr::Path(path) => bind_path(tables, set, path)?,
        Expr::Not(inner) => {
            let (b, ty) = bind(tables, set, inner)?;
            if !matches!(ty, Ty::Of(Kind::Bool) | Ty::Null) {
                return Err(QueryError::new(format!(
                    "A unary operator with an incompatible type was detected. Found operand \
                     type '{}' for operator kind 'Not'.",
                    ty.edm()
                )));
            }
            (Bound::Not(Box::new(b)), Ty::Of(Kind::Bool))
        }
        Expr::Bin(op, l, r) => {
            let (lb, lt) = bind(tables, set, l)?;
            let (rb, rt) = bind(tables, set, r)?;
            let boolean = |t: Ty| matches!(t, Ty::Of(Kind::Bool) | Ty::Null);
            match op {
                BinOp::And | BinOp::Or => {
                    if !boolean(lt) || !boolean(rt) {
                        return Err(incompatible(*op, lt, rt));
                    }
                    let (l, r) = (Box::new(lb), Box::new(rb));
                    let b = if *op == BinOp::And {
                        Bound::And(l, r)
                    } else {
                        Bound::Or(l, r)
                    };
                    (b, Ty::Of(Kind::Bool))
                }
                _ => {
                    let ok = lt == Ty::Null
                        || rt == Ty::Null
                        || lt == rt
                        || (lt.numeric() && rt.numeric());
                    if !ok {
                        return Err(incompatible(*op, lt, rt));
                    }
                    (
                        Bound::Cmp(*op, Box::new(lb), Box::new(rb)),
                        Ty::Of(Kind::Bool),
                    )
                }
            }
        }
        Expr::Call(name, args) => {
            let (func, params, result): (Func, usize, Kind) = match name.as_str() {
                "contains" => (Func::Contains, 2, Kind::Bool),
                "startswith" => (Func::StartsWith, 2, Kind::Bool),
                "endswith" => (Func::EndsWith, 2, Kind::Bool),
                "tolower" => (Func::ToLower, 1, Kind::Str),
                "toupper" => (Func::ToUpper, 1, Kind::Str),
                "length" => (Func::Length, 1, Kind::Int),
                _ => {
                    return Err(QueryError::new(format!(
                        "An unknown function with name '{name}' was found. This may also be a \
                         function import or a key lookup on a navigation property, which is not \
                         allowed."
                    )));
                }
            };
            let mut bound = vec![];
            let mut fits = args.len() == params;
            for arg in args {
                let (b, ty) = bind(tables, set, arg)?;
                fits &= matches!(ty, Ty::Of(Kind::Str) | Ty::Null);
                bound.push(b);
            }
            if !fits {
                let signature = vec!["Edm.String Nullable=true"; params].join(", ");
                return Err(QueryError::new(format!(
                    "No function signature for the function with name '{name}' matches the \
                     specified arguments. The function signatures considered are: \
                     {name}({signature})."
                )));
            }
            (Bound::Call(func, bound), Ty::Of(result))
        }
    })
}

fn from_val(v: &Val) -> Ev<'_> {
    match v {
        Val::Null => Ev::Null,
        Val::Bool(b) => Ev::Bool(*b),
        Val::Int(i) => Ev::Int(*i),
        Val::Num(n) => Ev::Num(*n),
        Val::Str(s) => Ev::Str(Cow::Borrowed(s)),
        Val::Date(d) => Ev::Date(*d),
    }
}

/// Evaluates `bound` on row `row` of `table`.
pub(crate) fn eval<'a>(
    bound: &'a Bound,
    tables: &'a Tables,
    table: &'a Table,
    row: usize,
) -> Ev<'a> {
    match bound {
        Bound::Const(v) => from_val(v),
        Bound::Col { hops, col } => {
            let (mut t, mut r) = (table, row);
            for hop in hops {
                let Val::Int(key) = t.rows[r].vals[hop.fk] else {
                    return Ev::Null;
                };
                let target = tables.get(hop.target);
                match target.by_int_key(key) {
                    Some(i) => (t, r) = (target, i),
                    None => return Ev::Null,
                }
            }
            from_val(&t.rows[r].vals[*col])
        }
        Bound::Not(inner) => match eval(inner, tables, table, row) {
            Ev::Bool(b) => Ev::Bool(!b),
            _ => Ev::Null,
        },
        Bound::And(l, r) => {
            Ev::Bool(truthy(&eval(l, tables, table, row)) && truthy(&eval(r, tables, table, row)))
        }
        Bound::Or(l, r) => {
            Ev::Bool(truthy(&eval(l, tables, table, row)) || truthy(&eval(r, tables, table, row)))
        }
        Bound::Cmp(op, l, r) => {
            let (a, b) = (eval(l, tables, table, row), eval(r, tables, table, row));
            Ev::Bool(match (op, &a, &b) {
                (BinOp::Eq, Ev::Null, Ev::Null) => true,
                (BinOp::Ne, Ev::Null, Ev::Null) => false,
                (BinOp::Eq, Ev::Null, _) | (BinOp::Eq, _, Ev::Null) => false,
                (BinOp::Ne, Ev::Null, _) | (BinOp::Ne, _, Ev::Null) => true,
                (_, Ev::Null, _) | (_, _, Ev::Null) => false,
                _ => {
                    let ord = compare(&a, &b);
                    match op {
                        BinOp::Eq => ord == Some(Ordering::Equal),
                        BinOp::Ne => ord != Some(Ordering::Equal),
                        BinOp::Gt => ord == Some(Ordering::Greater),
                        BinOp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
                        BinOp::Lt => ord == Some(Ordering::Less),
                        BinOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
                        BinOp::And | BinOp::Or => false,
                    }
                }
            })
        }
        Bound::Call(func, args) => {
            let vals: Vec<Ev> = args.iter().map(|a| eval(a, tables, table, row)).collect();
            let text = |i: usize| match vals.get(i) {
                Some(Ev::Str(s)) => Some(s.as_ref()),
                _ => None,
            };
            match func {
                Func::Contains | Func::StartsWith | Func::EndsWith => {
                    let (Some(hay), Some(needle)) = (text(0), text(1)) else {
                        return Ev::Null;
                    };
                    Ev::Bool(match func {
                        Func::Contains => hay.contains(needle),
                        Func::StartsWith => hay.starts_with(needle),
                        _ => hay.ends_with(needle),
                    })
                }
                Func::ToLower => text(0).map_or(Ev::Null, |s| Ev::Str(s.to_lowercase().into())),
                Func::ToUpper => text(0).map_or(Ev::Null, |s| Ev::Str(s.to_uppercase().into())),
                Func::Length => text(0).map_or(Ev::Null, |s| Ev::Int(s.chars().count() as i64)),
            }
        }
    }
}

fn truthy(v: &Ev) -> bool {
    matches!(v, Ev::Bool(true))
}

/// Whether a bound filter keeps the row.
pub(crate) fn keeps(bound: &Bound, tables: &Tables, table: &Table, row: usize) -> bool {
    truthy(&eval(bound, tables, table, row))
}

/// Orders two values of one property; nulls first, as OData sorts ascending.
pub(crate) fn compare(a: &Ev, b: &Ev) -> Option<Ordering> {
    match (a, b) {
        (Ev::Null, Ev::Null) => Some(Ordering::Equal),
        (Ev::Null, _) => Some(Ordering::Less),
        (_, Ev::Null) => Some(Ordering::Greater),
        (Ev::Int(x), Ev::Int(y)) => Some(x.cmp(y)),
        (Ev::Int(x), Ev::Num(y)) => (*x as f64).partial_cmp(y),
        (Ev::Num(x), Ev::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Ev::Num(x), Ev::Num(y)) => x.partial_cmp(y),
        (Ev::Str(x), Ev::Str(y)) => Some(x.cmp(y)),
        (Ev::Date(x), Ev::Date(y)) => Some(x.cmp(y)),
        (Ev::Bool(x), Ev::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
