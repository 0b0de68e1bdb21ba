//! The OData `$filter` language as ms-api.md describes it: a lexer and a
//! precedence-climbing parser producing an [`Expr`] tree. Binding to an entity set
//! and evaluation live in `eval.rs`.

use chrono::{DateTime, NaiveDate};

use crate::error::QueryError;

/// A literal in a filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    /// Milliseconds since the epoch.
    DateTime(i64),
    Date(NaiveDate),
}

/// Binary operators, in OData's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    And,
    Or,
}

impl BinOp {
    /// The operator kind as OData error messages name it.
    pub(crate) fn kind_name(self) -> &'static str {
        match self {
            BinOp::Eq => "Equal",
            BinOp::Ne => "NotEqual",
            BinOp::Gt => "GreaterThan",
            BinOp::Ge => "GreaterThanOrEqual",
            BinOp::Lt => "LessThan",
            BinOp::Le => "LessThanOrEqual",
            BinOp::And => "And",
            BinOp::Or => "Or",
        }
    }
}

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Lit(Lit),
    /// A property path such as `Group/TenantId`.
    Path(Vec<String>),
    Not(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// A function call such as `contains(Name,'x')`, name in lower case as written.
    Call(String, Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Lit(Lit),
    Open,
    Close,
    Comma,
    Slash,
    End,
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

fn syntax(text: &str, pos: usize) -> QueryError {
    QueryError::new(format!("Syntax error at position {pos} in '{text}'."))
}

impl<'a> Lexer<'a> {
    fn tokens(text: &'a str) -> Result<Vec<(Tok, usize)>, QueryError> {
        let mut lexer = Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        };
        let mut out = vec![];
        loop {
            let (tok, at) = lexer.next()?;
            let end = tok == Tok::End;
            out.push((tok, at));
            if end {
                return Ok(out);
            }
        }
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn next(&mut self) -> Result<(Tok, usize), QueryError> {
        while self.peek(0) == b' ' || self.peek(0) == b'\t' {
            self.pos += 1;
        }
        let start = self.pos;
        let c = self.peek(0);
        let single = |t| Ok((t, start));
        match c {
            0 if self.pos >= self.bytes.len() => single(Tok::End),
            b'(' => {
                self.pos += 1;
                single(Tok::Open)
            }
            b')' => {
                self.pos += 1;
                single(Tok::Close)
            }
            b',' => {
                self.pos += 1;
                single(Tok::Comma)
            }
            b'/' => {
                self.pos += 1;
                single(Tok::Slash)
            }
            b'\'' => self.string(start),
            b'0'..=b'9' => self.number_or_date(start),
            b'-' if self.peek(1).is_ascii_digit() => self.number_or_date(start),
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'@' => {
                while matches!(self.peek(0), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'@')
                {
                    self.pos += 1;
                }
                single(Tok::Ident(self.text[start..self.pos].to_string()))
            }
            _ => Err(syntax(self.text, start)),
        }
    }

    fn string(&mut self, start: usize) -> Result<(Tok, usize), QueryError> {
        self.pos += 1;
        let mut value = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(q) = rest.find('\'') else {
                return Err(QueryError::new(format!(
                    "There is an unterminated string literal at position {} in '{}'.",
                    self.bytes.len(),
                    self.text
                )));
            };
            value.push_str(&rest[..q]);
            self.pos += q + 1;
            if self.peek(0) == b'\'' {
                value.push('\'');
                self.pos += 1;
            } else {
                return Ok((Tok::Lit(Lit::Str(value)), start));
            }
        }
    }

    fn number_or_date(&mut self, start: usize) -> Result<(Tok, usize), QueryError> {
        let digits_at = |s: &Self, from: usize, n: usize| {
            (from..from + n).all(|i| s.bytes.get(i).is_some_and(u8::is_ascii_digit))
        };
        if digits_at(self, start, 4) && self.bytes.get(start + 4) == Some(&b'-') {
            return self.date(start);
        }
        if self.peek(0) == b'-' {
            self.pos += 1;
        }
        while self.peek(0).is_ascii_digit() {
            self.pos += 1;
        }
        let mut float = false;
        if self.peek(0) == b'.' && self.peek(1).is_ascii_digit() {
            float = true;
            self.pos += 1;
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        if matches!(self.peek(0), b'e' | b'E') {
            float = true;
            self.pos += 1;
            if matches!(self.peek(0), b'+' | b'-') {
                self.pos += 1;
            }
            while self.peek(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        let text = &self.text[start..self.pos];
        if matches!(
            self.peek(0),
            b'l' | b'L' | b'm' | b'M' | b'd' | b'D' | b'f' | b'F'
        ) {
            self.pos += 1;
        }
        if self.peek(0).is_ascii_alphanumeric() {
            return Err(syntax(self.text, self.pos));
        }
        let lit = if float {
            text.parse().map(Lit::Num).ok()
        } else {
            text.parse().map(Lit::Int).ok()
        };
        lit.map(|l| (Tok::Lit(l), start))
            .ok_or_else(|| syntax(self.text, start))
    }

    fn date(&mut self, start: usize) -> Result<(Tok, usize), QueryError> {
        while matches!(
            self.peek(0),
            b'0'..=b'9' | b'-' | b':' | b'.' | b'T' | b't' | b'Z' | b'z' | b'+'
        ) {
            self.pos += 1;
        }
        let literal = &self.text[start..self.pos];
        let bad = || {
            let kind = if literal.contains(['T', 't']) {
                "Edm.DateTimeOffset"
            } else {
                "Edm.Date"
            };
            QueryError::new(format!(
                "Unrecognized '{kind}' literal '{literal}' at '{start}' in '{}'.",
                self.text
            ))
        };
        if !literal.contains(['T', 't']) {
            let date = NaiveDate::parse_from_str(literal, "%Y-%m-%d").map_err(|_| bad())?;
            return Ok((Tok::Lit(Lit::Date(date)), start));
        }
        let parsed = DateTime::parse_from_rfc3339(literal)
            .or_else(|_| DateTime::parse_from_str(literal, "%Y-%m-%dT%H:%M%#z"))
            .map_err(|_| bad())?;
        Ok((Tok::Lit(Lit::DateTime(parsed.timestamp_millis())), start))
    }
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(Tok, usize)>,
    at: usize,
}

/// Parses a `$filter` value.
pub(crate) fn parse(text: &str) -> Result<Expr, QueryError> {
    let toks = Lexer::tokens(text)?;
    let mut p = Parser { text, toks, at: 0 };
    if p.peek() == &Tok::End {
        return Err(QueryError::new(
            "The $filter query option must not be empty.".to_string(),
        ));
    }
    let expr = p.or()?;
    match p.peek() {
        Tok::End => Ok(expr),
        _ => Err(syntax(text, p.pos())),
    }
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.at].0
    }

    fn pos(&self) -> usize {
        self.toks[self.at].1
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.at].0.clone();
        if self.at + 1 < self.toks.len() {
            self.at += 1;
        }
        t
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(w) if w == word)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.bump();
            let right = self.and()?;
            left = Expr::Bin(BinOp::Or, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.comparison()?;
        while self.keyword("and") {
            self.bump();
            let right = self.comparison()?;
            left = Expr::Bin(BinOp::And, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let left = self.unary()?;
        let op = match self.peek() {
            Tok::Ident(w) => match w.as_str() {
                "eq" => BinOp::Eq,
                "ne" => BinOp::Ne,
                "gt" => BinOp::Gt,
                "ge" => BinOp::Ge,
                "lt" => BinOp::Lt,
                "le" => BinOp::Le,
                _ => return Ok(left),
            },
            _ => return Ok(left),
        };
        self.bump();
        let right = self.unary()?;
        Ok(Expr::Bin(op, Box::new(left), Box::new(right)))
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.keyword("not") {
            self.bump();
            let inner = self.unary()?;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let pos = self.pos();
        match self.bump() {
            Tok::Open => {
                let inner = self.or()?;
                if self.bump() != Tok::Close {
                    return Err(QueryError::new(format!(
                        "')' or operator expected at position {} in '{}'.",
                        self.toks[self.at.saturating_sub(1)].1,
                        self.text
                    )));
                }
                Ok(inner)
            }
            Tok::Lit(l) => Ok(Expr::Lit(l)),
            Tok::Ident(word) => match word.as_str() {
                "null" => Ok(Expr::Lit(Lit::Null)),
                "true" => Ok(Expr::Lit(Lit::Bool(true))),
                "false" => Ok(Expr::Lit(Lit::Bool(false))),
                _ if self.peek() == &Tok::Open => self.call(word),
                _ => {
                    let mut path = vec![word];
                    while self.peek() == &Tok::Slash {
                        self.bump();
                        match self.bump() {
                            Tok::Ident(w) => path.push(w),
                            _ => return Err(syntax(self.text, self.pos())),
                        }
                    }
                    Ok(Expr::Path(path))
                }
            },
            Tok::End => Err(QueryError::new(format!(
                "Expression expected at position {pos} in '{}'.",
                self.text
            ))),
            _ => Err(syntax(self.text, pos)),
        }
    }

    fn call(&mut self, name: String) -> Result<Expr, QueryError> {
        self.bump();
        let mut args = vec![];
        if self.peek() != &Tok::Close {
            loop {
                args.push(self.or()?);
                match self.bump() {
                    Tok::Comma => continue,
                    Tok::Close => break,
                    _ => {
                        return Err(QueryError::new(format!(
                            "')' or ',' expected at position {} in '{}'.",
                            self.toks[self.at.saturating_sub(1)].1,
                            self.text
                        )));
                    }
                }
            }
        } else {
            self.bump();
        }
        Ok(Expr::Call(name, args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Box<Expr> {
        Box::new(Expr::Path(p.split('/').map(String::from).collect()))
    }

    fn lit(l: Lit) -> Box<Expr> {
        Box::new(Expr::Lit(l))
    }

    #[test]
    fn comparison_of_property_and_number() {
        assert_eq!(
            parse("Status eq 4").unwrap(),
            Expr::Bin(BinOp::Eq, path("Status"), lit(Lit::Int(4)))
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let e = parse("Status eq 1 or Status eq 2 and Connected eq true").unwrap();
        let Expr::Bin(BinOp::Or, _, right) = e else {
            panic!("expected or at the top, got {e:?}");
        };
        assert!(matches!(*right, Expr::Bin(BinOp::And, _, _)), "{right:?}");
    }

    #[test]
    fn parentheses_override_precedence() {
        let e = parse("(Status eq 1 or Status eq 2) and Connected eq true").unwrap();
        assert!(matches!(e, Expr::Bin(BinOp::And, _, _)), "{e:?}");
    }

    #[test]
    fn doubled_quote_inside_a_string() {
        assert_eq!(
            parse("GroupName eq 'Margie''s Travel'").unwrap(),
            Expr::Bin(
                BinOp::Eq,
                path("GroupName"),
                lit(Lit::Str("Margie's Travel".into()))
            )
        );
    }

    #[test]
    fn date_times_with_fraction_and_offsets() {
        let z = parse("StartDateTime gt 2026-04-22T00:00:00Z").unwrap();
        let frac = parse("StartDateTime gt 2026-04-22T00:00:00.500Z").unwrap();
        let plus = parse("StartDateTime gt 2026-04-22T02:00:00+02:00").unwrap();
        let minus = parse("StartDateTime gt 2026-04-21T19:00:00-05:00").unwrap();
        let millis = |e: &Expr| match e {
            Expr::Bin(_, _, r) => match **r {
                Expr::Lit(Lit::DateTime(m)) => m,
                _ => panic!("not a date-time: {r:?}"),
            },
            _ => panic!("not a comparison: {e:?}"),
        };
        assert_eq!(millis(&z), millis(&plus), "+02:00 is two hours ahead of Z");
        assert_eq!(millis(&frac) - millis(&z), 500);
        assert_eq!(millis(&minus) - millis(&z), 0);
    }

    #[test]
    fn date_time_whose_plus_became_a_space_is_rejected() {
        let err = parse("StartDateTime gt 2026-04-22T00:00:00 02:00").unwrap_err();
        assert!(
            err.message
                .contains("Unrecognized 'Edm.DateTimeOffset' literal"),
            "{err:?}"
        );
    }

    #[test]
    fn functions_paths_null_and_not() {
        let e = parse("not contains(Agent/FriendlyName,'SQL') and EndDateTime eq null").unwrap();
        let Expr::Bin(BinOp::And, left, right) = e else {
            panic!("expected and");
        };
        assert_eq!(
            *left,
            Expr::Not(Box::new(Expr::Call(
                "contains".into(),
                vec![
                    Expr::Path(vec!["Agent".into(), "FriendlyName".into()]),
                    Expr::Lit(Lit::Str("SQL".into()))
                ]
            )))
        );
        assert_eq!(
            *right,
            Expr::Bin(BinOp::Eq, path("EndDateTime"), lit(Lit::Null))
        );
    }

    #[test]
    fn numbers_negative_and_decimal() {
        assert_eq!(
            parse("QuotaPercent ge -1.5").unwrap(),
            Expr::Bin(BinOp::Ge, path("QuotaPercent"), lit(Lit::Num(-1.5)))
        );
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let err = parse("Status eq").unwrap_err();
        assert!(err.message.contains("position 9"), "{err:?}");
        let err = parse("Status eq 1 1").unwrap_err();
        assert!(
            err.message.starts_with("Syntax error at position 12"),
            "{err:?}"
        );
        let err = parse("Name eq 'open").unwrap_err();
        assert!(err.message.contains("unterminated string"), "{err:?}");
        let err = parse("(Status eq 1").unwrap_err();
        assert!(err.message.contains("')'"), "{err:?}");
    }
}
