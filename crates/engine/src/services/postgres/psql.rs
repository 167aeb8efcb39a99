//! psql: connecting through the server's Unix socket, `-c`, `-f` and scripts on stdin, a few
//! meta-commands, and the aligned and unaligned output formats.

use super::cluster::{self, DataDir};
use super::sql::{self, Catalog, Outcome, ResultSet, Session, SqlError};
use super::{SOCKET, SOCKET_DIR};
use crate::shell::{Io, Shell};
use crate::userland::Exit;
use crate::vfs::Ctx;
use crate::world::{Cred, World};

enum Action {
    Command(String),
    File(String),
}

#[derive(Default)]
struct Options {
    user: Option<String>,
    dbname: Option<String>,
    host: Option<String>,
    actions: Vec<Action>,
    tuples_only: bool,
    unaligned: bool,
    quiet: bool,
    on_error_stop: bool,
    list_databases: bool,
}

enum Parsed {
    Run(Options),
    Done(i32),
}

fn parse_args(args: &[String], io: &mut Io) -> Parsed {
    let mut o = Options::default();
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let short = match name {
                "command" => 'c',
                "dbname" => 'd',
                "file" => 'f',
                "host" => 'h',
                "port" => 'p',
                "username" => 'U',
                "set" | "variable" => 'v',
                "tuples-only" => 't',
                "no-align" => 'A',
                "quiet" => 'q',
                "no-psqlrc" => 'X',
                "no-password" => 'w',
                "list" => 'l',
                "version" => 'V',
                _ => {
                    io.err_line(&format!("psql: error: unrecognized option '--{name}'"));
                    io.err_line("psql: hint: Try \"psql --help\" for more information.");
                    return Parsed::Done(1);
                }
            };
            let value = if takes_value(short) {
                match inline.or_else(|| args.get(i).cloned().inspect(|_| i += 1)) {
                    Some(v) => Some(v),
                    None => return missing_argument(io, name),
                }
            } else {
                None
            };
            if let Some(code) = apply(&mut o, short, value) {
                return Parsed::Done(code);
            }
            continue;
        }
        let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) else {
            positional.push(arg.clone());
            continue;
        };
        let chars: Vec<char> = cluster.chars().collect();
        for (k, &c) in chars.iter().enumerate() {
            if !"cdfhpUvtAqXwlV".contains(c) {
                io.err_line(&format!("psql: invalid option -- '{c}'"));
                io.err_line("psql: hint: Try \"psql --help\" for more information.");
                return Parsed::Done(1);
            }
            let mut value = None;
            if takes_value(c) {
                let rest: String = chars[k + 1..].iter().collect();
                value = if !rest.is_empty() {
                    Some(rest)
                } else if let Some(v) = args.get(i) {
                    i += 1;
                    Some(v.clone())
                } else {
                    io.err_line(&format!("psql: option requires an argument -- '{c}'"));
                    io.err_line("psql: hint: Try \"psql --help\" for more information.");
                    return Parsed::Done(1);
                };
            }
            if let Some(code) = apply(&mut o, c, value.clone()) {
                if c == 'V' {
                    io.out_str(&format!("psql (PostgreSQL) {}\n", super::VERSION));
                }
                return Parsed::Done(code);
            }
            if value.is_some() {
                break;
            }
        }
    }
    let mut positional = positional.into_iter();
    if o.dbname.is_none() {
        o.dbname = positional.next();
    }
    if o.user.is_none() {
        o.user = positional.next();
    }
    Parsed::Run(o)
}

fn takes_value(c: char) -> bool {
    "cdfhpUv".contains(c)
}

fn missing_argument(io: &mut Io, name: &str) -> Parsed {
    io.err_line(&format!("psql: error: option '--{name}' requires an argument"));
    io.err_line("psql: hint: Try \"psql --help\" for more information.");
    Parsed::Done(1)
}

/// Records one option; `Some(code)` when psql exits right away (`--version`).
fn apply(o: &mut Options, c: char, value: Option<String>) -> Option<i32> {
    let v = value.unwrap_or_default();
    match c {
        'c' => o.actions.push(Action::Command(v)),
        'f' => o.actions.push(Action::File(v)),
        'd' => o.dbname = Some(v),
        'U' => o.user = Some(v),
        'h' => o.host = Some(v),
        'v' => o.on_error_stop |= v.eq_ignore_ascii_case("ON_ERROR_STOP=1") || v.eq_ignore_ascii_case("ON_ERROR_STOP=on"),
        't' => o.tuples_only = true,
        'A' => o.unaligned = true,
        'q' => o.quiet = true,
        'l' => o.list_databases = true,
        'V' => return Some(0),
        _ => {}
    }
    None
}

/// A connection: the server's data directory, the session and the connected database.
struct Connection {
    dir: DataDir,
    session: Session,
    db_oid: u32,
}

pub fn run(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let options = match parse_args(&argv[1..], io) {
        Parsed::Run(o) => o,
        Parsed::Done(code) => return Exit::Code(code),
    };
    let mut conn = match connect(world, &sh.ctx, &options, env) {
        Ok(c) => c,
        Err(message) => {
            io.err_line(&format!("psql: error: {message}"));
            return Exit::Code(2);
        }
    };
    if options.list_databases {
        meta_command(&conn, "\\l", &options, io);
        return Exit::Code(0);
    }
    let mut status = 0;
    if options.actions.is_empty() {
        let script = String::from_utf8_lossy(&std::mem::take(&mut io.stdin)).into_owned();
        return Exit::Code(run_script(world, &mut conn, &script, "<stdin>", &options, io));
    }
    for action in &options.actions {
        status = match action {
            Action::Command(text) => run_command_string(world, &mut conn, text, &options, io),
            Action::File(path) => match world.read(&sh.ctx, path) {
                Ok(d) => run_script(world, &mut conn, &String::from_utf8_lossy(&d.to_vec()), path, &options, io),
                Err(e) => {
                    io.err_line(&format!("psql: error: {path}: {e}"));
                    1
                }
            },
        };
        if status != 0 {
            break;
        }
    }
    Exit::Code(status)
}

fn env_value<'e>(env: &'e [String], key: &str) -> Option<&'e str> {
    env.iter().rev().find_map(|e| e.strip_prefix(key)?.strip_prefix('='))
}

/// Reaches the server through its socket in this container; the socket's lock file names the
/// data directory, and the server process owns it.
fn connect(world: &World, ctx: &Ctx, o: &Options, env: &[String]) -> Result<Connection, String> {
    let socket_failure = |detail: &str| format!("connection to server on socket \"{SOCKET}\" failed: {detail}");
    match o.host.as_deref() {
        None | Some(SOCKET_DIR) | Some("/tmp") => {}
        Some("localhost" | "127.0.0.1" | "::1") if world.exists(ctx, SOCKET) => {}
        Some(host @ ("localhost" | "127.0.0.1" | "::1")) => {
            let refused = |addr: &str| {
                format!("connection to server at \"{host}\" ({addr}), port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?")
            };
            return Err(match host {
                "localhost" => format!("{}\n{}", refused("::1"), refused("127.0.0.1")),
                "::1" => refused("::1"),
                _ => refused("127.0.0.1"),
            });
        }
        Some(host) => return Err(format!("could not translate host name \"{host}\" to address: Name does not resolve")),
    }
    let lock = format!("{SOCKET}.lock");
    let root = Ctx { cred: Cred::root(), ..ctx.clone() };
    let (Ok(_), Ok(st), Ok(lock_text)) = (world.stat(ctx, SOCKET, true), world.stat(&root, &lock, true), world.read(&root, &lock)) else {
        return Err(socket_failure("No such file or directory\n\tIs the server running locally and accepting connections on that socket?"));
    };
    let lock_text = String::from_utf8_lossy(&lock_text.to_vec()).into_owned();
    let path = lock_text.lines().nth(1).unwrap_or(crate::catalog::PGDATA).to_string();
    let server = Cred::new(st.uid, st.gid, vec![st.gid]);
    let dir = DataDir { path, ctx: Ctx { ns: ctx.ns.clone(), cred: server, cwd: "/".into(), umask: 0o077 } };
    let os_user = crate::userland::users::user_name(world, ctx, ctx.cred.uid).unwrap_or_else(|| ctx.cred.uid.to_string());
    let user = o.user.clone().or_else(|| env_value(env, "PGUSER").map(str::to_string)).unwrap_or(os_user);
    let database = o.dbname.clone().or_else(|| env_value(env, "PGDATABASE").map(str::to_string)).unwrap_or_else(|| user.clone());
    let catalog = cluster::load_catalog(world, &dir);
    if !catalog.roles.contains(&user) {
        return Err(socket_failure(&format!("FATAL:  role \"{user}\" does not exist")));
    }
    let Some(db_oid) = catalog.database(&database).map(|d| d.oid) else {
        return Err(socket_failure(&format!("FATAL:  database \"{database}\" does not exist")));
    };
    let tables = cluster::load_tables(world, &dir, db_oid);
    let now = super::log_time(world.clock().nanos).replace(" UTC", "+00");
    Ok(Connection { dir, session: Session { catalog, database, user, tables, now }, db_oid })
}

/// `-c`: one query string, one implicit transaction. Exit status 1 on an error.
fn run_command_string(world: &mut World, conn: &mut Connection, text: &str, o: &Options, io: &mut Io) -> i32 {
    if text.trim_start().starts_with('\\') {
        return meta_command(conn, text.trim(), o, io);
    }
    if send(world, conn, text, "", o, io) {
        0
    } else {
        1
    }
}

/// `-f FILE` or stdin: psql sends each statement on its own; errors name the line.
fn run_script(world: &mut World, conn: &mut Connection, script: &str, source: &str, o: &Options, io: &mut Io) -> i32 {
    let mut buffer = String::new();
    for (index, line) in script.lines().enumerate() {
        let prefix = format!("psql:{source}:{}: ", index + 1);
        if buffer.trim().is_empty() && line.trim_start().starts_with('\\') {
            buffer.clear();
            if line.trim() == "\\q" {
                return 0;
            }
            if meta_command(conn, line.trim(), o, io) != 0 && o.on_error_stop {
                return 3;
            }
            continue;
        }
        let mut rest = line;
        while let Some((statement, after)) = statement_end(&buffer, rest).and_then(|end| rest.split_at_checked(end + 1)) {
            buffer.push_str(statement);
            rest = after;
            let statement = std::mem::take(&mut buffer);
            if !send(world, conn, statement.trim_start(), &prefix, o, io) && o.on_error_stop {
                return 3;
            }
        }
        if !(buffer.is_empty() && rest.trim().is_empty()) {
            buffer.push_str(rest);
            buffer.push('\n');
        }
    }
    if !buffer.trim().is_empty() {
        let prefix = format!("psql:{source}:{}: ", script.lines().count());
        if !send(world, conn, buffer.trim(), &prefix, o, io) && o.on_error_stop {
            return 3;
        }
    }
    0
}

/// Where the first `;` outside quotes and comments is in `line`, given what came before.
fn statement_end(before: &str, line: &str) -> Option<usize> {
    let mut quote = before.chars().filter(|c| *c == '\'').count() % 2 == 1;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' => quote = !quote,
            '-' if !quote && prev == '-' => return None,
            ';' if !quote => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Sends one query string and prints its results; `false` if it failed.
fn send(world: &mut World, conn: &mut Connection, text: &str, prefix: &str, o: &Options, io: &mut Io) -> bool {
    let before = conn.session.clone();
    let (replies, error) = sql::run_query(&mut conn.session, text);
    for reply in replies {
        for notice in reply.notices {
            io.err_line(&format!("{prefix}NOTICE:  {notice}"));
        }
        match reply.outcome {
            Outcome::Tag(tag) if !o.quiet => io.out_str(&format!("{tag}\n")),
            Outcome::Tag(_) => {}
            Outcome::Rows(set) => io.out_str(&render(&set, None, o, true)),
        }
    }
    if let Some(e) = error {
        report_error(io, prefix, text, &e);
        return false;
    }
    if let Err(errno) = persist(world, conn, &before) {
        io.err_line(&format!("{prefix}ERROR:  could not write to file in \"{}\": {errno}", conn.dir.path));
        conn.session = before;
        return false;
    }
    true
}

/// Writes a committed transaction's changes to the data directory.
fn persist(world: &mut World, conn: &Connection, before: &Session) -> Result<(), crate::fs::Errno> {
    cluster::sync_databases(world, &conn.dir, &before.catalog, &conn.session.catalog)?;
    cluster::save_tables(world, &conn.dir, conn.db_oid, &before.tables, &conn.session.tables)
}

/// The server's error as psql prints it: message, the query line with a caret, detail, hint.
fn report_error(io: &mut Io, prefix: &str, query: &str, e: &SqlError) {
    io.err_line(&format!("{prefix}ERROR:  {}", e.message));
    if let Some(position) = e.position {
        let (line_no, line, offset) = locate(query, position);
        let chars: Vec<char> = line.chars().collect();
        let (begin, end) = visible_window(chars.len(), offset);
        let head = format!("LINE {line_no}: {}", if begin > 0 { "..." } else { "" });
        let shown: String = chars[begin..end].iter().collect();
        io.err_line(&format!("{head}{shown}{}", if end < chars.len() { "..." } else { "" }));
        io.err_line(&format!("{}^", " ".repeat(head.chars().count() + offset - begin)));
    }
    if let Some(detail) = &e.detail {
        io.err_line(&format!("DETAIL:  {detail}"));
    }
    if let Some(hint) = &e.hint {
        io.err_line(&format!("HINT:  {hint}"));
    }
}

/// The line (1-based number, text) holding character `position` (1-based) and its offset in it.
fn locate(query: &str, position: usize) -> (usize, String, usize) {
    let mut start = 0;
    for (n, line) in query.split('\n').enumerate() {
        let len = line.chars().count();
        if position - 1 <= start + len {
            return (n + 1, line.to_string(), position - 1 - start);
        }
        start += len + 1;
    }
    let last = query.split('\n').next_back().unwrap_or("");
    (query.split('\n').count(), last.to_string(), last.chars().count())
}

/// libpq shows at most 60 columns of the line, keeping 10 after the caret when it cuts.
fn visible_window(len: usize, offset: usize) -> (usize, usize) {
    const DISPLAY_SIZE: usize = 60;
    const MIN_RIGHT_CUT: usize = 10;
    if len <= DISPLAY_SIZE {
        return (0, len);
    }
    if offset + MIN_RIGHT_CUT < DISPLAY_SIZE {
        return (0, DISPLAY_SIZE);
    }
    let end = (offset + MIN_RIGHT_CUT).min(len);
    (end.saturating_sub(DISPLAY_SIZE), end)
}

fn meta_command(conn: &Connection, command: &str, o: &Options, io: &mut Io) -> i32 {
    let name = command.split_whitespace().next().unwrap_or("");
    let session = &conn.session;
    match name {
        "\\q" => 0,
        "\\dt" | "\\d" => {
            if session.tables.is_empty() {
                io.err_line("Did not find any relations.");
                return 0;
            }
            let mut tables: Vec<_> = session.tables.iter().collect();
            crate::sorting::sort_by(&mut tables, |a, b| a.name.cmp(&b.name));
            let rows = tables.iter().map(|t| ["public", &t.name, "table", &t.owner].map(|s| Some(s.to_string())).to_vec()).collect();
            let set = text_set(&["Schema", "Name", "Type", "Owner"], rows);
            io.out_str(&render(&set, Some("List of relations"), o, true));
            0
        }
        "\\l" | "\\list" => {
            io.out_str(&render(&database_list(&session.catalog), Some("List of databases"), o, true));
            0
        }
        "\\du" => {
            let rows = session
                .catalog
                .roles
                .iter()
                .map(|r| {
                    vec![Some(r.clone()), Some("Superuser, Create role, Create DB, Replication, Bypass RLS".into()), Some("{}".into())]
                })
                .collect();
            io.out_str(&render(&text_set(&["Role name", "Attributes", "Member of"], rows), Some("List of roles"), o, false));
            0
        }
        "\\conninfo" => {
            io.out_str(&format!(
                "You are connected to database \"{}\" as user \"{}\" via socket in \"{SOCKET_DIR}\" at port \"5432\".\n",
                session.database, session.user
            ));
            0
        }
        _ => {
            io.err_line(&format!("invalid command {name}"));
            io.err_line("Try \\? for help.");
            1
        }
    }
}

fn text_set(columns: &[&str], rows: Vec<Vec<Option<String>>>) -> ResultSet {
    ResultSet { columns: columns.iter().map(|c| c.to_string()).collect(), right_align: vec![false; columns.len()], rows }
}

fn database_list(catalog: &Catalog) -> ResultSet {
    let mut databases: Vec<_> = catalog.databases.iter().collect();
    crate::sorting::sort_by(&mut databases, |a, b| a.name.cmp(&b.name));
    let rows = databases
        .iter()
        .map(|d| {
            let privileges = if d.name.starts_with("template") { format!("=c/{o}\n{o}=CTc/{o}", o = d.owner) } else { String::new() };
            [d.name.as_str(), &d.owner, "UTF8", "en_US.utf8", "en_US.utf8", "", "libc", &privileges].map(|s| Some(s.to_string())).to_vec()
        })
        .collect();
    text_set(&["Name", "Owner", "Encoding", "Collate", "Ctype", "ICU Locale", "Locale Provider", "Access privileges"], rows)
}

/// A result as psql prints it (`-A` unaligned, `-t` tuples only).
fn render(set: &ResultSet, title: Option<&str>, o: &Options, footer: bool) -> String {
    let count = set.rows.len();
    let footer = footer.then(|| format!("({count} {})", if count == 1 { "row" } else { "rows" }));
    if o.unaligned {
        let mut out = String::new();
        if !o.tuples_only {
            if let Some(t) = title {
                out.push_str(&format!("{t}\n"));
            }
            out.push_str(&format!("{}\n", set.columns.join("|")));
        }
        for row in &set.rows {
            out.push_str(&format!("{}\n", row.iter().map(|v| v.clone().unwrap_or_default()).collect::<Vec<_>>().join("|")));
        }
        if let (false, Some(f)) = (o.tuples_only, footer) {
            out.push_str(&format!("{f}\n"));
        }
        return out;
    }
    aligned(set, if o.tuples_only { None } else { title }, o.tuples_only, footer)
}

/// psql's aligned format with border 1: centered headers, a `-+-` rule, numbers to the right,
/// multi-line cells continued with `+`, the footer, and a blank line.
fn aligned(set: &ResultSet, title: Option<&str>, tuples_only: bool, footer: Option<String>) -> String {
    let cells: Vec<Vec<Vec<String>>> = set
        .rows
        .iter()
        .map(|r| r.iter().map(|v| v.clone().unwrap_or_default().split('\n').map(str::to_string).collect()).collect())
        .collect();
    let columns = set.columns.len();
    // Headers count toward the widths even when `-t` hides them, as in psql.
    let mut widths: Vec<usize> = set.columns.iter().map(|c| c.chars().count()).collect();
    for row in &cells {
        for (j, cell) in row.iter().enumerate() {
            for line in cell {
                widths[j] = widths[j].max(line.chars().count());
            }
        }
    }
    let total = widths.iter().sum::<usize>() + columns * 3 - 1;
    let mut out = String::new();
    if let Some(t) = title {
        let pad = total.saturating_sub(t.chars().count()) / 2;
        out.push_str(&format!("{}{t}\n", " ".repeat(pad)));
    }
    if !tuples_only {
        let headers: Vec<String> = set
            .columns
            .iter()
            .zip(&widths)
            .map(|(h, w)| {
                let len = h.chars().count();
                format!(" {}{h}{} ", " ".repeat((w - len) / 2), " ".repeat((w - len).div_ceil(2)))
            })
            .collect();
        out.push_str(&format!("{}\n", headers.join("|")));
        out.push_str(&format!("{}\n", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("+")));
    }
    for row in &cells {
        let height = row.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            for (j, cell) in row.iter().enumerate() {
                let text = cell.get(k).map(String::as_str).unwrap_or("");
                let pad = widths[j] - text.chars().count();
                let continued = k + 1 < cell.len();
                let last = j + 1 == columns;
                if j > 0 {
                    out.push('|');
                }
                out.push(' ');
                if set.right_align[j] {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(text);
                } else {
                    out.push_str(text);
                    if !last || continued {
                        out.push_str(&" ".repeat(pad));
                    }
                }
                if continued {
                    out.push('+');
                } else if !last {
                    out.push(' ');
                }
            }
            out.push('\n');
        }
    }
    if let (false, Some(f)) = (tuples_only, footer) {
        out.push_str(&format!("{f}\n"));
    }
    out.push('\n');
    out
}
