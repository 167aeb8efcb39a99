//! nginx 1.27.3 and the official image's `/docker-entrypoint.sh`.
//!
//! The entrypoint runs the image's configuration scripts (10-listen-on-ipv6-by-default.sh
//! really edits `/etc/nginx/conf.d/default.conf`) and execs its command. nginx reads its
//! configuration with the grammar and directive contexts of the real parser, refuses a bad one
//! with nginx's own messages, and once running serves static files from the container's file
//! system at request time, as its worker user.
//!
//! This module holds the version, paths and limits the parts share: the entrypoint
//! (`entrypoint.rs`), the configuration grammar (`grammar.rs`), the loaded configuration
//! (`config.rs`), the nginx binary (`binary.rs`) and serving requests (`serving.rs`).

mod binary;
mod config;
mod entrypoint;
mod grammar;
mod logs;
mod serving;

pub use binary::{on_stop, run};
pub use entrypoint::entrypoint;

pub const VERSION: &str = "1.27.3";
const CONF_PATH: &str = "/etc/nginx/nginx.conf";
/// `--prefix`: relative paths in the configuration start here.
const PREFIX: &str = "/etc/nginx/";
const DEFAULT_ERROR_LOG: &str = "/var/log/nginx/error.log";
const DEFAULT_ACCESS_LOG: &str = "/var/log/nginx/access.log";
const DEFAULT_PID: &str = "/var/run/nginx.pid";
const DEFAULT_USER: &str = "nginx";
const TEMP_DIRS: [&str; 5] = ["client_temp", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp"];
const IPV6_SCRIPT: &str = "10-listen-on-ipv6-by-default.sh";
/// Size of the image's 10-listen-on-ipv6-by-default.sh (the script the simulation runs).
const IPV6_SCRIPT_SIZE: u64 = 2125;
/// `worker_processes auto` on the simulated machine's 2 CPUs.
const CPUS: u32 = 2;
/// nginx's predefined access log format.
const COMBINED: &str =
    "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";
/// How deeply includes and internal redirects may nest.
const MAX_NESTING: usize = 10;

#[cfg(test)]
mod tests {
    use super::config::build;
    use super::grammar::{Directive, Lexer, Loader, MAIN};
    use super::serving::normalize_uri;
    use super::*;
    use crate::world::World;

    fn parse(text: &str) -> Result<Vec<Directive>, String> {
        let world = World::canonical(1);
        let ctx = crate::daemon::container::host_root_ctx();
        let mut loader = Loader { world: &world, ctx: &ctx, files: Vec::new() };
        let mut out = Vec::new();
        loader.block(&mut Lexer::new(text), CONF_PATH, MAIN, false, 0, &mut out)?;
        Ok(out)
    }

    #[test]
    fn directives_outside_their_context_are_refused() {
        let e = parse("server { listen 80; location / { root /usr/share/nginx/html; index index.html; } }\n").unwrap_err();
        assert_eq!(e, "\"server\" directive is not allowed here in /etc/nginx/nginx.conf:1");
        assert_eq!(parse("foo bar;\n").unwrap_err(), "unknown directive \"foo\" in /etc/nginx/nginx.conf:1");
        assert_eq!(parse("events {}\n}\n").unwrap_err(), "unexpected \"}\" in /etc/nginx/nginx.conf:2");
        assert_eq!(parse("http {\n").unwrap_err(), "unexpected end of file, expecting \"}\" in /etc/nginx/nginx.conf:2");
        assert_eq!(
            parse("http { server { listen 80 { } } }").unwrap_err(),
            "directive \"listen\" is not terminated by \";\" in /etc/nginx/nginx.conf:1"
        );
        assert_eq!(parse("pid;").unwrap_err(), "invalid number of arguments in \"pid\" directive in /etc/nginx/nginx.conf:1");
    }

    #[test]
    fn a_configuration_needs_events() {
        let d = parse("http { server { listen 8080; } }").expect("parses");
        assert_eq!(build(&d).unwrap_err(), "no \"events\" section in configuration");
        let config = build(&parse("events {} http { server { listen [::]:81; } }").expect("parses")).expect("builds");
        assert_eq!((config.servers[0].listens[0].addr.as_str(), config.servers[0].listens[0].port), ("::", 81));
    }

    #[test]
    fn uris_are_normalized() {
        assert_eq!(normalize_uri("/a/./b/../c%20d").as_deref(), Some("/a/c d"));
        assert_eq!(normalize_uri("/../x"), None);
        assert_eq!(normalize_uri("/dir/").as_deref(), Some("/dir/"));
    }
}
