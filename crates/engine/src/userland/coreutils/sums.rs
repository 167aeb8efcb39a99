//! `md5sum`, `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum` and `sha512sum`: digests of files,
//! and `-c` checking a list of them (oracle-40); GNU's `b2sum` and busybox's `sha3sum` and
//! `crc32` (oracle-74); `cksum` (POSIX CRC) and `sum` (BSD) (oracle-55).

use blake2::digest::{Update, VariableOutput};
use blake2::{Blake2b512, Blake2bVar};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use sha3::{Sha3_224, Sha3_256, Sha3_384, Sha3_512};

use super::{read_input, split_opts, Proc};

/// The digest `name` computes, `bits` long where the tool lets one choose (b2sum's `-l`,
/// sha3sum's `-a`), in hex.
fn digest(name: &str, bits: usize, data: &[u8]) -> String {
    let bytes: Vec<u8> = match (name, bits) {
        ("md5sum", _) => Md5::digest(data).to_vec(),
        ("sha1sum", _) => Sha1::digest(data).to_vec(),
        ("sha224sum", _) => Sha224::digest(data).to_vec(),
        ("sha384sum", _) => Sha384::digest(data).to_vec(),
        ("sha512sum", _) => Sha512::digest(data).to_vec(),
        ("b2sum", 512) => Blake2b512::digest(data).to_vec(),
        ("b2sum", _) => {
            let mut out = vec![0u8; bits / 8];
            match Blake2bVar::new(bits / 8) {
                Ok(mut hasher) => {
                    hasher.update(data);
                    let _ = hasher.finalize_variable(&mut out);
                }
                Err(_) => out.clear(),
            }
            out
        }
        ("sha3sum", 256) => Sha3_256::digest(data).to_vec(),
        ("sha3sum", 384) => Sha3_384::digest(data).to_vec(),
        ("sha3sum", 512) => Sha3_512::digest(data).to_vec(),
        ("sha3sum", _) => Sha3_224::digest(data).to_vec(),
        ("crc32", _) => crate::userland::gzip::crc32(data).to_be_bytes().to_vec(),
        _ => Sha256::digest(data).to_vec(),
    };
    crate::ids::hex(&bytes)
}

pub(super) fn sum(p: &mut Proc, args: &[String]) -> i32 {
    let (mut check, mut tag) = (false, false);
    let mut bits = match p.name.as_str() {
        "b2sum" => 512,
        "sha3sum" => 224,
        _ => 0,
    };
    let mut files = Vec::new();
    let mut cursor = super::Cursor::new(args);
    while let Some(a) = cursor.next() {
        let value = match a.as_str() {
            "-l" | "-a" => cursor.next().cloned(),
            s if s.starts_with("--length=") => s.get(9..).map(str::to_string),
            "-c" | "--check" => {
                check = true;
                continue;
            }
            "--tag" => {
                tag = true;
                continue;
            }
            s if s.starts_with('-') && s.len() > 1 && s != "-" => {
                check |= !s.starts_with("--") && s.contains('c');
                continue;
            }
            _ => {
                files.push(a.clone());
                continue;
            }
        };
        let v = value.unwrap_or_default();
        match v.parse::<usize>() {
            Ok(n) if p.name == "b2sum" && n % 8 == 0 && (8..=512).contains(&n) => bits = n,
            Ok(n) if p.name == "sha3sum" && [224, 256, 384, 512].contains(&n) => bits = n,
            _ if p.gnu => {
                let q = p.lq(&v);
                p.err(&format!("invalid length: {q}"));
                if v.parse::<usize>().is_ok_and(|n| n % 8 != 0) {
                    p.io.err_line("b2sum: length is not a multiple of 8");
                }
                return 1;
            }
            _ => return p.busybox_usage(),
        }
    }
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
        let hex = digest(&p.name, bits, &data);
        if p.name == "crc32" {
            // A named file follows its checksum after one space; stdin is not named.
            let line = if f == "-" { hex } else { format!("{hex} {f}") };
            p.out_line(&line);
        } else if tag {
            let algo = if bits == 512 { "BLAKE2b".to_string() } else { format!("BLAKE2b-{bits}") };
            p.out_line(&format!("{algo} ({f}) = {hex}"));
        } else {
            p.out_line(&format!("{hex}  {f}"));
        }
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
                // A listed digest's length says how long a BLAKE2b or SHA-3 it is.
                Ok(d) => digest(&p.name, want.len() * 4, &d.to_vec()) == want,
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
