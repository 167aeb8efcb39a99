//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum` and `sha512sum`: digests of files,
//! and `-c` checking a list of them (oracle-40); `cksum` (POSIX CRC) and `sum` (BSD) (oracle-55).

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::{read_input, split_opts, Proc};

fn digest(name: &str, data: &[u8]) -> String {
    let bytes: Vec<u8> = match name {
        "md5sum" => Md5::digest(data).to_vec(),
        "sha1sum" => Sha1::digest(data).to_vec(),
        "sha224sum" => Sha224::digest(data).to_vec(),
        "sha384sum" => Sha384::digest(data).to_vec(),
        "sha512sum" => Sha512::digest(data).to_vec(),
        _ => Sha256::digest(data).to_vec(),
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn sum(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let check = opts.iter().any(|o| o == "--check" || (!o.starts_with("--") && o.contains('c')));
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    if check {
        return check_lists(p, &inputs);
    }
    let mut status = 0;
    for f in inputs {
        let Some(data) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        let hex = digest(&p.name, &data);
        p.out(&format!("{hex}  {f}\n"));
    }
    status
}

/// `-c LIST`: each `DIGEST  NAME` line checked, `NAME: OK` or `NAME: FAILED`.
fn check_lists(p: &mut Proc, lists: &[String]) -> i32 {
    let (mut failed, mut total) = (0, 0);
    for list in lists {
        let Some(text) = read_input(p, list) else { return 1 };
        for line in String::from_utf8_lossy(&text).lines() {
            let Some((want, name)) = line.split_once("  ").or_else(|| line.split_once(" *")) else { continue };
            total += 1;
            let ok = match p.world.read(&p.ctx, name) {
                Ok(d) => digest(&p.name, &d.to_vec()) == want,
                Err(e) => {
                    let msg = if p.gnu { format!("{name}: {e}") } else { format!("can't open '{name}': {e}") };
                    p.err(&msg);
                    false
                }
            };
            p.out(&format!("{name}: {}\n", if ok { "OK" } else { "FAILED" }));
            if !ok {
                failed += 1;
            }
        }
    }
    if failed == 0 {
        return 0;
    }
    let msg = if p.gnu {
        let noun = if failed == 1 { "checksum" } else { "checksums" };
        format!("WARNING: {failed} computed {noun} did NOT match")
    } else {
        format!("WARNING: {failed} of {total} computed checksums did NOT match")
    };
    p.err(&msg);
    1
}

/// `cksum [FILE…]`: the POSIX CRC-32 of the bytes and their count, and the byte count.
pub(super) fn cksum(p: &mut Proc, args: &[String]) -> i32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = (n as u32) << 24;
            let mut k = 0;
            while k < 8 {
                c = if c & 0x8000_0000 != 0 { (c << 1) ^ 0x04c1_1db7 } else { c << 1 };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    each_input(p, args, |data, name| {
        let mut crc = 0u32;
        let mut feed = |b: u8| crc = (crc << 8) ^ TABLE[((crc >> 24) as u8 ^ b) as usize];
        data.iter().for_each(|b| feed(*b));
        let mut len = data.len() as u64;
        while len > 0 {
            feed(len as u8);
            len >>= 8;
        }
        let suffix = name.map(|n| format!(" {n}")).unwrap_or_default();
        format!("{} {}{suffix}", !crc, data.len())
    })
}

/// `sum [FILE…]`: the BSD 16-bit checksum and the size in 1 KiB blocks.
pub(super) fn bsd_sum(p: &mut Proc, args: &[String]) -> i32 {
    each_input(p, args, |data, name| {
        let mut sum = 0u32;
        for b in data {
            sum = (sum >> 1) + ((sum & 1) << 15);
            sum = (sum + u32::from(*b)) & 0xffff;
        }
        let suffix = name.map(|n| format!(" {n}")).unwrap_or_default();
        format!("{sum:05} {:5}{suffix}", data.len().div_ceil(1024))
    })
}

/// One line per input (stdin when none is named, printed without a name).
fn each_input(p: &mut Proc, args: &[String], line: impl Fn(&[u8], Option<&str>) -> String) -> i32 {
    let (_, files) = split_opts(args);
    let named = !files.is_empty();
    let inputs = if named { files } else { vec!["-".to_string()] };
    let mut status = 0;
    for f in inputs {
        let Some(data) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        let text = line(&data, named.then_some(f.as_str()));
        p.out_line(&text);
    }
    status
}
