//! Docker CLI flag parsing (cobra/pflag rules): `-abc`, `--name=value`, `--name value`,
//! repeated flags, and flags stop at the first operand for `run`/`create`/`exec`.

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes_value: bool,
}

pub const fn flag(long: &'static str, short: Option<char>) -> Spec {
    Spec { long, short, takes_value: false }
}

pub const fn opt(long: &'static str, short: Option<char>) -> Spec {
    Spec { long, short, takes_value: true }
}

#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// (long name, value) in order; boolean flags get "true" (or their `=value`).
    pub values: Vec<(String, String)>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, long: &str) -> bool {
        self.values.iter().rev().find(|(k, _)| k == long).map(|(_, v)| v != "false").unwrap_or(false)
    }
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| k == long).map(|(_, v)| v.as_str())
    }
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.iter().filter(|(k, _)| k == long).map(|(_, v)| v.clone()).collect()
    }
}

/// Parses `args`; with `stop_at_operand`, everything after the first operand is an operand.
pub fn parse(args: &[String], specs: &[Spec], stop_at_operand: bool) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            out.operands.extend(args[i + 1..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(spec) = specs.iter().find(|s| s.long == name) else {
                // Every command has `--help`; the help itself is answered before any command
                // parses its flags (docker/help.rs), so what is left is `--help=false`.
                if name == "help" {
                    out.values.push(("help".into(), inline.unwrap_or_else(|| "true".into())));
                    i += 1;
                    continue;
                }
                return Err(format!("unknown flag: --{name}"));
            };
            if spec.takes_value {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("flag needs an argument: --{name}")),
                        }
                    }
                };
                out.values.push((spec.long.into(), v));
            } else {
                out.values.push((spec.long.into(), inline.unwrap_or_else(|| "true".into())));
            }
        } else if let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) {
            let mut rest = cluster;
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                let after = chars.as_str();
                let Some(spec) = specs.iter().find(|s| s.short == Some(c)) else {
                    // pflag indexes the cluster's bytes and quotes the byte as a rune: `-ñ` is 'Ã'.
                    let shown = char::from(crate::userland::getopt::first_byte(c));
                    return Err(format!("unknown shorthand flag: '{shown}' in -{rest}"));
                };
                if spec.takes_value {
                    let v = if !after.is_empty() {
                        after.strip_prefix('=').unwrap_or(after).to_string()
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("flag needs an argument: '{c}' in -{c}")),
                        }
                    };
                    out.values.push((spec.long.into(), v));
                    break;
                }
                // pflag reads `-H=false`: a boolean shorthand with its value after `=`.
                if let Some(value) = after.strip_prefix('=') {
                    out.values.push((spec.long.into(), value.to_string()));
                    break;
                }
                out.values.push((spec.long.into(), "true".into()));
                rest = after;
            }
        } else {
            out.operands.push(a.clone());
            if stop_at_operand {
                out.operands.extend(args[i + 1..].iter().cloned());
                break;
            }
        }
        i += 1;
    }
    Ok(out)
}
