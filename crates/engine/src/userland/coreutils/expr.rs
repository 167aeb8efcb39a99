//! `expr`: integer arithmetic, comparisons and `length` on its arguments, as GNU and busybox
//! evaluate them; exit 1 when the result is 0 or empty, 2 on a syntax error (oracle-47).

use super::Proc;

pub(super) fn expr(p: &mut Proc, args: &[String]) -> i32 {
    let mut at = 0;
    match or(args, &mut at) {
        Ok(value) if at == args.len() => {
            p.out(&format!("{value}\n"));
            i32::from(value.is_empty() || value == "0")
        }
        Ok(_) => {
            let extra = args.get(at).cloned().unwrap_or_default();
            let msg = if p.gnu { format!("syntax error: unexpected argument {}", p.lq(&extra)) } else { "syntax error".to_string() };
            p.err(&msg);
            2
        }
        Err(m) => {
            let msg = if p.gnu { m } else { "syntax error".to_string() };
            p.err(&msg);
            2
        }
    }
}

fn quoted(s: &str) -> String {
    format!("\u{2018}{s}\u{2019}")
}

/// GNU's complaint when nothing follows operator `op`.
fn missing_after(op: &str) -> String {
    format!("syntax error: missing argument after {}", quoted(op))
}

/// The operand after operator `op`, or GNU's complaint that there is none.
fn operand<'a>(args: &'a [String], at: &mut usize, op: &str) -> Result<&'a str, String> {
    let a = args.get(*at).ok_or_else(|| missing_after(op))?;
    *at += 1;
    Ok(a)
}

/// Steps past the infix operator `op` at `at`, which must have an operand after it.
fn past_operator(args: &[String], at: &mut usize, op: &str) -> Result<(), String> {
    *at += 1;
    if args.get(*at).is_none() {
        return Err(missing_after(op));
    }
    Ok(())
}

fn or(args: &[String], at: &mut usize) -> Result<String, String> {
    let mut left = and(args, at)?;
    while args.get(*at).map(String::as_str) == Some("|") {
        past_operator(args, at, "|")?;
        let right = and(args, at)?;
        if left.is_empty() || left == "0" {
            left = if right.is_empty() || right == "0" { "0".into() } else { right };
        }
    }
    Ok(left)
}

fn and(args: &[String], at: &mut usize) -> Result<String, String> {
    let mut left = compare(args, at)?;
    while args.get(*at).map(String::as_str) == Some("&") {
        past_operator(args, at, "&")?;
        let right = compare(args, at)?;
        let truthy = |v: &str| !v.is_empty() && v != "0";
        left = if truthy(&left) && truthy(&right) { left } else { "0".into() };
    }
    Ok(left)
}

fn compare(args: &[String], at: &mut usize) -> Result<String, String> {
    let left = sum(args, at)?;
    let Some(op) = args.get(*at).filter(|o| matches!(o.as_str(), "=" | "!=" | "<" | "<=" | ">" | ">=")).cloned() else { return Ok(left) };
    past_operator(args, at, &op)?;
    let right = sum(args, at)?;
    let ordering = match (left.parse::<i64>(), right.parse::<i64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => left.cmp(&right),
    };
    let holds = match op.as_str() {
        "=" => ordering.is_eq(),
        "!=" => ordering.is_ne(),
        "<" => ordering.is_lt(),
        "<=" => ordering.is_le(),
        ">" => ordering.is_gt(),
        _ => ordering.is_ge(),
    };
    Ok(if holds { "1" } else { "0" }.into())
}

fn number(v: &str) -> Result<i64, String> {
    v.parse().map_err(|_| "non-integer argument".to_string())
}

fn sum(args: &[String], at: &mut usize) -> Result<String, String> {
    let mut left = product(args, at)?;
    while let Some(op) = args.get(*at).filter(|o| *o == "+" || *o == "-").cloned() {
        past_operator(args, at, &op)?;
        let right = product(args, at)?;
        let (a, b) = (number(&left)?, number(&right)?);
        left = if op == "+" { a.wrapping_add(b) } else { a.wrapping_sub(b) }.to_string();
    }
    Ok(left)
}

fn product(args: &[String], at: &mut usize) -> Result<String, String> {
    let mut left = atom(args, at)?;
    while let Some(op) = args.get(*at).filter(|o| matches!(o.as_str(), "*" | "/" | "%")).cloned() {
        past_operator(args, at, &op)?;
        let right = atom(args, at)?;
        let (a, b) = (number(&left)?, number(&right)?);
        if b == 0 && op != "*" {
            return Err("division by zero".into());
        }
        left = match op.as_str() {
            "*" => a.wrapping_mul(b),
            "/" => a / b,
            _ => a % b,
        }
        .to_string();
    }
    Ok(left)
}

fn atom(args: &[String], at: &mut usize) -> Result<String, String> {
    let a = operand(args, at, "expr")?;
    match a {
        "length" => Ok(operand(args, at, "length")?.chars().count().to_string()),
        "(" => {
            let inner = or(args, at)?;
            if args.get(*at).map(String::as_str) != Some(")") {
                return Err(format!("syntax error: expecting ')' after {}", quoted(&inner)));
            }
            *at += 1;
            Ok(inner)
        }
        other => Ok(other.to_string()),
    }
}
