//! `pip` 23.0.1 of the python:3.9-slim image, over a small simulated package index.
//! Installing writes the packages into site-packages, so in a `docker build` they land in the
//! RUN step's layer and `import` finds them.

use super::SITE_PACKAGES;
use crate::fs::Data;
use crate::shell::{Io, Shell};
use crate::userland::Exit;
use crate::vfs::WriteMode;
use crate::world::World;

/// A distribution on the simulated index: name, version, wheel size in kB, import package, dependencies.
struct Distribution {
    name: &'static str,
    version: &'static str,
    wheel_kb: f64,
    package: &'static str,
    requires: &'static [&'static str],
}

const INDEX: [Distribution; 20] = [
    Distribution {
        name: "flask",
        version: "3.0.3",
        wheel_kb: 101.7,
        package: "flask",
        requires: &[
            "Werkzeug>=3.0.0",
            "Jinja2>=3.1.2",
            "itsdangerous>=2.1.2",
            "click>=8.1.3",
            "blinker>=1.6.2",
            "importlib-metadata>=3.6.0",
        ],
    },
    Distribution { name: "Werkzeug", version: "3.1.3", wheel_kb: 224.5, package: "werkzeug", requires: &["MarkupSafe>=2.1.1"] },
    Distribution { name: "Jinja2", version: "3.1.4", wheel_kb: 133.3, package: "jinja2", requires: &["MarkupSafe>=2.0"] },
    Distribution { name: "MarkupSafe", version: "3.0.2", wheel_kb: 20.9, package: "markupsafe", requires: &[] },
    Distribution { name: "itsdangerous", version: "2.2.0", wheel_kb: 16.0, package: "itsdangerous", requires: &[] },
    Distribution { name: "click", version: "8.1.7", wheel_kb: 97.9, package: "click", requires: &[] },
    Distribution { name: "blinker", version: "1.9.0", wheel_kb: 8.5, package: "blinker", requires: &[] },
    Distribution { name: "importlib-metadata", version: "8.5.0", wheel_kb: 26.5, package: "importlib_metadata", requires: &["zipp>=3.20"] },
    Distribution { name: "zipp", version: "3.21.0", wheel_kb: 9.6, package: "zipp", requires: &[] },
    Distribution {
        name: "requests",
        version: "2.32.3",
        wheel_kb: 64.9,
        package: "requests",
        requires: &["charset-normalizer<4,>=2", "idna<4,>=2.5", "urllib3<3,>=1.21.1", "certifi>=2017.4.17"],
    },
    Distribution { name: "charset-normalizer", version: "3.4.0", wheel_kb: 141.9, package: "charset_normalizer", requires: &[] },
    Distribution { name: "idna", version: "3.10", wheel_kb: 70.4, package: "idna", requires: &[] },
    Distribution { name: "urllib3", version: "2.2.3", wheel_kb: 126.3, package: "urllib3", requires: &[] },
    Distribution { name: "certifi", version: "2024.8.30", wheel_kb: 167.3, package: "certifi", requires: &[] },
    Distribution { name: "gunicorn", version: "23.0.0", wheel_kb: 85.0, package: "gunicorn", requires: &["packaging"] },
    Distribution { name: "packaging", version: "24.2", wheel_kb: 65.5, package: "packaging", requires: &[] },
    Distribution { name: "psycopg2-binary", version: "2.9.10", wheel_kb: 3000.0, package: "psycopg2", requires: &[] },
    Distribution { name: "redis", version: "5.2.0", wheel_kb: 261.4, package: "redis", requires: &["async-timeout>=4.0.3"] },
    Distribution { name: "async-timeout", version: "5.0.1", wheel_kb: 6.2, package: "async_timeout", requires: &[] },
    Distribution { name: "python-dotenv", version: "1.0.1", wheel_kb: 19.9, package: "dotenv", requires: &[] },
];

/// `flask==3.0.3` → `flask`.
fn requirement_name(spec: &str) -> &str {
    spec.split(|c: char| "<>=!~;[ ".contains(c)).next().unwrap_or(spec).trim()
}

fn canonical(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

fn find(name: &str) -> Option<&'static Distribution> {
    INDEX.iter().find(|d| canonical(d.name) == canonical(name))
}

/// `pip install …`, `pip --version`, `pip list`, `pip freeze`.
pub fn pip(world: &mut World, sh: &mut Shell, argv: &[String], _env: &[String], io: &mut Io) -> Exit {
    let args = &argv[1..];
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            io.out_str("pip 23.0.1 from /usr/local/lib/python3.9/site-packages/pip (python 3.9)\n");
            Exit::Code(0)
        }
        Some("install") => install(world, sh, &args[1..], io),
        Some("list" | "freeze") => {
            let installed: Vec<&Distribution> = INDEX.iter().filter(|d| is_installed(world, sh, d)).collect();
            if args[0] == "freeze" {
                for d in installed {
                    io.out_str(&format!("{}=={}\n", d.name, d.version));
                }
            } else {
                let mut rows = vec![("pip", "23.0.1"), ("setuptools", "58.1.0"), ("wheel", "0.45.0")];
                rows.extend(installed.iter().map(|d| (d.name, d.version)));
                crate::sorting::sort_by_key(&mut rows, |(n, _)| n.to_ascii_lowercase());
                let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(7).max(7);
                io.out_str(&format!("{:width$} Version\n{} -------\n", "Package", "-".repeat(width)));
                for (n, v) in rows {
                    io.out_str(&format!("{n:width$} {v}\n"));
                }
            }
            Exit::Code(0)
        }
        Some(other) => {
            io.err_line(&format!("ERROR: unknown command \"{other}\""));
            Exit::Code(1)
        }
        None => {
            io.out_str("\nUsage:   \n  pip <command> [options]\n");
            Exit::Code(0)
        }
    }
}

fn is_installed(world: &World, sh: &Shell, d: &Distribution) -> bool {
    world.stat(&sh.ctx, &format!("{SITE_PACKAGES}/{}-{}.dist-info", d.name.replace('-', "_"), d.version), true).is_ok()
}

fn install(world: &mut World, sh: &mut Shell, args: &[String], io: &mut Io) -> Exit {
    // `-q` keeps the progress to itself; errors and warnings still show.
    let quiet = args.iter().any(|a| a == "-q" || a == "--quiet");
    let mut progress = Io::default();
    let code = install_packages(world, sh, args, &mut progress);
    if !quiet {
        io.out.extend_from_slice(&progress.out);
    }
    io.err.extend_from_slice(&progress.err);
    code
}

fn install_packages(world: &mut World, sh: &mut Shell, args: &[String], io: &mut Io) -> Exit {
    let mut requested: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-r" || a == "--requirement" {
            let Some(file) = args.get(i + 1) else {
                io.err_line("ERROR: -r option requires 1 argument");
                return Exit::Code(2);
            };
            match world.read(&sh.ctx, file) {
                Ok(d) => {
                    let text = String::from_utf8_lossy(&d.to_vec()).into_owned();
                    requested.extend(
                        text.lines()
                            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
                            .filter(|l| !l.is_empty() && !l.starts_with('-')),
                    );
                }
                Err(e) => {
                    io.err_line(&format!("ERROR: Could not open requirements file: [Errno {}] {e}: '{file}'", e.number()));
                    return Exit::Code(1);
                }
            }
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            requested.push(a.clone());
        }
        i += 1;
    }
    if offline(world, sh) && !requested.is_empty() {
        // Five retries, then the resolver finds nothing.
        for total in (0..5).rev() {
            io.err_line(&format!("WARNING: Retrying (Retry(total={total}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3a2c1d5e80>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/{}/", canonical(requirement_name(requested.first().map(String::as_str).unwrap_or("")))));
        }
        let first = requested.first().cloned().unwrap_or_default();
        io.err_line(&format!("ERROR: Could not find a version that satisfies the requirement {first} (from versions: none)"));
        io.err_line(&format!("ERROR: No matching distribution found for {}", requirement_name(&first)));
        return Exit::Code(1);
    }
    if requested.is_empty() {
        io.err_line("ERROR: You must give at least one requirement to install (see \"pip help install\")");
        return Exit::Code(1);
    }
    // Resolve breadth first, as pip prints its "Collecting" lines.
    let mut queue: Vec<String> = requested.clone();
    let mut plan: Vec<&'static Distribution> = Vec::new();
    let mut q = 0;
    while q < queue.len() {
        let spec = queue[q].clone();
        q += 1;
        let name = requirement_name(&spec);
        let Some(d) = find(name) else {
            io.err_line(&format!("ERROR: Could not find a version that satisfies the requirement {spec} (from versions: none)"));
            io.err_line(&format!("ERROR: No matching distribution found for {name}"));
            return Exit::Code(1);
        };
        if plan.iter().any(|p| p.name == d.name) {
            continue;
        }
        if is_installed(world, sh, d) {
            io.out_str(&format!("Requirement already satisfied: {spec} in {SITE_PACKAGES} ({})\n", d.version));
        } else {
            io.out_str(&format!("Collecting {spec}\n"));
            // Compiled distributions ship one wheel per platform.
            let tag = if matches!(d.package, "markupsafe" | "charset_normalizer" | "psycopg2") {
                "cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64"
            } else {
                "py3-none-any"
            };
            let wheel = format!("{}-{}-{tag}.whl", d.name.to_ascii_lowercase().replace('-', "_"), d.version);
            // pip's format_size: whole kB above 10 kB, one decimal below.
            let size = match d.wheel_kb {
                kb if kb >= 1000.0 => format!("{:.1} MB", kb / 1000.0),
                kb if kb > 10.0 => format!("{} kB", kb as u64),
                kb => format!("{kb:.1} kB"),
            };
            let done = if d.wheel_kb >= 1000.0 {
                format!("{:.1}/{:.1} MB", d.wheel_kb / 1000.0, d.wheel_kb / 1000.0)
            } else {
                format!("{0:.1}/{0:.1} kB", d.wheel_kb)
            };
            io.out_str(&format!("  Downloading {wheel} ({size})\n     {} {done} 12.4 MB/s eta 0:00:00\n", "━".repeat(40)));
            plan.push(d);
        }
        queue.extend(d.requires.iter().map(|r| r.to_string()));
    }
    if plan.is_empty() {
        root_warning(sh, io);
        return Exit::Code(0);
    }
    // Dependencies install before what needs them.
    let mut order: Vec<&Distribution> = Vec::new();
    while order.len() < plan.len() {
        let before = order.len();
        for d in &plan {
            let ready = d.requires.iter().all(|r| {
                !plan.iter().any(|p| canonical(p.name) == canonical(requirement_name(r)))
                    || order.iter().any(|o| canonical(o.name) == canonical(requirement_name(r)))
            });
            if ready && !order.iter().any(|o| o.name == d.name) {
                order.push(d);
            }
        }
        if order.len() == before {
            break;
        }
    }
    io.out_str(&format!("Installing collected packages: {}\n", order.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")));
    for d in &order {
        if let Err(e) = write_distribution(world, sh, d) {
            io.err_line(&format!(
                "ERROR: Could not install packages due to an OSError: [Errno {}] {e}: '{SITE_PACKAGES}/{}'",
                e.number(),
                d.package
            ));
            io.err_line("Consider using the `--user` option or check the permissions.");
            io.err_line("");
            return Exit::Code(1);
        }
    }
    let mut names: Vec<String> = order.iter().map(|d| format!("{}-{}", d.name, d.version)).collect();
    crate::sorting::sort(&mut names);
    io.out_str(&format!("Successfully installed {}\n", names.join(" ")));
    root_warning(sh, io);
    Exit::Code(0)
}

/// A container on `--network none` (a `docker build --network none` step too) cannot reach the index.
fn offline(world: &World, sh: &Shell) -> bool {
    match &sh.ctx.ns {
        crate::vfs::Ns::Container(id) => world.container(id).is_some_and(|c| c.host.network_mode == "none"),
        crate::vfs::Ns::Host => false,
    }
}

fn write_distribution(world: &mut World, sh: &Shell, d: &Distribution) -> Result<(), crate::fs::Errno> {
    let package_dir = format!("{SITE_PACKAGES}/{}", d.package);
    let info_dir = format!("{SITE_PACKAGES}/{}-{}.dist-info", d.name.replace('-', "_"), d.version);
    for dir in [&package_dir, &info_dir] {
        if world.stat(&sh.ctx, dir, true).is_err() {
            world.mkdir(&sh.ctx, dir, 0o755)?;
        }
    }
    // The code itself is kept as a size: about three times the wheel.
    let code = Data::Opaque((d.wheel_kb * 3000.0) as u64);
    world.write_file(&sh.ctx, &format!("{package_dir}/__init__.py"), &code, WriteMode::Truncate)?;
    let metadata = format!("Metadata-Version: 2.1\nName: {}\nVersion: {}\n", d.name, d.version);
    world.write_file(&sh.ctx, &format!("{info_dir}/METADATA"), &Data::from_bytes(metadata.as_bytes()), WriteMode::Truncate)?;
    Ok(())
}

fn root_warning(sh: &Shell, io: &mut Io) {
    if sh.ctx.cred.uid == 0 {
        io.err_line("WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv");
    }
    io.err_line("");
    io.err_line("[notice] A new release of pip is available: 23.0.1 -> 24.3.1");
    io.err_line("[notice] To update, run: pip install --upgrade pip");
}
