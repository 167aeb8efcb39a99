//! File tools in two dialects: GNU coreutils 9.1 on the host, busybox 1.35 applets in
//! containers. Same operations, each with its own messages and output format.

//!
//! This module holds the dispatcher ([`run`]), the running program ([`Proc`]) and the helpers
//! the tools share; each family of tools has its own file.

mod accounts;
mod attrs;
mod awk;
mod backtrack;
mod bc;
mod blockdev_busybox;
mod blocks;
mod bytes;
mod bzip;
mod columns;
mod compress;
mod cpio;
mod csplit;
mod dates;
mod diff;
mod disk;
mod e2fsck;
mod ed;
mod expr;
mod extents;
mod files;
pub mod find;
mod fmt;
mod getopt_program;
mod grep;
mod gzexe;
mod hardlink;
mod host_mount;
mod identity;
mod info_zip;
mod layout;
mod lines;
mod links;
mod loopdev;
mod ls;
mod magic;
mod make;
mod merge3;
mod mke2fs;
mod mounts;
mod namei;
mod numbers;
mod pages;
mod patch;
mod perms;
mod regex;
mod rename_ul;
mod sed;
mod side_by_side;
mod signatures;
mod sort;
mod stat;
mod sums;
mod swap;
mod system_info;
mod tabs;
pub mod tar;
mod tar_codec;
mod text;
mod unxz;
mod unzip_busybox;
mod uuencode;
mod xz_utils;
mod zscripts;

pub use ls::mode_string;
pub use regex::Regex;

use crate::fs::{Data, Errno};
use crate::sorting;
use crate::userland::Io;
use crate::vfs::{Ctx, Stat};
use crate::world::World;

use super::getopt;
use disk::{dd, df, du};
use files::{cp, ln, mkdir, mv, rm, rmdir, touch};
use find::find;
use grep::grep;
use identity::{getent, groups, id, logname, whoami};
use ls::ls;
use mounts::mount;
use perms::{chmod, chown};
use sed::sed;
use sort::sort;
use stat::stat;
use text::{cat, cut, head_tail, tee, wc};

/// A running program: the world, its credentials and streams, and its dialect.
pub struct Proc<'a> {
    pub world: &'a mut World,
    pub ctx: Ctx,
    pub io: &'a mut Io,
    /// GNU tools (host) rather than busybox (container).
    pub gnu: bool,
    pub name: String,
    pub env: Vec<String>,
}

impl Proc<'_> {
    fn err(&mut self, msg: &str) {
        let line = format!("{}: {msg}", self.name);
        self.io.err_line(&line);
    }
    fn out(&mut self, s: &str) {
        self.io.out_str(s);
    }
    /// The same failure in each dialect's words (GNU on the host, busybox in containers).
    fn err_dialect(&mut self, gnu: &str, busybox: &str) {
        let msg = if self.gnu { gnu } else { busybox };
        self.err(msg);
    }
    pub fn out_line(&mut self, s: &str) {
        self.io.out_str(s);
        self.io.out.push(b'\n');
    }
    /// GNU quotes file names like the shell would need them.
    fn q(&self, s: &str) -> String {
        if s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%".contains(c)) {
            format!("'{s}'")
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    }
    /// GNU's `quote()` in a UTF-8 locale: ‘text’ (messages about a bad value; file names use
    /// the shell quoting of [`Proc::q`]).
    fn lq(&self, s: &str) -> String {
        format!("\u{2018}{s}\u{2019}")
    }
    /// A bad value as the tool quotes it: GNU in curly quotes, busybox in straight ones.
    fn vq(&self, s: &str) -> String {
        if self.gnu {
            self.lq(s)
        } else {
            format!("'{s}'")
        }
    }
    /// GNU's failure for a bad value: the message, then where to read more.
    fn err_try(&mut self, msg: &str) -> i32 {
        let name = self.name.clone();
        self.err(msg);
        self.io.err_line(&format!("Try '{name} --help' for more information."));
        1
    }
    fn usage(&mut self) -> i32 {
        if self.gnu {
            let n = self.name.clone();
            self.err("missing operand");
            self.io.err_line(&format!("Try '{n} --help' for more information."));
            1
        } else {
            self.busybox_usage()
        }
    }
    /// busybox's usage text (`bb_show_usage`), with the applet's exit status for it.
    fn busybox_usage(&mut self) -> i32 {
        self.io.err_line(BUSYBOX_BANNER);
        match super::usage::busybox(&self.name) {
            Some(text) => self.io.err_line(text),
            None => self.io.err_line(&format!("\nUsage: {} ...", self.name)),
        }
        getopt_rules(&self.name).map_or(1, |r| r.busybox_exit)
    }
    /// A refused option (see `getopt`), in the dialect's words; its exit status.
    fn refuse_option(&mut self, foreign: &getopt::Foreign, args: &[String]) -> i32 {
        let name = self.name.clone();
        let rules = getopt_rules(&name);
        if !self.gnu {
            self.io.err.extend(getopt::message(&name, foreign));
            return self.busybox_usage();
        }
        if name == "du" {
            for byte in getopt::all_foreign_bytes(args, rules.map_or("", |r| r.gnu_values)) {
                self.io.err.extend(getopt::message(&name, &getopt::Foreign::Short(byte)));
            }
        } else {
            self.io.err.extend(getopt::message(&name, foreign));
        }
        match name.as_str() {
            "grep" => self.io.err_line("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information."),
            "tar" => self.io.err_line("Try 'tar --help' or 'tar --usage' for more information."),
            "getent" => self.io.err_line("Try `getent --help' or `getent --usage' for more information."),
            "sed" => self.io.err_line(super::usage::GNU_SED),
            "hostname" => self.io.out_str(&format!("{}\n", super::usage::HOSTNAME)),
            _ => self.io.err_line(&format!("Try '{name} --help' for more information.")),
        }
        rules.map_or(1, |r| r.gnu_exit)
    }
}

/// Splits `-abc` style options from operands (`--` ends options). Long options are kept whole.
fn split_opts(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut only_operands = false;
    for a in args {
        if only_operands {
            operands.push(a.clone());
        } else if a == "--" {
            only_operands = true;
        } else if a.starts_with("--") {
            opts.push(a.clone());
        } else if let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) {
            for c in cluster.chars() {
                opts.push(format!("-{c}"));
            }
        } else {
            operands.push(a.clone());
        }
    }
    (opts, operands)
}

fn has(opts: &[String], short: &str, long: &str) -> bool {
    opts.iter().any(|o| o == short || (!long.is_empty() && o == long))
}

const BUSYBOX_BANNER: &str = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

/// What getopt needs to know of a program to refuse an option as it does.
struct GetoptRules {
    name: &'static str,
    /// Short options that take a value, in GNU's tool and in busybox's applet.
    gnu_values: &'static str,
    busybox_values: &'static str,
    /// Exit status after a refused option.
    gnu_exit: i32,
    busybox_exit: i32,
}

const fn rules(
    name: &'static str,
    gnu_values: &'static str,
    busybox_values: &'static str,
    gnu_exit: i32,
    busybox_exit: i32,
) -> GetoptRules {
    GetoptRules { name, gnu_values, busybox_values, gnu_exit, busybox_exit }
}

/// The programs that parse options with getopt (find and dd read operands; echo, printf,
/// test and true take none; chmod in busybox reads `-é` as a mode).
const GETOPT: &[GetoptRules] = &[
    rules("basename", "s", "", 1, 1),
    rules("cat", "", "", 1, 1),
    rules("chgrp", "", "", 1, 1),
    rules("chmod", "", "", 1, 1),
    rules("chown", "", "", 1, 1),
    rules("cp", "tS", "t", 1, 1),
    rules("cut", "bcdf", "bcdf", 1, 1),
    rules("date", "dfrI", "dDrI", 1, 1),
    rules("df", "BtxF", "Bt", 1, 1),
    rules("dirname", "", "", 1, 1),
    rules("du", "BdXt", "d", 1, 1),
    rules("env", "uCS", "u", 125, 125),
    rules("getent", "s", "", 64, 1),
    rules("grep", "efmABCdD", "mefABC", 2, 2),
    rules("head", "nc", "nc", 1, 1),
    rules("hostname", "F", "F", 255, 1),
    rules("id", "", "", 1, 1),
    rules("ln", "tS", "S", 1, 1),
    rules("ls", "wITF", "w", 2, 1),
    rules("mkdir", "m", "m", 1, 1),
    rules("mv", "tS", "t", 1, 1),
    rules("readlink", "", "", 1, 1),
    rules("rm", "", "", 1, 1),
    rules("rmdir", "", "", 1, 1),
    rules("sed", "efl", "ef", 1, 1),
    rules("seq", "fst", "s", 1, 1),
    rules("sleep", "", "", 1, 1),
    rules("sort", "kotST", "kot", 2, 2),
    rules("stat", "c", "c", 1, 1),
    rules("tail", "ncs", "nc", 1, 1),
    rules("tar", "fCbgHKLNTVX", "fCTX", 64, 1),
    rules("tee", "", "", 1, 1),
    rules("touch", "dtr", "dtr", 1, 1),
    rules("uname", "", "", 1, 1),
    rules("wc", "", "", 1, 1),
    rules("whoami", "", "", 1, 1),
];

fn getopt_rules(name: &str) -> Option<&'static GetoptRules> {
    GETOPT.iter().find(|r| r.name == name)
}

pub fn run(p: &mut Proc, argv: &[String]) -> i32 {
    let args = &argv[1..];
    if let Some(rules) = getopt_rules(&p.name).filter(|r| p.gnu || r.name != "chmod") {
        let values = if p.gnu { rules.gnu_values } else { rules.busybox_values };
        // tar's first argument is a cluster of options even without its dash (`tar cf …`).
        let old_style: Vec<String>;
        let scanned = match args.first() {
            Some(first) if rules.name == "tar" && !first.starts_with('-') => {
                old_style = std::iter::once(format!("-{first}")).chain(args[1..].iter().cloned()).collect();
                &old_style[..]
            }
            _ => args,
        };
        if let Some(foreign) = getopt::first_foreign(scanned, values) {
            return p.refuse_option(&foreign, scanned);
        }
    }
    match p.name.as_str() {
        "cat" => cat(p, args),
        // Debian's awk is mawk; `mawk` and `nawk` are its other names.
        "awk" | "mawk" | "nawk" => awk::awk(p, args),
        "ls" => ls(p, args),
        "mkdir" => mkdir(p, args),
        "rm" => rm(p, args),
        "rmdir" => rmdir(p, args),
        "touch" => touch(p, args),
        "mv" => mv(p, args),
        "cp" => cp(p, args),
        "chmod" => chmod(p, args),
        "chown" | "chgrp" => chown(p, args),
        "ln" => ln(p, args),
        "id" => id(p, args),
        "whoami" => whoami(p),
        "groups" => groups(p, args),
        "comm" if p.gnu => lines::comm(p, args),
        "join" if p.gnu => layout::join(p, args),
        "column" if p.gnu => layout::column(p, args),
        "file" if p.gnu => magic::file(p, args),
        "getopt" if p.gnu => getopt_program::getopt(p, args),
        "rename.ul" if p.gnu => rename_ul::rename(p, args),
        "csplit" if p.gnu => csplit::csplit(p, args),
        "ed" | "red" if p.gnu => ed::ed(p, args),
        "sdiff" if p.gnu => side_by_side::sdiff(p, args),
        "diff3" if p.gnu => merge3::diff3(p, args),
        "gzexe" if p.gnu => gzexe::gzexe(p, args),
        "fmt" if p.gnu => fmt::fmt(p, args),
        "pr" if p.gnu => pages::pr(p, args),
        "fold" => lines::fold(p, args),
        "shuf" => lines::shuf(p, args),
        "split" if p.gnu => lines::split(p, args),
        "od" => numbers::od(p, args),
        "hexdump" => numbers::hexdump(p, args),
        // util-linux's `hd` is `hexdump -C`.
        "hd" if p.gnu => {
            let with: Vec<String> = std::iter::once("-C".to_string()).chain(args.iter().cloned()).collect();
            numbers::hexdump(p, &with)
        }
        "xxd" if !p.gnu => numbers::xxd(p, args),
        "numfmt" if p.gnu => numbers::numfmt(p, args),
        "dir" | "vdir" if p.gnu => ls_variant(p, args),
        "link" => links::link(p, args),
        "unlink" => links::unlink(p, args),
        "mkfifo" => links::mkfifo(p, args),
        "mknod" => links::mknod(p, args),
        "logname" if p.gnu => logname(p),
        // The machine has two processors (`docker info`: CPUs 2).
        "nproc" => {
            p.out_line("2");
            0
        }
        // A replay's stdin is never a terminal.
        "tty" => {
            p.out_line("not a tty");
            1
        }
        "sync" => 0,
        "printenv" if p.gnu => {
            let mut status = 0;
            if args.is_empty() {
                let mut env = p.env.clone();
                sorting::sort(&mut env);
                for e in env {
                    p.out_line(&e);
                }
                return 0;
            }
            for name in args {
                let prefix = format!("{name}=");
                match p.env.iter().find_map(|e| e.strip_prefix(&prefix)).map(str::to_string) {
                    Some(v) => p.out_line(&v),
                    None => status = 1,
                }
            }
            status
        }
        "stat" => stat(p, args),
        "echo" => {
            let s = super::printf::echo(args);
            p.io.write_out(&super::printf::to_bytes(&s));
            0
        }
        "printf" => {
            let Some(f) = args.first() else { return p.usage() };
            let (s, st) = super::printf::printf(f, &args[1..]);
            p.io.write_out(&super::printf::to_bytes(&s));
            st
        }
        "pwd" => {
            let c = p.ctx.cwd.clone();
            p.out(&format!("{c}\n"));
            0
        }
        "true" => 0,
        "false" => 1,
        "head" | "tail" => head_tail(p, args),
        "wc" => wc(p, args),
        "sort" => sort(p, args),
        "grep" => grep(p, args),
        // Debian's egrep, fgrep and rgrep are scripts that run `grep -E`, `-F`, `-r`; busybox's
        // are applets of their own names (oracle-72).
        "egrep" | "fgrep" | "rgrep" => {
            let flag = match p.name.as_str() {
                "egrep" => "-E",
                "fgrep" => "-F",
                _ => "-r",
            };
            if p.gnu {
                p.name = "grep".into();
            }
            let with: Vec<String> = std::iter::once(flag.to_string()).chain(args.iter().cloned()).collect();
            grep(p, &with)
        }
        // A container's process has no login session to name.
        "logname" if !p.gnu => {
            p.err("getlogin: No such device or address");
            1
        }
        "sed" => sed(p, args),
        "tee" => tee(p, args),
        "dd" => dd(p, args),
        "df" => df(p, args),
        "du" => du(p, args),
        "tar" => tar::run(p, args),
        "basename" => basename(p, args),
        "dirname" => match args.first() {
            Some(a) => {
                let t = a.trim_end_matches('/');
                let d = match t.rsplit_once('/') {
                    Some(("", _)) => "/".to_string(),
                    Some((parent, _)) => parent.to_string(),
                    None => ".".to_string(),
                };
                p.out(&format!("{d}\n"));
                0
            }
            None => p.usage(),
        },
        "readlink" => {
            let (opts, ops) = split_opts(args);
            let Some(path) = ops.first() else { return p.usage() };
            if has(&opts, "-f", "") {
                match p.world.resolve(&p.ctx, path, true) {
                    Ok(l) => {
                        p.out(&format!("{}\n", l.path));
                        0
                    }
                    Err(_) => 1,
                }
            } else {
                match p.world.stat(&p.ctx, path, false) {
                    Ok(Stat { symlink: Some(t), .. }) => {
                        p.out(&format!("{t}\n"));
                        0
                    }
                    _ => 1,
                }
            }
        }
        "env" => {
            // In the order the process got them (its shell's, or the runtime's).
            for e in p.env.clone() {
                p.out(&format!("{e}\n"));
            }
            0
        }
        "hostname" => system_info::hostname(p),
        "uname" => system_info::uname(p, args),
        "bc" => bc::bc(p, args),
        "date" => dates::date(p, args),
        "getent" => getent(p, args),
        "find" => find(p, args),
        "seq" => numbers::seq(p, args),
        "cut" => cut(p, args),
        "tr" => lines::tr(p, args),
        "uniq" => lines::uniq(p, args),
        "tac" => lines::tac(p, args),
        "md5sum" | "sha1sum" | "sha256sum" | "sha512sum" => sums::sum(p, args),
        "sha224sum" | "sha384sum" | "b2sum" if p.gnu => sums::sum(p, args),
        "sha3sum" | "crc32" if !p.gnu => sums::sum(p, args),
        "uuencode" if !p.gnu => uuencode::uuencode(p, args),
        "uudecode" if !p.gnu => uuencode::uudecode(p, args),
        "cksum" if p.gnu => sums::cksum(p, args),
        "sum" if p.gnu => sums::bsd_sum(p, args),
        "base32" if p.gnu => bytes::base32(p, args),
        "basenc" if p.gnu => bytes::basenc(p, args),
        "pathchk" if p.gnu => links::pathchk(p, args),
        "truncate" => bytes::truncate(p, args),
        "fallocate" => blocks::fallocate(p, args),
        "shred" => blocks::shred(p, args),
        "nl" => columns::nl(p, args),
        "rev" => columns::rev(p, args),
        "paste" => columns::paste(p, args),
        "more" => columns::more(p, args),
        "less" => columns::less(p, args),
        "strings" if !p.gnu => columns::strings(p, args),
        "expand" => tabs::expand(p, args),
        "unexpand" => tabs::unexpand(p, args),
        "dos2unix" | "unix2dos" if !p.gnu => tabs::line_ends(p, args),
        // A microsecond sleep: the clock moves in milliseconds.
        "usleep" if !p.gnu => match args.first().map(|a| a.parse::<u64>()) {
            Some(Ok(micros)) => {
                p.world.advance_clock((micros / 1000).min(5000) as i64);
                0
            }
            Some(Err(_)) => {
                let a = args.first().cloned().unwrap_or_default();
                p.err(&format!("invalid number '{a}'"));
                1
            }
            None => p.busybox_usage(),
        },
        "arch" => {
            p.out_line("x86_64");
            0
        }
        "expr" => expr::expr(p, args),
        "mktemp" => make::mktemp(p, args),
        "install" if p.gnu => make::install(p, args),
        "cmp" => bytes::cmp(p, args),
        "base64" => bytes::base64(p, args),
        "groupadd" if p.gnu => accounts::groupadd(p, args),
        "useradd" if p.gnu => accounts::useradd(p, args),
        // `diff -y`: side by side, as sdiff shows them.
        "diff" if p.gnu && args.iter().any(|a| a == "-y" || a == "--side-by-side") => side_by_side::sdiff(p, args),
        "diff" => diff::diff(p, args),
        "patch" => patch::patch(p, args),
        "cpio" if !p.gnu => cpio::cpio(p, args),
        "gzip" | "gunzip" | "zcat" => compress::gzip(p, args),
        "bzip2" | "bunzip2" | "bzcat" => bzip::bzip2(p, args),
        "xz" | "unxz" | "xzcat" | "lzma" | "unlzma" | "lzcat" if p.gnu => xz_utils::xz(p, args),
        "xz" | "unxz" | "xzcat" | "lzma" | "unlzma" | "lzcat" => unxz::unxz(p, args),
        "zip" if p.gnu => info_zip::zip(p, args),
        "lzmainfo" if p.gnu => xz_utils::lzmainfo(p, args),
        // Debian's `uncompress` is gzip's script: `exec gzip -d "$@"`.
        "uncompress" if p.gnu => {
            p.name = "gunzip".into();
            compress::gzip(p, args)
        }
        "chattr" if p.gnu => attrs::chattr(p, args),
        "filefrag" if p.gnu => extents::filefrag(p, args),
        "hardlink" if p.gnu => hardlink::hardlink(p, args),
        "fincore" if p.gnu => extents::fincore(p, args),
        "lsattr" if p.gnu => attrs::lsattr(p, args),
        "funzip" if p.gnu => info_zip::funzip(p, args),
        "zipnote" if p.gnu => info_zip::zipnote(p, args),
        "zipgrep" if p.gnu => info_zip::zipgrep(p, args),
        "unzip" | "zipinfo" if p.gnu => info_zip::unzip(p, args),
        "unzip" => unzip_busybox::unzip(p, args),
        "zgrep" | "zegrep" | "zfgrep" | "bzgrep" | "bzegrep" | "bzfgrep" | "xzgrep" | "xzegrep" | "xzfgrep" | "lzgrep" | "lzegrep"
        | "lzfgrep"
            if p.gnu =>
        {
            zscripts::zgrep(p, args)
        }
        "zless" | "zmore" | "bzless" | "bzmore" | "xzless" | "xzmore" | "lzless" | "lzmore" if p.gnu => zscripts::zpage(p, args),
        "zdiff" | "zcmp" | "bzdiff" | "bzcmp" | "xzdiff" | "xzcmp" | "lzdiff" | "lzcmp" if p.gnu => zscripts::zcompare(p, args),
        "zforce" if p.gnu => zscripts::zforce(p, args),
        "realpath" => realpath(p, args),
        "mount" if p.gnu && !args.is_empty() => host_mount::mount(p, args),
        "mount" => mount(p, args),
        "umount" if p.gnu && !split_opts(args).1.is_empty() => host_mount::umount(p, &split_opts(args).1),
        "umount" => mounts::umount(p, args),
        "mountpoint" if p.gnu => mounts::mountpoint(p, args),
        "findmnt" if p.gnu => mounts::findmnt(p, args),
        "namei" if p.gnu => namei::namei(p, args),
        "lsblk" if p.gnu => mounts::lsblk(p, args),
        "losetup" if p.gnu => loopdev::losetup(p, args),
        "losetup" | "blockdev" | "fdisk" | "findfs" | "fsfreeze" | "fstrim" | "partprobe" | "blkdiscard" | "swapon" | "swapoff"
        | "mke2fs"
            if !p.gnu =>
        {
            blockdev_busybox::applet(p, args)
        }
        "blkid" if p.gnu => signatures::blkid(p, args),
        "wipefs" if p.gnu => signatures::wipefs(p, args),
        "mkswap" if p.gnu => swap::mkswap(p, args),
        "swapon" if p.gnu => swap::swapon(p, args),
        "swapoff" if p.gnu => swap::swapoff(p, args),
        "mkfs.ext4" | "mkfs.ext3" | "mkfs.ext2" | "mke2fs" if p.gnu => mke2fs::mke2fs(p, args),
        "mkfs" if p.gnu => mke2fs::mkfs(p, args),
        "e2fsck" | "fsck.ext2" | "fsck.ext3" | "fsck.ext4" if p.gnu => e2fsck::e2fsck(p, args),
        "e2label" if p.gnu => e2fsck::e2label(p, args),
        _ => {
            if p.gnu {
                let n = p.name.clone();
                p.io.err_line(&format!("bash: line 1: {n}: command not found"));
                127
            } else {
                let n = p.name.clone();
                p.io.err_line(&format!("{n}: applet not found"));
                127
            }
        }
    }
}

/// `basename NAME [SUFFIX]`, `basename -a NAME…`, `-s SUFFIX`: the last component.
fn basename(p: &mut Proc, args: &[String]) -> i32 {
    let mut multiple = false;
    let mut suffix: Option<String> = None;
    let mut names = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-a" | "--multiple" => multiple = true,
            "-s" => {
                suffix = args.get(i).cloned();
                multiple = true;
                i += 1;
            }
            s if s.starts_with("--suffix=") => {
                suffix = s.strip_prefix("--suffix=").map(str::to_string);
                multiple = true;
            }
            _ => names.push(a.clone()),
        }
    }
    if !multiple && names.len() == 2 {
        suffix = names.pop();
    }
    if names.is_empty() || (!multiple && names.len() > 1) {
        return p.usage();
    }
    let mut out = String::new();
    for n in names {
        let mut b = n.trim_end_matches('/').rsplit('/').next().unwrap_or("/").to_string();
        if b.is_empty() {
            b = "/".into();
        }
        if let Some(s) = suffix.as_deref().filter(|s| b.ends_with(s) && b != *s) {
            b = b.strip_suffix(s).unwrap_or(&b).to_string();
        }
        out.push_str(&format!("{b}\n"));
    }
    p.out(&out);
    0
}

/// GNU's `dir` (`ls -C -b`: columns even into a pipe) and `vdir` (`ls -l -b`).
fn ls_variant(p: &mut Proc, args: &[String]) -> i32 {
    let flag = if p.name == "dir" { "-C" } else { "-l" };
    let mut with = vec![flag.to_string()];
    with.extend_from_slice(args);
    ls(p, &with)
}

/// `realpath PATH…`: each path with its symlinks, `.` and `..` resolved. GNU's may name a last
/// component that does not exist; busybox's may not (oracle-40).
fn realpath(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, paths) = split_opts(args);
    let base = opts.iter().find_map(|o| o.strip_prefix("--relative-to=")).map(|b| crate::fs::normalize(&p.ctx.cwd, b));
    if paths.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for path in paths {
        let found = match p.world.resolve(&p.ctx, &path, true) {
            Ok(l) => Some(l.path),
            Err(Errno::NoEnt) if p.gnu => {
                let (parent, name) = crate::fs::parent_and_name(&crate::fs::normalize(&p.ctx.cwd, &path));
                p.world.resolve(&p.ctx, &parent, true).ok().map(|l| format!("{}/{name}", l.path.trim_end_matches('/')))
            }
            Err(_) => None,
        };
        match found {
            Some(resolved) => {
                let shown = base.as_deref().map_or(resolved.clone(), |b| relative(b, &resolved));
                p.out(&format!("{shown}\n"));
            }
            None => {
                p.err(&format!("{path}: No such file or directory"));
                status = 1;
            }
        }
    }
    status
}

/// A fixed pseudo-random sequence's state for `seed` (the engine has no randomness of its own:
/// `shuf` and `shred`'s noise are the same for the same input).
fn seeded(seed: u64) -> u64 {
    seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
}

/// The next number of the sequence (xorshift64).
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// A program's arguments read one by one, an option's value taken from the one after it.
struct Cursor<'a> {
    args: &'a [String],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(args: &'a [String]) -> Cursor<'a> {
        Cursor { args, at: 0 }
    }
    fn next(&mut self) -> Option<&'a String> {
        let a = self.args.get(self.at)?;
        self.at += 1;
        Some(a)
    }
    /// The value an option takes: the next argument (empty when there is none).
    fn value(&mut self) -> String {
        self.next().cloned().unwrap_or_default()
    }
    /// The arguments not read yet.
    fn rest(&self) -> &'a [String] {
        self.args.get(self.at..).unwrap_or_default()
    }
    /// Reads one argument less: the last one read is read again.
    fn back(&mut self) {
        self.at = self.at.saturating_sub(1);
    }
}

/// `--name=value` split in two; any other argument as it is, without a value.
fn long_value(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
        _ => (arg, None),
    }
}

/// `%` conversions in a format (`date +FORMAT`, `stat -c`, Python's `strftime`): each `%X`
/// replaced by what `convert` makes of X (left as written when it makes nothing), `%%` a
/// percent sign.
pub fn percent(format: &str, mut convert: impl FnMut(char) -> Option<String>) -> String {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(k) => match convert(k) {
                Some(s) => out.push_str(&s),
                None => {
                    out.push('%');
                    out.push(k);
                }
            },
            None => out.push('%'),
        }
    }
    out
}

/// `to` as seen from the directory `from` (both absolute): `..` up to their common part.
fn relative(from: &str, to: &str) -> String {
    let a: Vec<&str> = from.split('/').filter(|c| !c.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|c| !c.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    parts.extend(&b[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Reads an operand (`-` = stdin); reports errors in the dialect's words.
fn read_input(p: &mut Proc, path: &str) -> Option<Vec<u8>> {
    if path == "-" {
        return Some(std::mem::take(&mut p.io.stdin));
    }
    match p.world.read(&p.ctx, path) {
        Ok(d) => Some(limited(&d)),
        Err(Errno::IsDir) => {
            if p.gnu {
                p.err(&format!("{path}: Is a directory"));
            } else {
                p.err("read error: Is a directory");
            }
            None
        }
        Err(e) => {
            // GNU's head, tail, csplit and fmt say what they could not do (oracle-90).
            if p.gnu && matches!(p.name.as_str(), "head" | "tail" | "csplit" | "fmt") {
                let q = p.q(path);
                p.err(&format!("cannot open {q} for reading: {e}"));
            } else if p.gnu && p.name == "sed" {
                p.err(&format!("can't read {path}: {e}"));
            } else if p.gnu && p.name == "sort" {
                p.err(&format!("cannot read: {path}: {e}"));
            } else if !p.gnu && matches!(p.name.as_str(), "grep" | "sed" | "sort" | "cut" | "head" | "wc") {
                // busybox's tools that open with fopen_or_warn name the file alone (oracle-139).
                p.err(&format!("{path}: {e}"));
            } else if p.gnu {
                p.err(&format!("{path}: {e}"));
            } else {
                p.err(&format!("can't open '{path}': {e}"));
            }
            None
        }
    }
}

/// Opaque (zero) content is materialized only up to a sane size.
fn limited(d: &Data) -> Vec<u8> {
    match d {
        Data::Opaque(n) => vec![0; (*n).min(1 << 20) as usize],
        d => d.to_vec(),
    }
}

/// `root` and everything below it, for `-R`: a symlink named on the command line is followed,
/// one met on the way is not (chmod's and chown's `-P`), so a link to `..` leads nowhere.
fn walk_paths(p: &mut Proc, root: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk_below(p, root, true, &mut out);
    out
}

fn walk_below(p: &mut Proc, path: &str, follow: bool, out: &mut Vec<String>) {
    out.push(path.to_string());
    let Ok(loc) = p.world.resolve(&p.ctx, path, follow) else { return };
    if !p.world.is_dir_node(&loc.node) {
        return;
    }
    if let Ok(entries) = p.world.list(&p.ctx, &loc) {
        for (n, _) in entries {
            walk_below(p, &format!("{}/{n}", path.trim_end_matches('/')), false, out);
        }
    }
}
