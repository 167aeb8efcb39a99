//! How sizes, modes, ids and instructions are written on screen.

use stowage_engine::EntryKind;

/// A size the way Docker prints it: decimal units, three significant digits (`12.3 kB`).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in UNITS {
        if value < 999.5 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    let digits = if value < 9.995 {
        2
    } else if value < 99.95 {
        1
    } else {
        0
    };
    let text = format!("{value:.digits$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    format!("{text} {unit}")
}

/// `ls -l`'s mode column, e.g. `drwxr-xr-x` or `drwxrwxrwt`.
pub fn mode_string(kind: EntryKind, mode: u32) -> String {
    let type_char = match kind {
        EntryKind::Dir | EntryKind::OpaqueDir => 'd',
        EntryKind::Symlink => 'l',
        EntryKind::Whiteout => 'c',
        EntryKind::File => '-',
    };
    let mut s = String::with_capacity(10);
    s.push(type_char);
    let special = [(0o4000, 's', 'S'), (0o2000, 's', 'S'), (0o1000, 't', 'T')];
    for (i, (bit, on, off)) in special.iter().enumerate() {
        let shift = 6 - 3 * i;
        let bits = (mode >> shift) & 0o7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        let x = bits & 1 != 0;
        s.push(match (mode & bit != 0, x) {
            (true, true) => *on,
            (true, false) => *off,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

/// The Dockerfile instruction behind a layer, without the shell wrapper Docker records.
pub fn instruction(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_suffix("# buildkit").unwrap_or(s).trim_end();
    if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop)") {
        return rest.trim().to_string();
    }
    if let Some(rest) = s.strip_prefix("/bin/sh -c ") {
        return format!("RUN {}", rest.trim());
    }
    if let Some(rest) = s.strip_prefix("RUN /bin/sh -c ") {
        return format!("RUN {}", rest.trim());
    }
    s.to_string()
}

/// The last component of a path (`/` stays `/`).
pub fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// `dir` joined with `name`; an absolute `name` stands alone.
pub fn join_path(dir: &str, name: &str) -> String {
    if name.starts_with('/') {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The parent directory of an absolute path.
pub fn parent_path(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => trimmed[..i].to_string(),
    }
}

/// A string usable in an HTML id: letters and digits kept, the rest as `-`.
pub fn dom_id(prefix: &str, key: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + key.len() + 1);
    id.push_str(prefix);
    id.push('-');
    id.extend(key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_docker() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1000), "1 kB");
        assert_eq!(human_size(12_345), "12.3 kB");
        assert_eq!(human_size(1_980_000), "1.98 MB");
        assert_eq!(human_size(41_300_000), "41.3 MB");
        assert_eq!(human_size(239_000_000), "239 MB");
        assert_eq!(human_size(999_999), "1 MB");
    }

    #[test]
    fn modes_read_like_ls() {
        assert_eq!(mode_string(EntryKind::Dir, 0o755), "drwxr-xr-x");
        assert_eq!(mode_string(EntryKind::Dir, 0o1777), "drwxrwxrwt");
        assert_eq!(mode_string(EntryKind::File, 0o4755), "-rwsr-xr-x");
        assert_eq!(mode_string(EntryKind::File, 0o2640), "-rw-r-S---");
        assert_eq!(mode_string(EntryKind::Symlink, 0o777), "lrwxrwxrwx");
    }

    #[test]
    fn instructions_lose_the_shell_wrapper() {
        assert_eq!(instruction("RUN /bin/sh -c mkdir -p /etc/app # buildkit"), "RUN mkdir -p /etc/app");
        assert_eq!(instruction("/bin/sh -c #(nop)  WORKDIR /srv/web"), "WORKDIR /srv/web");
        assert_eq!(instruction("/bin/sh -c echo hi"), "RUN echo hi");
        assert_eq!(instruction("COPY index.html /srv/web/ # buildkit"), "COPY index.html /srv/web/");
    }

    #[test]
    fn paths() {
        assert_eq!(base_name("/etc/app/app.conf"), "app.conf");
        assert_eq!(base_name("/etc/app/"), "app");
        assert_eq!(base_name("/"), "/");
        assert_eq!(join_path("/", "etc"), "/etc");
        assert_eq!(join_path("/etc", "app"), "/etc/app");
        assert_eq!(join_path("/etc", "/abs"), "/abs");
        assert_eq!(parent_path("/etc/app"), "/etc");
        assert_eq!(parent_path("/etc"), "/");
        assert_eq!(dom_id("vol", "my-db.data"), "vol-my-db-data");
    }
}
