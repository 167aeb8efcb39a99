//! Time and ids: both are inputs to the engine, never read from the machine.

/// The engine's logical clock, in nanoseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub nanos: i128,
}

impl Clock {
    pub fn at_seconds(secs: i64) -> Clock {
        Clock { nanos: secs as i128 * 1_000_000_000 }
    }
    pub fn secs(&self) -> i64 {
        (self.nanos / 1_000_000_000) as i64
    }
    pub fn advance_millis(&mut self, ms: i64) {
        self.nanos += ms as i128 * 1_000_000;
    }
}

/// A small deterministic generator (SplitMix64) for container ids, volume names and so on.
#[derive(Clone, Debug)]
pub struct Ids {
    state: u64,
}

impl Ids {
    pub fn seeded(seed: u64) -> Ids {
        Ids { state: seed }
    }
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 64 lowercase hex digits, like a container id or an anonymous volume name.
    pub fn hex64(&mut self) -> String {
        (0..4).map(|_| format!("{:016x}", self.next_u64())).collect()
    }
    /// `n` characters from `alphabet`.
    pub fn chars(&mut self, n: usize, alphabet: &[u8]) -> String {
        (0..n).map(|_| alphabet[(self.next_u64() % alphabet.len() as u64) as usize] as char).collect()
    }
}

/// Days since 1970-01-01 → (year, month 1..=12, day 1..=31).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tm {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    /// Days since Sunday (the epoch was a Thursday).
    pub weekday: usize,
}

pub fn tm(secs: i64) -> Tm {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = (days + 4).rem_euclid(7) as usize;
    Tm { year, month, day, hour: (rem / 3600) as u32, min: (rem % 3600 / 60) as u32, sec: (rem % 60) as u32, weekday }
}

pub fn epoch(year: i64, month: u32, day: u32, hour: u32, min: u32, sec: u32) -> i64 {
    days_from_civil(year, month, day) * 86_400 + (hour * 3600 + min * 60 + sec) as i64
}

pub const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `2026-11-30T04:03:23.24961405Z` (Go's RFC3339Nano: trailing zeros trimmed).
pub fn rfc3339_nano(nanos: i128) -> String {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let frac = nanos.rem_euclid(1_000_000_000) as u32;
    let t = tm(secs);
    let mut s = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year, t.month, t.day, t.hour, t.min, t.sec);
    if frac != 0 {
        let f = format!("{frac:09}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// `2026-11-30T04:02:58Z` (seconds only).
pub fn rfc3339(secs: i64) -> String {
    let t = tm(secs);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year, t.month, t.day, t.hour, t.min, t.sec)
}

/// Docker's (go-units) `HumanDuration`, as in `2 years ago` and `Up 3 seconds`.
pub fn human_duration(nanos: i128) -> String {
    let secs = (nanos / 1_000_000_000) as i64;
    let mins = secs / 60;
    let hours = mins / 60;
    if secs < 1 {
        "Less than a second".into()
    } else if secs == 1 {
        "1 second".into()
    } else if secs < 60 {
        format!("{secs} seconds")
    } else if mins == 1 {
        "About a minute".into()
    } else if mins < 60 {
        format!("{mins} minutes")
    } else if (hours as f64 + 0.5) as i64 == 1 {
        "About an hour".into()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        format!("{} years", hours / 24 / 365)
    }
}

/// Seconds since the epoch of an RFC 3339 time in UTC (`2024-01-01T00:00:00Z`, fractions
/// ignored).
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let (date, time) = text.trim_end_matches('Z').split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let time = time.split('.').next()?;
    let mut t = time.splitn(3, ':').map(|p| p.parse::<u32>().ok());
    let (hour, min, sec) = (t.next()??, t.next()??, t.next()??);
    Some(epoch(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?, hour, min, sec))
}

/// A point in time as the CLI reads it (`logs --since/--until`, a prune's `until=`): a duration back from now (`10m`, `1h30m`,
/// `1.5h`), a Unix time (`1700000000.5`), or an RFC 3339 date or time (`2024-01-01`,
/// `2024-01-01T10:00:00Z`, with an offset or without, as UTC); in nanoseconds.
pub fn docker_time(value: &str, now: i128) -> Option<i128> {
    if let Some(back) = duration(value) {
        return Some(now - back);
    }
    if let Ok(secs) = value.parse::<f64>() {
        return Some((secs * 1e9) as i128);
    }
    let (date, time) = value.split_once('T').unwrap_or((value, ""));
    let mut d = date.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (clock, offset) = match time.find(['Z', '+', '-']) {
        Some(k) => (time.get(..k).unwrap_or(""), time.get(k..).unwrap_or("")),
        None => (time, ""),
    };
    let mut t = clock.split(':');
    let h: u32 = t.next().filter(|p| !p.is_empty()).map_or(Some(0), |p| p.parse().ok())?;
    let min: u32 = t.next().map_or(Some(0), |p| p.parse().ok())?;
    let sec: f64 = t.next().map_or(Some(0.0), |p| p.parse().ok())?;
    let shift = match offset.strip_prefix(['+', '-']) {
        Some(o) => {
            let (oh, om) = o.split_once(':').unwrap_or((o, "0"));
            let secs = i64::from(oh.parse::<u32>().ok()?) * 3600 + i64::from(om.parse::<u32>().ok()?) * 60;
            if offset.starts_with('+') {
                -secs
            } else {
                secs
            }
        }
        None => 0,
    };
    let whole = epoch(i64::from(y), m, day, h, min, 0) + shift;
    Some(i128::from(whole) * 1_000_000_000 + (sec * 1e9) as i128)
}

/// Go's durations: numbers with units (`ns`, `us`, `ms`, `s`, `m`, `h`), one after another.
pub(crate) fn duration(value: &str) -> Option<i128> {
    let mut total = 0f64;
    let mut rest = value;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, tail) = rest.split_at_checked(number_len)?;
        let unit_len = tail.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(tail.len());
        let (unit, after) = tail.split_at_checked(unit_len)?;
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += number.parse::<f64>().ok()? * scale;
        rest = after;
    }
    Some(total as i128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        let e = epoch(2026, 11, 30, 3, 33, 37);
        let t = tm(e);
        assert_eq!((t.year, t.month, t.day, t.hour, t.min, t.sec), (2026, 11, 30, 3, 33, 37));
        assert_eq!(epoch(2024, 1, 1, 0, 0, 0), 1_704_067_200);
    }

    #[test]
    fn durations_read_like_docker() {
        assert_eq!(human_duration(0), "Less than a second");
        assert_eq!(human_duration(2_000_000_000), "2 seconds");
        let two_years = (epoch(2026, 11, 30, 4, 0, 0) - epoch(2024, 1, 1, 0, 0, 0)) as i128 * 1_000_000_000;
        assert_eq!(human_duration(two_years), "2 years");
    }

    #[test]
    fn rfc3339_trims_trailing_zeros() {
        assert_eq!(rfc3339_nano(1_704_067_200_500_000_000), "2024-01-01T00:00:00.5Z");
        assert_eq!(rfc3339_nano(1_704_067_200_000_000_000), "2024-01-01T00:00:00Z");
    }
}
