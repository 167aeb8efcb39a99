//! A small SQL dialect of PostgreSQL: CREATE/DROP TABLE and DATABASE, INSERT, SELECT with a
//! simple WHERE, ORDER BY and LIMIT, UPDATE and DELETE, over tables held in memory. Errors carry
//! the server's message and the 1-based character position psql points its caret at.

mod exec;
mod lex;
mod parse;

use exec::execute;
use lex::Token;
use parse::parse_all;
// `super::VERSION_STRING` in exec.rs names the server's version through this module.
use super::VERSION_STRING;

/// A stored value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    /// numeric, real, double precision: kept as the text PostgreSQL prints.
    Num(String),
    Text(String),
    Bool(bool),
}

impl Value {
    /// The text psql shows (`None` for NULL).
    pub fn display(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Int(n) => Some(n.to_string()),
            Value::Num(s) | Value::Text(s) => Some(s.clone()),
            Value::Bool(b) => Some(if *b { "t" } else { "f" }.to_string()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    Int,
    Numeric,
    Text,
    Bool,
}

impl TypeKind {
    /// psql right-aligns numbers.
    pub fn is_numeric(self) -> bool {
        matches!(self, TypeKind::Int | TypeKind::Numeric)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: String,
    /// The type as PostgreSQL names it (`integer`, `character varying(20)`, …).
    pub type_name: String,
    pub kind: TypeKind,
    /// `varchar(n)`/`char(n)`: the most characters a value may have.
    pub max_len: Option<usize>,
    /// A serial column's sequence: the last value handed out.
    pub serial: Option<i64>,
    pub not_null: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: String,
    pub owner: String,
    pub relfilenode: u32,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Database {
    pub oid: u32,
    pub name: String,
    pub owner: String,
}

/// The cluster-wide catalog: roles, databases and the next free OID.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalog {
    pub roles: Vec<String>,
    pub databases: Vec<Database>,
    pub next_oid: u32,
}

impl Catalog {
    pub fn database(&self, name: &str) -> Option<&Database> {
        self.databases.iter().find(|d| d.name == name)
    }
    fn allocate_oid(&mut self) -> u32 {
        let oid = self.next_oid;
        self.next_oid += 1;
        oid
    }
}

/// One connection's view: the catalog, the connected database's tables, who is connected.
#[derive(Clone, Debug)]
pub struct Session {
    pub catalog: Catalog,
    pub database: String,
    pub user: String,
    pub tables: Vec<Table>,
    /// `now()`: the transaction's start, as the server prints a timestamptz.
    pub now: String,
}

/// A query result: column names, which are right-aligned, and the rows as text.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub right_align: Vec<bool>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// What one statement returned.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The command tag (`CREATE TABLE`, `INSERT 0 2`).
    Tag(String),
    Rows(ResultSet),
}

/// A statement's result and the notices it raised.
pub struct Reply {
    pub notices: Vec<String>,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SqlError {
    pub message: String,
    /// 1-based character position in the query text.
    pub position: Option<usize>,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

impl SqlError {
    fn new(message: String, position: Option<usize>) -> SqlError {
        SqlError { message, position, detail: None, hint: None }
    }
    fn at(message: String, token: &Token) -> SqlError {
        SqlError::new(message, Some(token.pos + 1))
    }
}

/// Runs a query string as one implicit transaction, as the simple query protocol does:
/// the replies of the statements before a failure, then the failure. On failure the
/// session is left as it was.
pub fn run_query(session: &mut Session, text: &str) -> (Vec<Reply>, Option<SqlError>) {
    let statements = match parse_all(text) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut work = session.clone();
    let mut replies = Vec::new();
    for statement in statements {
        match execute(&mut work, statement) {
            Ok(reply) => replies.push(reply),
            Err(e) => return (replies, Some(e)),
        }
    }
    *session = work;
    (replies, None)
}
