//! Statements as parsed: the parser from tokens to CREATE/DROP, INSERT, SELECT, UPDATE and
//! DELETE, with the key words that need quotes to name a table or column.

use super::lex::{tokenize, Tok, Token};
use super::{SqlError, TypeKind};

#[derive(Clone, Debug)]
pub(super) enum Operand {
    Column(String, usize),
    Literal(Literal, usize),
}

#[derive(Clone, Debug)]
pub(super) enum Literal {
    Null,
    /// A quoted string: its type comes from what it meets.
    Unknown(String),
    Number(String),
    Bool(bool),
}

#[derive(Clone, Debug)]
pub(super) enum Condition {
    Compare(Operand, String, Operand),
    IsNull(Operand, bool),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

#[derive(Clone, Debug)]
pub(super) enum SelectItem {
    Star,
    Operand(Operand, Option<String>),
    Count(Option<String>),
    Function(String, Option<String>),
}

#[derive(Clone, Debug)]
pub(super) struct ColumnDef {
    pub(super) name: String,
    pub(super) type_name: String,
    pub(super) kind: TypeKind,
    pub(super) max_len: Option<usize>,
    pub(super) serial: bool,
    pub(super) not_null: bool,
}

#[derive(Clone, Debug)]
pub(super) enum Statement {
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
pub(super) struct Select {
    pub(super) items: Vec<SelectItem>,
    pub(super) from: Option<(String, usize)>,
    pub(super) filter: Option<Condition>,
    pub(super) order: Vec<(Operand, bool)>,
    pub(super) limit: Option<usize>,
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

/// Splits `text` into statements at top-level `;` (quotes respected) and parses them all:
/// the server rejects the whole string on a syntax error before it runs anything.
pub(super) fn parse_all(text: &str) -> Result<Vec<Statement>, SqlError> {
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
