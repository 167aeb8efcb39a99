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
        } else if a.starts_with('-') && a.len() > 1 {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(spec) = specs.iter().find(|s| s.short == Some(c)) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {a}"));
                };
                if spec.takes_value {
                    let rest: String = chars[j + 1..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest.strip_prefix('=').map(str::to_string).unwrap_or(rest)
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
                out.values.push((spec.long.into(), "true".into()));
                j += 1;
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
