//! The `$filter` lexer: identifiers, punctuation, quoted strings with doubled
//! quotes, numbers, and bare ISO 8601 dates and date-times with offsets.

use chrono::{DateTime, NaiveDate};

use super::Lit;
use crate::error::QueryError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Lit(Lit),
    Open,
    Close,
    Comma,
    Slash,
    End,
}

pub(super) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

pub(super) fn syntax(text: &str, pos: usize) -> QueryError {
    QueryError::new(format!("Syntax error at position {pos} in '{text}'."))
}

impl<'a> Lexer<'a> {
    pub(super) fn tokens(text: &'a str) -> Result<Vec<(Tok, usize)>, QueryError> {
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
