//! `ls`: listings short and long, in each dialect's columns, with the mode and date strings.

use crate::clock::{tm, MONTHS};
use crate::fs::FileType;
use crate::sorting::sort_by;
use crate::userland::users;
use crate::vfs::{Ctx, Loc, Stat};
use crate::world::World;

use super::{has, split_opts, Proc};

/// The letter a long listing gives a file's type.
fn type_letter(ftype: FileType) -> char {
    match ftype {
        FileType::Dir => 'd',
        FileType::Symlink => 'l',
        FileType::CharDev => 'c',
        FileType::BlockDev => 'b',
        FileType::Socket => 's',
        FileType::Fifo => 'p',
        FileType::File => '-',
    }
}

/// `drwxr-xr-x` for a stat.
pub fn mode_string(st: &Stat) -> String {
    format!("{}{}", type_letter(st.ftype), permission_string(st.mode))
}

/// `rwxr-xr-x`: owner, group, other, with setuid/setgid/sticky shown in the x column.
pub fn permission_string(m: u32) -> String {
    let mut s = String::new();
    for (shift, special, mark) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (m >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(match (bits & 1 != 0, m & special != 0) {
            (true, true) => mark,
            (false, true) => mark.to_ascii_uppercase(),
            (true, false) => 'x',
            _ => '-',
        });
    }
    s
}

/// `Nov 30 03:33` for recent times, `Jan  1  2024` for those over six months away.
pub fn ls_date(mtime: i64, now: i64) -> String {
    let t = tm(mtime);
    let m = MONTHS[t.month as usize - 1];
    if (now - mtime).abs() > 180 * 86_400 {
        format!("{m} {:>2}  {}", t.day, t.year)
    } else {
        format!("{m} {:>2} {:02}:{:02}", t.day, t.hour, t.min)
    }
}

/// mode, links, owner, group, size, date, name, owner is numeric, group is numeric.
type LsRow = (String, String, String, String, String, String, String, bool, bool);

struct LsEntry {
    name: String,
    st: Stat,
}

pub(super) fn ls(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, mut ops) = split_opts(args);
    // `--full-time` lists long, with whole times; GNU's `--time-style=STYLE` chooses the form.
    let full_time = has(&opts, "", "--full-time");
    let style_given = opts.iter().find_map(|o| o.strip_prefix("--time-style=")).filter(|_| p.gnu);
    let style = match (full_time, style_given) {
        (true, _) if p.gnu => TimeStyle::FullIso,
        (true, _) => TimeStyle::Full,
        (false, Some("full-iso")) => TimeStyle::FullIso,
        (false, Some("long-iso")) => TimeStyle::LongIso,
        (false, Some("iso")) => TimeStyle::Iso,
        (false, Some(s)) if s.starts_with('+') => TimeStyle::Custom(s.get(1..).unwrap_or("")),
        _ => TimeStyle::Locale,
    };
    // `-c` (`--time=ctime`) shows and sorts by the change time; `-u` (`--time=atime`) by the
    // access time, which is the modification time here. Without `-l`, either sorts.
    let time_word = opts.iter().find_map(|o| o.strip_prefix("--time=")).filter(|_| p.gnu);
    let ctime = has(&opts, "-c", "") || matches!(time_word, Some("ctime" | "status"));
    let atime = has(&opts, "-u", "") || matches!(time_word, Some("atime" | "access" | "use"));
    let long = has(&opts, "-l", "") || has(&opts, "-n", "") || has(&opts, "-g", "") || full_time;
    let numeric = has(&opts, "-n", "--numeric-uid-gid");
    let all = has(&opts, "-a", "--all");
    let almost = has(&opts, "-A", "--almost-all");
    let dir_only = has(&opts, "-d", "--directory");
    let recursive = has(&opts, "-R", "--recursive");
    // `-C`: names in columns, as GNU's `dir` prints them even into a pipe.
    let columns = has(&opts, "-C", "") && !long;
    let inode = has(&opts, "-i", "--inode");
    let size_blocks = has(&opts, "-s", "--size");
    let human = has(&opts, "-h", "--human-readable");
    let reverse = has(&opts, "-r", "--reverse");
    let order = if has(&opts, "-S", "") {
        Order::Size
    } else if has(&opts, "-t", "") || ((ctime || atime) && !long) {
        Order::Time
    } else {
        Order::Name
    };
    // `-F` marks each kind (`/`, `@`, `*`, `|`, `=`); `-p` directories only.
    let mark = if has(&opts, "-F", "--classify") {
        Mark::Classify
    } else if has(&opts, "-p", "") {
        Mark::Slash
    } else {
        Mark::None
    };
    let shape = Shape { long, numeric, columns, inode, size_blocks, human, mark, style };
    if let Some(bad) = opts.iter().find(|o| !o.starts_with("--") && !"-l-n-a-A-d-R-1-h-g-o-F-t-r-S-i-C-b-s-p-c-u".contains(o.as_str())) {
        let c = bad.trim_start_matches('-').to_string();
        p.err(&format!("invalid option -- '{c}'"));
        if p.gnu {
            p.io.err_line("Try 'ls --help' for more information.");
            return 2;
        }
        // busybox shows its usage after the complaint (oracle-113).
        return p.busybox_usage();
    }
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut status = 0;
    let mut files: Vec<LsEntry> = Vec::new();
    let mut dirs: Vec<(String, Loc)> = Vec::new();
    let fail = if p.gnu { 2 } else { 1 };
    for op in &ops {
        match p.world.resolve(&p.ctx, op, true) {
            Ok(loc) => {
                let lst = p.world.stat(&p.ctx, op, false).ok();
                let is_link = lst.as_ref().map(|s| s.ftype == FileType::Symlink).unwrap_or(false);
                if p.world.is_dir_node(&loc.node) && !dir_only && !(is_link && long && !op.ends_with('/')) {
                    dirs.push((op.clone(), loc));
                } else {
                    let st = if is_link && long {
                        lst.unwrap_or_else(|| p.world.stat_loc(&p.ctx.ns, &loc))
                    } else {
                        p.world.stat_loc(&p.ctx.ns, &loc)
                    };
                    files.push(LsEntry { name: op.clone(), st });
                }
            }
            Err(e) => match p.world.stat(&p.ctx, op, false) {
                // A dangling symlink is listed as the link it is.
                Ok(st) if st.ftype == FileType::Symlink => files.push(LsEntry { name: op.clone(), st }),
                _ => {
                    let q = p.q(op);
                    p.err_dialect(&format!("cannot access {q}: {e}"), &format!("{op}: {e}"));
                    status = fail;
                }
            },
        }
    }
    if ctime {
        for e in &mut files {
            e.st.mtime = e.st.ctime;
        }
    }
    sort_by(&mut files, |a, b| ordered(a, b, order, reverse));
    sort_by(&mut dirs, |a, b| if reverse { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) });
    let multi = ops.len() > 1 || recursive;
    let mut first_block = true;
    if !files.is_empty() {
        let text = render_entries(p, &files, shape);
        p.out(&text);
        first_block = false;
    }
    let mut queue: Vec<(String, Loc)> = dirs;
    queue.reverse();
    while let Some((name, loc)) = queue.pop() {
        let entries = match p.world.list(&p.ctx, &loc) {
            Ok(e) => e,
            Err(e) => {
                let q = p.q(&name);
                p.err_dialect(&format!("cannot open directory {q}: {e}"), &format!("can't open '{name}': {e}"));
                status = fail;
                continue;
            }
        };
        if multi {
            if !first_block {
                p.out("\n");
            }
            p.out(&format!("{name}:\n"));
        }
        first_block = false;
        let dir_st = p.world.stat_loc(&p.ctx.ns, &loc);
        if !crate::vfs::may(dir_st.uid, dir_st.gid, dir_st.mode, true, &p.ctx.cred, crate::vfs::Access::Exec) {
            // The names can be read, not what they name (oracle-77).
            let shown: Vec<(String, FileType)> = entries
                .iter()
                .filter(|(n, _)| !n.starts_with('.') || all || almost)
                .map(|(n, l)| (n.clone(), p.world.stat_loc(&p.ctx.ns, l).ftype))
                .collect();
            if unsearchable(p, &name, &shape, all, &shown) {
                status = status.max(1);
            }
            continue;
        }
        let mut list: Vec<LsEntry> = Vec::new();
        if all {
            list.push(LsEntry { name: ".".into(), st: p.world.stat_loc(&p.ctx.ns, &loc) });
            let parent = p.world.resolve(&p.ctx, &format!("{}/..", loc.path), true).unwrap_or(loc.clone());
            list.push(LsEntry { name: "..".into(), st: p.world.stat_loc(&p.ctx.ns, &parent) });
        }
        let mut locs = std::collections::BTreeMap::new();
        for (n, l) in entries {
            if n.starts_with('.') && !all && !almost {
                continue;
            }
            let st = p.world.stat_loc(&p.ctx.ns, &l);
            if recursive && st.ftype == FileType::Dir {
                locs.insert(n.clone(), l);
            }
            list.push(LsEntry { name: n, st });
        }
        // Entries come sorted by name: only another order sorts again.
        if order != Order::Name || reverse {
            if ctime {
                for e in &mut list {
                    e.st.mtime = e.st.ctime;
                }
            }
            sort_by(&mut list, |a, b| ordered(a, b, order, reverse));
        }
        // Subdirectories follow, in the listing's order.
        let mut subdirs = Vec::new();
        for e in list.iter().filter(|e| recursive && e.st.ftype == FileType::Dir && e.name != "." && e.name != "..") {
            let sub = if name.ends_with('/') { format!("{name}{}", e.name) } else { format!("{name}/{}", e.name) };
            if let Some(l) = locs.get(&e.name) {
                subdirs.push((sub, l.clone()));
            }
        }
        if long || shape.size_blocks {
            let total: u64 = list.iter().map(|e| e.st.blocks).sum();
            // busybox prints the total without tenths, in a column of seven.
            let shown = match (human, p.gnu) {
                (true, true) => human_size(total * 1024, true),
                (true, false) => format!("{:<7}", super::disk::busybox_human(total * 1024, false)),
                _ => total.to_string(),
            };
            p.out(&format!("total {shown}\n"));
        }
        let text = render_entries(p, &list, shape);
        p.out(&text);
        for s in subdirs.into_iter().rev() {
            queue.push(s);
        }
    }
    status
}

/// How entries are printed: long or not, numeric owners, in columns, with inode numbers.
#[derive(Clone, Copy)]
struct Shape<'a> {
    long: bool,
    numeric: bool,
    columns: bool,
    inode: bool,
    /// `-s`: the blocks each entry takes, in KiB, first.
    size_blocks: bool,
    /// `-h`: sizes in K, M, G.
    human: bool,
    mark: Mark,
    /// How a long listing writes times (`--full-time`, `--time-style`).
    style: TimeStyle<'a>,
}

/// The forms of a long listing's time (oracle-113).
#[derive(Clone, Copy)]
enum TimeStyle<'a> {
    /// `Nov 30 03:33`, or the year for times over six months away.
    Locale,
    /// GNU's `--full-time` and `full-iso`: `2024-05-06 07:08:09.000000000 +0000`.
    FullIso,
    /// busybox's `--full-time`: `2024-05-06 07:08:09 +0000`.
    Full,
    LongIso,
    /// `05-06 07:08` for recent times, `2024-05-06 ` for others.
    Iso,
    /// `+FORMAT`: strftime's.
    Custom(&'a str),
}

impl TimeStyle<'_> {
    fn show(self, secs: i64, now: i64) -> String {
        let recent = (now - secs).abs() <= 180 * 86_400;
        match self {
            TimeStyle::Locale => ls_date(secs, now),
            TimeStyle::FullIso => super::dates::format("%Y-%m-%d %H:%M:%S.000000000 +0000", secs),
            TimeStyle::Full => super::dates::format("%Y-%m-%d %H:%M:%S +0000", secs),
            TimeStyle::LongIso => super::dates::format("%Y-%m-%d %H:%M", secs),
            TimeStyle::Iso if recent => super::dates::format("%m-%d %H:%M", secs),
            TimeStyle::Iso => super::dates::format("%Y-%m-%d ", secs),
            TimeStyle::Custom(f) => super::dates::format(f, secs),
        }
    }
}

/// How `ls -F` and `-p` mark names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    None,
    Slash,
    Classify,
}

/// The order of a listing: by name, largest first (`-S`), newest first (`-t`); ties by name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Name,
    Size,
    Time,
}

fn ordered(a: &LsEntry, b: &LsEntry, order: Order, reverse: bool) -> std::cmp::Ordering {
    let o = match order {
        Order::Name => a.name.cmp(&b.name),
        Order::Size => b.st.size.cmp(&a.st.size).then(a.name.cmp(&b.name)),
        Order::Time => b.st.mtime.cmp(&a.st.mtime).then(a.name.cmp(&b.name)),
    };
    if reverse {
        o.reverse()
    } else {
        o
    }
}

/// `ls -h`'s sizes: GNU rounds up (one decimal below 10: `4.0K`, `14K`), busybox keeps the
/// tenths of its last division (`13.6K`, `4.0K`); below 1 KiB, bytes.
fn human_size(bytes: u64, gnu: bool) -> String {
    if gnu {
        super::disk::gnu_human(bytes)
    } else if bytes < 1024 {
        bytes.to_string()
    } else {
        super::disk::busybox_human(bytes, true)
    }
}

/// A name with its `-F`/`-p` mark.
fn marked(name: &str, st: &Stat, mark: Mark) -> String {
    let sign = match (mark, st.ftype) {
        (Mark::None, _) => "",
        (_, FileType::Dir) => "/",
        (Mark::Slash, _) => "",
        (Mark::Classify, FileType::Symlink) => "@",
        (Mark::Classify, FileType::Fifo) => "|",
        (Mark::Classify, FileType::Socket) => "=",
        (Mark::Classify, FileType::File) if st.mode & 0o111 != 0 => "*",
        _ => "",
    };
    format!("{name}{sign}")
}

/// The lines `ls` prints for `list`.
fn render_entries(p: &Proc, list: &[LsEntry], shape: Shape) -> String {
    let mut out = String::new();
    let Shape { long, numeric, columns, inode, size_blocks, human, mark, style } = shape;
    if size_blocks {
        let shown = |e: &LsEntry| if human { human_size(e.st.blocks * 1024, p.gnu) } else { e.st.blocks.to_string() };
        let width = if p.gnu { list.iter().map(|e| shown(e).len()).max().unwrap_or(0) } else { 6 };
        let plain = render_entries(p, list, Shape { size_blocks: false, ..shape });
        return plain.lines().zip(list).map(|(line, e)| format!("{:>width$} {line}\n", shown(e))).collect();
    }
    if inode {
        // The inode number first, right-aligned to the widest (GNU; busybox pads to 8).
        let width = if p.gnu { list.iter().map(|e| e.st.ino.0.to_string().len()).max().unwrap_or(0) } else { 8 };
        let plain = render_entries(p, list, Shape { inode: false, ..shape });
        return plain.lines().zip(list).map(|(line, e)| format!("{:>width$} {line}\n", e.st.ino.0)).collect();
    }
    if columns {
        let names: Vec<String> = list.iter().map(|e| marked(&e.name, &e.st, mark)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        return in_columns(&names, 80);
    }
    if !long {
        for e in list {
            out.push_str(&format!("{}\n", marked(&e.name, &e.st, mark)));
        }
        return out;
    }
    let now = p.world.clock().secs();
    let owner = |w: &World, ctx: &Ctx, uid: u32| {
        if numeric {
            uid.to_string()
        } else {
            users::user_name(w, ctx, uid).unwrap_or_else(|| uid.to_string())
        }
    };
    let group = |w: &World, ctx: &Ctx, gid: u32| {
        if numeric {
            gid.to_string()
        } else {
            users::group_name(w, ctx, gid).unwrap_or_else(|| gid.to_string())
        }
    };
    let rows: Vec<LsRow> = list
        .iter()
        .map(|e| {
            let o = owner(p.world, &p.ctx, e.st.uid);
            let g = group(p.world, &p.ctx, e.st.gid);
            let o_num = o.chars().all(|c| c.is_ascii_digit());
            let g_num = g.chars().all(|c| c.is_ascii_digit());
            let size = if matches!(e.st.ftype, FileType::CharDev | FileType::BlockDev) {
                if p.gnu {
                    format!("{}, {}", e.st.rdev.0, e.st.rdev.1)
                } else {
                    format!("{:>4},{:>4}", e.st.rdev.0, e.st.rdev.1)
                }
            } else if human {
                human_size(e.st.size, p.gnu)
            } else {
                e.st.size.to_string()
            };
            let mut name = if e.st.ftype == FileType::Symlink { e.name.clone() } else { marked(&e.name, &e.st, mark) };
            if let Some(t) = &e.st.symlink {
                name = format!("{name} -> {t}");
            }
            (mode_string(&e.st), e.st.nlink.to_string(), o, g, size, style.show(e.st.mtime, now), name, o_num, g_num)
        })
        .collect();
    if p.gnu {
        let w = |f: &dyn Fn(&LsRow) -> usize| rows.iter().map(f).max().unwrap_or(0);
        let wl = w(&|r| r.1.len());
        let wo = w(&|r| r.2.chars().count());
        let wg = w(&|r| r.3.chars().count());
        let ws = w(&|r| r.4.len());
        for r in &rows {
            let o = if r.7 { format!("{:>wo$}", r.2) } else { format!("{:<wo$}", r.2) };
            let g = if r.8 { format!("{:>wg$}", r.3) } else { format!("{:<wg$}", r.3) };
            out.push_str(&format!("{} {:>wl$} {} {} {:>ws$} {} {}\n", r.0, r.1, o, g, r.4, r.5, r.6));
        }
    } else {
        for r in &rows {
            // busybox's human sizes take a column of seven, its numbers nine.
            let size = if r.4.contains(',') {
                format!("{} ", r.4)
            } else if human {
                format!("{:>7} ", r.4)
            } else {
                format!("{:>9} ", r.4)
            };
            out.push_str(&format!("{} {:>4} {:<8} {:<8} {}{} {}\n", r.0, r.1, r.2, r.3, size, r.5, r.6));
        }
    }
    out
}

/// Names in as many columns as fit in `width`, filled down then across, two spaces apart (GNU
/// ls's vertical layout).
fn in_columns(names: &[&str], width: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let lens: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    let layout = |cols: usize| -> Option<Vec<usize>> {
        let rows = names.len().div_ceil(cols);
        let widths: Vec<usize> =
            (0..cols).map(|c| lens.iter().skip(c * rows).take(rows).max().copied().unwrap_or(0)).filter(|w| *w > 0).collect();
        if widths.len() < cols && cols > 1 {
            return None;
        }
        let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        (total <= width || cols == 1).then_some(widths)
    };
    let (cols, widths) = (1..=names.len()).rev().find_map(|c| layout(c).map(|w| (c, w))).unwrap_or((1, vec![0]));
    let rows = names.len().div_ceil(cols);
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for (c, w) in widths.iter().enumerate() {
            let Some(name) = names.get(c * rows + r) else { break };
            if c > 0 {
                line.push_str("  ");
            }
            line.push_str(name);
            let last = names.get((c + 1) * rows + r).is_none();
            if !last {
                line.push_str(&" ".repeat(w - lens[c * rows + r]));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A directory one may read but not search (`r` without `x`): its names are there, what they
/// name is not. GNU lists the names alone when it needs nothing more, and otherwise a row of
/// `?` for each (its type known from the directory itself) after saying it cannot reach it;
/// busybox reaches for every name and lists none. Whether that failed (exit 1).
fn unsearchable(p: &mut Proc, dir: &str, shape: &Shape, all: bool, names: &[(String, FileType)]) -> bool {
    let mut entries: Vec<(String, FileType)> = Vec::new();
    if all {
        entries.push((".".into(), FileType::Dir));
        entries.push(("..".into(), FileType::Dir));
    }
    entries.extend(names.iter().cloned());
    let path = |n: &str| if dir.ends_with('/') { format!("{dir}{n}") } else { format!("{dir}/{n}") };
    if !p.gnu {
        for (n, _) in &entries {
            p.err(&format!("{}: {}", path(n), crate::fs::Errno::Access));
        }
        if shape.long {
            p.out("total 0\n");
        }
        return !entries.is_empty();
    }
    let needs_stat = shape.long || shape.size_blocks || shape.inode;
    let classify = matches!(shape.mark, Mark::Classify);
    let mut failed = false;
    for (n, t) in &entries {
        if needs_stat || (classify && *t == FileType::File) {
            let q = p.q(&path(n));
            p.err(&format!("cannot access {q}: {}", crate::fs::Errno::Access));
            failed = true;
        }
    }
    if !needs_stat {
        let listed: Vec<LsEntry> =
            entries.iter().map(|(n, t)| LsEntry { name: n.clone(), st: Stat { ftype: *t, ..placeholder_stat() } }).collect();
        let text = render_entries(p, &listed, Shape { long: false, inode: false, size_blocks: false, ..*shape });
        p.out(&text);
        return failed;
    }
    let mut out = String::from("total 0\n");
    for (n, t) in &entries {
        let letter = type_letter(*t);
        if shape.long {
            out.push_str(&format!("{letter}????????? ? ? ? ?            ? {n}\n"));
        } else {
            out.push_str(&format!("? {n}\n"));
        }
    }
    p.out(&out);
    failed
}

/// A stat with nothing known but what a caller sets.
fn placeholder_stat() -> Stat {
    Stat {
        ino: crate::fs::InodeId(0),
        ftype: FileType::File,
        mode: 0,
        uid: 0,
        gid: 0,
        size: 0,
        mtime: 0,
        ctime: 0,
        btime: 0,
        nlink: 0,
        blocks: 0,
        rdev: (0, 0),
        fs: crate::vfs::FsType::Ext4,
        symlink: None,
        attrs: 0,
    }
}
