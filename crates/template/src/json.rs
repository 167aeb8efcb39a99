//! The `json` template function: Go's `encoding/json` encoder with HTML
//! escaping turned off, as docker/cli configures it.

use serde_json::Value as Json;

use crate::gofmt::json_float;
use crate::value::Val;

/// Encodes a value the way Docker's `json` function does (compact, object
/// members in the order given, no trailing newline).
pub(crate) fn encode(v: &Val, omit_empty: &[String]) -> String {
    let mut out = String::new();
    encode_val(&mut out, v, omit_empty);
    out
}

fn encode_val(out: &mut String, v: &Val, omit: &[String]) {
    match v {
        Val::Invalid | Val::Nil => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Uint(u) => out.push_str(&u.to_string()),
        Val::Byte(b) => out.push_str(&b.to_string()),
        Val::Float(f) => encode_float(out, *f),
        Val::Str(s) => encode_str(out, s),
        Val::Arr(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_json(out, e, omit);
            }
            out.push(']');
        }
        Val::Obj(m) if m.contains_key(crate::NIL_MARKER) => out.push_str("null"),
        Val::Obj(m) => {
            out.push('{');
            let mut first = true;
            for (k, e) in m.iter() {
                // A lookup method (`.Label "key"`) is a method, not data: `json` leaves it out.
                let method = e.get(crate::LOOKUP_MARKER).is_some();
                if ((e.as_str() == Some("") || e.is_null()) && omit.iter().any(|o| o == k)) || k.as_str() == crate::STRUCT_MARKER || method
                {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                encode_str(out, k);
                out.push(':');
                encode_json(out, e, omit);
            }
            out.push('}');
        }
        Val::Strs(s) => {
            out.push('[');
            for (i, e) in s.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_str(out, e);
            }
            out.push(']');
        }
    }
}

fn encode_json(out: &mut String, j: &Json, omit: &[String]) {
    encode_val(out, &Val::from_json(j), omit);
}

fn encode_float(out: &mut String, f: f64) {
    if f.is_finite() {
        out.push_str(&json_float(f));
    } else {
        // Go refuses to encode these; JSON input cannot contain them.
        out.push_str("null");
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn encode_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let b = c as u32 as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn enc(j: &Json) -> String {
        encode(&Val::from_json(j), &[])
    }

    #[test]
    fn objects_keep_their_order_and_html_is_not_escaped() {
        let j = json!({"z": 1, "a": ["<b>", "x && y"], "m": {}});
        assert_eq!(enc(&j), r#"{"z":1,"a":["<b>","x && y"],"m":{}}"#);
    }

    #[test]
    fn strings_use_go_escapes() {
        let j = json!("a\"b\\c\nd\te\u{1b}f\u{8}\u{2028}é");
        assert_eq!(enc(&j), "\"a\\\"b\\\\c\\nd\\te\\u001bf\\u0008\\u2028é\"");
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(enc(&json!(1.5)), "1.5");
        assert_eq!(enc(&json!(2.0)), "2");
        assert_eq!(enc(&json!(1e21)), "1e+21");
        assert_eq!(enc(&json!(1e20)), "100000000000000000000");
        assert_eq!(enc(&json!(0.0000001)), "1e-7");
        assert_eq!(enc(&json!(0.000001)), "0.000001");
        assert_eq!(enc(&json!(-12345678.25)), "-12345678.25");
    }

    #[test]
    fn scalars_and_null() {
        assert_eq!(enc(&json!(null)), "null");
        assert_eq!(enc(&json!(true)), "true");
        assert_eq!(enc(&json!(-3)), "-3");
        assert_eq!(enc(&json!(u64::MAX)), "18446744073709551615");
        assert_eq!(encode(&Val::Invalid, &[]), "null");
    }

    #[test]
    fn struct_markers_are_not_encoded() {
        let j = serde_json::json!({"/srv/web": {crate::STRUCT_MARKER: true}});
        assert_eq!(encode(&Val::from_json(&j), &[]), r#"{"/srv/web":{}}"#);
    }

    #[test]
    fn omit_empty_members() {
        let j = serde_json::json!([{"Type": "bind", "Name": "", "Source": "/x"}, {"Type": "volume", "Name": "v"}]);
        assert_eq!(encode(&Val::from_json(&j), &["Name".to_string()]), r#"[{"Type":"bind","Source":"/x"},{"Type":"volume","Name":"v"}]"#);
    }
}
