//! Pathname expansion (`*`, `?`, `[...]`) against the namespace's directories.

use crate::vfs::Ctx;
use crate::world::World;

/// Matches `name` against a pattern whose characters carry a "quoted" flag.
pub fn matches(pat: &[(char, bool)], name: &[char]) -> bool {
    if pat.is_empty() {
        return name.is_empty();
    }
    let (c, quoted) = pat[0];
    if !quoted {
        match c {
            '*' => return (0..=name.len()).any(|i| matches(&pat[1..], &name[i..])),
            '?' => return !name.is_empty() && matches(&pat[1..], &name[1..]),
            '[' => {
                if let Some(end) = pat.iter().skip(2).position(|(ch, q)| *ch == ']' && !q).map(|p| p + 2) {
                    if name.is_empty() {
                        return false;
                    }
                    let set = &pat[1..end];
                    let (negate, set) = match set.first() {
                        Some(('!' | '^', false)) => (true, &set[1..]),
                        _ => (false, set),
                    };
                    let mut hit = false;
                    let mut i = 0;
                    while i < set.len() {
                        if i + 2 < set.len() && set[i + 1].0 == '-' {
                            if set[i].0 <= name[0] && name[0] <= set[i + 2].0 {
                                hit = true;
                            }
                            i += 3;
                        } else {
                            if set[i].0 == name[0] {
                                hit = true;
                            }
                            i += 1;
                        }
                    }
                    return hit != negate && matches(&pat[end + 1..], &name[1..]);
                }
            }
            _ => {}
        }
    }
    !name.is_empty() && name[0] == c && matches(&pat[1..], &name[1..])
}

fn has_magic(seg: &[(char, bool)]) -> bool {
    seg.iter().any(|(c, q)| !q && matches!(c, '*' | '?' | '['))
}

/// Expands a pattern to the sorted list of matching paths (empty if none match).
pub fn expand(world: &World, ctx: &Ctx, pattern: &[(char, bool)]) -> Vec<String> {
    let absolute = pattern.first().map(|(c, _)| *c == '/').unwrap_or(false);
    let segs: Vec<&[(char, bool)]> = pattern.split(|(c, _)| *c == '/').filter(|s| !s.is_empty()).collect();
    let mut current: Vec<String> = vec![if absolute { "/".into() } else { String::new() }];
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        let mut next = Vec::new();
        for base in &current {
            let join = |name: &str| {
                if base.is_empty() {
                    name.to_string()
                } else if base.ends_with('/') {
                    format!("{base}{name}")
                } else {
                    format!("{base}/{name}")
                }
            };
            if has_magic(seg) {
                let dir = if base.is_empty() { "." } else { base.as_str() };
                let Ok(loc) = world.resolve(ctx, dir, true) else { continue };
                let Ok(entries) = world.list(ctx, &loc) else { continue };
                let dot_ok = seg.first().map(|(c, _)| *c == '.').unwrap_or(false);
                for (name, child) in entries {
                    if name.starts_with('.') && !dot_ok {
                        continue;
                    }
                    let chars: Vec<char> = name.chars().collect();
                    if matches(seg, &chars) && (last || world.is_dir_node(&child.node)) {
                        next.push(join(&name));
                    }
                }
            } else {
                let name: String = seg.iter().map(|(c, _)| *c).collect();
                let p = join(&name);
                if last || world.resolve(ctx, &p, true).is_ok() {
                    next.push(p);
                }
            }
        }
        current = next;
        if current.is_empty() {
            break;
        }
    }
    if !segs.iter().any(|s| has_magic(s)) {
        return Vec::new();
    }
    // Only paths that exist survive.
    current.retain(|p| world.resolve(ctx, p, false).is_ok());
    crate::sorting::sort(&mut current);
    current
}

#[cfg(test)]
mod tests {
    use super::matches;

    fn pat(s: &str) -> Vec<(char, bool)> {
        s.chars().map(|c| (c, false)).collect()
    }

    #[test]
    fn wildcard_matching() {
        let n: Vec<char> = "app.conf".chars().collect();
        assert!(matches(&pat("*.conf"), &n));
        assert!(matches(&pat("a??.c*"), &n));
        assert!(matches(&pat("[a-c]pp.conf"), &n));
        assert!(!matches(&pat("[!a]*"), &n));
        assert!(!matches(&[('*', true)], &n));
    }
}
