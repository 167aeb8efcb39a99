//! Running parsed statements against the session's tables: creating and dropping, inserting and
//! updating with PostgreSQL's type checks, WHERE evaluation, and SELECT's result sets.

use std::cmp::Ordering;

use super::parse::{ColumnDef, Condition, Literal, Operand, Select, SelectItem, Statement};
use super::{Column, Database, Outcome, Reply, ResultSet, Session, SqlError, Table, TypeKind, Value};

pub(super) fn execute(s: &mut Session, statement: Statement) -> Result<Reply, SqlError> {
    let mut notices = Vec::new();
    let outcome = match statement {
        Statement::CreateTable { name, if_not_exists, columns } => {
            if s.tables.iter().any(|t| t.name == name) {
                if !if_not_exists {
                    return Err(SqlError::new(format!("relation \"{name}\" already exists"), None));
                }
                notices.push(format!("relation \"{name}\" already exists, skipping"));
            } else {
                create_table(s, name, columns)?;
            }
            Outcome::Tag("CREATE TABLE".into())
        }
        Statement::DropTable { names, if_exists } => {
            for (name, _) in &names {
                if !s.tables.iter().any(|t| &t.name == name) {
                    if !if_exists {
                        return Err(SqlError::new(format!("table \"{name}\" does not exist"), None));
                    }
                    notices.push(format!("table \"{name}\" does not exist, skipping"));
                }
            }
            s.tables.retain(|t| !names.iter().any(|(n, _)| *n == t.name));
            Outcome::Tag("DROP TABLE".into())
        }
        Statement::CreateDatabase { name } => {
            if s.catalog.database(&name).is_some() {
                return Err(SqlError::new(format!("database \"{name}\" already exists"), None));
            }
            let oid = s.catalog.allocate_oid();
            s.catalog.databases.push(Database { oid, name, owner: s.user.clone() });
            Outcome::Tag("CREATE DATABASE".into())
        }
        Statement::DropDatabase { name, if_exists } => {
            if name == s.database {
                return Err(SqlError::new("cannot drop the currently open database".into(), None));
            }
            if s.catalog.database(&name).is_none() {
                if !if_exists {
                    return Err(SqlError::new(format!("database \"{name}\" does not exist"), None));
                }
                notices.push(format!("database \"{name}\" does not exist, skipping"));
            }
            s.catalog.databases.retain(|d| d.name != name);
            Outcome::Tag("DROP DATABASE".into())
        }
        Statement::Insert { table, table_pos, columns, rows } => insert(s, &table, table_pos, &columns, rows)?,
        Statement::Select(select) => Outcome::Rows(run_select(s, &select)?),
        Statement::Update { table, table_pos, sets, filter } => update(s, &table, table_pos, &sets, filter.as_ref())?,
        Statement::Delete { table, table_pos, filter } => {
            let t = table_index(s, &table, table_pos)?;
            let keep = matching_rows(&s.tables[t], filter.as_ref())?.into_iter().map(|m| !m).collect::<Vec<_>>();
            let before = s.tables[t].rows.len();
            let mut flags = keep.into_iter();
            s.tables[t].rows.retain(|_| flags.next().unwrap_or(true));
            Outcome::Tag(format!("DELETE {}", before - s.tables[t].rows.len()))
        }
    };
    Ok(Reply { notices, outcome })
}

fn create_table(s: &mut Session, name: String, defs: Vec<ColumnDef>) -> Result<(), SqlError> {
    let mut columns: Vec<Column> = Vec::new();
    for d in defs {
        if columns.iter().any(|c| c.name == d.name) {
            return Err(SqlError::new(format!("column \"{}\" specified more than once", d.name), None));
        }
        columns.push(Column {
            name: d.name,
            type_name: d.type_name,
            kind: d.kind,
            max_len: d.max_len,
            serial: d.serial.then_some(0),
            not_null: d.not_null,
        });
    }
    let relfilenode = s.catalog.allocate_oid();
    s.tables.push(Table { name, owner: s.user.clone(), relfilenode, columns, rows: Vec::new() });
    Ok(())
}

fn table_index(s: &Session, name: &str, pos: usize) -> Result<usize, SqlError> {
    s.tables.iter().position(|t| t.name == name).ok_or_else(|| SqlError::new(format!("relation \"{name}\" does not exist"), Some(pos + 1)))
}

fn insert(
    s: &mut Session,
    table: &str,
    table_pos: usize,
    columns: &[(String, usize)],
    rows: Vec<Vec<Operand>>,
) -> Result<Outcome, SqlError> {
    let t = table_index(s, table, table_pos)?;
    let target: Vec<usize> = if columns.is_empty() {
        (0..s.tables[t].columns.len()).collect()
    } else {
        let mut v = Vec::new();
        for (c, pos) in columns {
            let i = s.tables[t]
                .columns
                .iter()
                .position(|col| &col.name == c)
                .ok_or_else(|| SqlError::new(format!("column \"{c}\" of relation \"{table}\" does not exist"), Some(pos + 1)))?;
            v.push(i);
        }
        v
    };
    let count = rows.len();
    for row in rows {
        if row.len() > target.len() {
            let pos = operand_pos(&row[target.len()]);
            return Err(SqlError::new("INSERT has more expressions than target columns".into(), Some(pos + 1)));
        }
        let table = &mut s.tables[t];
        let mut values = vec![Value::Null; table.columns.len()];
        for (operand, &ci) in row.iter().zip(&target) {
            values[ci] = assign(&table.columns[ci], operand)?;
        }
        for (ci, column) in table.columns.iter_mut().enumerate() {
            if let (Value::Null, Some(last)) = (&values[ci], column.serial.as_mut()) {
                if !target.contains(&ci) {
                    *last += 1;
                    values[ci] = Value::Int(*last);
                }
            }
        }
        check_not_null(table, &values)?;
        table.rows.push(values);
    }
    Ok(Outcome::Tag(format!("INSERT 0 {count}")))
}

fn check_not_null(table: &Table, values: &[Value]) -> Result<(), SqlError> {
    for (column, value) in table.columns.iter().zip(values) {
        if column.not_null && *value == Value::Null {
            let mut e = SqlError::new(
                format!("null value in column \"{}\" of relation \"{}\" violates not-null constraint", column.name, table.name),
                None,
            );
            let shown: Vec<String> = values.iter().map(|v| v.display().unwrap_or_else(|| "null".into())).collect();
            e.detail = Some(format!("Failing row contains ({}).", shown.join(", ")));
            return Err(e);
        }
    }
    Ok(())
}

fn update(
    s: &mut Session,
    table: &str,
    table_pos: usize,
    sets: &[(String, usize, Operand)],
    filter: Option<&Condition>,
) -> Result<Outcome, SqlError> {
    let t = table_index(s, table, table_pos)?;
    let mut assignments = Vec::new();
    for (c, pos, operand) in sets {
        let ci = s.tables[t]
            .columns
            .iter()
            .position(|col| &col.name == c)
            .ok_or_else(|| SqlError::new(format!("column \"{c}\" of relation \"{table}\" does not exist"), Some(pos + 1)))?;
        assignments.push((ci, operand));
    }
    let hits = matching_rows(&s.tables[t], filter)?;
    let table = &mut s.tables[t];
    let mut kept = Vec::new();
    let mut updated = Vec::new();
    for (row, hit) in std::mem::take(&mut table.rows).into_iter().zip(hits) {
        if !hit {
            kept.push(row);
            continue;
        }
        let mut row = row;
        for (ci, operand) in &assignments {
            row[*ci] = match operand {
                Operand::Column(name, pos) => {
                    let src = column_index(table, name, *pos)?;
                    coerce_value(&table.columns[*ci], row[src].clone(), *pos)?
                }
                literal => assign(&table.columns[*ci], literal)?,
            };
        }
        check_not_null(table, &row)?;
        updated.push(row);
    }
    // A new row version goes to the end of the heap, as an unordered SELECT then shows.
    let count = updated.len();
    kept.extend(updated);
    table.rows = kept;
    Ok(Outcome::Tag(format!("UPDATE {count}")))
}

fn operand_pos(o: &Operand) -> usize {
    match o {
        Operand::Column(_, p) | Operand::Literal(_, p) => *p,
    }
}

fn column_index(table: &Table, name: &str, pos: usize) -> Result<usize, SqlError> {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| SqlError::new(format!("column \"{name}\" does not exist"), Some(pos + 1)))
}

/// A literal stored into a column (an assignment cast).
fn assign(column: &Column, operand: &Operand) -> Result<Value, SqlError> {
    match operand {
        Operand::Column(name, pos) => Err(SqlError::new(format!("column \"{name}\" does not exist"), Some(pos + 1))),
        Operand::Literal(lit, pos) => {
            let value = match lit {
                Literal::Null => Value::Null,
                Literal::Unknown(s) => Value::Text(s.clone()),
                Literal::Number(n) if n.contains('.') => Value::Num(n.clone()),
                Literal::Number(n) => n.parse().map(Value::Int).unwrap_or_else(|_| Value::Num(n.clone())),
                Literal::Bool(b) => Value::Bool(*b),
            };
            let from_string = matches!(lit, Literal::Unknown(_));
            if column.kind == TypeKind::Bool && matches!(lit, Literal::Number(_)) {
                return Err(type_mismatch(column, "integer", *pos));
            }
            if !from_string && column.kind == TypeKind::Int && matches!(lit, Literal::Bool(_)) {
                return Err(type_mismatch(column, "boolean", *pos));
            }
            coerce_value(column, value, *pos)
        }
    }
}

fn type_mismatch(column: &Column, given: &str, pos: usize) -> SqlError {
    let mut e = SqlError::new(
        format!("column \"{}\" is of type {} but expression is of type {given}", column.name, column.type_name),
        Some(pos + 1),
    );
    e.hint = Some("You will need to rewrite or cast the expression.".into());
    e
}

/// Converts a value to a column's type, with the server's input errors.
fn coerce_value(column: &Column, value: Value, pos: usize) -> Result<Value, SqlError> {
    let invalid = |ty: &str, text: &str| SqlError::new(format!("invalid input syntax for type {ty}: \"{text}\""), Some(pos + 1));
    Ok(match (column.kind, value) {
        (_, Value::Null) => Value::Null,
        (TypeKind::Int, Value::Int(n)) => int_in_range(column, n, pos)?,
        (TypeKind::Int, Value::Num(n)) => int_in_range(column, n.parse::<f64>().map(|f| f.round() as i64).unwrap_or(0), pos)?,
        (TypeKind::Int, Value::Text(t)) => match t.trim().parse::<i64>() {
            Ok(n) => int_in_range(column, n, pos)?,
            Err(_) => return Err(invalid(column.type_name.as_str(), &t)),
        },
        (TypeKind::Numeric, Value::Int(n)) => Value::Num(n.to_string()),
        (TypeKind::Numeric, Value::Text(t)) => match t.trim().parse::<f64>() {
            Ok(_) => Value::Num(t.trim().to_string()),
            Err(_) => return Err(invalid(column.type_name.as_str(), &t)),
        },
        (TypeKind::Numeric, v @ Value::Num(_)) => v,
        (TypeKind::Text, Value::Text(t)) => fit_length(column, t)?,
        (TypeKind::Text, v) => fit_length(column, v.display().unwrap_or_default())?,
        (TypeKind::Bool, Value::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "y" | "on" | "1" => Value::Bool(true),
            "f" | "false" | "no" | "n" | "off" | "0" => Value::Bool(false),
            _ => return Err(invalid("boolean", &t)),
        },
        (TypeKind::Bool, v @ Value::Bool(_)) => v,
        (_, v) => return Err(type_mismatch(column, value_type(&v), pos)),
    })
}

fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Int(_) => "integer",
        Value::Num(_) => "numeric",
        Value::Text(_) => "text",
        Value::Bool(_) => "boolean",
        Value::Null => "unknown",
    }
}

fn int_in_range(column: &Column, n: i64, pos: usize) -> Result<Value, SqlError> {
    let fits = match column.type_name.as_str() {
        "smallint" => i16::try_from(n).is_ok(),
        "bigint" => true,
        _ => i32::try_from(n).is_ok(),
    };
    if fits {
        Ok(Value::Int(n))
    } else {
        Err(SqlError::new(format!("{} out of range", if column.type_name == "smallint" { "smallint" } else { "integer" }), Some(pos + 1)))
    }
}

fn fit_length(column: &Column, text: String) -> Result<Value, SqlError> {
    match column.max_len {
        Some(max) if text.trim_end().chars().count() > max => {
            Err(SqlError::new(format!("value too long for type {}", column.type_name), None))
        }
        Some(max) if column.type_name.starts_with("character(") || column.type_name == "character" => {
            // Padded by hand: a width in `format!` stops at 65 535, a column's length does not.
            let pad = max.saturating_sub(text.chars().count());
            Ok(Value::Text(format!("{text}{}", " ".repeat(pad))))
        }
        _ => Ok(Value::Text(text)),
    }
}

/// Which rows of `table` satisfy `filter`.
fn matching_rows(table: &Table, filter: Option<&Condition>) -> Result<Vec<bool>, SqlError> {
    let Some(filter) = filter else { return Ok(vec![true; table.rows.len()]) };
    // Check the condition's columns and types once, even on an empty table.
    let blank = vec![Value::Null; table.columns.len()];
    evaluate(table, &blank, filter)?;
    table.rows.iter().map(|row| Ok(evaluate(table, row, filter)? == Some(true))).collect()
}

/// Three-valued logic: `None` is SQL's unknown.
fn evaluate(table: &Table, row: &[Value], condition: &Condition) -> Result<Option<bool>, SqlError> {
    Ok(match condition {
        Condition::And(a, b) => match (evaluate(table, row, a)?, evaluate(table, row, b)?) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Condition::Or(a, b) => match (evaluate(table, row, a)?, evaluate(table, row, b)?) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Condition::IsNull(o, negated) => Some((operand_value(table, row, o, None)? == Value::Null) != *negated),
        Condition::Compare(left, op, right) => {
            let (l, r) = typed_pair(table, row, left, op, right)?;
            compare(&l, &r).map(|ord| match op.as_str() {
                "=" => ord == Ordering::Equal,
                "<>" | "!=" => ord != Ordering::Equal,
                "<" => ord == Ordering::Less,
                ">" => ord == Ordering::Greater,
                "<=" => ord != Ordering::Greater,
                _ => ord != Ordering::Less,
            })
        }
    })
}

/// Both sides of a comparison, an untyped string literal taking the other side's type.
fn typed_pair(table: &Table, row: &[Value], left: &Operand, op: &str, right: &Operand) -> Result<(Value, Value), SqlError> {
    let kind_of = |o: &Operand| -> Option<TypeKind> {
        match o {
            Operand::Column(name, _) => table.columns.iter().find(|c| &c.name == name).map(|c| c.kind),
            Operand::Literal(Literal::Number(_), _) => Some(TypeKind::Numeric),
            Operand::Literal(Literal::Bool(_), _) => Some(TypeKind::Bool),
            Operand::Literal(..) => None,
        }
    };
    let l = operand_value(table, row, left, kind_of(right))?;
    let r = operand_value(table, row, right, kind_of(left))?;
    let family = |v: &Value, o: &Operand| match (v, o) {
        (Value::Int(_) | Value::Num(_), _) => Some("integer"),
        (Value::Text(_), _) => Some("text"),
        (Value::Bool(_), _) => Some("boolean"),
        (Value::Null, o) => kind_of(o).map(|k| match k {
            TypeKind::Int | TypeKind::Numeric => "integer",
            TypeKind::Text => "text",
            TypeKind::Bool => "boolean",
        }),
    };
    if let (Some(a), Some(b)) = (family(&l, left), family(&r, right)) {
        if a != b {
            let op_shown = if op == "!=" { "<>" } else { op };
            let mut e = SqlError::new(format!("operator does not exist: {a} {op_shown} {b}"), None);
            e.position = Some(operand_pos(right).saturating_sub(op.len() + 1) + 1);
            e.hint = Some("No operator matches the given name and argument types. You might need to add explicit type casts.".into());
            return Err(e);
        }
    }
    Ok((l, r))
}

fn operand_value(table: &Table, row: &[Value], operand: &Operand, want: Option<TypeKind>) -> Result<Value, SqlError> {
    match operand {
        Operand::Column(name, pos) => Ok(row[column_index(table, name, *pos)?].clone()),
        Operand::Literal(lit, pos) => Ok(match lit {
            Literal::Null => Value::Null,
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Number(n) => n.parse().map(Value::Int).unwrap_or_else(|_| Value::Num(n.clone())),
            Literal::Unknown(s) => match want {
                Some(TypeKind::Int) => match s.trim().parse::<i64>() {
                    Ok(n) => Value::Int(n),
                    Err(_) => return Err(SqlError::new(format!("invalid input syntax for type integer: \"{s}\""), Some(pos + 1))),
                },
                Some(TypeKind::Numeric) => match s.trim().parse::<f64>() {
                    Ok(_) => Value::Num(s.trim().to_string()),
                    Err(_) => return Err(SqlError::new(format!("invalid input syntax for type numeric: \"{s}\""), Some(pos + 1))),
                },
                Some(TypeKind::Bool) => {
                    let column = Column {
                        name: String::new(),
                        type_name: "boolean".into(),
                        kind: TypeKind::Bool,
                        max_len: None,
                        serial: None,
                        not_null: false,
                    };
                    coerce_value(&column, Value::Text(s.clone()), *pos)?
                }
                _ => Value::Text(s.clone()),
            },
        }),
    }
}

/// SQL comparison; `None` when either side is NULL. Text compares byte by byte, as musl's
/// C collation does in the Alpine image.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let number = |v: &Value| match v {
        Value::Int(n) => Some(*n as f64),
        Value::Num(s) => s.parse::<f64>().ok(),
        _ => None,
    };
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Text(x), Value::Text(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => number(a)?.partial_cmp(&number(b)?),
    }
}

fn run_select(s: &Session, select: &Select) -> Result<ResultSet, SqlError> {
    let Some((name, pos)) = &select.from else { return select_without_table(s, select) };
    let table = &s.tables[table_index(s, name, *pos)?];
    // Output columns: (header, right-aligned, how to get the value).
    let mut outputs: Vec<(String, bool, Operand)> = Vec::new();
    let mut counting = None;
    for item in &select.items {
        match item {
            SelectItem::Star => {
                for c in &table.columns {
                    outputs.push((c.name.clone(), c.kind.is_numeric(), Operand::Column(c.name.clone(), 0)));
                }
            }
            SelectItem::Operand(o, alias) => {
                let (header, right) = match o {
                    Operand::Column(n, p) => (n.clone(), table.columns[column_index(table, n, *p)?].kind.is_numeric()),
                    Operand::Literal(Literal::Number(_), _) => ("?column?".into(), true),
                    Operand::Literal(..) => ("?column?".into(), false),
                };
                outputs.push((alias.clone().unwrap_or(header), right, o.clone()));
            }
            SelectItem::Count(alias) => counting = Some(alias.clone().unwrap_or_else(|| "count".into())),
            SelectItem::Function(f, alias) => {
                let value = function_value(s, f);
                outputs.push((alias.clone().unwrap_or_else(|| f.clone()), false, Operand::Literal(Literal::Unknown(value), 0)));
            }
        }
    }
    let hits = matching_rows(table, select.filter.as_ref())?;
    let mut rows: Vec<&Vec<Value>> = table.rows.iter().zip(hits).filter(|(_, h)| *h).map(|(r, _)| r).collect();
    if let Some(header) = counting {
        if !outputs.is_empty() {
            let mut e = SqlError::new(
                format!(
                    "column \"{}.{}\" must appear in the GROUP BY clause or be used in an aggregate function",
                    table.name, outputs[0].0
                ),
                None,
            );
            e.position = Some(operand_pos(&outputs[0].2) + 1);
            return Err(e);
        }
        return Ok(ResultSet { columns: vec![header], right_align: vec![true], rows: vec![vec![Some(rows.len().to_string())]] });
    }
    let mut keys = Vec::new();
    for (key, descending) in &select.order {
        let index = match key {
            Operand::Column(n, p) => column_index(table, n, *p)?,
            Operand::Literal(Literal::Number(n), p) => {
                let k: usize = n.parse().unwrap_or(0);
                let Some((_, _, Operand::Column(c, _))) = k.checked_sub(1).and_then(|i| outputs.get(i)) else {
                    return Err(SqlError::new(format!("ORDER BY position {n} is not in select list"), Some(p + 1)));
                };
                column_index(table, c, 0)?
            }
            Operand::Literal(..) => continue,
        };
        keys.push((index, *descending));
    }
    // NULLs sort last ascending and first descending; the sort is stable like the heap order.
    crate::sorting::sort_by(&mut rows, |a, b| {
        for (i, descending) in &keys {
            let ord = match (&a[*i], &b[*i]) {
                (Value::Null, Value::Null) => Ordering::Equal,
                (Value::Null, _) => Ordering::Greater,
                (_, Value::Null) => Ordering::Less,
                (x, y) => compare(x, y).unwrap_or(Ordering::Equal),
            };
            let ord = if *descending { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    if let Some(limit) = select.limit {
        rows.truncate(limit);
    }
    let mut out = Vec::new();
    for row in rows {
        let mut line = Vec::new();
        for (_, _, o) in &outputs {
            line.push(operand_value(table, row, o, None)?.display());
        }
        out.push(line);
    }
    Ok(ResultSet { columns: outputs.iter().map(|o| o.0.clone()).collect(), right_align: outputs.iter().map(|o| o.1).collect(), rows: out })
}

fn function_value(s: &Session, name: &str) -> String {
    match name {
        "version" => super::VERSION_STRING.to_string(),
        "current_database" => s.database.clone(),
        "current_user" => s.user.clone(),
        _ => s.now.clone(),
    }
}

/// `SELECT 1`, `SELECT version()`: one row of constants.
fn select_without_table(s: &Session, select: &Select) -> Result<ResultSet, SqlError> {
    let mut columns = Vec::new();
    let mut right_align = Vec::new();
    let mut row = Vec::new();
    for item in &select.items {
        let (header, right, value) = match item {
            SelectItem::Function(f, alias) => (alias.clone().unwrap_or_else(|| f.clone()), false, Some(function_value(s, f))),
            SelectItem::Count(alias) => (alias.clone().unwrap_or_else(|| "count".into()), true, Some("1".into())),
            SelectItem::Operand(Operand::Literal(lit, _), alias) => {
                let (right, value) = match lit {
                    Literal::Number(n) => (true, Some(n.clone())),
                    Literal::Unknown(t) => (false, Some(t.clone())),
                    Literal::Bool(b) => (false, Some(if *b { "t" } else { "f" }.to_string())),
                    Literal::Null => (false, None),
                };
                (
                    alias.clone().unwrap_or_else(|| if matches!(lit, Literal::Bool(_)) { "bool".into() } else { "?column?".into() }),
                    right,
                    value,
                )
            }
            SelectItem::Operand(Operand::Column(name, pos), _) => {
                return Err(SqlError::new(format!("column \"{name}\" does not exist"), Some(pos + 1)));
            }
            SelectItem::Star => return Err(SqlError::new("SELECT * with no tables specified is not valid".into(), None)),
        };
        columns.push(header);
        right_align.push(right);
        row.push(value);
    }
    Ok(ResultSet { columns, right_align, rows: vec![row] })
}
