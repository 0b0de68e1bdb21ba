//! The OData `$filter` language as ms-api.md describes it: a lexer and a
//! precedence-climbing parser producing an [`Expr`] tree. Binding to an entity set
//! and evaluation live in `eval.rs`.

use chrono::NaiveDate;

use crate::error::QueryError;

mod lexer;

use lexer::{Lexer, Tok, syntax};

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

/// Most tokens a filter may have (bounds the tree the evaluator walks).
const MAX_TOKENS: usize = 2000;
/// Deepest nesting of parentheses, `not` and function calls.
const MAX_DEPTH: usize = 100;

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(Tok, usize)>,
    at: usize,
    depth: usize,
}

/// Parses a `$filter` value.
pub(crate) fn parse(text: &str) -> Result<Expr, QueryError> {
    let toks = Lexer::tokens(text)?;
    if toks.len() > MAX_TOKENS {
        return Err(QueryError::new(format!(
            "The $filter has {} tokens; this server accepts at most {MAX_TOKENS}. Simplify \
             the filter or split the query.",
            toks.len()
        )));
    }
    let mut p = Parser {
        text,
        toks,
        at: 0,
        depth: 0,
    };
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

    fn close_or_comma_expected(&self) -> QueryError {
        QueryError::new(format!(
            "')' or ',' expected at position {} in '{}'.",
            self.toks[self.at.saturating_sub(1)].1,
            self.text
        ))
    }

    /// Enters one level of nesting; refuses past [`MAX_DEPTH`].
    fn nest(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError::new(
                "The recursion limit has been exceeded.".into(),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        self.nest()?;
        let result = self.or_chain();
        self.depth -= 1;
        result
    }

    fn or_chain(&mut self) -> Result<Expr, QueryError> {
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
        if self.keyword("in") {
            return self.in_list(left);
        }
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

    /// `X in (a, b, c)` (OData 4.01), read as `X eq a or X eq b or X eq c`.
    fn in_list(&mut self, left: Expr) -> Result<Expr, QueryError> {
        self.bump();
        if self.bump() != Tok::Open {
            return Err(QueryError::new(format!(
                "'(' expected after 'in' at position {} in '{}'.",
                self.toks[self.at.saturating_sub(1)].1,
                self.text
            )));
        }
        let mut any: Option<Expr> = None;
        loop {
            let item = self.unary()?;
            let test = Expr::Bin(BinOp::Eq, Box::new(left.clone()), Box::new(item));
            any = Some(match any {
                None => test,
                Some(before) => Expr::Bin(BinOp::Or, Box::new(before), Box::new(test)),
            });
            match self.bump() {
                Tok::Comma => continue,
                Tok::Close => break,
                _ => return Err(self.close_or_comma_expected()),
            }
        }
        any.ok_or_else(|| syntax(self.text, self.pos()))
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.keyword("not") {
            self.bump();
            self.nest()?;
            let inner = self.unary();
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner?)));
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
                    _ => return Err(self.close_or_comma_expected()),
                }
            }
        } else {
            self.bump();
        }
        Ok(Expr::Call(name, args))
    }
}

#[cfg(test)]
mod tests;
