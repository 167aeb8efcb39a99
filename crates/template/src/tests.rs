//! Rendering tests: the language, functions, value printing, Go's error
//! messages and the outputs Docker produces for typical `--format` uses.

use serde_json::{json, Value};

use crate::tabwriter::TabWriter;
use crate::{list_format, render, render_with, unescape_tabs, ErrorKind, MissingKey, Options, Template};

pub(crate) fn ok(tmpl: &str, data: &Value) -> String {
    match render(tmpl, data) {
        Ok(s) => s,
        Err(e) => panic!("{:?} failed: {}", tmpl, e),
    }
}

pub(crate) fn err(tmpl: &str, data: &Value) -> String {
    match render(tmpl, data) {
        Ok(s) => panic!("{:?} rendered {:?}, expected an error", tmpl, s),
        Err(e) => e.to_string(),
    }
}

pub(crate) fn parse_err(tmpl: &str) -> String {
    match Template::parse(tmpl) {
        Ok(_) => panic!("{:?} parsed, expected an error", tmpl),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Parse, "{}", e);
            e.to_string()
        }
    }
}

fn inspect() -> Value {
    json!({
        "Id": "fa155fe3a5ca0a8b0fbd21f1e2bd4e5b0cfc1e6a77a5b0b11d39c43c7f0a9b21",
        "Name": "/web",
        "State": {"Status": "running", "Running": true, "Pid": 4242, "ExitCode": 0, "Health": null},
        "RootFS": {"Type": "layers", "Layers": ["sha256:a", "sha256:b", "sha256:c", "sha256:d", "sha256:e", "sha256:f"]},
        "Mounts": [
            {"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data",
             "Destination": "/srv/web", "Driver": "local", "Mode": "z", "RW": true, "Propagation": ""}
        ],
        "Config": {
            "Hostname": "fa155fe3a5ca",
            "Labels": {"env": "test", "com.example.team": "storage"},
            "Volumes": {"/srv/web": {}},
            "Cmd": ["sh", "-c", "echo hi > /srv/web/x && sleep 3600"],
            "Env": ["PATH=/usr/bin", "MODE=dev"]
        },
        "HostConfig": {"Binds": null, "Memory": 0, "CpuShares": 0}
    })
}

// ---------------------------------------------------------------------------
// Text, fields, printing

#[test]
fn plain_text_passes_through() {
    assert_eq!(ok("hello, world", &json!({})), "hello, world");
    assert_eq!(ok("", &json!({})), "");
    assert_eq!(ok("a } b }} c {", &json!({})), "a } b }} c {");
}

#[test]
fn field_chains() {
    let d = inspect();
    assert_eq!(ok("{{.Name}}", &d), "/web");
    assert_eq!(ok("{{.State.Status}} {{.State.Pid}}", &d), "running 4242");
    assert_eq!(ok("{{.Config.Labels.env}}", &d), "test");
    assert_eq!(ok("{{$.Name}}", &d), "/web");
    assert_eq!(ok("{{.}}", &json!("just a string")), "just a string");
    assert_eq!(ok("{{$}}", &json!(7)), "7");
}

#[test]
fn missing_keys_print_no_value() {
    let d = inspect();
    assert_eq!(ok("{{.Nope}}", &d), "<no value>");
    assert_eq!(ok("{{.Nope.Deeper.Still}}", &d), "<no value>");
    assert_eq!(ok("{{.Config.Labels.missing}}", &d), "<no value>");
}

#[test]
fn null_prints_like_a_nil_pointer() {
    let d = inspect();
    assert_eq!(ok("{{.State.Health}}", &d), "<nil>");
    assert_eq!(ok("{{.HostConfig.Binds}}", &d), "<nil>");
    assert_eq!(ok("{{print .State.Health}}", &d), "<nil>");
    assert_eq!(ok("{{print .Missing}}", &d), "<nil>");
}

#[test]
fn numbers_print_like_go() {
    let d = json!({"i": 42, "neg": -7, "f": 1.5, "whole": 2.0, "big": 1000000.0, "small": 0.00001,
                   "mid": 100000.0, "tiny": 0.0001, "long": 123456789.0, "u": 18446744073709551615u64});
    assert_eq!(ok("{{.i}} {{.neg}} {{.f}} {{.whole}}", &d), "42 -7 1.5 2");
    assert_eq!(ok("{{.big}} {{.small}} {{.mid}} {{.tiny}}", &d), "1e+06 1e-05 100000 0.0001");
    assert_eq!(ok("{{.long}} {{.u}}", &d), "1.23456789e+08 18446744073709551615");
    assert_eq!(ok("{{true}} {{false}}", &d), "true false");
}

#[test]
fn collections_print_like_go_maps_and_slices() {
    let d = json!({
        "m": {"b": 1, "a": "x", "c": [1, "y", null], "d": {}, "e": []},
        "l": ["a", "b"],
        "e": [],
        "lm": [{"a": 1}],
        "f": {"f": 0.5, "t": true}
    });
    assert_eq!(ok("{{.m}}", &d), "map[a:x b:1 c:[1 y <nil>] d:map[] e:[]]");
    assert_eq!(ok("{{.l}} {{.e}} {{.lm}}", &d), "[a b] [] [map[a:1]]");
    assert_eq!(ok("{{.f}}", &d), "map[f:0.5 t:true]");
    assert_eq!(ok("{{.Config.Volumes}}", &inspect()), "map[/srv/web:map[]]");
}

#[test]
fn literals() {
    let d = json!({});
    assert_eq!(ok(r#"{{"a\tb\u00e9\x41\101"}}"#, &d), "a\tbéAA");
    assert_eq!(ok(r"{{`a\tb`}}", &d), r"a\tb");
    assert_eq!(ok("{{'a'}} {{'\\n'}}", &d), "97 10");
    assert_eq!(ok("{{1.0}} {{1e3}} {{0x10}} {{-5}} {{1.5e-7}} {{0b11}} {{1_000}}", &d), "1 1000 16 -5 1.5e-07 3 1000");
}

// ---------------------------------------------------------------------------
// Trimming and comments

#[test]
fn trim_markers() {
    let d = json!({"X": "x"});
    assert_eq!(ok("a  \n\t{{- .X -}}\n  b", &d), "axb");
    assert_eq!(ok("a {{- .X}} b", &d), "ax b");
    assert_eq!(ok("a {{.X -}} b", &d), "a xb");
    assert_eq!(ok("{{- .X -}}", &d), "x");
    assert_eq!(ok("[{{-3}}]", &d), "[-3]");
    assert_eq!(ok("{{range .L -}}\n  {{.}}\n{{- end}}", &json!({"L": [1, 2]})), "12");
}

#[test]
fn comments() {
    let d = json!({"X": "x"});
    assert_eq!(ok("a{{/* a comment */}}b", &d), "ab");
    assert_eq!(ok("a {{- /* a comment */ -}} b", &d), "ab");
    assert_eq!(ok("{{/* multi\nline */}}{{.X}}", &d), "x");
}

// ---------------------------------------------------------------------------
// Control structures and variables

#[test]
fn if_else_chains() {
    let t = "{{if eq .S \"a\"}}A{{else if eq .S \"b\"}}B{{else}}other{{end}}";
    assert_eq!(ok(t, &json!({"S": "a"})), "A");
    assert_eq!(ok(t, &json!({"S": "b"})), "B");
    assert_eq!(ok(t, &json!({"S": "c"})), "other");
    assert_eq!(ok("{{if .Missing}}yes{{else}}no{{end}}", &json!({})), "no");
}

#[test]
fn truthiness() {
    let t = "{{if .}}T{{else}}F{{end}}";
    for (v, want) in [
        (json!(false), "F"),
        (json!(true), "T"),
        (json!(0), "F"),
        (json!(3), "T"),
        (json!(0.0), "F"),
        (json!(""), "F"),
        (json!("x"), "T"),
        (json!(null), "F"),
        (json!([]), "F"),
        (json!([0]), "T"),
        (json!({}), "F"),
        (json!({"a": 1}), "T"),
    ] {
        assert_eq!(ok(t, &v), want, "{}", v);
    }
}

#[test]
fn with_sets_dot() {
    let d = inspect();
    assert_eq!(ok("{{with .State}}{{.Status}}/{{.Pid}}{{end}}", &d), "running/4242");
    assert_eq!(ok("{{with .State.Health}}{{.Status}}{{else}}no healthcheck{{end}}", &d), "no healthcheck");
    assert_eq!(ok("{{with $s := .State.Status}}{{$s}}{{end}}", &d), "running");
}

#[test]
fn range_over_arrays_maps_and_nothing() {
    let d = json!({"L": ["a", "b", "c"], "M": {"z": 1, "a": 2}, "E": [], "N": null});
    assert_eq!(ok("{{range .L}}<{{.}}>{{end}}", &d), "<a><b><c>");
    assert_eq!(ok("{{range $i, $e := .L}}{{if $i}},{{end}}{{$i}}={{$e}}{{end}}", &d), "0=a,1=b,2=c");
    assert_eq!(ok("{{range $e := .L}}{{$e}}{{end}}", &d), "abc");
    assert_eq!(ok("{{range $k, $v := .M}}{{$k}}={{$v}};{{end}}", &d), "a=2;z=1;");
    assert_eq!(ok("{{range .M}}{{.}}{{end}}", &d), "21");
    assert_eq!(ok("{{range .E}}x{{else}}empty{{end}}", &d), "empty");
    assert_eq!(ok("{{range .N}}x{{else}}nil{{end}}", &d), "nil");
    assert_eq!(ok("{{range .Missing}}x{{else}}missing{{end}}", &d), "missing");
    assert_eq!(ok("{{range .L}}{{$.M.a}}{{end}}", &d), "222");
}

#[test]
fn break_and_continue() {
    let d = json!({"L": [1, 2, 3, 4]});
    assert_eq!(ok("{{range .L}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}", &d), "12");
    assert_eq!(ok("{{range .L}}{{if eq . 3}}{{continue}}{{end}}{{.}}{{end}}", &d), "124");
    assert_eq!(ok("{{range .L}}{{range $.L}}{{if gt . 1}}{{break}}{{end}}{{.}}{{end}}|{{end}}", &d), "1|1|1|1|");
}

#[test]
fn variables_and_assignment() {
    let d = json!({"L": [1, 2, 3, 4], "A": "a"});
    assert_eq!(ok("{{$x := .A}}{{$x}}{{$x = \"b\"}}{{$x}}", &d), "ab");
    assert_eq!(ok("{{$n := 0}}{{range .L}}{{$n = .}}{{end}}{{$n}}", &d), "4");
    assert_eq!(ok("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", &d), "21");
    assert_eq!(ok("{{if $y := .A}}{{$y}}{{end}}", &d), "a");
    assert_eq!(ok("{{$x := .}}{{range .L}}{{$x.A}}{{end}}", &d), "aaaa");
}

#[test]
fn pipelines_and_parentheses() {
    let d = inspect();
    assert_eq!(ok("{{.Name | printf \"%s!\"}}", &d), "/web!");
    // The piped value is the last argument: split "," "a,b".
    assert_eq!(ok("{{\"a,b\" | split \",\" | len}}", &json!({})), "1");
    assert_eq!(ok("{{(index .Mounts 0).Name}}", &d), "data");
    assert_eq!(ok("{{(index .Mounts 0).Destination}}", &d), "/srv/web");
    assert_eq!(ok("{{len (index .Mounts 0).Source}}", &d), "34");
    assert_eq!(ok("{{(.State).Status}}", &d), "running");
    assert_eq!(ok("{{.State.Pid | printf \"%05d\"}}", &d), "04242");
}

#[test]
fn define_template_and_block() {
    let d = json!({"Name": "web", "Sub": {"Name": "inner"}});
    assert_eq!(ok("{{define \"n\"}}<{{.Name}}>{{end}}{{template \"n\" .}}{{template \"n\" .Sub}}", &d), "<web><inner>");
    assert_eq!(ok("{{define \"x\"}}[{{.}}]{{end}}{{template \"x\"}}", &d), "[<no value>]");
    assert_eq!(ok("{{block \"b\" .Name}}({{.}}){{end}}", &d), "(web)");
}

// ---------------------------------------------------------------------------
// Builtin functions

#[test]
fn comparisons() {
    let d = json!({"i": 3, "s": "b", "f": 1.5});
    assert_eq!(ok("{{eq .i 3}} {{eq .i 1 2 3}} {{ne .s \"a\"}} {{eq .s \"b\"}}", &d), "true true true true");
    assert_eq!(ok("{{lt .i 4}} {{le .i 3}} {{gt .i 3}} {{ge .i 3}}", &d), "true true false true");
    assert_eq!(ok("{{lt \"a\" \"b\"}} {{gt .f 1.0}}", &d), "true true");
    assert_eq!(ok("{{eq .Missing nil}} {{eq .s nil}}", &d), "true false");
    assert_eq!(
        err("{{eq .i \"3\"}}", &d),
        "template: :1:2: executing \"\" at <eq .i \"3\">: error calling eq: incompatible types for comparison"
    );
    assert_eq!(
        err("{{lt true false}}", &d),
        "template: :1:2: executing \"\" at <lt true false>: error calling lt: invalid type for comparison"
    );
    assert_eq!(err("{{eq .i}}", &d), "template: :1:2: executing \"\" at <eq .i>: error calling eq: missing argument for comparison");
    assert_eq!(err("{{eq .f 1}}", &d), "template: :1:2: executing \"\" at <eq .f 1>: error calling eq: incompatible types for comparison");
}

#[test]
fn and_or_not() {
    let d = json!({"e": "", "s": "x", "L": []});
    assert_eq!(ok("{{or .e \"default\"}} {{or .Missing \"d2\"}} {{or .s \"d3\"}}", &d), "default d2 x");
    assert_eq!(ok("{{and 1 0}} {{and 1 2}} {{and .s .e}}|", &d), "0 2 |");
    assert_eq!(ok("{{not .e}} {{not .s}} {{not .L}}", &d), "true false true");
    // Short-circuit: the failing index is never evaluated.
    assert_eq!(ok("{{or 1 (index .L 5)}} {{and 0 (index .L 5)}}", &d), "1 0");
    assert_eq!(ok("{{\"\" | or \"piped\"}}", &d), "piped");
}

#[test]
fn index_and_slice() {
    let d = inspect();
    assert_eq!(ok("{{index .Config.Cmd 2}}", &d), "echo hi > /srv/web/x && sleep 3600");
    assert_eq!(ok("{{index .Config.Labels \"com.example.team\"}}", &d), "storage");
    assert_eq!(ok("[{{index .Config.Labels \"nope\"}}]", &d), "[]");
    assert_eq!(ok("{{index .Config.Volumes \"nope\"}}", &d), "<no value>");
    assert_eq!(ok("{{index .Mounts 0 \"Type\"}}", &d), "volume");
    assert_eq!(ok("{{index \"abc\" 1}}", &d), "98");
    assert_eq!(ok("{{slice \"abcdef\" 1 3}} {{slice .RootFS.Layers 4}}", &d), "bc [sha256:e sha256:f]");
    assert_eq!(ok("{{slice .Config.Cmd 0 1 2}}", &d), "[sh]");
    assert_eq!(
        err("{{index .Mounts 3}}", &d),
        "template: :1:2: executing \"\" at <index .Mounts 3>: error calling index: index out of range: 3"
    );
    assert_eq!(
        err("{{index .Mounts 1}}", &d),
        "template: :1:2: executing \"\" at <index .Mounts 1>: error calling index: reflect: slice index out of range"
    );
    assert_eq!(
        err("{{index .Name \"x\"}}", &d),
        "template: :1:2: executing \"\" at <index .Name \"x\">: error calling index: cannot index slice/array with type string"
    );
    assert_eq!(
        err("{{index .State.Pid 0}}", &d),
        "template: :1:2: executing \"\" at <index .State.Pid 0>: error calling index: can't index item of type int"
    );
    assert_eq!(
        err("{{index .Missing 0}}", &d),
        "template: :1:2: executing \"\" at <index .Missing 0>: error calling index: index of untyped nil"
    );
    assert_eq!(
        err("{{index .Config.Labels 1}}", &d),
        "template: :1:2: executing \"\" at <index .Config.Labels 1>: error calling index: value has type int; should be string"
    );
    assert_eq!(
        err("{{slice .Name 3 1}}", &d),
        "template: :1:2: executing \"\" at <slice .Name 3 1>: error calling slice: invalid slice index: 3 > 1"
    );
}

#[test]
fn len_function() {
    let d = inspect();
    assert_eq!(ok("{{len .RootFS.Layers}} {{len .Name}} {{len .Config.Labels}}", &d), "6 4 2");
    assert_eq!(err("{{len 3}}", &d), "template: :1:2: executing \"\" at <len 3>: error calling len: len of type int");
    assert_eq!(err("{{len .Missing}}", &d), "template: :1:2: executing \"\" at <len .Missing>: error calling len: len of untyped nil");
}

#[test]
fn print_functions() {
    let d = json!({"A": "a", "N": 5, "M": {"k": "v"}});
    assert_eq!(ok("{{print 1 2 \"a\" \"b\" 3}}", &d), "1 2ab3");
    assert_eq!(ok("{{print .A .N .M}}", &d), "a5 map[k:v]");
    assert_eq!(ok("{{println .A .N}}", &d), "a 5\n");
    assert_eq!(ok("{{println}}", &d), "\n");
    assert_eq!(ok("{{print}}", &d), "");
}

#[test]
fn printf_verbs() {
    let d = json!({"s": "hi", "i": 42, "f": 1.23456, "b": true, "m": {"a": 1}, "l": ["x", 2]});
    let cases = [
        (r#""%s|%v|%q" .s .s .s"#, "hi|hi|\"hi\""),
        (r#""%-10s|" .s"#, "hi        |"),
        (r#""%10s|" .s"#, "        hi|"),
        (r#""%.1s|" .s"#, "h|"),
        (r#""%x %X % x" .s .s .s"#, "6869 6869 68 69"),
        (
            r#""%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%b|%c|%q|%U|%#x" .i .i .i .i .i .i .i .i .i .i .i .i .i"#,
            "42|   42|42   |00042|+42|2a|2A|52|101010|*|'*'|U+002A|0x2a",
        ),
        (r#""%v %.2f %8.3f| %e %g %.3g" .f .f .f .f .f .f"#, "1.23456 1.23    1.235| 1.234560e+00 1.23456 1.23"),
        (r#""%t %v" .b .b"#, "true true"),
        (r#""%v %d" .m .m"#, "map[a:1] map[%!d(string=a):1]"),
        (r#""%v %s %#v" .l .l .l"#, "[x 2] [x %!s(int=2)] []interface {}{\"x\", 2}"),
        (r#""%#v" .m"#, "map[string]interface {}{\"a\":1}"),
        (r#""%%|%d""#, "%|%!d(MISSING)"),
        (r#""%6.2f|%-8v|%3c|" 2.5 "ab" 0x263A"#, "  2.50|ab      |  ☺|"),
    ];
    for (args, want) in cases {
        let tmpl = format!("{{{{printf {}}}}}", args);
        assert_eq!(ok(&tmpl, &d), want, "{}", tmpl);
    }
}

#[test]
fn printf_errors_are_inline_like_go() {
    let d = json!({"s": "x"});
    assert_eq!(ok("{{printf \"%d\" .s}}", &d), "%!d(string=x)");
    assert_eq!(ok("{{printf \"%s\" 5}}", &d), "%!s(int=5)");
    assert_eq!(ok("{{printf \"%s\" 1 2}}", &d), "%!s(int=1)%!(EXTRA int=2)");
    assert_eq!(ok("{{printf \"%s\" nil}}", &d), "%!s(<nil>)");
    assert_eq!(ok("{{printf \"%v\" .Missing}}", &d), "<nil>");
    assert_eq!(ok("{{printf \"%z\" 1}}", &d), "%!z(int=1)");
    assert_eq!(ok("{{printf \"%\" }}", &d), "%!(NOVERB)");
    assert_eq!(ok("{{printf \"%[2]s %[1]s\" \"a\" \"b\"}}", &d), "b a");
    assert_eq!(ok("{{printf \"%*d|\" 5 1}}", &d), "    1|");
    assert_eq!(ok("{{printf \"%#v %#v\" .s 1}}", &d), "\"x\" 1");
    assert_eq!(ok("{{printf \"%T %T\" .s .Missing}}", &d), "string <nil>");
}

#[test]
fn float_formatting_matches_go() {
    let d = json!({});
    let cases = [
        ("%.2f", "0.125", "0.12"),
        ("%.2f", "2.675", "2.67"),
        ("%.0f", "0.5", "0"),
        ("%.0f", "1.5", "2"),
        ("%.0f", "2.5", "2"),
        ("%.3g", "1234.5678", "1.23e+03"),
        ("%.3g", "0.0001234", "0.000123"),
        ("%.10g", "1.5", "1.5"),
        ("%.2e", "1234.5678", "1.23e+03"),
        ("%e", "0.0", "0.000000e+00"),
        ("%g", "100000.0", "100000"),
        ("%g", "1000000.0", "1e+06"),
        ("%v", "1e21", "1e+21"),
        ("%v", "1e-300", "1e-300"),
        ("%08.3f", "-3.14159", "-003.142"),
        ("% .1f", "2.0", " 2.0"),
        ("%+.1e", "12345.0", "+1.2e+04"),
    ];
    for (fmt, num, want) in cases {
        let tmpl = format!("{{{{printf {:?} {}}}}}", fmt, num);
        assert_eq!(ok(&tmpl, &d), want, "{}", tmpl);
    }
}

#[test]
fn escaping_functions() {
    let d = json!({"s": "<a href='x'>&</a>"});
    assert_eq!(ok("{{html .s}}", &d), "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
    assert_eq!(ok("{{js .s}}", &d), "\\u003Ca href\\u003D\\'x\\'\\u003E\\u0026\\u003C/a\\u003E");
    assert_eq!(ok("{{urlquery \"a b/c\"}}", &d), "a+b%2Fc");
    assert_eq!(ok("{{html 1 2}}", &d), "1 2");
}

// ---------------------------------------------------------------------------
// Docker's functions

#[test]
fn json_function() {
    let d = inspect();
    let mounts = r#"[{"Type":"volume","Name":"data","Source":"/var/lib/docker/volumes/data/_data","Destination":"/srv/web","Driver":"local","Mode":"z","RW":true,"Propagation":""}]"#;
    assert_eq!(ok("{{json .Mounts}}", &d), mounts);
    assert_eq!(ok("{{len .RootFS.Layers}} {{json .Config.Volumes}}", &d), r#"6 {"/srv/web":{}}"#);
    assert_eq!(
        ok("Volumes={{json .Config.Volumes}} Cmd={{json .Config.Cmd}}", &d),
        r#"Volumes={"/srv/web":{}} Cmd=["sh","-c","echo hi > /srv/web/x && sleep 3600"]"#
    );
    assert_eq!(ok("{{json .Name}}", &d), "\"/web\"");
    assert_eq!(ok("{{json .State.Health}} {{json .Missing}} {{json .State.Pid}}", &d), "null null 4242");
    assert_eq!(ok("{{json (split \"a,b\" \",\")}}", &d), r#"["a","b"]"#);
    assert_eq!(ok("{{json .State}}", &d), r#"{"Status":"running","Running":true,"Pid":4242,"ExitCode":0,"Health":null}"#);
}

#[test]
fn split_and_join() {
    let d = inspect();
    assert_eq!(ok("{{join (split \"a,b,c\" \",\") \"|\"}}", &d), "a|b|c");
    assert_eq!(ok("{{split \"a,b\" \",\"}}", &d), "[a b]");
    assert_eq!(ok("{{join .Config.Cmd \" \"}}", &d), "sh -c echo hi > /srv/web/x && sleep 3600");
    assert_eq!(ok("{{range split \"x:y\" \":\"}}<{{.}}>{{end}}", &d), "<x><y>");
    assert_eq!(ok("{{index (split .Name \"/\") 1}}", &d), "web");
    assert_eq!(
        err("{{join .Mounts \",\"}}", &d),
        "template: :1:7: executing \"\" at <.Mounts>: wrong type for value; expected []string; got []interface {}"
    );
    assert_eq!(err("{{split 1 \",\"}}", &d), "template: :1:8: executing \"\" at <1>: expected string; found 1");
    assert_eq!(
        err("{{split .State.Pid \",\"}}", &d),
        "template: :1:14: executing \"\" at <.State.Pid>: wrong type for value; expected string; got int"
    );
    assert_eq!(err("{{split .Missing \",\"}}", &d), "template: :1:8: executing \"\" at <.Missing>: invalid value; expected string");
}

#[test]
fn case_pad_truncate() {
    let d = json!({"ID": "fa155fe3a5ca0a8b", "S": "hello wORLD"});
    assert_eq!(ok("{{title .S}}|{{lower .S}}|{{upper .S}}", &d), "Hello WORLD|hello world|HELLO WORLD");
    assert_eq!(ok("[{{pad \"x\" 2 3}}][{{pad \"\" 2 3}}]", &d), "[  x   ][]");
    assert_eq!(ok("{{truncate .ID 12}}|{{truncate \"ab\" 12}}", &d), "fa155fe3a5ca|ab");
    assert_eq!(
        err("{{truncate .ID}}", &d),
        "template: :1:2: executing \"\" at <truncate>: wrong number of args for truncate: want 2 got 1"
    );
    assert_eq!(err("{{truncate .ID 1.5}}", &d), "template: :1:15: executing \"\" at <1.5>: expected integer; found 1.5");
    assert_eq!(
        err("{{truncate .ID -1}}", &d),
        "template: :1:2: executing \"\" at <truncate .ID -1>: error calling truncate: runtime error: slice bounds out of range [:-1]"
    );
    assert_eq!(err("{{.ID | truncate 4}}", &json!({"ID": "abcdef"})), "template: :1:17: executing \"\" at <4>: expected string; found 4");
}

#[test]
fn header_functions_keep_header_text() {
    let header = json!({"Name": "VOLUME NAME", "Driver": "DRIVER"});
    let opts = Options::default().header_functions(true);
    let t = Template::parse("{{upper .Driver}}\t{{json .Name}}\t{{truncate .Name 3}}\t{{pad .Driver 1 1}}").unwrap();
    assert_eq!(t.execute_with(&header, &opts).unwrap(), "DRIVER\tVOLUME NAME\tVOLUME NAME\t DRIVER ");
}

// ---------------------------------------------------------------------------
// Docker command outputs

#[test]
fn docker_range_over_mounts() {
    let d = json!({"Mounts": [
        {"Type": "bind", "Name": "", "Source": "/home/student/site", "Destination": "/usr/share/nginx/html"},
        {"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data", "Destination": "/data"}
    ]});
    assert_eq!(ok("{{range .Mounts}}{{.Type}} name={{.Name}}{{println}}{{end}}", &d), "bind name=\nvolume name=data\n");
    assert_eq!(
        ok("{{range .Mounts}}{{.Source}} -> {{.Destination}}\n{{end}}", &d),
        "/home/student/site -> /usr/share/nginx/html\n/var/lib/docker/volumes/data/_data -> /data\n"
    );
}

#[test]
fn docker_list_format_unescapes_tabs() {
    assert_eq!(unescape_tabs(r"{{.Name}}\t{{.Driver}}\n"), "{{.Name}}\t{{.Driver}}\n");
    assert_eq!(unescape_tabs(r"a\\tb\x"), "a\\\tb\\x");
    let f = list_format(r"table {{.Name}}\t{{.Driver}}");
    assert!(f.table);
    assert_eq!(f.template, "{{.Name}}\t{{.Driver}}");
    let f = list_format("json");
    assert_eq!((f.table, f.template.as_str()), (false, "{{json .}}"));
    let f = list_format(r"  {{.Name}}\t{{.Driver}} ");
    assert_eq!((f.table, f.template.as_str()), (false, "{{.Name}}\t{{.Driver}}"));
    let row = json!({"Name": "data", "Driver": "local"});
    assert_eq!(ok(&f.template, &row), "data\tlocal");
}

#[test]
fn docker_ps_table() {
    let f = list_format(r"table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}");
    let t = Template::parse(&f.template).unwrap();
    let header = json!({"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "RunningFor": "CREATED",
                        "Status": "STATUS", "Ports": "PORTS", "Names": "NAMES", "Mounts": "MOUNTS"});
    let row = json!({"ID": "fa155fe3a5ca", "Image": "demo/app:1.0", "Command": "\"sleep 3600\"",
                     "RunningFor": "Less than a second ago", "Status": "Up Less than a second",
                     "Ports": "", "Names": "web", "Mounts": "named1,/home/student/…", "Labels": "env=test"});
    let mut w = TabWriter::docker();
    w.write(&t.execute_with(&header, &Options::default().header_functions(true)).unwrap());
    w.write("\n");
    w.write(&t.execute(&row).unwrap());
    w.write("\n");
    assert_eq!(
        w.flush(),
        "CONTAINER ID   IMAGE          COMMAND        CREATED                  STATUS                  PORTS     NAMES\n\
         fa155fe3a5ca   demo/app:1.0   \"sleep 3600\"   Less than a second ago   Up Less than a second             web\n"
    );
    assert_eq!(ok("{{.Names}}: {{.Mounts}} ({{.Labels}})", &row), "web: named1,/home/student/… (env=test)");
}

#[test]
fn docker_inspect_idioms() {
    let d = inspect();
    let cases = [
        ("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}\n{{end}}", "com.example.team=storage\nenv=test\n"),
        ("{{.Config.Env}}", "[PATH=/usr/bin MODE=dev]"),
        ("{{join .Config.Env \",\"}}", "PATH=/usr/bin,MODE=dev"),
        ("{{printf \"%.12s\" .Id}} {{slice .Id 0 12}} {{upper (slice .Id 0 5)}}", "fa155fe3a5ca fa155fe3a5ca FA155"),
        ("{{if .State.Running}}up{{else}}down{{end}} since pid {{.State.Pid}}", "up since pid 4242"),
        ("{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}}:{{.Destination}}{{end}}{{end}}", "data:/srv/web"),
        ("{{.HostConfig}}", "map[Binds:<nil> CpuShares:0 Memory:0]"),
        ("{{with index .Mounts 0}}{{.RW}} {{.Mode}}{{end}}", "true z"),
    ];
    for (tmpl, want) in cases {
        assert_eq!(ok(tmpl, &d), want, "{}", tmpl);
    }
}

#[test]
fn docker_inspect_missing_field_with_missingkey_error() {
    let d = inspect();
    let opts = Options::default().missing_key(MissingKey::Error);
    let e = render_with("{{.State.Foo}}", &d, &opts).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exec);
    assert_eq!(e.to_string(), "template: :1:8: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\"");
    assert_eq!(
        e.docker_message(),
        "template parsing error: template: :1:8: executing \"\" at <.State.Foo>: map has no entry for key \"Foo\""
    );
    assert_eq!(render_with("{{.State.Status}}", &d, &opts).unwrap(), "running");
    assert_eq!(e.missing_key(), Some("Foo"));
}

#[test]
fn a_root_type_names_the_struct_a_top_level_field_is_missing_from() {
    let d = json!({"Name": "v1", "Options": {}});
    let opts = Options::default().root_type("volume.Volume");
    let e = render_with("{{.Name}} {{.Nope}}", &d, &opts).unwrap_err();
    assert_eq!(e.to_string(), "template: :1:12: executing \"\" at <.Nope>: can't evaluate field Nope in type volume.Volume");
    assert_eq!(e.missing_key(), Some("Nope"));
    // Deeper down, a missing key follows `missing_key` (no value by default).
    assert_eq!(render_with("{{.Options.Nope}}", &d, &opts).unwrap(), "<no value>");
}

// ---------------------------------------------------------------------------
// Parse errors

#[test]
fn parse_errors_have_go_messages() {
    let cases = [
        ("{{.X", "template: :1: unclosed action"),
        ("{{foo}}", "template: :1: function \"foo\" not defined"),
        ("{{index .Mounts 0}.Name}}", "template: :1: unexpected \"}\" in operand"),
        ("{{if .X}}", "template: :1: unexpected EOF"),
        ("{{}}", "template: :1: missing value for command"),
        ("{{ }}", "template: :1: missing value for command"),
        ("{{end}}", "template: :1: unexpected {{end}}"),
        ("{{else}}", "template: :1: unexpected {{else}}"),
        ("{{range}}{{end}}", "template: :1: missing value for range"),
        ("{{if}}{{end}}", "template: :1: missing value for if"),
        ("{{$x}}", "template: :1: undefined variable \"$x\""),
        ("{{break}}", "template: :1: {{break}} outside {{range}}"),
        ("{{range .L}}{{else}}{{continue}}{{end}}", "template: :1: {{continue}} outside {{range}}"),
        ("{{.X | 3}}", "template: :1: non executable command in pipeline stage 2"),
        ("{{with .X}}{{else with .Y}}{{end}}", "template: :1: unexpected <with> in else"),
        ("{{\"\\q\"}}", "template: :1: invalid syntax"),
        ("{{3x}}", "template: :1: bad number syntax: \"3x\""),
        ("{{.X}} {{/* open", "template: :1: unclosed comment"),
        ("{{(1}}", "template: :1: unclosed left paren"),
        ("{{)}}", "template: :1: unexpected right paren"),
        ("{{.X}", "template: :1: bad character U+007D '}'"),
        ("{{\"a\".b}}", "template: :1: unexpected . after term \"\\\"a\\\"\""),
        ("{{range $i, $e, $f := .L}}{{end}}", "template: :1: too many declarations in range"),
        ("{{if $a, $b := .L}}{{end}}", "template: :1: too many declarations in if"),
        ("{{template .X}}", "template: :1: unexpected \".X\" in template clause"),
        ("{{define \"a\"}}1{{end}}{{define \"a\"}}2{{end}}", "template: :1: template: multiple definition of template \"a\""),
        ("{{if .X}}{{else}}{{else}}{{end}}", "template: :1: expected end; found {{else}}"),
        ("{{0x}}", "template: :1: illegal number syntax: \"0x\""),
        ("{{1+2i}}", "template: :1: illegal number syntax: \"1+2i\""),
        ("{{'ab'}}", "template: :1: malformed character constant: 'ab'"),
        ("{{\"\\é\"}}", "template: :1: invalid syntax"),
    ];
    for (tmpl, want) in cases {
        assert_eq!(parse_err(tmpl), want, "{:?}", tmpl);
    }
}

#[test]
fn parse_error_lines() {
    assert_eq!(parse_err("line 1\nline 2 {{.X\n\n"), "template: :4: unclosed action started at :2");
    assert_eq!(parse_err("a\nb\n{{foo}}"), "template: :3: function \"foo\" not defined");
    assert_eq!(parse_err("{{if .X}}\n\n{{end}}{{end}}"), "template: :3: unexpected {{end}}");
}

// ---------------------------------------------------------------------------
// Execution errors

#[test]
fn exec_errors_have_go_messages() {
    let d = inspect();
    let cases = [
        ("{{.Name.X}}", "template: :1:7: executing \"\" at <.Name.X>: can't evaluate field X in type string"),
        ("{{.State.Pid.X}}", "template: :1:8: executing \"\" at <.State.Pid.X>: can't evaluate field X in type int"),
        ("{{.Mounts.X}}", "template: :1:9: executing \"\" at <.Mounts.X>: can't evaluate field X in type []interface {}"),
        (
            "{{.State.Health.Status}}",
            "template: :1:8: executing \"\" at <.State.Health.Status>: nil pointer evaluating interface {}.Status",
        ),
        ("{{range .Name}}{{end}}", "template: :1:8: executing \"\" at <.Name>: range can't iterate over /web"),
        ("{{range .State.Pid}}{{end}}", "template: :1:14: executing \"\" at <.State.Pid>: range can't iterate over 4242"),
        ("{{template \"nope\"}}", "template: :1:11: executing \"\" at <{{template \"nope\"}}>: template \"nope\" not defined"),
        ("{{nil}}", "template: :1:2: executing \"\" at <nil>: nil is not a command"),
        ("{{.Name 3}}", "template: :1:2: executing \"\" at <.Name>: Name is not a method but has arguments"),
        ("{{\"a\" 3}}", "template: :1:2: executing \"\" at <\"a\">: can't give argument to non-function \"a\""),
        ("{{len}}", "template: :1:2: executing \"\" at <len>: wrong number of args for len: want 1 got 0"),
        ("{{and}}", "template: :1:2: executing \"\" at <and>: wrong number of args for and: want at least 1 got 0"),
        ("{{call .Name}}", "template: :1:2: executing \"\" at <call .Name>: error calling call: non-function of type string"),
        ("{{99999999999999999999 | len}}", "template: :1: integer overflow: \"99999999999999999999\""),
    ];
    for (tmpl, want) in cases {
        let got = match render(tmpl, &d) {
            Ok(s) => panic!("{:?} rendered {:?}", tmpl, s),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, want, "{:?}", tmpl);
    }
}

#[test]
fn exec_error_positions() {
    let d = json!({"X": "s"});
    assert_eq!(
        err("{{define \"t\"}}{{.X.Y}}{{end}}{{template \"t\" .}}", &d),
        "template: :1:18: executing \"t\" at <.X.Y>: can't evaluate field Y in type string"
    );
    assert_eq!(err("line1\n  {{.X.Y}}", &d), "template: :2:6: executing \"\" at <.X.Y>: can't evaluate field Y in type string");
    assert_eq!(err("{{with .X}}{{.Y}}{{end}}", &d), "template: :1:13: executing \"\" at <.Y>: can't evaluate field Y in type string");
}

// ---------------------------------------------------------------------------
// Limits

/// Runs `f` on a thread with the 1 MiB stack a wasm32 module gets.
fn with_small_stack(f: impl FnOnce() + Send + 'static) {
    let h = std::thread::Builder::new().stack_size(1 << 20).spawn(f).expect("spawn");
    h.join().expect("thread");
}

#[test]
fn deep_parentheses_are_limited() {
    with_small_stack(|| {
        let deep = |n: usize| format!("{{{{{}1{}}}}}", "(".repeat(n), ")".repeat(n));
        assert_eq!(ok(&deep(99), &json!({})), "1");
        assert_eq!(parse_err(&deep(101)), "template: :1: max expression depth exceeded");
    });
}

#[test]
fn deep_nesting_is_limited() {
    with_small_stack(|| {
        let deep = |n: usize| format!("{}x{}", "{{if 1}}".repeat(n), "{{end}}".repeat(n));
        assert_eq!(ok(&deep(99), &json!({})), "x");
        assert_eq!(parse_err(&deep(101)), "template: :1: max expression depth exceeded");
    });
}

#[test]
fn recursive_templates_are_limited() {
    with_small_stack(|| {
        let e = err("{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}", &json!({}));
        assert!(e.ends_with("exceeded maximum template depth (100)"), "{}", e);
        let counting = "{{define \"c\"}}{{if .}}{{len .}}{{template \"c\" (slice . 1)}}{{end}}{{end}}{{template \"c\" .}}";
        assert_eq!(ok(counting, &json!([1, 2, 3])), "321");
        let long: Vec<usize> = (0..99).collect();
        assert_eq!(ok(counting, &json!(long)).len(), 9 + 2 * 90);
    });
}

#[test]
fn runaway_execution_is_stopped() {
    let d = json!({"L": (0..100).collect::<Vec<i32>>()});
    let opts = Options { max_steps: 100_000, ..Options::default() };
    let e = render_with("{{range .L}}{{range $.L}}{{range $.L}}{{end}}{{end}}{{end}}", &d, &opts).unwrap_err();
    assert!(e.to_string().ends_with("execution stopped after 100000 steps"), "{}", e);
    let opts = Options { max_output: 1000, ..Options::default() };
    let e = render_with("{{range .L}}{{range $.L}}xx{{end}}{{end}}", &d, &opts).unwrap_err();
    assert!(e.to_string().ends_with("output exceeds 1000 bytes"), "{}", e);
}

#[test]
fn template_is_reusable() {
    let t = Template::parse("{{.N}};").unwrap();
    let out: String = (1..=3).map(|n| t.execute(&json!({ "N": n })).unwrap()).collect();
    assert_eq!(out, "1;2;3;");
}

// ---------------------------------------------------------------------------
// Robustness: arbitrary input yields output or an error, never a panic.

pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn random_templates_never_panic() {
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{{- ",
        " -}}",
        ".",
        ".X",
        ".L",
        ".M",
        ".N",
        "(",
        ")",
        "|",
        "\"",
        "`",
        "$",
        "$x",
        ":=",
        "=",
        "-",
        " ",
        "\n",
        "range",
        "if",
        "else",
        "end",
        "with",
        "define",
        "template",
        "block",
        "break",
        "continue",
        "index",
        "slice",
        "printf",
        "\"%d\"",
        "\"%-5.2v|%[2]*s%!\"",
        "1",
        "-1",
        "1.5",
        "1e9",
        "0x1p3",
        "'a'",
        "'\\x",
        "nil",
        "true",
        "json",
        "split",
        "join",
        "pad",
        "truncate",
        "len",
        "eq",
        "lt",
        "and",
        "or",
        "not",
        "print",
        "html",
        "/*",
        "*/",
        ",",
        "é",
        "→",
        "\\",
        "0x",
        "\"a\"",
        "\"t\"",
        "x",
        "call",
        "99999999999999999999",
        "\"\\u00e9\"",
    ];
    let data = json!({"X": "str", "L": [1, "two", null, {"k": [1.5]}], "M": {"a": 1, "b": {}}, "N": null});
    let mut rng = Lcg(0x5eed);
    for _ in 0..20_000 {
        let n = 1 + rng.next() % 14;
        let t: String = (0..n).map(|_| PIECES[rng.next() % PIECES.len()]).collect();
        if let Ok(tmpl) = Template::parse(&t) {
            let _ = tmpl.execute(&data);
            let _ = tmpl.execute_with(&data, &Options::default().missing_key(MissingKey::Error).header_functions(true));
        }
    }
}

#[test]
fn random_printf_formats_never_panic() {
    const CHARS: &[char] = &[
        '%', '%', '%', 'd', 's', 'v', 'q', 'x', 'X', 'f', 'e', 'g', 'G', 'c', 'U', 'T', 't', 'b', 'o', 'O', 'p', 'w', '#', '+', '-', ' ',
        '0', '1', '9', '.', '*', '[', ']', '2', 'é', 'z',
    ];
    let args =
        [json!(1), json!(-7), json!(2.5), json!("é s"), json!(true), json!(null), json!([1, "a"]), json!({"k": 1}), json!(1u64 << 63)];
    let mut rng = Lcg(42);
    for _ in 0..20_000 {
        let n = 1 + rng.next() % 10;
        let f: String = (0..n).map(|_| CHARS[rng.next() % CHARS.len()]).collect();
        let k = rng.next() % 4;
        let a: Vec<&Value> = (0..k).map(|_| &args[rng.next() % args.len()]).collect();
        let data = json!({ "F": f, "A": a });
        let t = match k {
            0 => "{{printf .F}}",
            1 => "{{printf .F (index .A 0)}}",
            2 => "{{printf .F (index .A 0) (index .A 1)}}",
            _ => "{{printf .F (index .A 0) (index .A 1) (index .A 2)}}",
        };
        let _ = render(t, &data);
    }
}

#[test]
fn structs_print_like_go() {
    let d = serde_json::json!({
        "Mounts": [{crate::STRUCT_MARKER: true, "Type": "volume", "Name": "v", "RW": true, "Propagation": ""}],
        "Volumes": {"/srv/web": {crate::STRUCT_MARKER: true}},
    });
    assert_eq!(crate::render("{{.Mounts}}", &d).unwrap(), "[{volume v true }]");
    assert_eq!(crate::render("{{.Volumes}}", &d).unwrap(), "map[/srv/web:{}]");
    assert_eq!(crate::render("{{(index .Mounts 0).Name}}", &d).unwrap(), "v");
}

#[test]
fn typed_nils_print_like_go() {
    let d = serde_json::json!({"Binds": {crate::NIL_MARKER: "slice"}, "Options": {crate::NIL_MARKER: "map"}});
    assert_eq!(crate::render("{{.Binds}} {{.Options}} {{json .Binds}} {{len .Binds}}", &d).unwrap(), "[] map[] null 0");
    assert_eq!(crate::render("{{if .Binds}}yes{{else}}no{{end}}", &d).unwrap(), "no");
}

#[test]
fn lookup_objects_act_as_one_argument_methods() {
    let data = json!({"Name": "v", "Label": {crate::LOOKUP_MARKER: true, "team": "web"}});
    assert_eq!(ok("{{json .}}", &data), r#"{"Name":"v"}"#, "a lookup method is not data");
    assert_eq!(ok(r#"{{.Name}} {{.Label "team"}}|{{.Label "none"}}|{{"team" | .Label}}"#, &data), "v web||web");
    assert_eq!(
        err(r#"{{.Label "a" "b"}}"#, &data),
        "template: :1:2: executing \"\" at <.Label>: wrong number of args for Label: want 1 got 2"
    );
}

#[test]
fn precisions_past_formatting_limits_are_written_out() {
    // Rust's formatting takes no precision above 65 535; Go prints them all.
    let f = ok("{{printf \"%.99999f\" 1.5}}", &json!(null));
    assert_eq!((f.len(), f.starts_with("1.50")), (100_001, true));
    let e = ok("{{printf \"%.99999e\" 1.5}}", &json!(null));
    assert_eq!((e.len(), e.ends_with("0e+00")), (100_005, true));
}
