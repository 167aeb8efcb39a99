//! What `--filter`s keep: labels (also for volume and image lists), age, dangling; shared by the
//! prune commands.

use crate::world::World;

/// A prune's `--filter`s: labels to have (`label=`) or not (`label!=`), and `until=` (created
/// before a time: a duration ago, `1h`, `30m`, `10s`).
#[derive(Default)]
pub(crate) struct PruneFilter {
    labels: Vec<(String, String)>,
    until: Option<i128>,
    /// `dangling=` values, for image prune.
    pub(crate) dangling: Vec<String>,
}

impl PruneFilter {
    /// Reads the filters a command takes (`allowed` keys); others are the daemon's error.
    pub(crate) fn parse(world: &World, filters: &[String], allowed: &[&str]) -> Result<PruneFilter, String> {
        let mut out = PruneFilter::default();
        for f in filters {
            let (key, value) = f.split_once('=').unwrap_or((f, ""));
            if !allowed.contains(&key) {
                return Err(format!("invalid filter '{key}'"));
            }
            match key {
                "label" | "label!" => out.labels.push((key.to_string(), value.to_string())),
                // A duration back from now, a date or a Unix time, as `docker logs --since` reads it.
                "until" => {
                    let now = world.clock().nanos;
                    out.until = Some(crate::clock::docker_time(value, now).unwrap_or(now));
                }
                "dangling" => out.dangling.push(value.to_string()),
                _ => {}
            }
        }
        Ok(out)
    }

    /// Whether something with these labels, created at `created` (ns), is taken.
    pub(crate) fn takes(&self, labels: &std::collections::BTreeMap<String, String>, created: i128) -> bool {
        self.labels.iter().all(|(k, f)| labels_match(labels, k, f)) && self.until.is_none_or(|t| created < t)
    }

    pub(crate) fn label_pairs(&self) -> &[(String, String)] {
        &self.labels
    }
}

/// A `label=KEY[=VALUE]` filter holds when the labels have it; `label!=…` when they do not.
pub(super) fn labels_match(labels: &std::collections::BTreeMap<String, String>, key: &str, filter: &str) -> bool {
    let (lk, lv) = match filter.split_once('=') {
        Some((a, b)) => (a, Some(b)),
        None => (filter, None),
    };
    let has = labels.get(lk).is_some_and(|x| lv.is_none_or(|w| w == x));
    has == (key == "label")
}
