//! A level's goals: predicates on the machine's state, never on the lines typed. A closed
//! vocabulary, read from a level's YAML and answered through the read-only [`Query`], so the
//! web app and the terminal judge alike (see `docs/levels.md` for the syntax).

use serde_json::Value;

use crate::query::{FileFacts, MountSource, Query, RunState, UpperEntry};
use crate::view::Origin;

/// What a container should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerIs {
    Present,
    Running,
    /// Stopped, whatever its exit status.
    Exited,
    Absent,
}

/// Where a container should see a file from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeenFrom {
    Image,
    WritableLayer,
    Volume(String),
    Bind(String),
    Tmpfs,
}

/// What a mount should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountKind {
    Volume,
    Bind,
    Tmpfs,
}

/// Conditions on a file, all optional: its text, owner and mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileTest {
    pub containing: Option<String>,
    pub owner: Option<(u32, u32)>,
    pub mode: Option<u32>,
}

impl FileTest {
    fn holds(&self, f: &FileFacts) -> bool {
        self.containing.as_deref().is_none_or(|t| f.contains(t))
            && self.owner.is_none_or(|(u, g)| (f.uid, f.gid) == (u, g))
            && self.mode.is_none_or(|m| f.mode & 0o7777 == m)
    }
}

/// One goal of the closed vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    Container {
        name: String,
        is: ContainerIs,
    },
    /// The container sees `path` (from a given place, with a given content, owner, mode).
    Sees {
        container: String,
        path: String,
        from: Option<SeenFrom>,
        file: FileTest,
    },
    /// The container does not see `path` (deleted, or hidden by a mount).
    SeesNot {
        container: String,
        path: String,
    },
    /// A mount of the container at `target`.
    Mount {
        container: String,
        target: String,
        kind: MountKind,
        source: Option<String>,
        read_only: Option<bool>,
    },
    /// The container's root file system is read-only (`--read-only`), or not.
    ReadOnlyRoot {
        container: String,
        read_only: bool,
    },
    /// The container's writable layer itself holds `path`: a file (copied up or written), or
    /// a whiteout.
    LayerHolds {
        container: String,
        path: String,
        whiteout: bool,
    },
    Volume {
        name: String,
        present: bool,
    },
    /// A file in a volume's data.
    VolumeHolds {
        volume: String,
        path: String,
        file: FileTest,
    },
    /// No container uses the volume.
    VolumeUnused {
        name: String,
    },
    Host {
        path: String,
        present: bool,
        file: FileTest,
    },
    Image {
        reference: String,
        present: bool,
        layers: Option<usize>,
    },
    /// How many anonymous volumes the machine keeps.
    AnonymousVolumes(usize),
    /// The goal inside does not hold (for traps: "the file is not in the volume").
    Not(Box<Goal>),
}

impl Goal {
    /// Whether the goal holds on the machine now.
    pub fn met(&self, q: &Query) -> bool {
        match self {
            Goal::Container { name, is } => match (q.container(name).map(|c| c.state), is) {
                (None, ContainerIs::Absent) => true,
                (None, _) | (Some(_), ContainerIs::Absent) => false,
                (Some(_), ContainerIs::Present) => true,
                (Some(state), ContainerIs::Running) => state == RunState::Running,
                (Some(state), ContainerIs::Exited) => matches!(state, RunState::Exited(_)),
            },
            Goal::Sees { container, path, from, file } => q.container_file(container, path).is_some_and(|(f, origin)| {
                file.holds(&f)
                    && from.as_ref().is_none_or(|want| match (want, &origin) {
                        (SeenFrom::Image, Origin::ImageLayer(_)) | (SeenFrom::WritableLayer, Origin::WritableLayer) => true,
                        (SeenFrom::Tmpfs, Origin::Tmpfs) => true,
                        (SeenFrom::Volume(v), Origin::Volume(o)) | (SeenFrom::Bind(v), Origin::Bind(o)) => v == o,
                        _ => false,
                    })
            }),
            Goal::SeesNot { container, path } => q.container(container).is_some() && q.container_file(container, path).is_none(),
            Goal::Mount { container, target, kind, source, read_only } => q.container(container).is_some_and(|c| {
                c.mounts.iter().any(|m| {
                    let (k, s) = match &m.source {
                        MountSource::Volume { name, .. } => (MountKind::Volume, Some(name.as_str())),
                        MountSource::Bind { host_path } => (MountKind::Bind, Some(host_path.as_str())),
                        MountSource::Tmpfs => (MountKind::Tmpfs, None),
                    };
                    m.target == *target
                        && k == *kind
                        && source.as_deref().is_none_or(|want| s == Some(want))
                        && read_only.is_none_or(|ro| m.read_only == ro)
                })
            }),
            Goal::ReadOnlyRoot { container, read_only } => q.container(container).is_some_and(|c| c.read_only_rootfs == *read_only),
            Goal::LayerHolds { container, path, whiteout } => match q.upper_entry(container, path) {
                Some(UpperEntry::Whiteout) => *whiteout,
                Some(_) => !*whiteout,
                None => false,
            },
            Goal::Volume { name, present } => q.volume(name).is_some() == *present,
            Goal::VolumeHolds { volume, path, file } => q.volume_file(volume, path).is_some_and(|f| file.holds(&f)),
            Goal::VolumeUnused { name } => q.volume(name).is_some_and(|v| v.used_by.is_empty()),
            Goal::Host { path, present, file } => match q.host_file(path) {
                Some(f) => *present && file.holds(&f),
                None => !*present,
            },
            Goal::Image { reference, present, layers } => match q.image(reference) {
                Some(im) => *present && layers.is_none_or(|n| im.layers == n),
                None => !*present,
            },
            Goal::AnonymousVolumes(n) => q.anonymous_volumes() == *n,
            Goal::Not(goal) => !goal.met(q),
        }
    }

    /// The goal in words, for a checklist that names no text of its own.
    pub fn describe(&self) -> String {
        match self {
            Goal::Container { name, is } => match is {
                ContainerIs::Present => format!("container {name} exists"),
                ContainerIs::Running => format!("container {name} is running"),
                ContainerIs::Exited => format!("container {name} has stopped"),
                ContainerIs::Absent => format!("no container named {name}"),
            },
            Goal::Sees { container, path, .. } => format!("{container} sees {path}"),
            Goal::SeesNot { container, path } => format!("{container} does not see {path}"),
            Goal::Mount { container, target, kind, read_only, .. } => format!(
                "{container} has a {}{} mount at {target}",
                if *read_only == Some(true) { "read-only " } else { "" },
                match kind {
                    MountKind::Volume => "volume",
                    MountKind::Bind => "bind",
                    MountKind::Tmpfs => "tmpfs",
                }
            ),
            Goal::ReadOnlyRoot { container, read_only: true } => format!("{container}'s root file system is read-only"),
            Goal::ReadOnlyRoot { container, read_only: false } => format!("{container}'s root file system is writable"),
            Goal::LayerHolds { container, path, whiteout: false } => format!("{container}'s writable layer holds {path}"),
            Goal::LayerHolds { container, path, whiteout: true } => format!("{container}'s writable layer hides {path} with a whiteout"),
            Goal::Volume { name, present: true } => format!("volume {name} exists"),
            Goal::Volume { name, present: false } => format!("no volume named {name}"),
            Goal::VolumeHolds { volume, path, .. } => format!("volume {volume} holds {path}"),
            Goal::VolumeUnused { name } => format!("no container uses volume {name}"),
            Goal::Host { path, present: true, .. } => format!("the host has {path}"),
            Goal::Host { path, present: false, .. } => format!("the host has no {path}"),
            Goal::Image { reference, present: true, .. } => format!("image {reference} exists"),
            Goal::Image { reference, present: false, .. } => format!("no image {reference}"),
            Goal::AnonymousVolumes(n) => format!("{n} anonymous volumes"),
            Goal::Not(goal) => format!("not: {}", goal.describe()),
        }
    }
}

/// Reads one goal: a mapping whose subject key (`container`, `volume`, `host`, `image`,
/// `anonymous-volumes`) says what it is about, or `not:` and a goal. `Err` names the field.
pub fn parse(v: &Value) -> Result<Goal, String> {
    if let Some(inner) = v.get("not") {
        return Ok(Goal::Not(Box::new(parse(inner).map_err(|m| format!("not: {m}"))?)));
    }
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let need = |key: &str| text(key).ok_or_else(|| format!("`{key}` is missing or not text"));
    let flag = |key: &str| v.get(key).and_then(Value::as_bool);
    let file = FileTest {
        containing: text("containing"),
        owner: match text("owner") {
            Some(o) => Some(parse_owner(&o)?),
            None => None,
        },
        mode: match v.get("mode") {
            Some(m) => Some(parse_mode(m)?),
            None => None,
        },
    };
    if let Some(n) = v.get("anonymous-volumes") {
        let n = n.as_u64().ok_or("`anonymous-volumes` must be a number")?;
        return Ok(Goal::AnonymousVolumes(n as usize));
    }
    if let Some(name) = text("container") {
        if let Some(path) = text("sees") {
            let from = match text("from") {
                None => None,
                Some(f) => Some(parse_from(&f)?),
            };
            return Ok(Goal::Sees { container: name, path, from, file });
        }
        if let Some(path) = text("sees-not") {
            return Ok(Goal::SeesNot { container: name, path });
        }
        if let Some(target) = text("mount") {
            let kind = match need("kind")?.as_str() {
                "volume" => MountKind::Volume,
                "bind" => MountKind::Bind,
                "tmpfs" => MountKind::Tmpfs,
                other => return Err(format!("`kind` is volume, bind or tmpfs, not `{other}`")),
            };
            return Ok(Goal::Mount { container: name, target, kind, source: text("source"), read_only: flag("read-only") });
        }
        if let Some(read_only) = flag("read-only-root") {
            return Ok(Goal::ReadOnlyRoot { container: name, read_only });
        }
        if let Some(path) = text("layer-holds") {
            return Ok(Goal::LayerHolds { container: name, path, whiteout: false });
        }
        if let Some(path) = text("layer-whiteout") {
            return Ok(Goal::LayerHolds { container: name, path, whiteout: true });
        }
        let is = match need("is")?.as_str() {
            "present" => ContainerIs::Present,
            "running" => ContainerIs::Running,
            "exited" => ContainerIs::Exited,
            "absent" => ContainerIs::Absent,
            other => return Err(format!("`is` is present, running, exited or absent, not `{other}`")),
        };
        return Ok(Goal::Container { name, is });
    }
    if let Some(name) = text("volume") {
        if let Some(path) = text("holds") {
            return Ok(Goal::VolumeHolds { volume: name, path, file });
        }
        if flag("unused") == Some(true) {
            return Ok(Goal::VolumeUnused { name });
        }
        return Ok(Goal::Volume { name, present: parse_presence(text("is"))? });
    }
    if let Some(path) = text("host") {
        return Ok(Goal::Host { path, present: parse_presence(text("is"))?, file });
    }
    if let Some(reference) = text("image") {
        let layers = match v.get("layers") {
            Some(n) => Some(n.as_u64().ok_or("`layers` must be a number")? as usize),
            None => None,
        };
        return Ok(Goal::Image { reference, present: parse_presence(text("is"))?, layers });
    }
    Err("a goal names a `container`, `volume`, `host`, `image` or `anonymous-volumes`".into())
}

fn parse_presence(is: Option<String>) -> Result<bool, String> {
    match is.as_deref() {
        None | Some("present") => Ok(true),
        Some("absent") => Ok(false),
        Some(other) => Err(format!("`is` is present or absent, not `{other}`")),
    }
}

fn parse_from(from: &str) -> Result<SeenFrom, String> {
    let (kind, name) = from.split_once(' ').unwrap_or((from, ""));
    match (kind, name.trim()) {
        ("image", "") => Ok(SeenFrom::Image),
        ("writable-layer", "") => Ok(SeenFrom::WritableLayer),
        ("tmpfs", "") => Ok(SeenFrom::Tmpfs),
        ("volume", n) if !n.is_empty() => Ok(SeenFrom::Volume(n.to_string())),
        ("bind", p) if !p.is_empty() => Ok(SeenFrom::Bind(p.to_string())),
        _ => Err(format!("`from` is image, writable-layer, tmpfs, `volume NAME` or `bind HOST_PATH`, not `{from}`")),
    }
}

fn parse_owner(owner: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`owner` is UID:GID in numbers, not `{owner}`");
    let (u, g) = owner.split_once(':').ok_or_else(bad)?;
    Ok((u.parse().map_err(|_| bad())?, g.parse().map_err(|_| bad())?))
}

/// A mode in octal, written as text (`"644"`) or as a number YAML read in decimal (644).
fn parse_mode(m: &Value) -> Result<u32, String> {
    let text = match m {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err("`mode` is octal, like \"644\"".into()),
    };
    u32::from_str_radix(text.trim_start_matches("0o"), 8).map_err(|_| format!("`mode` is octal, like \"644\", not `{text}`"))
}
