//! `md5sum`, `sha1sum`, `sha256sum` and `sha512sum`: digests of files, and `-c` checking a list of them (oracle-40).

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::{read_input, split_opts, Proc};

fn digest(name: &str, data: &[u8]) -> String {
    let bytes: Vec<u8> = match name {
        "md5sum" => Md5::digest(data).to_vec(),
        "sha1sum" => Sha1::digest(data).to_vec(),
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
