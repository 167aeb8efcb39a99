//! What a file or device holds, by the signature its bytes carry: an ext2/3/4 superblock's magic
//! (at 0x438) or a swap area's (`SWAPSPACE2` at the end of its first page). util-linux's
//! `blkid` names them, `wipefs` lists and erases them. oracle-175, oracle-180.

use super::loopdev::backing_inode;
use super::mounts::print_table;
use super::Proc;
use crate::blockdev::loop_number;
use crate::fs::InodeId;

/// A signature found in a file.
pub(super) struct Signature {
    pub(super) fstype: &'static str,
    /// blkid's tags, in its order (`LABEL`, `UUID`, `SEC_TYPE`, `BLOCK_SIZE`, `TYPE`).
    pub(super) tags: Vec<(&'static str, String)>,
    pub(super) offset: u64,
    /// The bytes wipefs erases there.
    pub(super) magic: &'static [u8],
    pub(super) uuid: String,
    pub(super) label: Option<String>,
}

/// The signature the file `inode` carries, if any.
pub(super) fn signature(p: &Proc, inode: InodeId) -> Option<Signature> {
    let devices = p.world.block_devices();
    let label_tag = |label: &Option<String>| label.iter().map(|l| ("LABEL", l.clone())).collect::<Vec<_>>();
    if let Some(i) = devices.image(inode) {
        let mut tags = label_tag(&i.label);
        tags.push(("UUID", i.uuid.clone()));
        // An ext3 is also an ext2 to whoever reads only that.
        if i.kind == crate::blockdev::extfs::FsKind::Ext3 {
            tags.push(("SEC_TYPE", "ext2".into()));
        }
        tags.push(("BLOCK_SIZE", i.geometry.block_size.to_string()));
        tags.push(("TYPE", i.kind.name().into()));
        return Some(Signature {
            fstype: i.kind.name(),
            tags,
            offset: 0x438,
            magic: &[0x53, 0xef],
            uuid: i.uuid.clone(),
            label: i.label.clone(),
        });
    }
    let s = devices.swap_area(inode)?;
    let mut tags = label_tag(&s.label);
    tags.push(("UUID", s.uuid.clone()));
    tags.push(("TYPE", "swap".into()));
    Some(Signature { fstype: "swap", tags, offset: 0xff6, magic: b"SWAPSPACE2", uuid: s.uuid.clone(), label: s.label.clone() })
}

/// `blkid [-o full|value|export|device] [-s TAG]… [-L LABEL | -U UUID] [DEVICE|FILE…]`: the
/// file system each holds, as `NAME: TAG="…" …`; 2 when none was found. Devices need root to
/// be read: a student's `-L` finds nothing.
pub(super) fn blkid(p: &mut Proc, args: &[String]) -> i32 {
    let (mut format, mut only, mut find, mut names) = ("full".to_string(), Vec::new(), None, Vec::new());
    let mut at = 0;
    while let Some(a) = args.get(at) {
        at += 1;
        let value = args.get(at).cloned().unwrap_or_default();
        match a.as_str() {
            "-o" => format = value,
            "-s" => only.push(value),
            "-L" => find = Some(("LABEL", value)),
            "-U" => find = Some(("UUID", value)),
            _ => {
                names.push(a.clone());
                continue;
            }
        }
        at += 1;
    }
    if !matches!(format.as_str(), "full" | "value" | "export" | "device") {
        p.err(&format!("unsupported output format {format}"));
        return 4;
    }
    let root = p.ctx.cred.uid == 0;
    let loops: Vec<String> = p.world.block_devices().attached().map(|(n, _)| format!("/dev/loop{n}")).collect();
    if let Some((tag, wanted)) = find {
        let found = loops.iter().filter(|_| root).find(|d| {
            let sig = backing_inode(p, d).and_then(|i| signature(p, i));
            sig.is_some_and(|s| s.tags.iter().any(|(k, v)| *k == tag && *v == wanted))
        });
        return match found {
            Some(device) => {
                p.out_line(device);
                0
            }
            None => 2,
        };
    }
    if names.is_empty() {
        if !root {
            return 2;
        }
        names = loops;
    }
    let mut found = false;
    for name in names {
        if loop_number(&name).is_some() && !root {
            continue;
        }
        let Some(sig) = backing_inode(p, &name).and_then(|i| signature(p, i)) else { continue };
        found = true;
        let tags: Vec<&(&str, String)> = sig.tags.iter().filter(|(k, _)| only.is_empty() || only.iter().any(|o| o == k)).collect();
        match format.as_str() {
            "value" => tags.iter().for_each(|(_, v)| p.out_line(v)),
            "device" => p.out_line(&name),
            "export" => {
                p.out_line(&format!("DEVNAME={name}"));
                tags.iter().for_each(|(k, v)| p.out_line(&format!("{k}={v}")));
            }
            _ if tags.is_empty() => {}
            _ => {
                let shown: Vec<String> = tags.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
                p.out_line(&format!("{name}: {}", shown.join(" ")));
            }
        }
    }
    if found {
        0
    } else {
        2
    }
}

/// `wipefs [-a] [-n] [-o OFFSET] [-J|-p|-i] DEVICE…`: the signatures a file carries, or erased.
pub(super) fn wipefs(p: &mut Proc, args: &[String]) -> i32 {
    let (mut all, mut dry, mut offset, mut style, mut devices) = (false, false, None, ' ', Vec::new());
    let mut at = 0;
    while let Some(a) = args.get(at) {
        at += 1;
        match a.as_str() {
            "-a" | "--all" => all = true,
            "-n" | "--no-act" => dry = true,
            "-f" | "--force" | "-q" | "--quiet" => {}
            "-o" | "--offset" => {
                offset = args.get(at).cloned();
                at += 1;
            }
            "-J" | "--json" => style = 'J',
            "-p" | "--parsable" => style = 'p',
            "-i" | "--noheadings" => style = 'i',
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.trim_start_matches('-').chars().next().unwrap_or('-');
                p.err(&format!("invalid option -- '{bad}'"));
                p.io.err_line("Try 'wipefs --help' for more information.");
                return 1;
            }
            _ => devices.push(a.clone()),
        }
    }
    if devices.is_empty() {
        p.err("no device specified");
        p.io.err_line("Try 'wipefs --help' for more information.");
        return 1;
    }
    let mut status = 0;
    for device in devices {
        let Some(inode) = backing_inode(p, &device) else {
            p.err(&format!("error: {device}: probing initialization failed: No such file or directory"));
            status = 1;
            continue;
        };
        let found = signature(p, inode);
        if all || offset.is_some() {
            let wanted = offset.as_deref().map(parse_offset);
            match found.filter(|s| wanted.is_none_or(|w| w == Some(s.offset))) {
                Some(sig) => erase(p, &device, inode, &sig, dry),
                None => {
                    if let Some(o) = offset.as_deref() {
                        p.err(&format!("{device}: offset {o} not found"));
                    }
                }
            }
            continue;
        }
        list(p, &device, found.as_ref(), style);
    }
    status
}

/// `0x438`, `1080`: an offset as wipefs takes it.
fn parse_offset(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// Erases `sig` from the file (unless `-n`): what it held is no longer recognised.
fn erase(p: &mut Proc, device: &str, inode: InodeId, sig: &Signature, dry: bool) {
    let bytes: Vec<String> = sig.magic.iter().map(|b| format!("{b:02x}")).collect();
    p.out_line(&format!(
        "{device}: {} bytes were erased at offset 0x{:08x} ({}): {}",
        sig.magic.len(),
        sig.offset,
        sig.fstype,
        bytes.join(" ")
    ));
    if !dry {
        p.world.block_devices_mut().forget_image(inode);
        p.world.block_devices_mut().forget_swap_area(inode);
        let path = p.world.resolve(&p.ctx, device, true).map(|l| l.path).unwrap_or_else(|_| device.to_string());
        p.world.emit(crate::events::Event::SignatureErased { path, fstype: sig.fstype.to_string() });
    }
}

/// The signatures of one device, in the style asked for.
fn list(p: &mut Proc, device: &str, sig: Option<&Signature>, style: char) {
    let row = sig.map(|s| {
        [device.to_string(), format!("0x{:x}", s.offset), s.fstype.to_string(), s.uuid.clone(), s.label.clone().unwrap_or_default()]
    });
    match style {
        'J' => {
            let body = row
                .map(|r| {
                    format!(
                        "\n      {{\n         \"device\": \"{}\",\n         \"offset\": \"{}\",\n         \"type\": \"{}\",\n         \"uuid\": \"{}\",\n         \"label\": \"{}\"\n      }}\n   ",
                        r[0], r[1], r[2], r[3], r[4]
                    )
                })
                .unwrap_or_else(|| "\n\n   ".to_string());
            p.out(&format!("{{\n   \"signatures\": [{body}]\n}}\n"));
        }
        'p' => {
            if let Some(r) = row {
                p.out_line(&format!("{},{},{},{}", r[1], r[3], r[4], r[2]));
            }
        }
        _ => {
            if let Some(r) = row {
                let columns: Vec<String> = ["DEVICE", "OFFSET", "TYPE", "UUID", "LABEL"].map(String::from).to_vec();
                print_table(p, &columns, style != 'i', vec![r.to_vec()], |c| c.len(), |_| false);
            }
        }
    }
}
