//! Mount specs from `-v`, `--mount` and `--tmpfs`, validated with Docker's own messages.

use crate::fs::normalize;

pub use crate::daemon::spec::{Origin, Request, Source};

/// An error: `cli` ones are printed without the `Error response from daemon` part.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecError {
    /// `docker: invalid spec: ...` style errors of the CLI (full message after `docker: `).
    Cli(String),
    /// `invalid argument "..." for "--mount" flag: ...` (printed without `docker: `).
    Flag(String),
    /// An error response from the daemon.
    Daemon(String),
}

fn is_windows_drive(src: &str) -> bool {
    src.len() == 1 && src.chars().all(|c| c.is_ascii_alphabetic())
}

/// Parses `-v SRC:DST[:MODE]`, `-v DST`.
pub fn parse_volume_flag(spec: &str, cwd: &str, home: &str) -> Result<Request, SpecError> {
    let parts: Vec<&str> = spec.split(':').collect();
    let base = Request::new(Source::Volume(None), String::new(), Origin::Bind, spec);
    // A one-letter first part is read as a Windows drive: the whole spec is the destination.
    if parts.len() >= 2 && is_windows_drive(parts[0]) && parts.len() <= 3 {
        let target = if parts.len() == 3 { format!("{}:{}", parts[0], parts[1]) } else { spec.to_string() };
        return Ok(Request { target, ..base });
    }
    if parts.len() > 3 {
        return Err(SpecError::Cli(format!("invalid spec: {spec}: too many colons")));
    }
    if parts.iter().any(|p| p.is_empty()) && parts.len() > 1 {
        return Err(SpecError::Cli(format!("invalid spec: {spec}: empty section between colons")));
    }
    if parts.len() == 1 {
        let t = parts[0];
        if !t.starts_with('/') {
            return Err(SpecError::Daemon(format!("invalid volume specification: '{spec}': invalid mount config for type \"volume\": invalid mount path: '{t}' mount path must be absolute")));
        }
        return Ok(Request { target: clean(t), ..base });
    }
    let (src, dst) = (parts[0], parts[1]);
    let mode = parts.get(2).copied().unwrap_or("");
    let is_bind = src.starts_with('/') || src.starts_with('.') || src.starts_with('~');
    let kind = if is_bind { "bind" } else { "volume" };
    if !dst.starts_with('/') {
        return Err(SpecError::Daemon(format!("invalid volume specification: '{spec}': invalid mount config for type \"{kind}\": invalid mount path: '{dst}' mount path must be absolute")));
    }
    if clean(dst) == "/" {
        return Err(SpecError::Daemon(format!("invalid volume specification: '{spec}': invalid mount config for type \"{kind}\": invalid specification: destination can't be '/'")));
    }
    let mut read_only = false;
    let mut nocopy = false;
    let mut seen_rw = 0;
    let mut propagation: Option<String> = None;
    for m in mode.split(',').filter(|m| !m.is_empty()) {
        match m {
            "ro" => {
                read_only = true;
                seen_rw += 1;
            }
            "rw" => seen_rw += 1,
            "z" | "Z" | "consistent" | "cached" | "delegated" => {}
            "nocopy" => nocopy = true,
            "shared" | "rshared" | "slave" | "rslave" | "private" | "rprivate" => propagation = Some(m.to_string()),
            _ => return Err(SpecError::Daemon(format!("invalid mode: {mode}"))),
        }
    }
    if seen_rw > 1 {
        return Err(SpecError::Daemon(format!("invalid mode: {mode}")));
    }
    if propagation.is_some() && !is_bind {
        return Err(SpecError::Daemon(format!(
            "invalid volume specification: '{spec}': invalid mount config for type \"volume\": field BindOptions must not be specified"
        )));
    }
    if is_bind && nocopy {
        return Err(SpecError::Daemon(format!(
            "invalid volume specification: '{spec}': invalid mount config for type \"bind\": field VolumeOptions must not be specified"
        )));
    }
    if is_bind {
        let abs = if let Some(rest) = src.strip_prefix('~') { format!("{home}{rest}") } else { normalize(cwd, src) };
        let raw = if mode.is_empty() { format!("{abs}:{dst}") } else { format!("{abs}:{dst}:{mode}") };
        // A bind's Mode is the mode as written: access, propagation, SELinux label, consistency
        // (oracle-109, oracle-152).
        Ok(Request { source: Source::Bind(abs), target: clean(dst), read_only, mode: mode.to_string(), raw, propagation, ..base })
    } else {
        let shown_mode = if mode.is_empty() { "z".to_string() } else { mode.to_string() };
        Ok(Request { source: Source::Volume(Some(src.to_string())), target: clean(dst), read_only, nocopy, mode: shown_mode, ..base })
    }
}

pub fn clean(p: &str) -> String {
    normalize("/", p)
}

/// Parses `--mount type=...,source=...,target=...`.
pub fn parse_mount_flag(spec: &str, cwd: &str) -> Result<Request, SpecError> {
    let flag_err = |msg: String| SpecError::Flag(format!("invalid argument \"{spec}\" for \"--mount\" flag: {msg}"));
    let mut kind = "volume".to_string();
    let mut source: Option<String> = None;
    let mut target: Option<String> = None;
    let mut read_only = false;
    let mut nocopy = false;
    let mut subpath = String::new();
    let mut tmpfs_size: Option<u64> = None;
    let mut tmpfs_mode: Option<u32> = None;
    let mut has_volume_opt = false;
    let mut has_bind_opt = false;
    let mut propagation: Option<String> = None;
    let mut volume_labels = std::collections::BTreeMap::new();
    let mut volume_opts = std::collections::BTreeMap::new();
    let mut has_tmpfs_opt = false;
    for field in spec.split(',') {
        let (k, v) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v.to_string())),
            None => (field.to_ascii_lowercase(), None),
        };
        let bool_val = |v: &Option<String>, key: &str| -> Result<bool, SpecError> {
            match v.as_deref() {
                None | Some("1") | Some("true") | Some("True") | Some("TRUE") | Some("t") => Ok(true),
                Some("0") | Some("false") | Some("False") | Some("FALSE") | Some("f") => Ok(false),
                Some(other) => Err(flag_err(format!("invalid value for {key}: {other}"))),
            }
        };
        match k.as_str() {
            "type" => kind = v.unwrap_or_default(),
            "source" | "src" => source = v,
            "target" | "destination" | "dst" => target = v,
            "readonly" | "ro" => read_only = bool_val(&v, &k)?,
            "volume-nocopy" => {
                nocopy = bool_val(&v, &k)?;
                has_volume_opt = true;
            }
            "volume-subpath" => {
                subpath = v.unwrap_or_default();
                has_volume_opt = true;
            }
            // A volume the mount creates gets these labels and driver options (oracle-119).
            "volume-label" | "volume-opt" => {
                has_volume_opt = true;
                let pair = v.clone().unwrap_or_default();
                let (name, value) = pair.split_once('=').unwrap_or((&pair, ""));
                let into = if k == "volume-label" { &mut volume_labels } else { &mut volume_opts };
                into.insert(name.to_string(), value.to_string());
            }
            "volume-driver" => has_volume_opt = true,
            // A field the CLI takes only as KEY=VALUE.
            "bind-create-host-path" if v.is_none() => {
                return Err(flag_err(format!("invalid field '{field}' must be a key=value pair")));
            }
            "bind-propagation" => {
                has_bind_opt = true;
                propagation = v.clone();
            }
            "bind-recursive" | "bind-nonrecursive" | "bind-create-host-path" => has_bind_opt = true,
            "tmpfs-size" => {
                has_tmpfs_opt = true;
                let raw = v.unwrap_or_default();
                tmpfs_size = Some(parse_size(&raw).ok_or_else(|| flag_err(format!("invalid value for tmpfs-size: {raw}")))?);
            }
            "tmpfs-mode" => {
                has_tmpfs_opt = true;
                let raw = v.unwrap_or_default();
                tmpfs_mode = Some(u32::from_str_radix(&raw, 8).map_err(|_| flag_err(format!("invalid value for tmpfs-mode: {raw}")))?);
            }
            "consistency" => {}
            _ => return Err(flag_err(format!("unexpected key '{k}' in '{field}'"))),
        }
    }
    if has_volume_opt && kind != "volume" {
        return Err(flag_err(format!("cannot mix 'volume-*' options with mount type '{kind}'")));
    }
    if has_bind_opt && kind != "bind" {
        return Err(flag_err(format!("cannot mix 'bind-*' options with mount type '{kind}'")));
    }
    if has_tmpfs_opt && kind != "tmpfs" {
        return Err(flag_err(format!("cannot mix 'tmpfs-*' options with mount type '{kind}'")));
    }
    let Some(target) = target else { return Err(flag_err("target is required".into())) };
    let daemon = |msg: String| SpecError::Daemon(format!("invalid mount config for type \"{kind}\": {msg}"));
    if !matches!(kind.as_str(), "volume" | "bind" | "tmpfs") {
        return Err(daemon("mount type unknown".into()));
    }
    let mut json = serde_json::Map::new();
    json.insert("Type".into(), kind.clone().into());
    if let Some(s) = &source {
        json.insert("Source".into(), s.clone().into());
    }
    json.insert("Target".into(), target.clone().into());
    if read_only {
        json.insert("ReadOnly".into(), true.into());
    }
    let base = Request {
        read_only,
        nocopy,
        subpath: subpath.clone(),
        tmpfs_size,
        tmpfs_mode,
        propagation,
        volume_labels,
        volume_opts,
        ..Request::new(Source::Tmpfs, String::new(), Origin::Mount, spec)
    };
    let source_abs = source.as_ref().map(|s| if s.starts_with('.') { normalize(cwd, s) } else { s.clone() });
    if let (Some(a), "bind") = (&source_abs, kind.as_str()) {
        json.insert("Source".into(), a.clone().into());
    }
    match kind.as_str() {
        "tmpfs" => {
            if source.is_some() {
                return Err(daemon("field Source must not be specified".into()));
            }
            if !target.starts_with('/') {
                return Err(daemon(format!("invalid mount path: '{target}' mount path must be absolute")));
            }
            if tmpfs_size.is_some() || tmpfs_mode.is_some() {
                let mut o = serde_json::Map::new();
                if let Some(s) = tmpfs_size {
                    o.insert("SizeBytes".into(), s.into());
                }
                if let Some(m) = tmpfs_mode {
                    o.insert("Mode".into(), m.into());
                }
                json.insert("TmpfsOptions".into(), o.into());
            }
            let mut opts = Vec::new();
            // The kernel keeps whole pages and shows them in KiB: 1000000 bytes is 980k (oracle-153).
            if let Some(s) = tmpfs_size {
                opts.push(format!("size={}k", s.div_ceil(4096) * 4));
            }
            if let Some(m) = tmpfs_mode.filter(|m| *m != 0o1777) {
                opts.push(format!("mode={m:o}"));
            }
            Ok(Request { source: Source::Tmpfs, target: clean(&target), tmpfs_opts: opts.join(","), mount_json: Some(json.into()), ..base })
        }
        "bind" => {
            let Some(src) = source_abs else { return Err(daemon("field Source must not be empty".into())) };
            if !src.starts_with('/') {
                return Err(daemon(format!("invalid mount path: '{src}' mount path must be absolute")));
            }
            if !target.starts_with('/') {
                return Err(daemon(format!("invalid mount path: '{target}' mount path must be absolute")));
            }
            Ok(Request { source: Source::Bind(src), target: clean(&target), mount_json: Some(json.into()), ..base })
        }
        _ => {
            if !target.starts_with('/') {
                return Err(daemon(format!("invalid mount path: '{target}' mount path must be absolute")));
            }
            let invalid = |m: &str| Err(daemon(m.to_string()));
            if !subpath.is_empty() && source.as_deref().is_none_or(str::is_empty) {
                return invalid("must not set Subpath when using anonymous volumes");
            }
            if subpath.starts_with('/') || subpath.split('/').any(|c| c == "..") {
                return invalid("subpath must be a relative path within the volume");
            }
            if nocopy || !subpath.is_empty() {
                let mut o = serde_json::Map::new();
                if nocopy {
                    o.insert("NoCopy".into(), true.into());
                }
                if !subpath.is_empty() {
                    o.insert("Subpath".into(), subpath.clone().into());
                }
                json.insert("VolumeOptions".into(), o.into());
            }
            let mode = "z".to_string();
            Ok(Request {
                source: Source::Volume(source.filter(|s| !s.is_empty())),
                target: clean(&target),
                mode,
                mount_json: Some(json.into()),
                ..base
            })
        }
    }
}

/// Parses `--tmpfs PATH[:OPTIONS]`.
pub fn parse_tmpfs_flag(spec: &str) -> Result<Request, SpecError> {
    let (path, opts) = match spec.split_once(':') {
        Some((p, o)) => (p, o),
        None => (spec, ""),
    };
    if !path.starts_with('/') {
        return Err(SpecError::Daemon(format!("invalid mount path: '{path}' mount path must be absolute")));
    }
    Ok(Request {
        read_only: opts.split(',').any(|o| o == "ro"),
        tmpfs_opts: opts.to_string(),
        ..Request::new(Source::Tmpfs, clean(path), Origin::Tmpfs, spec)
    })
}

pub use crate::daemon::spec::{parse_size, tmpfs_options};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_specs() {
        let r = parse_volume_flag("mydata:/appdata", "/home/student", "/home/student").expect("valid");
        assert_eq!(r.source, Source::Volume(Some("mydata".into())));
        assert_eq!(r.mode, "z");
        let r = parse_volume_flag("./rel:/x", "/home/student", "/home/student").expect("valid");
        assert_eq!(r.source, Source::Bind("/home/student/rel".into()));
        assert_eq!(parse_volume_flag(":/x", "/", "/"), Err(SpecError::Cli("invalid spec: :/x: empty section between colons".into())));
        assert_eq!(
            parse_volume_flag("vol:/x:ro:extra", "/", "/"),
            Err(SpecError::Cli("invalid spec: vol:/x:ro:extra: too many colons".into()))
        );
        let r = parse_volume_flag("a:/x", "/", "/").expect("drive letter quirk");
        assert_eq!(r.target, "a:/x");
    }

    #[test]
    fn mount_specs() {
        assert!(matches!(parse_mount_flag("source=vol", "/"), Err(SpecError::Flag(m)) if m.ends_with("target is required")));
        let r = parse_mount_flag("type=tmpfs,destination=/t,tmpfs-size=65536,tmpfs-mode=1770", "/").expect("valid");
        assert_eq!(r.tmpfs_opts, "size=64k,mode=1770");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64k"), Some(65536));
        assert_eq!(parse_size("1m"), Some(1 << 20));
        assert_eq!(parse_size("abc"), None);
    }
}
