//! `date`: the time now, or another (`-d STRING`, `-r FILE`), in the default layout or a
//! `+FORMAT` of strftime's conversions; the machine's zone is UTC. Also the date strings
//! `touch -d` reads.

use crate::clock::{epoch, tm, MONTHS};

use super::{long_value, percent, Proc};

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH_NAMES: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// The forms tutorials write (`2024-03-01`, `2024-03-01 12:00[:00]`, with `T` too,
/// `@SECONDS`, `now`), in UTC.
pub(super) fn parse_date(text: &str, now: i64) -> Option<i64> {
    let text = text.trim();
    if text == "now" || text.is_empty() {
        return Some(now);
    }
    if let Some(secs) = text.strip_prefix('@') {
        return secs.parse().ok();
    }
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim().trim_end_matches(" UTC").trim_end_matches('Z'))),
        None => (text, None),
    };
    let mut ymd = date.split('-').map(|n| n.parse::<u32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) = (ymd.next(), ymd.next(), ymd.next(), ymd.next()) else { return None };
    let (mut h, mut min, mut sec) = (0, 0, 0);
    if let Some(t) = time {
        let t = t.split_once('.').map_or(t, |(whole, _)| whole);
        let mut hms = t.split(':').map(|n| n.parse::<u32>().ok());
        h = hms.next()??;
        min = hms.next()??;
        sec = hms.next().unwrap_or(Some(0))?;
        if hms.next().is_some() {
            return None;
        }
    }
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    Some(epoch(i64::from(y), m, d, h, min, sec))
}

/// strftime's conversions on `secs` (UTC).
pub(super) fn format(fmt: &str, secs: i64) -> String {
    let t = tm(secs);
    let weekday = t.weekday;
    let yday = secs.div_euclid(86_400) - crate::clock::days_from_civil(t.year, 1, 1) + 1;
    let hour12 = if t.hour.is_multiple_of(12) { 12 } else { t.hour % 12 };
    percent(fmt, |k| {
        Some(match k {
            'Y' => t.year.to_string(),
            'y' => format!("{:02}", t.year.rem_euclid(100)),
            'C' => format!("{:02}", t.year.div_euclid(100)),
            'm' => format!("{:02}", t.month),
            'd' => format!("{:02}", t.day),
            'e' => format!("{:>2}", t.day),
            'H' => format!("{:02}", t.hour),
            'k' => format!("{:>2}", t.hour),
            'I' => format!("{hour12:02}"),
            'l' => format!("{hour12:>2}"),
            'M' => format!("{:02}", t.min),
            'S' => format!("{:02}", t.sec),
            'p' => (if t.hour < 12 { "AM" } else { "PM" }).to_string(),
            'P' => (if t.hour < 12 { "am" } else { "pm" }).to_string(),
            'j' => format!("{yday:03}"),
            'A' => DAYS[weekday].to_string(),
            'a' => DAYS[weekday].chars().take(3).collect(),
            'u' => (if weekday == 0 { 7 } else { weekday }).to_string(),
            'w' => weekday.to_string(),
            'B' => MONTH_NAMES[t.month as usize - 1].to_string(),
            'b' | 'h' => MONTHS[t.month as usize - 1].to_string(),
            's' => secs.to_string(),
            'F' => format!("{}-{:02}-{:02}", t.year, t.month, t.day),
            'T' => format!("{:02}:{:02}:{:02}", t.hour, t.min, t.sec),
            'R' => format!("{:02}:{:02}", t.hour, t.min),
            'D' => format!("{:02}/{:02}/{:02}", t.month, t.day, t.year.rem_euclid(100)),
            'Z' => "UTC".to_string(),
            'z' => "+0000".to_string(),
            'N' => "000000000".to_string(),
            'n' => "\n".to_string(),
            't' => "\t".to_string(),
            'c' => format("%a %b %e %H:%M:%S %Y", secs),
            _ => return None,
        })
    })
}

pub(super) fn date(p: &mut Proc, args: &[String]) -> i32 {
    let now = p.world.clock().secs();
    let mut when = now;
    let mut fmt: Option<String> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let (flag, inline) = long_value(a);
        match flag {
            "-u" | "--utc" | "-R" => {}
            "-d" | "--date" | "-r" | "--reference" => {
                let Some(v) = inline.or_else(|| args.get(i).cloned().inspect(|_| i += 1)) else { return p.usage() };
                if flag == "-r" || flag == "--reference" {
                    match p.world.stat(&p.ctx, &v, true) {
                        Ok(st) => when = st.mtime,
                        Err(e) => {
                            p.err(&format!("{v}: {e}"));
                            return 1;
                        }
                    }
                } else {
                    match parse_date(&v, now) {
                        Some(t) => when = t,
                        None => {
                            let q = p.lq(&v);
                            p.err_dialect(&format!("invalid date {q}"), &format!("invalid date '{v}'"));
                            return 1;
                        }
                    }
                }
            }
            f if f.starts_with('+') => fmt = f.strip_prefix('+').map(str::to_string),
            _ => {}
        }
    }
    let fmt = fmt.unwrap_or_else(|| "%a %b %e %H:%M:%S %Z %Y".to_string());
    let line = format(&fmt, when);
    p.out_line(&line);
    0
}
