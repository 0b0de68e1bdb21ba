//! Parser tests: precedence, literals, paths, functions and error positions.

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

#[test]
fn date_time_forms_without_seconds_and_with_seven_fraction_digits() {
    let millis = |text: &str| match parse(&format!("StartDateTime gt {text}")) {
        Ok(Expr::Bin(_, _, r)) => match *r {
            Expr::Lit(Lit::DateTime(m)) => m,
            other => panic!("not a date-time: {other:?}"),
        },
        other => panic!("{text}: {other:?}"),
    };
    let base = millis("2026-04-22T10:30:00Z");
    assert_eq!(millis("2026-04-22T10:30Z"), base);
    assert_eq!(millis("2026-04-22T12:30+02:00"), base);
    assert_eq!(millis("2026-04-22T10:30:00.1234567Z"), base + 123);
    assert_eq!(millis("2026-04-22t10:30:00z"), base);
}

#[test]
fn date_only_and_offsetless_literals() {
    assert!(matches!(
        parse("StartDateTime gt 2026-04-22").unwrap(),
        Expr::Bin(_, _, r) if matches!(*r, Expr::Lit(Lit::Date(_)))
    ));
    let err = parse("StartDateTime gt 2026-04-22T10:30:00").unwrap_err();
    assert!(
        err.message.contains("Unrecognized 'Edm.DateTimeOffset'"),
        "{err:?}"
    );
    let err = parse("StartDateTime gt 2026-13-45T10:30:00Z").unwrap_err();
    assert!(err.message.contains("2026-13-45"), "{err:?}");
}

#[test]
fn in_list_is_a_chain_of_equalities() {
    assert_eq!(
        parse("Status in (2, 4)").unwrap(),
        Expr::Bin(
            BinOp::Or,
            Box::new(Expr::Bin(BinOp::Eq, path("Status"), lit(Lit::Int(2)))),
            Box::new(Expr::Bin(BinOp::Eq, path("Status"), lit(Lit::Int(4))))
        )
    );
    assert!(parse("Status in 2").is_err());
    assert!(parse("Status in (2,").is_err());
}

#[test]
fn deep_nesting_and_huge_filters_are_refused_not_overflowing() {
    let deep = format!("{}Status eq 1{}", "(".repeat(500), ")".repeat(500));
    assert!(
        parse(&deep)
            .unwrap_err()
            .message
            .contains("recursion limit")
    );
    let nots = format!("{}true", "not ".repeat(1500));
    assert!(
        parse(&nots)
            .unwrap_err()
            .message
            .contains("recursion limit")
    );
    let long = vec!["Status eq 1"; 1000].join(" or ");
    assert!(parse(&long).unwrap_err().message.contains("at most 2000"));
    let fine = format!("{}Status eq 1{}", "(".repeat(50), ")".repeat(50));
    assert!(parse(&fine).is_ok());
}
