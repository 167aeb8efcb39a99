//! A small SQL dialect of PostgreSQL: CREATE/DROP TABLE and DATABASE, INSERT, SELECT with a
//! simple WHERE, ORDER BY and LIMIT, UPDATE and DELETE, over tables held in memory. Errors carry
//! the server's message and the 1-based character position psql points its caret at.

use std::cmp::Ordering;

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

// ---------------------------------------------------------------------------- tokens

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// An identifier or key word, folded to lower case unless it was quoted.
    Word(String),
    Quoted(String),
    Str(String),
    Number(String),
    Symbol(String),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    /// 0-based character offset in the query text.
    pos: usize,
    /// The token as written, for `syntax error at or near "…"`.
    raw: String,
}

fn tokenize(text: &str) -> Result<Vec<Token>, SqlError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let tok = if c == '\'' || c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        let what = if c == '\'' { "quoted string" } else { "quoted identifier" };
                        let rest: String = chars[start..].iter().collect();
                        return Err(SqlError::new(format!("unterminated {what} at or near \"{rest}\""), Some(start + 1)));
                    }
                    Some(&q) if q == c && chars.get(i + 1) == Some(&c) => {
                        s.push(c);
                        i += 2;
                    }
                    Some(&q) if q == c => {
                        i += 1;
                        break;
                    }
                    Some(&other) => {
                        s.push(other);
                        i += 1;
                    }
                }
            }
            if c == '\'' {
                Tok::Str(s)
            } else {
                Tok::Quoted(s)
            }
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            Tok::Number(chars[start..i].iter().collect())
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            Tok::Word(chars[start..i].iter().collect::<String>().to_lowercase())
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if matches!(two.as_str(), "<=" | ">=" | "<>" | "!=") {
                i += 2;
                Tok::Symbol(two)
            } else {
                i += 1;
                Tok::Symbol(c.to_string())
            }
        };
        tokens.push(Token { tok, pos: start, raw: chars[start..i].iter().collect() });
    }
    Ok(tokens)
}

// ---------------------------------------------------------------------------- statements

#[derive(Clone, Debug)]
enum Operand {
    Column(String, usize),
    Literal(Literal, usize),
}

#[derive(Clone, Debug)]
enum Literal {
    Null,
    /// A quoted string: its type comes from what it meets.
    Unknown(String),
    Number(String),
    Bool(bool),
}

#[derive(Clone, Debug)]
enum Condition {
    Compare(Operand, String, Operand),
    IsNull(Operand, bool),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

#[derive(Clone, Debug)]
enum SelectItem {
    Star,
    Operand(Operand, Option<String>),
    Count(Option<String>),
    Function(String, Option<String>),
}

#[derive(Clone, Debug)]
struct ColumnDef {
    name: String,
    type_name: String,
    kind: TypeKind,
    max_len: Option<usize>,
    serial: bool,
    not_null: bool,
}

#[derive(Clone, Debug)]
enum Statement {
    CreateTable { name: String, if_not_exists: bool, columns: Vec<ColumnDef> },
    DropTable { names: Vec<(String, usize)>, if_exists: bool },
    CreateDatabase { name: String },
    DropDatabase { name: String, if_exists: bool },
    Insert { table: String, table_pos: usize, columns: Vec<(String, usize)>, rows: Vec<Vec<Operand>> },
    Select(Select),
    Update { table: String, table_pos: usize, sets: Vec<(String, usize, Operand)>, filter: Option<Condition> },
    Delete { table: String, table_pos: usize, filter: Option<Condition> },
}

#[derive(Clone, Debug)]
struct Select {
    items: Vec<SelectItem>,
    from: Option<(String, usize)>,
    filter: Option<Condition>,
    order: Vec<(Operand, bool)>,
    limit: Option<usize>,
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
    /// Where the text ends (for `syntax error at end of input`).
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Word(w), .. }) if w == word)
    }
    fn eat_word(&mut self, word: &str) -> bool {
        let hit = self.peek_word(word);
        if hit {
            self.at += 1;
        }
        hit
    }
    fn eat_symbol(&mut self, symbol: &str) -> bool {
        let hit = matches!(self.peek(), Some(Token { tok: Tok::Symbol(s), .. }) if s == symbol);
        if hit {
            self.at += 1;
        }
        hit
    }
    fn error(&self) -> SqlError {
        match self.peek() {
            Some(t) => SqlError::at(format!("syntax error at or near \"{}\"", t.raw), t),
            None => SqlError::new("syntax error at end of input".into(), Some(self.end + 1)),
        }
    }
    fn expect_word(&mut self, word: &str) -> Result<(), SqlError> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.error())
        }
    }
    fn expect_symbol(&mut self, symbol: &str) -> Result<(), SqlError> {
        if self.eat_symbol(symbol) {
            Ok(())
        } else {
            Err(self.error())
        }
    }
    fn name(&mut self) -> Result<(String, usize), SqlError> {
        match self.peek() {
            Some(Token { tok: Tok::Word(w) | Tok::Quoted(w), pos, .. })
                if !is_reserved(w) || matches!(self.peek().map(|t| &t.tok), Some(Tok::Quoted(_))) =>
            {
                let named = (w.clone(), *pos);
                self.at += 1;
                // `public.notes` names the same table.
                if named.0 == "public" && self.eat_symbol(".") {
                    return self.name();
                }
                Ok(named)
            }
            _ => Err(self.error()),
        }
    }

    fn statement(&mut self) -> Result<Statement, SqlError> {
        let Some(first) = self.peek() else { return Err(self.error()) };
        let Tok::Word(word) = &first.tok else { return Err(self.error()) };
        let statement = match word.as_str() {
            "create" => {
                self.at += 1;
                if self.eat_word("database") {
                    Statement::CreateDatabase { name: self.name()?.0 }
                } else {
                    self.expect_word("table")?;
                    self.create_table()?
                }
            }
            "drop" => {
                self.at += 1;
                if self.eat_word("database") {
                    let if_exists = self.if_exists()?;
                    Statement::DropDatabase { if_exists, name: self.name()?.0 }
                } else {
                    self.expect_word("table")?;
                    let if_exists = self.if_exists()?;
                    let mut names = vec![self.name()?];
                    while self.eat_symbol(",") {
                        names.push(self.name()?);
                    }
                    Statement::DropTable { names, if_exists }
                }
            }
            "insert" => self.insert()?,
            "select" => Statement::Select(self.select()?),
            "update" => self.update()?,
            "delete" => {
                self.at += 1;
                self.expect_word("from")?;
                let (table, table_pos) = self.name()?;
                let filter = self.where_clause()?;
                Statement::Delete { table, table_pos, filter }
            }
            _ => return Err(self.error()),
        };
        if self.at < self.tokens.len() {
            return Err(self.error());
        }
        Ok(statement)
    }

    fn if_exists(&mut self) -> Result<bool, SqlError> {
        if self.eat_word("if") {
            self.expect_word("exists")?;
            return Ok(true);
        }
        Ok(false)
    }

    fn create_table(&mut self) -> Result<Statement, SqlError> {
        let mut if_not_exists = false;
        if self.eat_word("if") {
            self.expect_word("not")?;
            self.expect_word("exists")?;
            if_not_exists = true;
        }
        let (name, _) = self.name()?;
        self.expect_symbol("(")?;
        let mut columns = Vec::new();
        loop {
            if ["primary", "unique", "constraint", "foreign", "check"].iter().any(|w| self.peek_word(w)) {
                self.skip_constraint()?;
            } else {
                columns.push(self.column_def()?);
            }
            if self.eat_symbol(")") {
                break;
            }
            self.expect_symbol(",")?;
        }
        Ok(Statement::CreateTable { name, if_not_exists, columns })
    }

    fn column_def(&mut self) -> Result<ColumnDef, SqlError> {
        let (name, _) = self.name()?;
        let Some(Token { tok: Tok::Word(word), .. }) = self.peek().cloned() else { return Err(self.error()) };
        self.at += 1;
        let (type_name, kind, serial) = match word.as_str() {
            "int" | "integer" | "int4" => ("integer", TypeKind::Int, false),
            "smallint" | "int2" => ("smallint", TypeKind::Int, false),
            "bigint" | "int8" => ("bigint", TypeKind::Int, false),
            "serial" | "serial4" => ("integer", TypeKind::Int, true),
            "bigserial" | "serial8" => ("bigint", TypeKind::Int, true),
            "text" => ("text", TypeKind::Text, false),
            "varchar" => ("character varying", TypeKind::Text, false),
            "char" | "character" if self.eat_word("varying") => ("character varying", TypeKind::Text, false),
            "char" | "character" => ("character", TypeKind::Text, false),
            "boolean" | "bool" => ("boolean", TypeKind::Bool, false),
            "numeric" | "decimal" => ("numeric", TypeKind::Numeric, false),
            "real" | "float4" => ("real", TypeKind::Numeric, false),
            "double" => {
                self.expect_word("precision")?;
                ("double precision", TypeKind::Numeric, false)
            }
            "float" | "float8" => ("double precision", TypeKind::Numeric, false),
            "date" | "timestamp" | "timestamptz" | "time" | "uuid" | "json" | "jsonb" => (word.as_str(), TypeKind::Text, false),
            _ => {
                let t = &self.tokens[self.at - 1];
                return Err(SqlError::at(format!("type \"{word}\" does not exist"), t));
            }
        };
        let mut type_name = type_name.to_string();
        let mut max_len = None;
        if self.eat_symbol("(") {
            let mut args = Vec::new();
            while let Some(Token { tok: Tok::Number(n), .. }) = self.peek().cloned() {
                self.at += 1;
                args.push(n);
                if !self.eat_symbol(",") {
                    break;
                }
            }
            self.expect_symbol(")")?;
            if kind == TypeKind::Text {
                max_len = args.first().and_then(|n| n.parse().ok());
            }
            type_name = format!("{type_name}({})", args.join(","));
        } else if type_name == "character" {
            max_len = Some(1);
        }
        let mut not_null = serial;
        // Column constraints: only NOT NULL and PRIMARY KEY matter here.
        while let Some(t) = self.peek() {
            if matches!(t.tok, Tok::Symbol(ref s) if s == "," || s == ")") {
                break;
            }
            if self.eat_word("not") {
                self.expect_word("null")?;
                not_null = true;
            } else if self.eat_word("primary") {
                self.expect_word("key")?;
                not_null = true;
            } else {
                self.skip_constraint_token()?;
            }
        }
        Ok(ColumnDef { name, type_name, kind, max_len, serial, not_null })
    }

    /// Skips one token, or a parenthesized group (`DEFAULT now()`, `CHECK (x > 0)`).
    fn skip_constraint_token(&mut self) -> Result<(), SqlError> {
        if self.eat_symbol("(") {
            let mut depth = 1;
            while depth > 0 {
                match self.peek().map(|t| t.tok.clone()) {
                    None => return Err(self.error()),
                    Some(Tok::Symbol(s)) if s == "(" => depth += 1,
                    Some(Tok::Symbol(s)) if s == ")" => depth -= 1,
                    _ => {}
                }
                self.at += 1;
            }
        } else {
            self.at += 1;
        }
        Ok(())
    }

    fn skip_constraint(&mut self) -> Result<(), SqlError> {
        while let Some(t) = self.peek() {
            if matches!(t.tok, Tok::Symbol(ref s) if s == "," || s == ")") {
                return Ok(());
            }
            self.skip_constraint_token()?;
        }
        Err(self.error())
    }

    fn insert(&mut self) -> Result<Statement, SqlError> {
        self.at += 1;
        self.expect_word("into")?;
        let (table, table_pos) = self.name()?;
        let mut columns = Vec::new();
        if self.eat_symbol("(") {
            loop {
                columns.push(self.name()?);
                if self.eat_symbol(")") {
                    break;
                }
                self.expect_symbol(",")?;
            }
        }
        self.expect_word("values")?;
        let mut rows = Vec::new();
        loop {
            self.expect_symbol("(")?;
            let mut row = Vec::new();
            loop {
                row.push(self.operand()?);
                if self.eat_symbol(")") {
                    break;
                }
                self.expect_symbol(",")?;
            }
            rows.push(row);
            if !self.eat_symbol(",") {
                break;
            }
        }
        Ok(Statement::Insert { table, table_pos, columns, rows })
    }

    fn update(&mut self) -> Result<Statement, SqlError> {
        self.at += 1;
        let (table, table_pos) = self.name()?;
        self.expect_word("set")?;
        let mut sets = Vec::new();
        loop {
            let (column, pos) = self.name()?;
            self.expect_symbol("=")?;
            sets.push((column, pos, self.operand()?));
            if !self.eat_symbol(",") {
                break;
            }
        }
        let filter = self.where_clause()?;
        Ok(Statement::Update { table, table_pos, sets, filter })
    }

    fn select(&mut self) -> Result<Select, SqlError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            items.push(self.select_item()?);
            if !self.eat_symbol(",") {
                break;
            }
        }
        let from = if self.eat_word("from") { Some(self.name()?) } else { None };
        let filter = self.where_clause()?;
        let mut order = Vec::new();
        if self.eat_word("order") {
            self.expect_word("by")?;
            loop {
                let key = self.operand()?;
                let descending = self.eat_word("desc");
                if !descending {
                    self.eat_word("asc");
                }
                order.push((key, descending));
                if !self.eat_symbol(",") {
                    break;
                }
            }
        }
        let mut limit = None;
        if self.eat_word("limit") {
            match self.peek().map(|t| t.tok.clone()) {
                Some(Tok::Number(n)) => {
                    self.at += 1;
                    limit = n.parse().ok();
                }
                Some(Tok::Word(w)) if w == "all" => self.at += 1,
                _ => return Err(self.error()),
            }
        }
        Ok(Select { items, from, filter, order, limit })
    }

    fn select_item(&mut self) -> Result<SelectItem, SqlError> {
        if self.eat_symbol("*") {
            return Ok(SelectItem::Star);
        }
        let is_call = matches!(self.tokens.get(self.at + 1).map(|t| &t.tok), Some(Tok::Symbol(s)) if s == "(");
        let item = match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Word(f)) if is_call => {
                self.at += 2;
                if f == "count" {
                    if !self.eat_symbol("*") {
                        self.operand()?;
                    }
                    self.expect_symbol(")")?;
                    SelectItem::Count(None)
                } else if matches!(f.as_str(), "version" | "current_database" | "current_user" | "now") {
                    self.expect_symbol(")")?;
                    SelectItem::Function(f, None)
                } else {
                    let t = &self.tokens[self.at - 2];
                    let mut e = SqlError::at(format!("function {f}() does not exist"), t);
                    e.hint =
                        Some("No function matches the given name and argument types. You might need to add explicit type casts.".into());
                    return Err(e);
                }
            }
            Some(Tok::Word(f)) if f == "current_user" => {
                self.at += 1;
                SelectItem::Function(f, None)
            }
            _ => SelectItem::Operand(self.operand()?, None),
        };
        let alias = if self.eat_word("as") {
            Some(self.name()?.0)
        } else if let Some(Token { tok: Tok::Word(w), .. }) = self.peek() {
            if is_reserved(w) {
                None
            } else {
                Some(self.name()?.0)
            }
        } else {
            None
        };
        Ok(match (item, alias) {
            (i, None) => i,
            (SelectItem::Operand(o, _), a) => SelectItem::Operand(o, a),
            (SelectItem::Count(_), a) => SelectItem::Count(a),
            (SelectItem::Function(f, _), a) => SelectItem::Function(f, a),
            (SelectItem::Star, _) => SelectItem::Star,
        })
    }

    fn where_clause(&mut self) -> Result<Option<Condition>, SqlError> {
        if self.eat_word("where") {
            return Ok(Some(self.or_condition()?));
        }
        Ok(None)
    }

    fn or_condition(&mut self) -> Result<Condition, SqlError> {
        let mut left = self.and_condition()?;
        while self.eat_word("or") {
            left = Condition::Or(Box::new(left), Box::new(self.and_condition()?));
        }
        Ok(left)
    }

    fn and_condition(&mut self) -> Result<Condition, SqlError> {
        let mut left = self.predicate()?;
        while self.eat_word("and") {
            left = Condition::And(Box::new(left), Box::new(self.predicate()?));
        }
        Ok(left)
    }

    fn predicate(&mut self) -> Result<Condition, SqlError> {
        if self.eat_symbol("(") {
            let inner = self.or_condition()?;
            self.expect_symbol(")")?;
            return Ok(inner);
        }
        let left = self.operand()?;
        if self.eat_word("is") {
            let negated = self.eat_word("not");
            self.expect_word("null")?;
            return Ok(Condition::IsNull(left, negated));
        }
        let op = match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Symbol(s)) if matches!(s.as_str(), "=" | "<>" | "!=" | "<" | ">" | "<=" | ">=") => s,
            _ => return Err(self.error()),
        };
        self.at += 1;
        Ok(Condition::Compare(left, op, self.operand()?))
    }

    fn operand(&mut self) -> Result<Operand, SqlError> {
        let Some(t) = self.peek().cloned() else { return Err(self.error()) };
        let negative = matches!(&t.tok, Tok::Symbol(s) if s == "-");
        if negative {
            self.at += 1;
            if let Some(Token { tok: Tok::Number(n), .. }) = self.peek().cloned() {
                self.at += 1;
                return Ok(Operand::Literal(Literal::Number(format!("-{n}")), t.pos));
            }
            return Err(self.error());
        }
        let operand = match &t.tok {
            Tok::Str(s) => Operand::Literal(Literal::Unknown(s.clone()), t.pos),
            Tok::Number(n) => Operand::Literal(Literal::Number(n.clone()), t.pos),
            Tok::Word(w) if w == "null" => Operand::Literal(Literal::Null, t.pos),
            Tok::Word(w) if w == "true" || w == "false" => Operand::Literal(Literal::Bool(w == "true"), t.pos),
            Tok::Word(w) if !is_reserved(w) => Operand::Column(w.clone(), t.pos),
            Tok::Quoted(w) => Operand::Column(w.clone(), t.pos),
            _ => return Err(self.error()),
        };
        self.at += 1;
        Ok(operand)
    }
}

/// Key words that cannot name a column or table without quotes.
fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "select"
            | "from"
            | "where"
            | "order"
            | "by"
            | "limit"
            | "and"
            | "or"
            | "not"
            | "null"
            | "table"
            | "create"
            | "insert"
            | "into"
            | "values"
            | "as"
            | "is"
            | "desc"
            | "asc"
            | "primary"
            | "unique"
            | "default"
            | "check"
            | "references"
            | "constraint"
            | "true"
            | "false"
            | "all"
            | "group"
            | "having"
            | "union"
            | "on"
            | "drop"
            | "set"
    )
}

// ---------------------------------------------------------------------------- execution

/// Splits `text` into statements at top-level `;` (quotes respected) and parses them all:
/// the server rejects the whole string on a syntax error before it runs anything.
fn parse_all(text: &str) -> Result<Vec<Statement>, SqlError> {
    let tokens = tokenize(text)?;
    let end = text.chars().count();
    let mut statements = Vec::new();
    for part in tokens.split(|t| t.tok == Tok::Symbol(";".into())) {
        if part.is_empty() {
            continue;
        }
        let mut parser = Parser { tokens: part, at: 0, end };
        statements.push(parser.statement()?);
    }
    Ok(statements)
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

fn execute(s: &mut Session, statement: Statement) -> Result<Reply, SqlError> {
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
            Ok(Value::Text(format!("{text:<max$}")))
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
