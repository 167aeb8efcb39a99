//! A port of Go's `text/tabwriter`, the column aligner behind Docker's
//! table output (`tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`).
//!
//! Cells are tab-terminated: the text after the last tab of a line is not
//! part of any column. Tab-terminated cells in adjacent lines form a column,
//! and a column block ends at the first line that has no cell in it. A
//! column is as wide as its widest cell plus `padding`, and at least
//! `minwidth`. Widths count Unicode scalar values (Go runes).
//!
//! Input is `&str`, so Go's `Escape` byte (0xff) cannot occur and the
//! `STRIP_ESCAPE` flag has no effect.
//!
//! ```
//! use stowage_template::tabwriter::TabWriter;
//! let mut w = TabWriter::new(10, 1, 3, ' ', 0);
//! w.write("NAME\tDRIVER\nvol1\tlocal\n");
//! assert_eq!(w.flush(), "NAME      DRIVER\nvol1      local\n");
//! ```

/// Ignore html tags and treat entities (starting with '&' and ending in ';')
/// as single characters (width = 1).
pub const FILTER_HTML: u32 = 1;
/// Strip Escape characters bracketing escaped text segments (no effect on
/// `&str` input, which cannot contain Go's 0xff escape byte).
pub const STRIP_ESCAPE: u32 = 2;
/// Force right-alignment of cell content.
pub const ALIGN_RIGHT: u32 = 4;
/// Handle empty columns as if they were not present in the input.
pub const DISCARD_EMPTY_COLUMNS: u32 = 8;
/// Always use tabs for indentation columns (padding of leading empty cells).
pub const TAB_INDENT: u32 = 16;
/// Print a vertical bar ('|') between columns (after formatting).
pub const DEBUG: u32 = 32;

#[derive(Clone, Copy, Default, Debug)]
struct Cell {
    /// Cell size in bytes.
    size: usize,
    /// Cell width in runes.
    width: usize,
    /// True if the cell is terminated by an htab ('\t').
    htab: bool,
}

/// Go's `tabwriter.Writer`, writing into an internal buffer.
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    tabwidth: usize,
    padding: usize,
    padchar: char,
    flags: u32,

    buf: String,
    pos: usize,
    cell: Cell,
    end_char: Option<char>,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
    out: String,
}

impl TabWriter {
    /// Go's `tabwriter.NewWriter(output, minwidth, tabwidth, padding, padchar, flags)`.
    ///
    /// * `minwidth`: minimal cell width including any padding
    /// * `tabwidth`: width of tab characters (equivalent number of spaces)
    /// * `padding`: padding added to a cell before computing its width
    /// * `padchar`: character used for padding; with `'\t'` the writer assumes
    ///   a tab is `tabwidth` wide and cells are left-aligned
    /// * `flags`: a combination of the flag constants of this module
    pub fn new(minwidth: usize, tabwidth: usize, padding: usize, padchar: char, flags: u32) -> Self {
        let mut flags = flags;
        if padchar == '\t' {
            // tab padding enforces left-alignment
            flags &= !ALIGN_RIGHT;
        }
        let mut w = TabWriter {
            minwidth,
            tabwidth,
            padding,
            padchar,
            flags,
            buf: String::new(),
            pos: 0,
            cell: Cell::default(),
            end_char: None,
            lines: Vec::new(),
            widths: Vec::new(),
            out: String::new(),
        };
        w.reset();
        w
    }

    /// Docker's table writer: `NewWriter(out, 10, 1, 3, ' ', 0)`.
    pub fn docker() -> Self {
        Self::new(10, 1, 3, ' ', 0)
    }

    fn reset(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.cell = Cell::default();
        self.end_char = None;
        self.lines.clear();
        self.widths.clear();
        self.lines.push(Vec::new());
    }

    fn write_n(&mut self, c: char, n: usize) {
        self.out.extend(std::iter::repeat_n(c, n));
    }

    fn write_padding(&mut self, textw: usize, cellw: usize, use_tabs: bool) {
        if self.padchar == '\t' || use_tabs {
            // padding is done with tabs
            if self.tabwidth == 0 {
                return; // tabs have no width - can't do any padding
            }
            // make cellw the smallest multiple of b.tabwidth
            let cellw = cellw.div_ceil(self.tabwidth) * self.tabwidth;
            let n = cellw.saturating_sub(textw); // amount of padding
            self.write_n('\t', n.div_ceil(self.tabwidth));
            return;
        }
        // padding is done with non-tab characters
        self.write_n(self.padchar, cellw.saturating_sub(textw));
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            let line = std::mem::take(&mut self.lines[i]);
            // if TabIndent is set, use tabs to pad leading empty cells
            let mut use_tabs = self.flags & TAB_INDENT != 0;
            for (j, c) in line.iter().enumerate() {
                if j > 0 && self.flags & DEBUG != 0 {
                    // indicate column break
                    self.out.push('|');
                }
                if c.size == 0 {
                    // empty cell
                    if j < self.widths.len() {
                        self.write_padding(c.width, self.widths[j], use_tabs);
                    }
                } else {
                    // non-empty cell
                    use_tabs = false;
                    // Cells are consecutive runs of whole pieces of `write`
                    // input, so the `get`s always succeed.
                    let text = pos..pos + c.size;
                    if self.flags & ALIGN_RIGHT == 0 {
                        // align left
                        self.out.push_str(self.buf.get(text).unwrap_or(""));
                        pos += c.size;
                        if j < self.widths.len() {
                            self.write_padding(c.width, self.widths[j], false);
                        }
                    } else {
                        // align right
                        if j < self.widths.len() {
                            self.write_padding(c.width, self.widths[j], false);
                        }
                        self.out.push_str(self.buf.get(text).unwrap_or(""));
                        pos += c.size;
                    }
                }
            }
            self.lines[i] = line;
            if i + 1 == self.lines.len() {
                // last buffered line - we don't have a newline, so just write
                // any outstanding buffered data
                let end = (pos + self.cell.size).min(self.buf.len());
                self.out.push_str(self.buf.get(pos..end).unwrap_or(""));
                pos = end;
            } else {
                // not the last line - write newline
                self.out.push('\n');
            }
        }
        pos
    }

    /// Formats the text between line0 and line1 (excluding line1); pos is
    /// the buffer position corresponding to the beginning of line0.
    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 < self.lines[this].len() {
                // cell exists in this column => this line has more cells than
                // the previous line (the last cell per line is ignored because
                // cells are tab-terminated; the last cell per line describes
                // the text before the newline and does not belong to a column)

                // print unprinted lines until beginning of block
                pos = self.write_lines(pos, line0, this);
                line0 = this;

                // column block begin
                let mut width = self.minwidth; // minimal column width
                let mut discardable = true; // true if all cells in this column are empty and "soft"
                while this < line1 {
                    let line = &self.lines[this];
                    if column + 1 >= line.len() {
                        break;
                    }
                    // cell exists in this column
                    let c = line[column];
                    // update width
                    let w = c.width + self.padding;
                    if w > width {
                        width = w;
                    }
                    // update discardable
                    if c.width > 0 || c.htab {
                        discardable = false;
                    }
                    this += 1;
                }
                // column block end

                // discard empty columns if necessary
                if discardable && self.flags & DISCARD_EMPTY_COLUMNS != 0 {
                    width = 0;
                }

                // format and print all columns to the right of this column
                // (we know the widths of this column and all columns to the left)
                self.widths.push(width);
                pos = self.format(pos, line0, this);
                self.widths.pop();
                line0 = this;
            } else {
                this += 1;
            }
        }
        // print unprinted lines until end
        self.write_lines(pos, line0, line1)
    }

    fn append(&mut self, text: &str) {
        self.buf.push_str(text);
        self.cell.size += text.len();
    }

    fn update_width(&mut self) {
        // `pos` is an earlier length of `buf`, which only grows until reset.
        self.cell.width += self.buf.get(self.pos..).map_or(0, |s| s.chars().count());
        self.pos = self.buf.len();
    }

    fn start_escape(&mut self, ch: char) {
        self.end_char = match ch {
            '<' => Some('>'),
            '&' => Some(';'),
            _ => None,
        };
    }

    fn end_escape(&mut self) {
        match self.end_char {
            Some('>') => {}                    // tag of zero width
            Some(';') => self.cell.width += 1, // entity, count as one rune
            _ => {}
        }
        self.pos = self.buf.len();
        self.end_char = None;
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = std::mem::take(&mut self.cell);
        match self.lines.last_mut() {
            Some(line) => {
                line.push(cell);
                line.len()
            }
            None => {
                self.lines.push(vec![cell]);
                1
            }
        }
    }

    fn flush_internal(&mut self) {
        // add current cell if not empty
        if self.cell.size > 0 {
            if self.end_char.is_some() {
                // inside escape - terminate it even if incomplete
                self.end_escape();
            }
            self.terminate_cell(false);
        }
        // format contents of buffer
        let n = self.lines.len();
        self.format(0, 0, n);
        self.reset();
    }

    /// Writes text. Output is buffered until a line break that ends all
    /// columns, or until [`TabWriter::flush`].
    pub fn write(&mut self, text: &str) {
        // `n` is 0 or just past a char of `text`, `i` at one: the `get`s
        // below always succeed.
        let mut n = 0;
        for (i, ch) in text.char_indices() {
            match self.end_char {
                None => match ch {
                    '\t' | '\x0b' | '\n' | '\x0c' => {
                        // end of cell
                        self.append(text.get(n..i).unwrap_or(""));
                        self.update_width();
                        n = i + 1; // ch consumed
                        let ncells = self.terminate_cell(ch == '\t');
                        if ch == '\n' || ch == '\x0c' {
                            // terminate line
                            self.lines.push(Vec::new());
                            if ch == '\x0c' || ncells == 1 {
                                // A '\f' always forces a flush. Otherwise, if
                                // the previous line has only one cell which
                                // does not have an impact on the formatting of
                                // the following lines (the last cell per line
                                // is ignored by format()), thus we can flush
                                // the Writer contents.
                                self.flush_internal();
                                if ch == '\x0c' && self.flags & DEBUG != 0 {
                                    // indicate section break
                                    self.out.push_str("---\n");
                                }
                            }
                        }
                    }
                    // possibly an html tag/entity
                    '<' | '&' if self.flags & FILTER_HTML != 0 => {
                        // begin of tag/entity
                        self.append(text.get(n..i).unwrap_or(""));
                        self.update_width();
                        n = i;
                        self.start_escape(ch);
                    }
                    _ => {}
                },
                Some(end) => {
                    if ch == end {
                        // end of tag/entity
                        let j = i + ch.len_utf8();
                        self.append(text.get(n..j).unwrap_or(""));
                        n = j; // ch consumed
                        self.end_escape();
                    }
                }
            }
        }
        // append leftover text
        self.append(text.get(n..).unwrap_or(""));
    }

    /// Formats everything buffered and returns all output produced since the
    /// previous flush (including output a `write` already released).
    pub fn flush(&mut self) -> String {
        self.flush_internal();
        std::mem::take(&mut self.out)
    }
}

/// Aligns `text` in one go with Docker's table settings
/// (`tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`).
pub fn docker_table(text: &str) -> String {
    let mut w = TabWriter::docker();
    w.write(text);
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(minwidth: usize, tabwidth: usize, padding: usize, padchar: char, flags: u32, src: &str) -> String {
        let mut w = TabWriter::new(minwidth, tabwidth, padding, padchar, flags);
        w.write(src);
        w.flush()
    }

    #[test]
    fn docker_ps_with_an_empty_ports_column() {
        let src = "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n\
                   fa155fe3a5ca\tdemo/app:1.0\t\"sleep 3600\"\tLess than a second ago\tUp Less than a second\t\tweb\n";
        let want = "CONTAINER ID   IMAGE          COMMAND        CREATED                  STATUS                  PORTS     NAMES\n\
                    fa155fe3a5ca   demo/app:1.0   \"sleep 3600\"   Less than a second ago   Up Less than a second             web\n";
        assert_eq!(docker_table(src), want);
    }

    #[test]
    fn docker_volume_ls() {
        let src = "DRIVER\tVOLUME NAME\nlocal\tdata\nlocal\t3f9c…\n";
        let want = "DRIVER    VOLUME NAME\nlocal     data\nlocal     3f9c…\n";
        assert_eq!(docker_table(src), want);
    }

    #[test]
    fn runes_not_bytes() {
        let src = "a…b\tx\nab\ty\n";
        assert_eq!(run(0, 8, 1, '.', 0, src), "a…b.x\nab..y\n");
    }

    /// (name, minwidth, tabwidth, padding, padchar, flags, src, expected):
    /// the cases of Go's tabwriter_test.go that do not use the 0xff escape.
    #[allow(clippy::type_complexity)]
    const GO_CASES: &[(&str, usize, usize, usize, char, u32, &str, &str)] = &[
        ("1a", 8, 0, 1, '.', 0, "", ""),
        ("1a debug", 8, 0, 1, '.', DEBUG, "", ""),
        ("2", 8, 0, 1, '.', 0, "\n\n\n", "\n\n\n"),
        ("3", 8, 0, 1, '.', 0, "a\nb\nc", "a\nb\nc"),
        ("4a", 8, 0, 1, '.', 0, "\t", ""),
        ("4b", 8, 0, 1, '.', ALIGN_RIGHT, "\t", ""),
        ("5", 8, 0, 1, '.', 0, "*\t*", "*.......*"),
        ("5b", 8, 0, 1, '.', 0, "*\t*\n", "*.......*\n"),
        ("5c", 8, 0, 1, '.', 0, "*\t*\t", "*.......*"),
        ("5c debug", 8, 0, 1, '.', DEBUG, "*\t*\t", "*.......|*"),
        ("5d", 8, 0, 1, '.', ALIGN_RIGHT, "*\t*\t", ".......**"),
        ("6", 8, 0, 1, '.', 0, "\t\n", "........\n"),
        ("7a", 8, 0, 1, '.', 0, "a) foo", "a) foo"),
        ("7b", 8, 0, 1, ' ', 0, "b) foo\tbar", "b) foo  bar"),
        ("7c", 8, 0, 1, '.', 0, "c) foo\tbar\t", "c) foo..bar"),
        ("7d", 8, 0, 1, '.', 0, "d) foo\tbar\n", "d) foo..bar\n"),
        ("7e", 8, 0, 1, '.', 0, "e) foo\tbar\t\n", "e) foo..bar.....\n"),
        ("7f", 8, 0, 1, '.', FILTER_HTML, "f) f&lt;o\t<b>bar</b>\t\n", "f) f&lt;o..<b>bar</b>.....\n"),
        (
            "7g",
            8, 0, 1, '.', FILTER_HTML,
            "g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
            "g) f&lt;o..<b>bar</b>..... non-terminated entity &amp",
        ),
        (
            "7g debug",
            8, 0, 1, '.', FILTER_HTML | DEBUG,
            "g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
            "g) f&lt;o..|<b>bar</b>.....| non-terminated entity &amp",
        ),
        ("8", 8, 0, 1, '*', 0, "Hello, world!\n", "Hello, world!\n"),
        (
            "9a",
            1, 0, 0, '.', 0,
            "1\t2\t3\t4\n11\t222\t3333\t44444\n",
            "1.2..3...4\n11222333344444\n",
        ),
        (
            "9b",
            1, 0, 0, '.', FILTER_HTML,
            "1\t2<!---\x0c--->\t3\t4\n11\t222\t3333\t44444\n",
            "1.2<!---\x0c--->..3...4\n11222333344444\n",
        ),
        (
            "9c",
            1, 0, 0, '.', 0,
            "1\t2\t3\t4\x0c11\t222\t3333\t44444\n",
            "1234\n11222333344444\n",
        ),
        (
            "9c debug",
            1, 0, 0, '.', DEBUG,
            "1\t2\t3\t4\x0c11\t222\t3333\t44444\n",
            "1|2|3|4\n---\n11|222|3333|44444\n",
        ),
        ("10a", 5, 0, 0, '.', 0, "1\t2\t3\t4\n", "1....2....3....4\n"),
        ("10b", 5, 0, 0, '.', 0, "1\t2\t3\t4\t\n", "1....2....3....4....\n"),
        (
            "11",
            8, 0, 1, '.', 0,
            "本\tb\tc\naa\t\u{672c}\u{672c}\u{672c}\tcccc\tddddd\naaa\tbbbb\n",
            "本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n",
        ),
        (
            "12a",
            8, 0, 1, ' ', ALIGN_RIGHT,
            "a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n",
            "       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n",
        ),
        (
            "12b",
            2, 0, 0, ' ', 0,
            "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
            "a  b  c\naa bbbcccc\naaabbbb\n",
        ),
        (
            "12c",
            8, 0, 1, '_', 0,
            "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
            "a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
        ),
        (
            "13a",
            4, 0, 1, '-', 0,
            "4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
            "4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n",
        ),
        (
            "13b",
            4, 0, 3, '.', 0,
            "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
            "4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n",
        ),
        (
            "13c",
            8, 8, 1, '\t', FILTER_HTML,
            "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n",
            "4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n",
        ),
        (
            "14",
            1, 0, 2, ' ', ALIGN_RIGHT,
            ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
            "    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3",
        ),
        (
            "14 debug",
            1, 0, 2, ' ', ALIGN_RIGHT | DEBUG,
            ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
            "    .0|          .3|    2.4|    -5.1|\n  23.0|  12345678.9|    2.4|  -989.4|\n   5.1|        12.0|    2.4|    -7.0|\n    .0|         0.0|  332.0|  8908.0|\n    .0|         -.3|  456.4|    22.1|\n    .0|         1.2|   44.4|   -13.3|",
        ),
        ("15a", 4, 0, 0, '.', 0, "a\t\tb", "a.......b"),
        ("15b", 4, 0, 0, '.', DISCARD_EMPTY_COLUMNS, "a\t\tb", "a.......b"),
        ("15c", 4, 0, 0, '.', DISCARD_EMPTY_COLUMNS, "a\x0b\x0bb", "a...b"),
        ("15d", 4, 0, 0, '.', ALIGN_RIGHT | DISCARD_EMPTY_COLUMNS, "a\x0b\x0bb", "...ab"),
        (
            "16a",
            100, 100, 0, '\t', 0,
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        ),
        (
            "16b",
            100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS,
            "a\x0bb\x0b\x0bd\na\x0bb\x0b\x0bd\x0be\na\na\x0bb\x0bc\x0bd\na\x0bb\x0bc\x0bd\x0be\n",
            "a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        ),
        (
            "16b debug",
            100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS | DEBUG,
            "a\x0bb\x0b\x0bd\na\x0bb\x0b\x0bd\x0be\na\na\x0bb\x0bc\x0bd\na\x0bb\x0bc\x0bd\x0be\n",
            "a\t|b\t||d\na\t|b\t||d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
        ),
        (
            "16c",
            100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS,
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        ),
        (
            "16c debug",
            100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS | DEBUG,
            "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            "a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
        ),
    ];

    #[test]
    fn go_test_table() {
        for &(name, minwidth, tabwidth, padding, padchar, flags, src, want) in GO_CASES {
            let mut w = TabWriter::new(minwidth, tabwidth, padding, padchar, flags);
            // written all at once
            w.write(src);
            assert_eq!(w.flush(), want, "{} (all at once)", name);
            // written char by char
            for c in src.chars() {
                w.write(c.encode_utf8(&mut [0; 4]));
            }
            assert_eq!(w.flush(), want, "{} (char by char)", name);
            // written in growing slices
            let chars: Vec<char> = src.chars().collect();
            let (mut i, mut d) = (0usize, 0usize);
            while i < chars.len() {
                let end = (i + d).min(chars.len());
                let piece: String = chars[i..end].iter().collect();
                w.write(&piece);
                i = end;
                d += 1;
            }
            assert_eq!(w.flush(), want, "{} (in slices)", name);
        }
    }

    #[test]
    fn output_released_by_single_cell_lines() {
        let mut w = TabWriter::new(0, 0, 1, '.', 0);
        w.write("a\tb\nplain\n");
        w.write("x\ty\n");
        assert_eq!(w.flush(), "a.b\nplain\nx.y\n");
        assert_eq!(w.flush(), "");
    }
}
