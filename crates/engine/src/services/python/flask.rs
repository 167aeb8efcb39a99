//! Flask's development server (werkzeug 3.1): the banner, the listening socket, and requests
//! answered by the script's view functions.
//!
//! The server keeps the source it started with, as a process that does not reload: editing
//! app.py on a bind mount changes what it serves only after a restart. A request re-creates the
//! module's definitions (imports, assignments, functions) and calls the view.

use super::parse::{self, Stmt};
use super::{Interp, Value, BLOCK};
use crate::clock::{tm, MONTHS};
use crate::services::net::{http_date, Request, Response, RunningServer};
use crate::vfs::{Ctx, Ns};
use crate::world::{ContainerId, World};

/// A running Flask development server.
#[derive(Clone, Debug)]
pub struct FlaskServer {
    file: String,
    source: String,
    app_name: String,
    /// The address it listens on: `127.0.0.1` unless the script says `host='0.0.0.0'`.
    host: String,
    port: u16,
    routes: Vec<(String, String)>,
    ctx: Ctx,
    env: Vec<String>,
    main_process: bool,
}

impl RunningServer for FlaskServer {
    /// Whether it accepts a connection on `port` at local address `ip`.
    fn accepts(&self, port: u16, ip: &str) -> bool {
        port == self.port
            && (self.host == "0.0.0.0" && !ip.contains(':') || self.host == ip || self.host == "localhost" && ip == "127.0.0.1")
    }
    fn serve(&self, world: &mut World, id: &ContainerId, _port: u16, req: &Request) -> Response {
        serve(world, id, self, req)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn clone_box(&self) -> Box<dyn RunningServer> {
        Box::new(self.clone())
    }
}

/// What `app.run()` prints on stderr before it serves.
pub fn banner(app_name: &str, host: &str, port: u16, debug: bool) -> String {
    let mut text = format!(" * Serving Flask app '{app_name}'\n * Debug mode: {}\n", if debug { "on" } else { "off" });
    text.push_str(
        "WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.\n",
    );
    if host == "0.0.0.0" {
        text.push_str(" * Running on all addresses (0.0.0.0)\n");
        text.push_str(&format!(" * Running on http://127.0.0.1:{port}\n"));
    } else {
        text.push_str(&format!(" * Running on http://{host}:{port}\n"));
    }
    text.push_str("Press CTRL+C to quit\n");
    text
}

/// `app.run()` in a container: the container now runs a server.
pub(super) fn listen(interp: &mut Interp, host: String, port: u16) {
    let Ns::Container(id) = interp.ctx.ns.clone() else { return };
    let server = FlaskServer {
        file: interp.file.clone(),
        source: interp.source.join("\n"),
        app_name: interp.app_name.clone(),
        host,
        port,
        routes: interp.routes.clone(),
        ctx: interp.ctx.clone(),
        env: interp.env.clone(),
        main_process: interp.main_process,
    };
    if let Some(c) = interp.world.container_mut(&id) {
        c.server = Some(Box::new(server));
    }
}

const NOT_FOUND: &str = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n";
const SERVER_ERROR: &str = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n";

/// Answers one request.
pub fn serve(world: &mut World, id: &ContainerId, server: &FlaskServer, req: &Request) -> Response {
    let path = req.target.split('?').next().unwrap_or("/").to_string();
    let (status, body, content_type, errors) = match server.routes.iter().find(|(rule, _)| *rule == path) {
        None => (404, NOT_FOUND.to_string(), "text/html; charset=utf-8", Vec::new()),
        Some((_, view)) => match call_view(world, server, view) {
            Ok(Value::Dict(d)) => {
                (200, format!("{}\n", super::json(&Value::Dict(d)).replace(": ", ":").replace(", ", ",")), "application/json", Vec::new())
            }
            Ok(v) => (200, v.str(), "text/html; charset=utf-8", Vec::new()),
            Err(lines) => (500, SERVER_ERROR.to_string(), "text/html; charset=utf-8", lines),
        },
    };
    let now = world.clock().secs();
    let t = tm(now);
    let stamp = format!("{:02}/{}/{} {:02}:{:02}:{:02}", t.day, MONTHS[t.month as usize - 1], t.year, t.hour, t.min, t.sec);
    if let Some(logs) = world.container_mut(id).filter(|_| server.main_process).map(|c| &mut c.logs) {
        if !errors.is_empty() {
            let millis = format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02},000", t.year, t.month, t.day, t.hour, t.min, t.sec);
            logs.push((true, format!("[{millis}] ERROR in app: Exception on {path} [{}]", req.method)));
            logs.extend(errors.into_iter().map(|l| (true, l)));
        }
        logs.push((true, format!("{} - - [{stamp}] \"{} {} HTTP/1.1\" {status} -", req.client, req.method, req.target)));
    }
    Response {
        status,
        headers: vec![
            ("Server".into(), "Werkzeug/3.1.3 Python/3.9.20".into()),
            ("Date".into(), http_date(now)),
            ("Content-Type".into(), content_type.into()),
            ("Content-Length".into(), body.len().to_string()),
            ("Connection".into(), "close".into()),
        ],
        body: body.into_bytes(),
    }
}

/// Re-creates the module's definitions and calls `view`. Errors come back as traceback lines.
fn call_view(world: &mut World, server: &FlaskServer, view: &str) -> Result<Value, Vec<String>> {
    let module = parse::parse_module(&server.source).map_err(|e| vec![format!("SyntaxError: {}", e.message)])?;
    let definitions: Vec<_> = module
        .into_iter()
        .filter(|n| matches!(n.stmt, Stmt::Import(_) | Stmt::FromImport(..) | Stmt::Assign(..) | Stmt::Def { .. }))
        .collect();
    let mut interp = Interp::new(world, server.ctx.clone(), &server.env, &server.file, &server.source, Vec::new(), server.app_name.clone());
    interp.scopes[0].insert("__name__".into(), Value::Str(server.app_name.clone()));
    let traceback = |interp: &Interp, e: &super::Exception| {
        let mut io = crate::shell::Io::default();
        interp.traceback(e, &mut io);
        String::from_utf8_lossy(&io.err).lines().map(str::to_string).collect::<Vec<_>>()
    };
    if let Err(e) = interp.exec_block(&definitions) {
        if e.kind != BLOCK {
            return Err(traceback(&interp, &e));
        }
    }
    let Some(function) = interp.lookup(view) else { return Err(vec![format!("NameError: name '{view}' is not defined")]) };
    match interp.call(function, Vec::new(), Vec::new()) {
        Ok(v) => Ok(v),
        Err(e) => Err(traceback(&interp, &e)),
    }
}
