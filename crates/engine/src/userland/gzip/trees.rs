//! gzip's blocks: the symbols the match finder tallies, and each block written with the
//! cheapest of stored bytes, the fixed codes and its own Huffman codes. The codes are built
//! gzip's way (the heap's order, ties broken by depth, lengths over 15 bits shortened by its
//! rule), because another tree of the same cost would change the bytes; and a block ends
//! where gzip ends it (a full buffer, or its guess that stopping pays).

const LIT_BUFSIZE: usize = 0x8000;
const DIST_BUFSIZE: usize = LIT_BUFSIZE;
const L_CODES: usize = 286;
const D_CODES: usize = 30;
const BL_CODES: usize = 19;
const LITERALS: usize = 256;
const END_BLOCK: usize = 256;
const MAX_BITS: usize = 15;
const MAX_BL_BITS: usize = 7;
const HEAP_SIZE: usize = 2 * L_CODES + 1;
/// Bit-length codes: repeat the previous length 3–6 times, a zero 3–10 or 11–138 times.
const REP_3_6: usize = 16;
const REPZ_3_10: usize = 17;
const REPZ_11_138: usize = 18;
/// Beyond a tree's last code, a length no code has (gzip's guard).
const GUARD: u16 = 0xffff;

const EXTRA_LBITS: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const EXTRA_DBITS: [u8; 30] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const EXTRA_BLBITS: [u8; 19] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
/// The order bit-length code lengths are sent in (RFC 1951, 3.2.7).
const BL_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// The tables that map lengths and distances to their codes (RFC 1951, 3.2.5).
struct Codes {
    length_code: [u8; 256],
    base_length: [u16; 29],
    dist_code: [u8; 512],
    base_dist: [u16; 30],
}

impl Codes {
    fn new() -> Codes {
        let mut c = Codes { length_code: [0; 256], base_length: [0; 29], dist_code: [0; 512], base_dist: [0; 30] };
        let mut length = 0usize;
        for (code, extra) in EXTRA_LBITS.iter().enumerate().take(28) {
            c.base_length[code] = length as u16;
            for _ in 0..1 << extra {
                c.length_code[length] = code as u8;
                length += 1;
            }
        }
        // A match of 258 has a code of its own rather than 227 with all extra bits set.
        c.length_code[length - 1] = 28;
        let mut dist = 0usize;
        for (code, extra) in EXTRA_DBITS.iter().enumerate().take(16) {
            c.base_dist[code] = dist as u16;
            for _ in 0..1 << extra {
                c.dist_code[dist] = code as u8;
                dist += 1;
            }
        }
        dist >>= 7;
        for (code, extra) in EXTRA_DBITS.iter().enumerate().skip(16) {
            c.base_dist[code] = (dist << 7) as u16;
            for _ in 0..1 << (extra - 7) {
                c.dist_code[256 + dist] = code as u8;
                dist += 1;
            }
        }
        c
    }

    /// The code of a distance less one.
    fn d_code(&self, dist: usize) -> usize {
        usize::from(if dist < 256 { self.dist_code[dist] } else { self.dist_code[256 + (dist >> 7)] })
    }
}

/// A Huffman tree over `elems` symbols; nodes past them are the tree's inner nodes.
struct Tree {
    freq: Vec<u32>,
    len: Vec<u16>,
    code: Vec<u16>,
    dad: Vec<usize>,
    max_code: usize,
}

impl Tree {
    fn new(nodes: usize) -> Tree {
        Tree { freq: vec![0; nodes], len: vec![0; nodes], code: vec![0; nodes], dad: vec![0; nodes], max_code: 0 }
    }
    /// A code's length, and the guard past the last code.
    fn len_at(&self, n: usize) -> u16 {
        if n > self.max_code {
            GUARD
        } else {
            self.len[n]
        }
    }
}

/// What a tree is built for: its symbols, their extra bits, and its length limit.
struct Kind<'a> {
    fixed: Option<&'a Tree>,
    extra: &'a [u8],
    extra_base: usize,
    elems: usize,
    max_length: usize,
}

fn bi_reverse(code: u16, len: u16) -> u16 {
    code.reverse_bits() >> (16 - len)
}

/// Assigns codes from lengths, shortest first (RFC 1951, 3.2.2).
fn gen_codes(tree: &mut Tree, max_code: usize, bl_count: &[u16; MAX_BITS + 1]) {
    let mut next = [0u16; MAX_BITS + 1];
    let mut code = 0u16;
    for bits in 1..=MAX_BITS {
        code = (code + bl_count[bits - 1]) << 1;
        next[bits] = code;
    }
    for n in 0..=max_code {
        let len = tree.len[n];
        if len != 0 {
            tree.code[n] = bi_reverse(next[usize::from(len)], len);
            next[usize::from(len)] += 1;
        }
    }
}

/// The fixed codes (RFC 1951, 3.2.6).
fn fixed_trees() -> (Tree, Tree) {
    let mut l = Tree::new(L_CODES + 2);
    let mut count = [0u16; MAX_BITS + 1];
    for (n, len) in l.len.iter_mut().enumerate() {
        *len = match n {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
        count[usize::from(*len)] += 1;
    }
    gen_codes(&mut l, L_CODES + 1, &count);
    l.max_code = L_CODES + 1;
    let mut d = Tree::new(D_CODES);
    for n in 0..D_CODES {
        d.len[n] = 5;
        d.code[n] = bi_reverse(n as u16, 5);
    }
    d.max_code = D_CODES - 1;
    (l, d)
}

/// The bits of the stream, least significant first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn send(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    fn send_code(&mut self, c: usize, tree: &Tree) {
        self.send(u32::from(tree.code[c]), u32::from(tree.len[c]));
    }
    /// Pads to a byte boundary.
    fn windup(&mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.acc = 0;
        self.n = 0;
    }
}

/// One tallied symbol: a literal byte, or a match (length less 3, distance less 1).
#[derive(Clone, Copy)]
enum Sym {
    Literal(u8),
    Match { lc: u8, dist: u16 },
}

/// The block being gathered, and the stream written so far.
pub(super) struct Block {
    level: usize,
    codes: Codes,
    fixed_l: Tree,
    fixed_d: Tree,
    ltree: Tree,
    dtree: Tree,
    bltree: Tree,
    syms: Vec<Sym>,
    matches: usize,
    opt_len: i64,
    static_len: i64,
    heap: Vec<usize>,
    depth: Vec<u8>,
    bl_count: [u16; MAX_BITS + 1],
    bits: Bits,
    /// Whether the first block's literals were text: Info-ZIP's deflate marks a zip entry so.
    pub(super) text: Option<bool>,
}

impl Block {
    pub(super) fn new(level: usize) -> Block {
        let (fixed_l, fixed_d) = fixed_trees();
        let mut b = Block {
            level,
            codes: Codes::new(),
            fixed_l,
            fixed_d,
            ltree: Tree::new(HEAP_SIZE),
            dtree: Tree::new(2 * D_CODES + 1),
            bltree: Tree::new(2 * BL_CODES + 1),
            syms: Vec::new(),
            matches: 0,
            opt_len: 0,
            static_len: 0,
            heap: vec![0; HEAP_SIZE + 1],
            depth: vec![0; HEAP_SIZE + 1],
            bl_count: [0; MAX_BITS + 1],
            bits: Bits::default(),
            text: None,
        };
        b.init();
        b
    }

    fn init(&mut self) {
        self.ltree.freq[..L_CODES].fill(0);
        self.dtree.freq[..D_CODES].fill(0);
        self.bltree.freq[..BL_CODES].fill(0);
        self.ltree.freq[END_BLOCK] = 1;
        self.opt_len = 0;
        self.static_len = 0;
        self.syms.clear();
        self.matches = 0;
    }

    /// Tallies a literal (`dist` 0, `lc` the byte) or a match (`lc` its length less 3);
    /// `in_length` is how much input the block covers. True when the block should end here.
    pub(super) fn tally(&mut self, dist: usize, lc: usize, in_length: isize) -> bool {
        if dist == 0 {
            self.syms.push(Sym::Literal(lc as u8));
            self.ltree.freq[lc] += 1;
        } else {
            let dist = dist - 1;
            self.syms.push(Sym::Match { lc: lc as u8, dist: dist as u16 });
            self.ltree.freq[usize::from(self.codes.length_code[lc]) + LITERALS + 1] += 1;
            self.dtree.freq[self.codes.d_code(dist)] += 1;
            self.matches += 1;
        }
        let last_lit = self.syms.len();
        // gzip's guess, every 4096 symbols: end the block if it has few matches and would
        // shrink to less than half even with 8-bit literals.
        if self.level > 2 && last_lit & 0xfff == 0 {
            let mut out_length = last_lit as u64 * 8;
            for (freq, extra) in self.dtree.freq.iter().zip(EXTRA_DBITS) {
                out_length += u64::from(*freq) * (5 + u64::from(extra));
            }
            out_length >>= 3;
            if self.matches < last_lit / 2 && (out_length as i64) < (in_length as i64) / 2 {
                return true;
            }
        }
        last_lit == LIT_BUFSIZE - 1 || self.matches == DIST_BUFSIZE
    }

    fn smaller(&self, tree: &Tree, n: usize, m: usize) -> bool {
        tree.freq[n] < tree.freq[m] || (tree.freq[n] == tree.freq[m] && self.depth[n] <= self.depth[m])
    }

    fn down_heap(&mut self, tree: &Tree, mut k: usize, heap_len: usize) {
        let v = self.heap[k];
        let mut j = k << 1;
        while j <= heap_len {
            if j < heap_len && self.smaller(tree, self.heap[j + 1], self.heap[j]) {
                j += 1;
            }
            if self.smaller(tree, v, self.heap[j]) {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j <<= 1;
        }
        self.heap[k] = v;
    }

    /// Builds a tree's code lengths and codes from its frequencies; adds the cost of its
    /// symbols to `opt_len` (and at the fixed codes to `static_len`).
    fn build_tree(&mut self, tree: &mut Tree, kind: &Kind) {
        let mut heap_len = 0;
        let mut heap_max = HEAP_SIZE;
        let mut max_code: isize = -1;
        for n in 0..kind.elems {
            if tree.freq[n] != 0 {
                heap_len += 1;
                self.heap[heap_len] = n;
                max_code = n as isize;
                self.depth[n] = 0;
            } else {
                tree.len[n] = 0;
            }
        }
        // Deflate needs at least two codes in a tree: add codes of frequency 1 if not.
        while heap_len < 2 {
            let new = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            heap_len += 1;
            self.heap[heap_len] = new;
            tree.freq[new] = 1;
            self.depth[new] = 0;
            self.opt_len -= 1;
            if let Some(fixed) = kind.fixed {
                self.static_len -= i64::from(fixed.len[new]);
            }
        }
        let max_code = max_code as usize;
        tree.max_code = max_code;
        for n in (1..=heap_len / 2).rev() {
            self.down_heap(tree, n, heap_len);
        }
        let mut node = kind.elems;
        loop {
            let n = self.heap[1];
            self.heap[1] = self.heap[heap_len];
            heap_len -= 1;
            self.down_heap(tree, 1, heap_len);
            let m = self.heap[1];
            heap_max -= 1;
            self.heap[heap_max] = n;
            heap_max -= 1;
            self.heap[heap_max] = m;
            tree.freq[node] = tree.freq[n] + tree.freq[m];
            self.depth[node] = self.depth[n].max(self.depth[m]) + 1;
            tree.dad[n] = node;
            tree.dad[m] = node;
            self.heap[1] = node;
            node += 1;
            self.down_heap(tree, 1, heap_len);
            if heap_len < 2 {
                break;
            }
        }
        heap_max -= 1;
        self.heap[heap_max] = self.heap[1];
        self.gen_bitlen(tree, kind, heap_max);
        let counts = self.bl_count;
        gen_codes(tree, max_code, &counts);
    }

    /// Code lengths from the tree's shape; lengths past the limit are shortened by gzip's rule.
    fn gen_bitlen(&mut self, tree: &mut Tree, kind: &Kind, heap_max: usize) {
        let max_code = tree.max_code;
        self.bl_count = [0; MAX_BITS + 1];
        tree.len[self.heap[heap_max]] = 0;
        let mut overflow = 0i32;
        for h in heap_max + 1..HEAP_SIZE {
            let n = self.heap[h];
            let mut bits = usize::from(tree.len[tree.dad[n]]) + 1;
            if bits > kind.max_length {
                bits = kind.max_length;
                overflow += 1;
            }
            tree.len[n] = bits as u16;
            if n > max_code {
                continue;
            }
            self.bl_count[bits] += 1;
            let xbits = if n >= kind.extra_base { i64::from(kind.extra[n - kind.extra_base]) } else { 0 };
            let f = i64::from(tree.freq[n]);
            self.opt_len += f * (bits as i64 + xbits);
            if let Some(fixed) = kind.fixed {
                self.static_len += f * (i64::from(fixed.len[n]) + xbits);
            }
        }
        if overflow == 0 {
            return;
        }
        while overflow > 0 {
            let mut bits = kind.max_length - 1;
            while self.bl_count[bits] == 0 {
                bits -= 1;
            }
            self.bl_count[bits] -= 1;
            self.bl_count[bits + 1] += 2;
            self.bl_count[kind.max_length] -= 1;
            overflow -= 2;
        }
        let mut h = HEAP_SIZE;
        for bits in (1..=kind.max_length).rev() {
            let mut n = self.bl_count[bits];
            while n != 0 {
                h -= 1;
                let m = self.heap[h];
                if m > max_code {
                    continue;
                }
                if usize::from(tree.len[m]) != bits {
                    self.opt_len += (bits as i64 - i64::from(tree.len[m])) * i64::from(tree.freq[m]);
                    tree.len[m] = bits as u16;
                }
                n -= 1;
            }
        }
    }

    /// Counts the bit-length codes that will describe `tree`'s lengths.
    fn scan_tree(&mut self, tree: &Tree) {
        self.runs(tree, |b, run| match run {
            Run::Each(len, count) => b.bltree.freq[usize::from(len)] += count as u32,
            Run::Repeat { len, first, .. } => {
                if first {
                    b.bltree.freq[usize::from(len)] += 1;
                }
                b.bltree.freq[REP_3_6] += 1;
            }
            Run::Zeros(count) => b.bltree.freq[if count <= 10 { REPZ_3_10 } else { REPZ_11_138 }] += 1,
        });
    }

    /// Sends `tree`'s lengths in the bit-length code.
    fn send_tree(&mut self, tree: &Tree) {
        self.runs(tree, |b, run| match run {
            Run::Each(len, count) => {
                for _ in 0..count {
                    b.bits.send_code(usize::from(len), &b.bltree);
                }
            }
            Run::Repeat { len, first, count } => {
                if first {
                    b.bits.send_code(usize::from(len), &b.bltree);
                }
                b.bits.send_code(REP_3_6, &b.bltree);
                b.bits.send(count as u32 - 3, 2);
            }
            Run::Zeros(count) if count <= 10 => {
                b.bits.send_code(REPZ_3_10, &b.bltree);
                b.bits.send(count as u32 - 3, 3);
            }
            Run::Zeros(count) => {
                b.bits.send_code(REPZ_11_138, &b.bltree);
                b.bits.send(count as u32 - 11, 7);
            }
        });
    }

    /// Walks `tree`'s lengths as gzip groups them into runs.
    fn runs(&mut self, tree: &Tree, mut each: impl FnMut(&mut Block, Run)) {
        let mut prevlen: i32 = -1;
        let mut nextlen = tree.len[0];
        let mut count = 0usize;
        let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
        for n in 0..=tree.max_code {
            let curlen = nextlen;
            nextlen = tree.len_at(n + 1);
            count += 1;
            if count < max_count && curlen == nextlen {
                continue;
            }
            if count < min_count {
                each(self, Run::Each(curlen, count));
            } else if curlen != 0 {
                // A repeat after a different length sends that length once first.
                let first = i32::from(curlen) != prevlen;
                let count = if first { count - 1 } else { count };
                each(self, Run::Repeat { len: curlen, first, count });
            } else {
                each(self, Run::Zeros(count));
            }
            count = 0;
            prevlen = i32::from(curlen);
            (max_count, min_count) = if nextlen == 0 {
                (138, 3)
            } else if curlen == nextlen {
                (6, 3)
            } else {
                (7, 4)
            };
        }
    }

    /// The bit-length tree; returns how many of its lengths to send, less one.
    fn build_bl_tree(&mut self) -> usize {
        let (ltree, dtree) = (std::mem::replace(&mut self.ltree, Tree::new(0)), std::mem::replace(&mut self.dtree, Tree::new(0)));
        self.scan_tree(&ltree);
        self.scan_tree(&dtree);
        self.ltree = ltree;
        self.dtree = dtree;
        let mut bl = std::mem::replace(&mut self.bltree, Tree::new(0));
        self.build_tree(&mut bl, &Kind { fixed: None, extra: &EXTRA_BLBITS, extra_base: 0, elems: BL_CODES, max_length: MAX_BL_BITS });
        self.bltree = bl;
        let mut max_blindex = BL_CODES - 1;
        while max_blindex >= 3 && self.bltree.len[BL_ORDER[max_blindex]] == 0 {
            max_blindex -= 1;
        }
        self.opt_len += 3 * (max_blindex as i64 + 1) + 5 + 5 + 4;
        max_blindex
    }

    /// Writes the block gathered so far; `stored` is its input while still in the window.
    pub(super) fn flush(&mut self, stored: Option<&[u8]>, stored_len: usize, last: bool) {
        if self.text.is_none() {
            // Info-ZIP's set_file_type: binary when the literals below 7 or past 127 are more
            // than a quarter of the others.
            let freq = &self.ltree.freq;
            let binary: u32 = freq[..7].iter().chain(&freq[128..LITERALS]).sum();
            let ascii: u32 = freq[7..128].iter().sum();
            self.text = Some(binary <= ascii >> 2);
        }
        let fixed_l = std::mem::replace(&mut self.fixed_l, Tree::new(0));
        let fixed_d = std::mem::replace(&mut self.fixed_d, Tree::new(0));
        let mut l = std::mem::replace(&mut self.ltree, Tree::new(0));
        self.build_tree(
            &mut l,
            &Kind { fixed: Some(&fixed_l), extra: &EXTRA_LBITS, extra_base: LITERALS + 1, elems: L_CODES, max_length: MAX_BITS },
        );
        self.ltree = l;
        let mut d = std::mem::replace(&mut self.dtree, Tree::new(0));
        self.build_tree(&mut d, &Kind { fixed: Some(&fixed_d), extra: &EXTRA_DBITS, extra_base: 0, elems: D_CODES, max_length: MAX_BITS });
        self.dtree = d;
        let max_blindex = self.build_bl_tree();
        let mut opt_lenb = (self.opt_len + 3 + 7) >> 3;
        let static_lenb = (self.static_len + 3 + 7) >> 3;
        if static_lenb <= opt_lenb {
            opt_lenb = static_lenb;
        }
        let last_bit = u32::from(last);
        match stored {
            Some(buf) if stored_len as i64 + 4 <= opt_lenb => {
                self.bits.send(last_bit, 3);
                self.bits.windup();
                let len = stored_len as u16;
                self.bits.out.extend_from_slice(&len.to_le_bytes());
                self.bits.out.extend_from_slice(&(!len).to_le_bytes());
                self.bits.out.extend_from_slice(buf);
            }
            _ if static_lenb == opt_lenb => {
                self.bits.send(2 + last_bit, 3);
                self.compress(&fixed_l, &fixed_d);
            }
            _ => {
                self.bits.send(4 + last_bit, 3);
                let (l, d) = (std::mem::replace(&mut self.ltree, Tree::new(0)), std::mem::replace(&mut self.dtree, Tree::new(0)));
                self.send_all_trees(&l, &d, max_blindex + 1);
                self.compress(&l, &d);
                self.ltree = l;
                self.dtree = d;
            }
        }
        self.fixed_l = fixed_l;
        self.fixed_d = fixed_d;
        self.init();
        if last {
            self.bits.windup();
        }
    }

    fn send_all_trees(&mut self, l: &Tree, d: &Tree, blcodes: usize) {
        self.bits.send((l.max_code + 1 - 257) as u32, 5);
        self.bits.send(d.max_code as u32, 5);
        self.bits.send((blcodes - 4) as u32, 4);
        for &code in &BL_ORDER[..blcodes] {
            self.bits.send(u32::from(self.bltree.len[code]), 3);
        }
        self.send_tree(l);
        self.send_tree(d);
    }

    fn compress(&mut self, l: &Tree, d: &Tree) {
        for i in 0..self.syms.len() {
            match self.syms[i] {
                Sym::Literal(c) => self.bits.send_code(usize::from(c), l),
                Sym::Match { lc, dist } => {
                    let code = usize::from(self.codes.length_code[usize::from(lc)]);
                    self.bits.send_code(code + LITERALS + 1, l);
                    let extra = u32::from(EXTRA_LBITS[code]);
                    if extra != 0 {
                        self.bits.send(u32::from(lc) - u32::from(self.codes.base_length[code]), extra);
                    }
                    let dist = usize::from(dist);
                    let code = self.codes.d_code(dist);
                    self.bits.send_code(code, d);
                    let extra = u32::from(EXTRA_DBITS[code]);
                    if extra != 0 {
                        self.bits.send((dist - usize::from(self.codes.base_dist[code])) as u32, extra);
                    }
                }
            }
        }
        self.bits.send_code(END_BLOCK, l);
    }

    /// The finished stream.
    pub(super) fn finish(self) -> Vec<u8> {
        self.bits.out
    }
}

/// A run of code lengths as the bit-length code describes it.
enum Run {
    /// A length sent as itself, `count` times.
    Each(u16, usize),
    /// A nonzero length repeated (after being sent once itself if `first`).
    Repeat {
        len: u16,
        first: bool,
        count: usize,
    },
    Zeros(usize),
}
