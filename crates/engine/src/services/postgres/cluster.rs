//! The cluster on disk: the data directory initdb writes, and the catalog and tables the server
//! keeps in it. PostgreSQL's binary pages are stood in for by text files at the real places
//! (`global/1262` is pg_database, `base/<db oid>/1259` pg_class, `base/<db oid>/<relfilenode>`
//! a table), so the data lives exactly where the data directory does: a volume, a bind mount
//! or the container's writable layer.

use super::sql::{Catalog, Column, Database, Table, TypeKind, Value};
use crate::fs::{Data, Errno};
use crate::vfs::{Ctx, WriteMode};
use crate::world::World;

const CONTROL: &str = "global/pg_control";
const ROLES: &str = "global/1260";
const DATABASES: &str = "global/1262";
/// pg_class of each database.
const CLASS: &str = "1259";
/// The first OID initdb leaves to users.
const FIRST_NORMAL_OID: u32 = 16384;
/// template1, template0 and postgres, as initdb numbers them.
const INITIAL_DATABASES: [(u32, &str); 3] = [(1, "template1"), (4, "template0"), (5, "postgres")];

/// The data directory as the server process sees it (its credentials, initdb's umask 077).
pub struct DataDir {
    pub path: String,
    pub ctx: Ctx,
}

impl DataDir {
    pub fn file(&self, rel: &str) -> String {
        format!("{}/{rel}", self.path.trim_end_matches('/'))
    }
    pub fn read(&self, world: &World, rel: &str) -> Option<String> {
        world.read(&self.ctx, &self.file(rel)).ok().map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned())
    }
    pub fn write(&self, world: &mut World, rel: &str, text: &str) -> Result<(), Errno> {
        world.write_file(&self.ctx, &self.file(rel), &Data::from_bytes(text.as_bytes()), WriteMode::Truncate).map(|_| ())
    }
    fn write_opaque(&self, world: &mut World, rel: &str, size: u64) -> Result<(), Errno> {
        world.write_file(&self.ctx, &self.file(rel), &Data::Opaque(size), WriteMode::Truncate).map(|_| ())
    }
    fn mkdir(&self, world: &mut World, rel: &str) -> Result<(), Errno> {
        world.mkdir(&self.ctx, &self.file(rel), 0o700)
    }
    pub fn remove(&self, world: &mut World, rel: &str) {
        let _ = world.remove(&self.ctx, &self.file(rel), false);
    }
    pub fn exists(&self, world: &World, rel: &str) -> bool {
        world.exists(&self.ctx, &self.file(rel))
    }

    /// Removes a directory of the cluster and everything in it (DROP DATABASE).
    fn remove_tree(&self, world: &mut World, rel: &str) {
        let Ok(loc) = world.resolve(&self.ctx, &self.file(rel), false) else { return };
        let entries = world.list(&self.ctx, &loc).unwrap_or_default();
        for (name, child) in entries {
            let child_rel = format!("{rel}/{name}");
            if world.is_dir_node(&child.node) {
                self.remove_tree(world, &child_rel);
            } else {
                self.remove(world, &child_rel);
            }
        }
        let _ = world.remove(&self.ctx, &self.file(rel), true);
    }
}

/// Whether the server was shut down cleanly (pg_control's "Database cluster state").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    ShutDown,
    InProduction,
}

/// The parts of pg_control the simulation uses.
pub struct Control {
    pub state: State,
    /// "pg_control last modified" (seconds): the last checkpoint or start.
    pub modified: i64,
    pub next_oid: u32,
}

impl Control {
    fn render(&self) -> String {
        let state = match self.state {
            State::ShutDown => "shut down",
            State::InProduction => "in production",
        };
        format!(
            "pg_control version number:            1300\nDatabase cluster state:               {state}\npg_control last modified:             {}\nLatest checkpoint's NextOID:          {}\n",
            self.modified, self.next_oid
        )
    }
}

pub fn read_control(world: &World, dir: &DataDir) -> Control {
    let text = dir.read(world, CONTROL).unwrap_or_default();
    let field = |key: &str| text.lines().find_map(|l| l.strip_prefix(key)).map(str::trim).unwrap_or("").to_string();
    Control {
        state: if field("Database cluster state:") == "shut down" { State::ShutDown } else { State::InProduction },
        modified: field("pg_control last modified:").parse().unwrap_or(0),
        next_oid: field("Latest checkpoint's NextOID:").parse().unwrap_or(FIRST_NORMAL_OID),
    }
}

pub fn write_control(world: &mut World, dir: &DataDir, control: &Control) -> Result<(), Errno> {
    dir.write(world, CONTROL, &control.render())
}

/// Subdirectories initdb creates (besides base/ and global/).
const SUBDIRS: [&str; 22] = [
    "pg_commit_ts",
    "pg_dynshmem",
    "pg_logical",
    "pg_logical/mappings",
    "pg_logical/snapshots",
    "pg_multixact",
    "pg_multixact/members",
    "pg_multixact/offsets",
    "pg_notify",
    "pg_replslot",
    "pg_serial",
    "pg_snapshots",
    "pg_stat",
    "pg_stat_tmp",
    "pg_subtrans",
    "pg_tblspc",
    "pg_twophase",
    "pg_wal",
    "pg_wal/archive_status",
    "pg_xact",
    "base",
    "global",
];

/// initdb's "creating subdirectories": the directory tree of an empty cluster.
pub fn create_subdirectories(world: &mut World, dir: &DataDir) -> Result<(), Errno> {
    for sub in SUBDIRS {
        dir.mkdir(world, sub)?;
    }
    Ok(())
}

/// initdb's "creating configuration files".
pub fn write_configuration(world: &mut World, dir: &DataDir) -> Result<(), Errno> {
    dir.write(world, "PG_VERSION", "15\n")?;
    dir.write(world, "postgresql.conf", POSTGRESQL_CONF)?;
    dir.write(world, "postgresql.auto.conf", "# Do not edit this file manually!\n# It will be overwritten by the ALTER SYSTEM command.\n")?;
    dir.write(world, "pg_hba.conf", PG_HBA_CONF)?;
    dir.write(world, "pg_ident.conf", PG_IDENT_CONF)
}

/// initdb's bootstrap and post-bootstrap steps: the system catalogs, the three databases and
/// the superuser; the cluster is left shut down at `now`.
pub fn bootstrap(world: &mut World, dir: &DataDir, superuser: &str, now: i64) -> Result<(), Errno> {
    dir.write_opaque(world, "pg_wal/000000010000000000000001", 16 << 20)?;
    dir.write_opaque(world, "pg_xact/0000", 8192)?;
    dir.write_opaque(world, "pg_multixact/members/0000", 8192)?;
    dir.write_opaque(world, "pg_multixact/offsets/0000", 8192)?;
    dir.write_opaque(world, "pg_logical/replorigin_checkpoint", 8)?;
    dir.write_opaque(world, "global/pg_filenode.map", 512)?;
    for (oid, _) in INITIAL_DATABASES {
        create_database_dir(world, dir, oid)?;
    }
    let catalog = Catalog {
        roles: vec![superuser.to_string()],
        databases: INITIAL_DATABASES
            .iter()
            .map(|(oid, name)| Database { oid: *oid, name: name.to_string(), owner: superuser.to_string() })
            .collect(),
        next_oid: FIRST_NORMAL_OID,
    };
    write_control(world, dir, &Control { state: State::ShutDown, modified: now, next_oid: FIRST_NORMAL_OID })?;
    save_catalog(world, dir, &catalog)
}

/// A database's directory: its version file, system catalogs and (empty) pg_class.
fn create_database_dir(world: &mut World, dir: &DataDir, oid: u32) -> Result<(), Errno> {
    let base = format!("base/{oid}");
    dir.mkdir(world, &base)?;
    dir.write(world, &format!("{base}/PG_VERSION"), "15\n")?;
    dir.write_opaque(world, &format!("{base}/1255"), 7_397_376)?;
    dir.write_opaque(world, &format!("{base}/pg_filenode.map"), 512)?;
    dir.write(world, &format!("{base}/{CLASS}"), "")
}

pub fn load_catalog(world: &World, dir: &DataDir) -> Catalog {
    let roles = dir.read(world, ROLES).unwrap_or_default().lines().map(unescape).collect();
    let databases = dir
        .read(world, DATABASES)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some(Database { oid: f.first()?.parse().ok()?, name: unescape(f.get(1)?), owner: unescape(f.get(2)?) })
        })
        .collect();
    Catalog { roles, databases, next_oid: read_control(world, dir).next_oid }
}

pub fn save_catalog(world: &mut World, dir: &DataDir, catalog: &Catalog) -> Result<(), Errno> {
    let roles: String = catalog.roles.iter().map(|r| format!("{}\n", escape(r))).collect();
    let databases: String = catalog.databases.iter().map(|d| format!("{}\t{}\t{}\n", d.oid, escape(&d.name), escape(&d.owner))).collect();
    dir.write(world, ROLES, &roles)?;
    dir.write(world, DATABASES, &databases)?;
    let mut control = read_control(world, dir);
    control.next_oid = catalog.next_oid;
    write_control(world, dir, &control)
}

/// A database's tables: pg_class lists them, each table's file holds its rows.
pub fn load_tables(world: &World, dir: &DataDir, db: u32) -> Vec<Table> {
    let class = dir.read(world, &format!("base/{db}/{CLASS}")).unwrap_or_default();
    let mut tables: Vec<Table> = Vec::new();
    for line in class.lines() {
        let f: Vec<String> = line.split('\t').map(unescape).collect();
        match f.first().map(String::as_str) {
            Some("table") if f.len() >= 4 => tables.push(Table {
                relfilenode: f[1].parse().unwrap_or(0),
                name: f[2].clone(),
                owner: f[3].clone(),
                columns: Vec::new(),
                rows: Vec::new(),
            }),
            Some("column") if f.len() >= 7 => {
                if let Some(t) = tables.last_mut() {
                    t.columns.push(Column {
                        name: f[1].clone(),
                        type_name: f[2].clone(),
                        kind: kind_from(&f[3]),
                        max_len: f[4].parse().ok(),
                        serial: f[5].parse().ok(),
                        not_null: f[6] == "t",
                    });
                }
            }
            _ => {}
        }
    }
    for t in &mut tables {
        let data = dir.read(world, &format!("base/{db}/{}", t.relfilenode)).unwrap_or_default();
        t.rows = data.lines().map(|l| parse_row(&t.columns, l)).collect();
    }
    tables
}

/// Writes what changed between two versions of a database's tables.
pub fn save_tables(world: &mut World, dir: &DataDir, db: u32, before: &[Table], after: &[Table]) -> Result<(), Errno> {
    let definitions = |ts: &[Table]| ts.iter().map(|t| (t.relfilenode, t.name.clone(), t.columns.clone())).collect::<Vec<_>>();
    if definitions(before) != definitions(after) {
        dir.write(world, &format!("base/{db}/{CLASS}"), &render_class(after))?;
    }
    for t in after {
        if before.iter().find(|b| b.relfilenode == t.relfilenode).map(|b| &b.rows) != Some(&t.rows) {
            let rows: String = t.rows.iter().map(|r| format!("{}\n", render_row(r))).collect();
            dir.write(world, &format!("base/{db}/{}", t.relfilenode), &rows)?;
        }
    }
    for t in before.iter().filter(|b| !after.iter().any(|a| a.relfilenode == b.relfilenode)) {
        dir.remove(world, &format!("base/{db}/{}", t.relfilenode));
    }
    Ok(())
}

/// Creates and removes database directories as the catalog's database list changed.
pub fn sync_databases(world: &mut World, dir: &DataDir, before: &Catalog, after: &Catalog) -> Result<(), Errno> {
    for d in after.databases.iter().filter(|d| before.database(&d.name).is_none()) {
        create_database_dir(world, dir, d.oid)?;
    }
    for d in before.databases.iter().filter(|d| after.database(&d.name).is_none()) {
        dir.remove_tree(world, &format!("base/{}", d.oid));
    }
    if before != after {
        save_catalog(world, dir, after)?;
    }
    Ok(())
}

fn render_class(tables: &[Table]) -> String {
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("table\t{}\t{}\t{}\n", t.relfilenode, escape(&t.name), escape(&t.owner)));
        for c in &t.columns {
            let kind = match c.kind {
                TypeKind::Int => "int",
                TypeKind::Numeric => "numeric",
                TypeKind::Text => "text",
                TypeKind::Bool => "bool",
            };
            let max_len = c.max_len.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
            let serial = c.serial.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
            let not_null = if c.not_null { "t" } else { "f" };
            out.push_str(&format!("column\t{}\t{}\t{kind}\t{max_len}\t{serial}\t{not_null}\n", escape(&c.name), escape(&c.type_name)));
        }
    }
    out
}

fn kind_from(name: &str) -> TypeKind {
    match name {
        "int" => TypeKind::Int,
        "numeric" => TypeKind::Numeric,
        "bool" => TypeKind::Bool,
        _ => TypeKind::Text,
    }
}

/// A row in COPY's text format: tab-separated, `\N` for NULL.
fn render_row(row: &[Value]) -> String {
    row.iter().map(|v| v.display().map(|s| escape(&s)).unwrap_or_else(|| "\\N".into())).collect::<Vec<_>>().join("\t")
}

fn parse_row(columns: &[Column], line: &str) -> Vec<Value> {
    let fields: Vec<&str> = line.split('\t').collect();
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| match fields.get(i) {
            None | Some(&"\\N") => Value::Null,
            Some(f) => {
                let text = unescape(f);
                match c.kind {
                    TypeKind::Int => text.parse().map(Value::Int).unwrap_or(Value::Null),
                    TypeKind::Numeric => Value::Num(text),
                    TypeKind::Bool => Value::Bool(text == "t"),
                    TypeKind::Text => Value::Text(text),
                }
            }
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n")
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

const POSTGRESQL_CONF: &str = "# -----------------------------
# PostgreSQL configuration file
# -----------------------------
#
# This file consists of lines of the form:
#
#   name = value
#
# (Abridged: the settings initdb and the image changed from the defaults.)

listen_addresses = '*'
max_connections = 100			# (change requires restart)
shared_buffers = 128MB			# min 128kB
dynamic_shared_memory_type = posix	# the default is usually the first option
max_wal_size = 1GB
min_wal_size = 80MB
log_timezone = 'UTC'
datestyle = 'iso, mdy'
timezone = 'UTC'
lc_messages = 'en_US.utf8'			# locale for system error message
lc_monetary = 'en_US.utf8'			# locale for monetary formatting
lc_numeric = 'en_US.utf8'			# locale for number formatting
lc_time = 'en_US.utf8'				# locale for time formatting
default_text_search_config = 'pg_catalog.english'
";

const PG_HBA_CONF: &str = "# PostgreSQL Client Authentication Configuration File
# ===================================================
#
# Refer to the \"Client Authentication\" section in the PostgreSQL
# documentation for a complete description of this file.

# CAUTION: Configuring the system for local \"trust\" authentication
# allows any local user to connect as any PostgreSQL user, including
# the database superuser.  If you do not trust all your local users,
# use another authentication method.


# TYPE  DATABASE        USER            ADDRESS                 METHOD

# \"local\" is for Unix domain socket connections only
local   all             all                                     trust
# IPv4 local connections:
host    all             all             127.0.0.1/32            trust
# IPv6 local connections:
host    all             all             ::1/128                 trust
# Allow replication connections from localhost, by a user with the
# replication privilege.
local   replication     all                                     trust
host    replication     all             127.0.0.1/32            trust
host    replication     all             ::1/128                 trust
";

const PG_IDENT_CONF: &str = "# PostgreSQL User Name Maps
# =========================
#
# Refer to the \"User name maps\" section in the PostgreSQL documentation.

# MAPNAME       SYSTEM-USERNAME         PG-USERNAME
";
