//! What the daemon refuses, typed. Each error words itself as dockerd does; the CLI decides how
//! it is printed around that (`docker: Error response from daemon: …` and its exit status).
//!
//! Architecture invariant: the daemon returns these and prints nothing.

use std::fmt;

use crate::world::ContainerId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DaemonError {
    InvalidContainerName(String),
    /// The simulation's own limit (not Docker's).
    TooManyContainers(usize),
    /// A mount spec the daemon refuses, in its words (`invalid mode: rw,ro`, …).
    InvalidMount(String),
    BindSourceMissing(String),
    DuplicateMountPoint(String),
    /// A volume name the local driver refuses, in its words.
    InvalidVolumeName(String),
    NameConflict {
        name: String,
        id: ContainerId,
    },
    NoSuchContainer(String),
    NoSuchImage(String),
    /// Neither the line nor the image says what to run.
    NoCommand,
    /// The container is not in the state the request needs (pausing a stopped one), in
    /// dockerd's words.
    State(String),
    /// A volume mounted where the image has a file, not a directory.
    MountOnFile {
        layer_id: String,
        target: String,
    },
    /// The container could not start (its task, its user, its ports): the message, and the exit
    /// status `docker run` returns for it.
    Start {
        message: String,
        code: i32,
    },
}

impl DaemonError {
    /// Whether the failure came when starting (the CLI then prints no `See 'docker run --help'`).
    pub fn at_start(&self) -> bool {
        matches!(self, DaemonError::Start { .. })
    }

    /// The exit status `docker run` and `docker create` return for it.
    pub fn code(&self) -> i32 {
        match self {
            DaemonError::Start { code, .. } => *code,
            _ => 125,
        }
    }
}

impl fmt::Display for DaemonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DaemonError::InvalidContainerName(n) => write!(f, "Invalid container name ({n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"),
            DaemonError::TooManyContainers(max) => {
                write!(f, "stowage: the simulated machine holds at most {max} containers; remove some first")
            }
            DaemonError::InvalidMount(m) | DaemonError::InvalidVolumeName(m) => f.write_str(m),
            DaemonError::BindSourceMissing(src) => {
                write!(f, "invalid mount config for type \"bind\": bind source path does not exist: {src}")
            }
            DaemonError::DuplicateMountPoint(target) => write!(f, "Duplicate mount point: {target}"),
            DaemonError::NameConflict { name, id } => write!(
                f,
                "Conflict. The container name \"/{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name"
            ),
            DaemonError::NoSuchContainer(name) => write!(f, "No such container: {name}"),
            DaemonError::NoSuchImage(reference) => write!(f, "No such image: {reference}"),
            DaemonError::NoCommand => f.write_str("no command specified"),
            DaemonError::State(m) => f.write_str(m),
            DaemonError::MountOnFile { layer_id, target } => {
                write!(f, "source /var/lib/docker/overlay2/{layer_id}/merged{target} is not directory")
            }
            DaemonError::Start { message, .. } => f.write_str(message),
        }
    }
}
