//! `docker version` and `docker --version`: the client's and the engine's versions (the
//! recording machine's, ENVIRONMENT.md), as a table or through `--format`.

use serde_json::{json, Value};

use super::flags::{self, flag, opt};
use super::messages::usage_error;
use crate::shell::Io;

const VERSION: &str = "26.1.5+dfsg1";
const BUILT: &str = "Thu Aug 13 05:35:48 2026";
const KERNEL: &str = "6.18.44-fc-v669";

pub(super) fn version(args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("format", Some('f')), opt("kubeconfig", None), flag("help", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "version", &e),
    };
    let Some(template) = parsed.get("format") else {
        io.out_str(&text());
        return 0;
    };
    // Go leaves out what is empty (`omitempty`) when it marshals, not when a template reads.
    if template == "json" || template.trim() == "{{json .}}" {
        io.out_str(&format!("{}\n", document(false)));
        return 0;
    }
    match super::format::render(template, &document(true)) {
        Ok(text) => {
            io.out_str(&format!("{text}\n"));
            0
        }
        Err(e) => {
            io.out_str("\n");
            io.err_line(&e);
            1
        }
    }
}

/// `docker --version`.
pub(super) fn short(io: &mut Io) -> i32 {
    io.out_str(&format!("Docker version {VERSION}, build a72d7cd\n"));
    0
}

/// The CLI's `versionInfo`, its fields in the struct's order; `for_template` keeps the
/// fields `json` leaves out (a nil client platform, a false `Experimental`).
fn document(for_template: bool) -> Value {
    let mut client = json!({
        "Version": VERSION,
        "ApiVersion": "1.45",
        "DefaultAPIVersion": "1.45",
        "GitCommit": "a72d7cd",
        "GoVersion": "go1.24.4",
        "Os": "linux",
        "Arch": "amd64",
        "BuildTime": BUILT,
        "Context": "default",
    });
    let engine = json!({
        "ApiVersion": "1.45",
        "Arch": "amd64",
        "BuildTime": BUILT,
        "Experimental": "false",
        "GitCommit": "411e817",
        "GoVersion": "go1.24.4",
        "KernelVersion": KERNEL,
        "MinAPIVersion": "1.24",
        "Os": "linux",
    });
    let mut server = json!({
        "Platform": {"Name": ""},
        "Components": [
            {"Name": "Engine", "Version": VERSION, "Details": engine},
            {"Name": "containerd", "Version": "1.7.24~ds1", "Details": {"GitCommit": "1.7.24~ds1-6+deb13u1"}},
            {"Name": "runc", "Version": "1.1.5+ds1", "Details": {"GitCommit": "1.1.5+ds1-1+deb12u1"}},
            {"Name": "docker-init", "Version": "0.19.0", "Details": {"GitCommit": ""}},
        ],
        "Version": VERSION,
        "ApiVersion": "1.45",
        "MinAPIVersion": "1.24",
        "GitCommit": "411e817",
        "GoVersion": "go1.24.4",
        "Os": "linux",
        "Arch": "amd64",
        "KernelVersion": KERNEL,
        "BuildTime": "2026-08-13T05:35:48.000000000+00:00",
    });
    // A template reads the Go fields: `APIVersion`, whose JSON name is `ApiVersion`.
    if for_template {
        if let (Value::Object(c), Value::Object(s)) = (&mut client, &mut server) {
            let mut with_platform = serde_json::Map::new();
            with_platform.insert("Platform".into(), Value::Null);
            with_platform.extend(std::mem::take(c));
            *c = with_platform;
            s.insert("Experimental".into(), Value::Bool(false));
            for fields in [c, s] {
                let renamed: serde_json::Map<String, Value> =
                    std::mem::take(fields).into_iter().map(|(k, v)| (if k == "ApiVersion" { "APIVersion".into() } else { k }, v)).collect();
                *fields = renamed;
            }
        }
    }
    json!({"Client": client, "Server": server})
}

fn text() -> String {
    format!(
        "Client:
 Version:           {VERSION}
 API version:       1.45
 Go version:        go1.24.4
 Git commit:        a72d7cd
 Built:             {BUILT}
 OS/Arch:           linux/amd64
 Context:           default

Server:
 Engine:
  Version:          {VERSION}
  API version:      1.45 (minimum version 1.24)
  Go version:       go1.24.4
  Git commit:       411e817
  Built:            {BUILT}
  OS/Arch:          linux/amd64
  Experimental:     false
 containerd:
  Version:          1.7.24~ds1
  GitCommit:        1.7.24~ds1-6+deb13u1
 runc:
  Version:          1.1.5+ds1
  GitCommit:        1.1.5+ds1-1+deb12u1
 docker-init:
  Version:          0.19.0
  GitCommit:        \n"
    )
}
