//! `lzmainfo FILE…` (XZ Utils 5.4.1): what a .lzma file's 13-byte header says — its size if
//! known, its dictionary, its lc/lp/pb — with blank lines around the files named, as LZMA Utils
//! printed them (oracle-172).

use crate::userland::coreutils::Proc;

pub(crate) fn lzmainfo(p: &mut Proc, args: &[String]) -> i32 {
    if args.iter().any(|a| a == "--help") {
        p.out(HELP);
        return 0;
    }
    if args.iter().any(|a| a == "--version") {
        p.out("lzmainfo (XZ Utils) 5.4.1\n");
        return 0;
    }
    if args.is_empty() {
        let input = std::mem::take(&mut p.io.stdin);
        return i32::from(!describe(p, "(stdin)", &input, false));
    }
    let mut status = 0;
    p.out("\n");
    for a in args {
        if a == "-" {
            let input = std::mem::take(&mut p.io.stdin);
            if !describe(p, "(stdin)", &input, false) {
                status = 1;
            }
            continue;
        }
        let data = match p.world.read(&p.ctx, a) {
            Ok(d) => crate::userland::coreutils::limited(&d),
            Err(e) => {
                p.err(&format!("{a}: {e}"));
                status = 1;
                continue;
            }
        };
        if !describe(p, a, &data, true) {
            status = 1;
        }
        p.out("\n");
    }
    status
}

/// One header told, or the complaint; whether it was a .lzma header.
fn describe(p: &mut Proc, name: &str, data: &[u8], named: bool) -> bool {
    let Some(header) = data.get(..13) else {
        p.err(&format!("{name}: File is too small to be a .lzma file"));
        return false;
    };
    let props = header[0];
    let (lc, lp, pb) = (u32::from(props % 9), u32::from(props / 9 % 5), u32::from(props / 45));
    if props >= 225 || lc + lp > 4 {
        p.err(&format!("{name}: Not a .lzma file"));
        return false;
    }
    let dict = u32::from_le_bytes([header[1], header[2], header[3], header[4]]);
    let size = u64::from_le_bytes([header[5], header[6], header[7], header[8], header[9], header[10], header[11], header[12]]);
    let mut out = String::new();
    if named {
        out.push_str(&format!("{name}\n"));
    }
    let size = if size == u64::MAX { "Unknown".to_string() } else { format!("{} MB ({size} bytes)", (size + 512 * 1024) / (1024 * 1024)) };
    out.push_str(&format!("Uncompressed size:             {size}\n"));
    let log2 = 31 - dict.max(1).leading_zeros();
    out.push_str(&format!("Dictionary size:               {} MB (2^{log2} bytes)\n", (u64::from(dict) + 512 * 1024) / (1024 * 1024)));
    out.push_str(&format!(
        "Literal context bits (lc):     {lc}\nLiteral pos bits (lp):         {lp}\nNumber of pos bits (pb):       {pb}\n"
    ));
    p.out(&out);
    true
}

const HELP: &str = "Usage: lzmainfo [--help] [--version] [FILE]...
Show information stored in the .lzma file header
With no FILE, or when FILE is -, read standard input.

Report bugs to <xz@tukaani.org> (in English or Finnish).
XZ Utils home page: <https://tukaani.org/xz/>
";
