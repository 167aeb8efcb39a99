//! Non-ASCII and malformed templates: user format strings reach every
//! slice of the lexer, parser and printer, and the web build aborts on a
//! panic, so these must yield output or an error. Go strings are bytes, so
//! columns in messages, `len`, `index` and `%x` count bytes.

use serde_json::{json, Value};

use crate::tabwriter::{TabWriter, FILTER_HTML};
use crate::{list_format, render_with, unescape_tabs, MissingKey, Options, Template};

use crate::tests::{err, ok, parse_err, Lcg};

/// Parses and, when that succeeds, executes with both missing-key modes.
fn exercise(tmpl: &str, data: &Value) {
    if let Ok(t) = Template::parse(tmpl) {
        let _ = t.execute(data);
        let _ = t.execute_with(data, &Options::default().missing_key(MissingKey::Error).header_functions(true).max_output(1 << 16));
    }
}

fn data() -> Value {
    json!({"Namé": "wéb", "Names": "/web", "X": "é", "N": 7, "L": ["日本", "😀", "e\u{301}"], "M": {"ключ": "значение"}})
}

#[test]
fn non_ascii_field_names() {
    let d = data();
    assert_eq!(ok("{{.Namé}}", &d), "wéb");
    assert_eq!(ok("{{.M.ключ}}", &d), "значение");
    assert_eq!(ok("{{.Nomé}}", &d), "<no value>");
    assert_eq!(ok("é{{.Names}}é", &d), "é/webé");
    assert_eq!(ok("{{range .L}}[{{.}}]{{end}}", &d), "[日本][😀][e\u{301}]");
    assert_eq!(err("{{.Names.Namé}}", &d), "template: :1:8: executing \"\" at <.Names.Namé>: can't evaluate field Namé in type string");
    assert_eq!(err("{{.N.Namé}}", &d), "template: :1:4: executing \"\" at <.N.Namé>: can't evaluate field Namé in type int");
    let opts = Options::default().missing_key(MissingKey::Error);
    assert_eq!(
        render_with("{{.Nomé}}", &d, &opts).unwrap_err().to_string(),
        "template: :1:2: executing \"\" at <.Nomé>: map has no entry for key \"Nomé\""
    );
}

#[test]
fn exec_error_columns_count_bytes() {
    // Go reports byte offsets: "é" is two bytes, "😀" four.
    let d = data();
    assert_eq!(err("é{{.Names.X}}", &d), "template: :1:10: executing \"\" at <.Names.X>: can't evaluate field X in type string");
    assert_eq!(err("😀{{.Namé.X}}", &d), "template: :1:12: executing \"\" at <.Namé.X>: can't evaluate field X in type string");
    assert_eq!(err("é\n  é{{.Names.X}}", &d), "template: :2:12: executing \"\" at <.Names.X>: can't evaluate field X in type string");
}

#[test]
fn non_ascii_parse_errors_have_go_messages() {
    let cases = [
        ("{{", "template: :1: unclosed action"),
        ("é{{.Namé", "template: :1: unclosed action"),
        ("{{\"é", "template: :1: unterminated quoted string"),
        ("{{\"é\n\"}}", "template: :1: unterminated quoted string"),
        ("{{'é", "template: :1: unterminated character constant"),
        ("{{`é", "template: :1: unterminated raw quoted string"),
        ("{{/* é", "template: :1: unclosed comment"),
        ("{{/* é */ é}}", "template: :1: comment ends before closing delimiter"),
        ("{{é}}", "template: :1: function \"é\" not defined"),
        ("{{é", "template: :1: function \"é\" not defined"),
        ("{{ .A | é }}", "template: :1: function \"é\" not defined"),
        ("{{- é -}}", "template: :1: function \"é\" not defined"),
        ("{{$é}}", "template: :1: undefined variable \"$é\""),
        ("{{😀}}", "template: :1: unrecognized character in action: U+1F600 '😀'"),
        ("{{.X😀}}", "template: :1: bad character U+1F600 '😀'"),
        ("{{\u{301}}}", "template: :1: unrecognized character in action: U+0301 '\u{301}'"),
        ("{{.\u{301}}}", "template: :1: bad character U+0301 '\u{301}'"),
        ("{{\u{feff}}}", "template: :1: unrecognized character in action: U+FEFF"),
        ("{{.Namé}", "template: :1: bad character U+007D '}'"),
        ("{{3é}}", "template: :1: bad number syntax: \"3é\""),
        ("{{0xé}}", "template: :1: bad number syntax: \"0xé\""),
        ("{{1.é}}", "template: :1: bad number syntax: \"1.é\""),
        ("{{\"\\é\"}}", "template: :1: invalid syntax"),
        ("{{\"\\xé\"}}", "template: :1: invalid syntax"),
        ("{{\"\\xAé\"}}", "template: :1: invalid syntax"),
        ("{{\"\\u00é9\"}}", "template: :1: invalid syntax"),
        ("{{\"\\U0000é\"}}", "template: :1: invalid syntax"),
        ("{{\"\\0é\"}}", "template: :1: invalid syntax"),
        ("{{\"\\1é\"}}", "template: :1: invalid syntax"),
        ("{{'\\é'}}", "template: :1: invalid syntax"),
        ("{{'\\xé'}}", "template: :1: invalid syntax"),
        ("{{'éé'}}", "template: :1: malformed character constant: 'éé'"),
        ("{{''}}", "template: :1: invalid syntax"),
        ("{{\"é\".b}}", "template: :1: unexpected . after term \"\\\"é\\\"\""),
        ("{{define \"a\" \"ééééééééééé\"}}{{end}}", "template: :1: unexpected \"\\\"ééééééééé\"... in define clause"),
        ("{{if .X}}é{{else}}é{{else}}é{{end}}", "template: :1: expected end; found {{else}}"),
        ("línea 1\nlínea 2 {{.X\n\n", "template: :4: unclosed action started at :2"),
        ("é\n{{\"é", "template: :2: unterminated quoted string"),
    ];
    for (tmpl, want) in cases {
        assert_eq!(parse_err(tmpl), want, "{:?}", tmpl);
    }
}

#[test]
fn non_ascii_text_comments_and_trimming() {
    let d = data();
    assert_eq!(ok("}}é", &d), "}}é");
    assert_eq!(ok("é}", &d), "é}");
    assert_eq!(ok("é {{- .X -}} é", &d), "ééé");
    assert_eq!(ok("é\u{3000} {{- .X}}", &d), "é\u{3000}é");
    assert_eq!(ok("😀\n\t{{- .X -}}\n 😀", &d), "😀é😀");
    assert_eq!(ok("é{{/* é */}}é", &d), "éé");
    assert_eq!(ok("é {{- /* 😀 */ -}} é", &d), "éé");
    assert_eq!(ok("{{/* é\n😀 */}}{{.X}}", &d), "é");
    assert_eq!(ok("{{- .X}}", &d), "é");
    assert_eq!(ok("{{.X -}}", &d), "é");
    assert_eq!(ok("{{-3}}é", &d), "-3é");
}

#[test]
fn non_ascii_literals_and_constants() {
    let d = data();
    assert_eq!(ok("{{\"é😀\"}} {{`é\u{301}`}}", &d), "é😀 é\u{301}");
    assert_eq!(ok(r#"{{"\u00e9\U0001F600\xc3\xa9"}}"#, &d), "é😀é");
    assert_eq!(ok("{{'é'}} {{'😀'}} {{'\\u00e9'}}", &d), "233 128512 233");
    assert_eq!(ok("{{printf \"%c%c\" 'é' '😀'}}", &d), "é😀");
    assert_eq!(ok("{{define \"é\"}}[{{.}}]{{end}}{{template \"é\" \"😀\"}}", &d), "[😀]");
    assert_eq!(ok("{{block \"ñ\" .X}}<{{.}}>{{end}}", &d), "<é>");
    assert_eq!(err("{{template \"ñ\"}}", &d), "template: :1:11: executing \"\" at <{{template \"ñ\"}}>: template \"ñ\" not defined");
    // A lone `\xc3` is half a char: the result is not UTF-8 and degrades
    // to U+FFFD instead of failing.
    assert_eq!(ok(r#"{{"\xc3"}}"#, &d), "\u{fffd}");
}

#[test]
fn non_ascii_printf() {
    let d = data();
    assert_eq!(ok("{{printf \"é%dé\" 1}}", &d), "é1é");
    assert_eq!(ok("{{printf \"%é\" 1}}", &d), "%!é(int=1)");
    assert_eq!(ok("{{printf \"%😀\" .X}}", &d), "%!😀(string=é)");
    assert_eq!(ok("{{printf \"%-é\" 1}}", &d), "%!é(int=1)");
    assert_eq!(ok("{{printf \"%[é]d\" 1}}", &d), "%!d(BADINDEX)");
    assert_eq!(ok("{{printf \"%[1é]d\" 1}}", &d), "%!d(BADINDEX)");
    assert_eq!(ok("{{printf \"%[é\" 1}}", &d), "%!é(BADINDEX)");
    assert_eq!(ok("{{printf \"%5.é\" 1}}", &d), "%!é(int=    1)");
    assert_eq!(ok("{{printf \"é%\"}}", &d), "é%!(NOVERB)");
    assert_eq!(ok("{{printf \"%5s|%-5s|%.1s\" \"é\" \"😀\" \"éa\"}}", &d), "    é|😀    |é");
    assert_eq!(ok("{{printf \"%x %X % x %.1x\" .X .X .X .X}}", &d), "c3a9 C3A9 c3 a9 c3");
    assert_eq!(ok("{{printf \"%q %+q %#q\" .X .X .X}}", &d), "\"é\" \"\\u00e9\" `é`");
    assert_eq!(ok("{{printf \"%q\" \"\u{301}\u{feff}\"}}", &d), "\"\u{301}\\ufeff\"");
    assert_eq!(ok("{{printf \"%U %#U\" 'é' '😀'}}", &d), "U+00E9 U+1F600 '😀'");
}

#[test]
fn non_ascii_through_functions() {
    let d = data();
    assert_eq!(ok("{{len .X}} {{len \"😀\"}} {{index .X 0}} {{index .X 1}}", &d), "2 4 195 169");
    assert_eq!(ok("{{slice .X 0 2}}|{{slice \"é😀\" 2}}", &d), "é|😀");
    // Go cuts strings at byte offsets; half a char becomes U+FFFD here.
    assert_eq!(ok("{{slice .X 1}}|{{truncate .X 1}}|{{truncate \"😀\" 3}}", &d), "\u{fffd}|\u{fffd}|\u{fffd}");
    assert_eq!(ok("{{upper \"é\"}} {{lower \"É\"}} {{title \"émile zola\"}}", &d), "É é Émile Zola");
    assert_eq!(ok("{{join (split \"a→b→c\" \"→\") \"·\"}} {{split \"é😀\" \"\"}}", &d), "a·b·c [é 😀]");
    assert_eq!(ok("{{pad .X 1 2}}|", &d), " é  |");
    assert_eq!(ok("{{json .X}} {{json .M}} {{json \"\u{2028}\"}}", &d), "\"é\" {\"ключ\":\"значение\"} \"\\u2028\"");
    assert_eq!(ok("{{html \"<é>\"}} {{js \"é\u{2028}\"}} {{urlquery \"é\"}}", &d), "&lt;é&gt; é\\u2028 %C3%A9");
    assert_eq!(ok("{{eq .X \"é\"}} {{lt \"é\" \"😀\"}}", &d), "true true");
    // Go's index checks `x > len` and lets reflect catch `x == len`.
    let at = "template: :1:2: executing \"\" at";
    assert_eq!(err("{{index .X 2}}", &d), format!("{} <index .X 2>: error calling index: reflect: string index out of range", at));
    assert_eq!(err("{{index .X 3}}", &d), format!("{} <index .X 3>: error calling index: index out of range: 3", at));
}

#[test]
fn tables_align_multibyte_cells() {
    // Widths count runes, as Go's tabwriter does (a combining accent is one).
    let mut w = TabWriter::docker();
    w.write("NAME\tSIZE\nvolumé\t1\n日本語\t2\n😀\t3\ne\u{301}\t4\n");
    assert_eq!(w.flush(), "NAME      SIZE\nvolumé    1\n日本語       2\n😀         3\ne\u{301}        4\n");
    // Written in pieces that split the text between (never inside) chars.
    let mut w = TabWriter::docker();
    for piece in ["NA", "ME\tSI", "ZE\nvolu", "mé", "\t", "1\n日", "本語\t2", "\n"] {
        w.write(piece);
    }
    assert_eq!(w.flush(), "NAME      SIZE\nvolumé    1\n日本語       2\n");
    let mut w = TabWriter::new(0, 8, 1, '.', FILTER_HTML);
    w.write("&é;x\t<b é>é</b>\ty\n😀\tz\t\n");
    assert_eq!(w.flush(), "&é;x.<b é>é</b>.y\n😀..z.\n");
    // An unterminated entity at the end is flushed as it is.
    let mut w = TabWriter::new(0, 8, 1, '.', FILTER_HTML);
    w.write("a\t&é");
    assert_eq!(w.flush(), "a.&é");
}

#[test]
fn docker_table_with_non_ascii_format_and_rows() {
    let f = list_format(r"table {{.Namé}}\t{{.Size}}");
    assert!(f.table);
    let t = Template::parse(&f.template).unwrap();
    let mut w = TabWriter::docker();
    w.write(&t.execute_with(&json!({"Namé": "NAMÉ", "Size": "SIZE"}), &Options::default().header_functions(true)).unwrap());
    w.write("\n");
    for (name, size) in [("données", "1 Ko"), ("数据", "2 MB"), ("😀", "")] {
        w.write(&t.execute(&json!({"Namé": name, "Size": size})).unwrap());
        w.write("\n");
    }
    assert_eq!(w.flush(), "NAMÉ      SIZE\ndonnées   1 Ko\n数据        2 MB\n😀         \n");
    assert!(!list_format("tablé").table);
    assert_eq!(list_format("tablé").template, "tablé");
    assert_eq!(list_format("table").template, "");
    assert_eq!(unescape_tabs("é\\té\\😀\\"), "é\té\\😀\\");
}

/// Templates whose prefixes, and insertions into which, hit most lexer
/// states next to a multibyte char.
const BASES: &[&str] = &[
    "é{{.Namé}}é",
    "{{- \"é\\u00e9\\xc3\" -}}",
    "{{'é'}}{{'\\''}}",
    "{{`é\n😀`}}",
    "{{/* é */}}é{{- /* 😀 */ -}}",
    "{{printf \"%-5.2sé%[1]q%\" .X}}",
    "{{range $i, $e := .L}}{{$i}}é{{$e}}{{else}}ø{{end}}",
    "{{if eq .X \"é\"}}é{{else if .N}}ñ{{end}}",
    "{{define \"é\"}}{{.}}{{end}}{{template \"é\" .X}}",
    "{{with $x := .M}}{{$x.ключ}}{{end}}",
    "{{(index .L 0) | printf \"%x\" | len}}",
    "{{0x1Fé}}{{1e3}}{{-1.5}}",
    "table {{.Namé}}\\t{{.X}}",
];

const INSERTS: &[&str] = &["é", "😀", "\u{301}", "\u{feff}", "\u{0}", "日", "\u{2028}", "ÿ"];

#[test]
fn every_prefix_of_a_non_ascii_template_is_handled() {
    let d = data();
    for base in BASES {
        for (i, _) in base.char_indices().skip(1) {
            let (head, tail) = base.split_at(i);
            exercise(head, &d);
            exercise(tail, &d);
        }
    }
}

#[test]
fn multibyte_chars_inserted_anywhere_are_handled() {
    let d = data();
    for base in BASES {
        let cuts = base.char_indices().map(|(i, _)| i).chain([base.len()]);
        for i in cuts {
            let (head, tail) = base.split_at(i);
            for ins in INSERTS {
                exercise(&format!("{}{}{}", head, ins, tail), &d);
                exercise(&format!("{}{}{}{}", head, ins, ins, tail), &d);
            }
        }
    }
}

#[test]
fn random_non_ascii_templates_never_panic() {
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{{- ",
        " -}}",
        "-",
        " ",
        "\n",
        ".",
        ".Namé",
        ".X",
        ".L",
        "$",
        "$é",
        ":=",
        "|",
        "(",
        ")",
        "\"",
        "'",
        "`",
        "\\",
        "\\x",
        "\\u",
        "\\U",
        "\\0",
        "0",
        "0x",
        "1.",
        "e",
        "é",
        "😀",
        "\u{301}",
        "日本",
        "\u{feff}",
        "\u{0}",
        "/*",
        "*/",
        "%",
        "printf",
        "\"%é\"",
        "\"%[é]\"",
        "range",
        "if",
        "else",
        "end",
        "define",
        "template",
        "\"é\"",
        "len",
        "index",
        "slice",
        "json",
        "upper",
    ];
    let d = data();
    let mut rng = Lcg(0xE9);
    for _ in 0..20_000 {
        let n = 1 + rng.next() % 12;
        let t: String = (0..n).map(|_| PIECES[rng.next() % PIECES.len()]).collect();
        exercise(&t, &d);
    }
}

#[test]
fn random_tabwriter_input_never_panics() {
    const PIECES: &[&str] = &["é", "😀", "日本", "e\u{301}", "a", "\t", "\t", "\n", "\x0b", "\x0c", "<", ">", "&", ";", " "];
    let mut rng = Lcg(7);
    for round in 0..2_000 {
        let flags = (round % 64) as u32;
        let padchar = if round % 3 == 0 { '\t' } else { '.' };
        let mut w = TabWriter::new(rng.next() % 12, rng.next() % 9, rng.next() % 4, padchar, flags);
        let mut all = String::new();
        for _ in 0..rng.next() % 6 {
            let piece: String = (0..rng.next() % 10).map(|_| PIECES[rng.next() % PIECES.len()]).collect();
            w.write(&piece);
            all.push_str(&piece);
        }
        let out = w.flush();
        // Every char of a non-escaped input appears in the output.
        if flags & FILTER_HTML == 0 {
            for needle in ["é", "😀", "日本"] {
                assert_eq!(out.matches(needle).count(), all.matches(needle).count(), "{:?}", all);
            }
        }
    }
}
