//! `docker info` (also `docker system info`): the client and its plugins, then the daemon with
//! its live counts, its storage driver and data root, as the recording machine printed them
//! (`setup/docker-version-info.txt` of the reference).

use serde_json::{json, Value};

use super::flags::{self, opt};
use super::{format, usage_error};
use crate::shell::Io;
use crate::world::{Status, World};

use crate::daemon::resources::MEM_TOTAL;

/// Containers by state, as the daemon counts them (a created container counts as stopped).
struct Counts {
    containers: usize,
    running: usize,
    images: usize,
}

impl Counts {
    fn of(world: &World) -> Counts {
        Counts {
            containers: world.containers().len(),
            running: world.containers().iter().filter(|c| c.status == Status::Running).count(),
            images: world.images().len(),
        }
    }

    fn stopped(&self) -> usize {
        self.containers - self.running
    }
}

pub fn info(world: &World, args: &[String], io: &mut Io, cmd: &str) -> i32 {
    let parsed = match flags::parse(args, &[opt("format", Some('f'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, cmd, &e),
    };
    if !parsed.operands.is_empty() {
        io.err_line(&format!("\"docker {cmd}\" accepts no arguments."));
        io.err_line(&format!("See 'docker {cmd} --help'."));
        io.err_line("");
        io.err_line(&format!("Usage:  docker {cmd} [OPTIONS]"));
        io.err_line("");
        io.err_line("Display system-wide information");
        return 1;
    }
    let counts = Counts::of(world);
    match parsed.get("format") {
        Some(template) => format::print_list(io, template, &[document(&counts)], &[]),
        None => {
            io.out_str(&text(&counts));
            0
        }
    }
}

fn text(counts: &Counts) -> String {
    format!(
        "Client:
 Version:    26.1.5+dfsg1
 Context:    default
 Debug Mode: false
 Plugins:
  buildx: Docker Buildx (Docker Inc.)
    Version:  0.13.1+ds1
    Path:     /usr/libexec/docker/cli-plugins/docker-buildx
  compose: Docker Compose (Docker Inc.)
    Version:  2.26.1-4
    Path:     /usr/libexec/docker/cli-plugins/docker-compose

Server:
 Containers: {containers}
  Running: {running}
  Paused: 0
  Stopped: {stopped}
 Images: {images}
 Server Version: 26.1.5+dfsg1
 Storage Driver: overlay2
  Backing Filesystem: extfs
  Supports d_type: true
  Using metacopy: false
  Native Overlay Diff: true
  userxattr: false
 Logging Driver: json-file
 Cgroup Driver: cgroupfs
 Cgroup Version: 1
 Plugins:
  Volume: local
  Network: bridge host ipvlan macvlan null overlay
  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog
 Swarm: inactive
 Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Init Binary: docker-init
 containerd version: 1.7.24~ds1-6+deb13u1
 runc version: 1.1.5+ds1-1+deb12u1
 init version: 
 Security Options:
  seccomp
   Profile: builtin
 Kernel Version: 6.18.44-fc-v669
 Operating System: Debian GNU/Linux 12 (bookworm)
 OSType: linux
 Architecture: x86_64
 CPUs: 2
 Total Memory: 23.54GiB
 Name: vm
 ID: 75d512d1-3cef-4067-bf55-472d612e83fa
 Docker Root Dir: /var/lib/docker
 Debug Mode: false
 Experimental: false
 Insecure Registries:
  127.0.0.0/8
 Live Restore Enabled: false

",
        containers = counts.containers,
        running = counts.running,
        stopped = counts.stopped(),
        images = counts.images,
    )
}

/// The fields a `--format` template can read, in the order of Docker's `system.Info` (the
/// ones that change from second to second, such as goroutines and file descriptors, are left
/// out), with the client's under `ClientInfo`.
fn document(counts: &Counts) -> Value {
    json!({
        "ID": "75d512d1-3cef-4067-bf55-472d612e83fa",
        "Containers": counts.containers,
        "ContainersRunning": counts.running,
        "ContainersPaused": 0,
        "ContainersStopped": counts.stopped(),
        "Images": counts.images,
        "Driver": "overlay2",
        "DriverStatus": [
            ["Backing Filesystem", "extfs"],
            ["Supports d_type", "true"],
            ["Using metacopy", "false"],
            ["Native Overlay Diff", "true"],
            ["userxattr", "false"]
        ],
        "Plugins": {
            "Volume": ["local"],
            "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
            "Authorization": null,
            "Log": ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"]
        },
        "Debug": false,
        "LoggingDriver": "json-file",
        "CgroupDriver": "cgroupfs",
        "CgroupVersion": "1",
        "KernelVersion": "6.18.44-fc-v669",
        "OperatingSystem": "Debian GNU/Linux 12 (bookworm)",
        "OSVersion": "12",
        "OSType": "linux",
        "Architecture": "x86_64",
        "IndexServerAddress": "https://index.docker.io/v1/",
        "NCPU": crate::daemon::resources::NCPU,
        "MemTotal": MEM_TOTAL,
        "DockerRootDir": "/var/lib/docker",
        "Name": "vm",
        "Labels": [],
        "ExperimentalBuild": false,
        "ServerVersion": "26.1.5+dfsg1",
        "DefaultRuntime": "runc",
        "Swarm": {
            "NodeID": "",
            "NodeAddr": "",
            "LocalNodeState": "inactive",
            "ControlAvailable": false,
            "Error": "",
            "RemoteManagers": null
        },
        "LiveRestoreEnabled": false,
        "Isolation": "",
        "InitBinary": "docker-init",
        "SecurityOptions": ["name=seccomp,profile=builtin"],
        "Warnings": null,
        "ClientInfo": {
            "Debug": false,
            "Version": "26.1.5+dfsg1",
            "Context": "default"
        }
    })
}
