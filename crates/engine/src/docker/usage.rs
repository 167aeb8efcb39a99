//! What the management commands print without a subcommand (exit 0) or with an unknown one
//! (exit 1), on stderr: their usage, recorded from Docker 26.1.5 (oracle-29, and
//! network from docs/fidelity/recorded/help-docker.txt). A data table.

pub(super) const MANAGEMENT: &[(&str, &str)] = &[
    (
        "container",
        r#"
Usage:  docker container COMMAND

Manage containers

Commands:
  attach      Attach local standard input, output, and error streams to a running container
  commit      Create a new image from a container's changes
  cp          Copy files/folders between a container and the local filesystem
  create      Create a new container
  diff        Inspect changes to files or directories on a container's filesystem
  exec        Execute a command in a running container
  export      Export a container's filesystem as a tar archive
  inspect     Display detailed information on one or more containers
  kill        Kill one or more running containers
  logs        Fetch the logs of a container
  ls          List containers
  pause       Pause all processes within one or more containers
  port        List port mappings or a specific mapping for the container
  prune       Remove all stopped containers
  rename      Rename a container
  restart     Restart one or more containers
  rm          Remove one or more containers
  run         Create and run a new container from an image
  start       Start one or more stopped containers
  stats       Display a live stream of container(s) resource usage statistics
  stop        Stop one or more running containers
  top         Display the running processes of a container
  unpause     Unpause all processes within one or more containers
  update      Update configuration of one or more containers
  wait        Block until one or more containers stop, then print their exit codes

Run 'docker container COMMAND --help' for more information on a command.
"#,
    ),
    (
        "image",
        r#"
Usage:  docker image COMMAND

Manage images

Commands:
  build       Build an image from a Dockerfile
  history     Show the history of an image
  import      Import the contents from a tarball to create a filesystem image
  inspect     Display detailed information on one or more images
  load        Load an image from a tar archive or STDIN
  ls          List images
  prune       Remove unused images
  pull        Download an image from a registry
  push        Upload an image to a registry
  rm          Remove one or more images
  save        Save one or more images to a tar archive (streamed to STDOUT by default)
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Run 'docker image COMMAND --help' for more information on a command.
"#,
    ),
    (
        "system",
        r#"
Usage:  docker system COMMAND

Manage Docker

Commands:
  df          Show docker disk usage
  events      Get real time events from the server
  info        Display system-wide information
  prune       Remove unused data

Run 'docker system COMMAND --help' for more information on a command.
"#,
    ),
    (
        "network",
        r#"
Usage:  docker network COMMAND

Manage networks

Commands:
  connect     Connect a container to a network
  create      Create a network
  disconnect  Disconnect a container from a network
  inspect     Display detailed information on one or more networks
  ls          List networks
  prune       Remove all unused networks
  rm          Remove one or more networks

Run 'docker network COMMAND --help' for more information on a command.
"#,
    ),
];

/// Docker's commands the simulation does not run, with why: each answers so, never that it is
/// not a docker command (docs/fidelity.md).
pub(super) fn not_simulated(command: &str) -> Option<&'static str> {
    const REASONS: &[(&str, &str)] = &[
        ("events", "it streams the daemon's events until interrupted; the map and the narration tell them instead"),
        ("login", "the simulated registry needs no login: pulls work without one"),
        ("manifest", "manifest lists live in a registry"),
        ("search", "it queries Docker Hub's index; the simulated registry holds alpine, nginx, postgres:15-alpine and python:3.9-slim"),
    ];
    REASONS.iter().find(|(name, _)| *name == command).map(|(_, why)| *why)
}
