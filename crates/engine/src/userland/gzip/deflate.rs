//! The match finder of gzip (GNU gzip 1.12, and busybox 1.35's port of gzip 1.2.4): a 64 KiB
//! window that slides by half, hash chains over three-byte strings, and lazy evaluation of
//! matches (a match is taken only if the next position has no longer one). The bytes gzip
//! writes depend on every one of these choices (even on the stale bytes a slide leaves beyond
//! the input's end, which a match may run into before it is cut back), so the simulation
//! makes the same ones, in the same order. `tests` checks the result against real gzip output.

use super::trees::Block;

pub(super) const WSIZE: usize = 0x8000;
const WMASK: usize = WSIZE - 1;
const WINDOW_SIZE: usize = 2 * WSIZE;
const HASH_BITS: usize = 15;
const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: usize = HASH_SIZE - 1;
/// Three shifts move a byte out of the hash.
const H_SHIFT: usize = HASH_BITS.div_ceil(3);
pub(super) const MIN_MATCH: usize = 3;
pub(super) const MAX_MATCH: usize = 258;
/// Enough input ahead of the current position for a whole match and the string after it.
const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
pub(super) const MAX_DIST: usize = WSIZE - MIN_LOOKAHEAD;
/// A match of the minimum length this far back costs more than three literals.
const TOO_FAR: usize = 4096;
const NIL: usize = 0;

/// The search effort of one level: gzip's configuration table.
#[derive(Clone, Copy)]
struct Effort {
    /// Past a previous match this long, search a quarter of the chain.
    good: usize,
    /// Past a previous match this long, do not look for a longer one (for the fast levels:
    /// insert the strings of matches no longer than this).
    lazy: usize,
    /// Stop searching at a match this long.
    nice: usize,
    chain: usize,
}

const EFFORT: [Effort; 10] = [
    Effort { good: 0, lazy: 0, nice: 0, chain: 0 },
    Effort { good: 4, lazy: 4, nice: 8, chain: 4 },
    Effort { good: 4, lazy: 5, nice: 16, chain: 8 },
    Effort { good: 4, lazy: 6, nice: 32, chain: 32 },
    Effort { good: 4, lazy: 4, nice: 16, chain: 16 },
    Effort { good: 8, lazy: 16, nice: 32, chain: 32 },
    Effort { good: 8, lazy: 16, nice: 128, chain: 128 },
    Effort { good: 8, lazy: 32, nice: 128, chain: 256 },
    Effort { good: 32, lazy: 128, nice: 258, chain: 1024 },
    Effort { good: 32, lazy: 258, nice: 258, chain: 4096 },
];

/// Compresses `input` into a raw deflate stream as gzip does at `level` (1 to 9).
pub(crate) fn deflate(input: &[u8], level: u8) -> Vec<u8> {
    deflate_typed(input, level).0
}

/// `deflate`, and whether the first block's literals were text (Info-ZIP's zip, whose deflate is
/// gzip's, marks each entry by it).
pub(crate) fn deflate_typed(input: &[u8], level: u8) -> (Vec<u8>, bool) {
    let level = usize::from(level.clamp(1, 9));
    let mut d = Deflater {
        input,
        consumed: 0,
        // A few bytes past the end: hashing the last strings of a full window reads them.
        window: vec![0; WINDOW_SIZE + MIN_MATCH],
        head: vec![0; HASH_SIZE],
        prev: vec![0; WSIZE],
        ins_h: 0,
        strstart: 0,
        block_start: 0,
        lookahead: 0,
        match_start: 0,
        prev_length: 0,
        eof: false,
        effort: EFFORT[level],
        block: Block::new(level),
    };
    d.start();
    if level <= 3 {
        d.run_fast();
    } else {
        d.run_lazy();
    }
    let text = d.block.text.unwrap_or(false);
    (d.block.finish(), text)
}

struct Deflater<'a> {
    input: &'a [u8],
    /// How much of the input has been read into the window.
    consumed: usize,
    window: Vec<u8>,
    /// The most recent position of each hash value, and for each position the one before it
    /// with the same hash (positions in the window; 0 ends a chain).
    head: Vec<u16>,
    prev: Vec<u16>,
    ins_h: usize,
    strstart: usize,
    /// Where the current block began, relative to the window (negative once slid past).
    block_start: isize,
    lookahead: usize,
    match_start: usize,
    prev_length: usize,
    eof: bool,
    effort: Effort,
    block: Block,
}

impl Deflater<'_> {
    /// Reads up to `len` bytes of input into the window at `at`.
    fn read(&mut self, at: usize, len: usize) -> usize {
        let n = len.min(self.input.len() - self.consumed);
        self.window[at..at + n].copy_from_slice(&self.input[self.consumed..self.consumed + n]);
        self.consumed += n;
        n
    }

    fn start(&mut self) {
        self.lookahead = self.read(0, WINDOW_SIZE);
        if self.lookahead == 0 {
            self.eof = true;
            return;
        }
        while self.lookahead < MIN_LOOKAHEAD && !self.eof {
            self.fill_window();
        }
        self.ins_h = 0;
        for j in 0..MIN_MATCH - 1 {
            self.update_hash(self.window[j]);
        }
    }

    fn update_hash(&mut self, c: u8) {
        self.ins_h = ((self.ins_h << H_SHIFT) ^ usize::from(c)) & HASH_MASK;
    }

    /// Enters the string at `s` in its hash chain; returns the chain's previous head.
    fn insert_string(&mut self, s: usize) -> usize {
        self.update_hash(self.window[s + MIN_MATCH - 1]);
        let head = usize::from(self.head[self.ins_h]);
        self.prev[s & WMASK] = head as u16;
        self.head[self.ins_h] = s as u16;
        head
    }

    /// Slides the upper half of a full window down and reads more input.
    fn fill_window(&mut self) {
        let mut more = WINDOW_SIZE - self.lookahead - self.strstart;
        if self.strstart >= WSIZE + MAX_DIST {
            // The upper half keeps its bytes: a later match may compare against them.
            self.window.copy_within(WSIZE..WINDOW_SIZE, 0);
            self.match_start = self.match_start.wrapping_sub(WSIZE);
            self.strstart -= WSIZE;
            self.block_start -= WSIZE as isize;
            for p in self.head.iter_mut().chain(self.prev.iter_mut()) {
                *p = if usize::from(*p) >= WSIZE { *p - WSIZE as u16 } else { NIL as u16 };
            }
            more += WSIZE;
        }
        if !self.eof {
            let n = self.read(self.strstart + self.lookahead, more);
            if n == 0 {
                self.eof = true;
                // GNU gzip clears the two bytes after the input, so that no string hashed or
                // matched at the end runs on into stale bytes.
                let end = self.strstart + self.lookahead;
                self.window[end..end + MIN_MATCH - 1].fill(0);
            } else {
                self.lookahead += n;
            }
        }
    }

    /// The longest match for the string at `strstart` along the chain from `cur`, if longer
    /// than `prev_length` (else `prev_length`); sets `match_start`.
    fn longest_match(&mut self, mut cur: usize) -> usize {
        let w = &self.window;
        let s = self.strstart;
        let mut chain = self.effort.chain;
        let mut best = self.prev_length;
        let limit = if s > MAX_DIST { s - MAX_DIST } else { NIL };
        if self.prev_length >= self.effort.good {
            chain >>= 2;
        }
        loop {
            let m = cur;
            // Only a candidate that could beat the best so far, and whose first two bytes
            // match, is compared (the third then matches by the hash, unless the chain is
            // stale: gzip does not look, and neither does this).
            if w[m + best] == w[s + best] && w[m + best - 1] == w[s + best - 1] && w[m] == w[s] && w[m + 1] == w[s + 1] {
                let len = (3..MAX_MATCH).find(|&i| w[s + i] != w[m + i]).unwrap_or(MAX_MATCH);
                if len > best {
                    self.match_start = m;
                    best = len;
                    if len >= self.effort.nice {
                        break;
                    }
                }
            }
            cur = usize::from(self.prev[cur & WMASK]);
            if cur <= limit {
                break;
            }
            chain -= 1;
            if chain == 0 {
                break;
            }
        }
        best
    }

    fn can_search(&self, hash_head: usize) -> bool {
        hash_head != NIL && self.strstart - hash_head <= MAX_DIST && self.strstart <= WINDOW_SIZE - MIN_LOOKAHEAD
    }

    fn flush(&mut self, last: bool) {
        let stored = usize::try_from(self.block_start).ok().map(|b| &self.window[b..self.strstart]);
        let len = (self.strstart as isize - self.block_start) as usize;
        self.block.flush(stored, len, last);
        self.block_start = self.strstart as isize;
    }

    fn refill(&mut self) {
        while self.lookahead < MIN_LOOKAHEAD && !self.eof {
            self.fill_window();
        }
    }

    fn tally_literal(&mut self, at: usize) -> bool {
        let c = self.window[at];
        self.block.tally(0, usize::from(c), self.strstart as isize - self.block_start)
    }

    /// Levels 1 to 3: take each match found; insert the strings of short ones only.
    fn run_fast(&mut self) {
        self.prev_length = MIN_MATCH - 1;
        let mut match_length = 0;
        while self.lookahead != 0 {
            let hash_head = self.insert_string(self.strstart);
            if self.can_search(hash_head) {
                match_length = self.longest_match(hash_head).min(self.lookahead);
            }
            let flush;
            if match_length >= MIN_MATCH {
                let dist = self.strstart - self.match_start;
                flush = self.block.tally(dist, match_length - MIN_MATCH, self.strstart as isize - self.block_start);
                self.lookahead -= match_length;
                if match_length <= self.effort.lazy {
                    // The string at strstart is in the table already.
                    for _ in 1..match_length {
                        self.strstart += 1;
                        self.insert_string(self.strstart);
                    }
                    self.strstart += 1;
                } else {
                    self.strstart += match_length;
                    self.ins_h = usize::from(self.window[self.strstart]);
                    self.update_hash(self.window[self.strstart + 1]);
                }
                match_length = 0;
            } else {
                flush = self.tally_literal(self.strstart);
                self.lookahead -= 1;
                self.strstart += 1;
            }
            if flush {
                self.flush(false);
            }
            self.refill();
        }
        self.flush(true);
    }

    /// Levels 4 to 9: a match is kept only if the next position has no longer one.
    fn run_lazy(&mut self) {
        let mut match_available = false;
        let mut match_length = MIN_MATCH - 1;
        while self.lookahead != 0 {
            let hash_head = self.insert_string(self.strstart);
            self.prev_length = match_length;
            let prev_match = self.match_start;
            match_length = MIN_MATCH - 1;
            if self.prev_length < self.effort.lazy && self.can_search(hash_head) {
                match_length = self.longest_match(hash_head).min(self.lookahead);
                // match_start may be stale here (wrapped by a slide), as gzip's unsigned one is.
                if match_length == MIN_MATCH && self.strstart.wrapping_sub(self.match_start) > TOO_FAR {
                    match_length -= 1;
                }
            }
            if self.prev_length >= MIN_MATCH && match_length <= self.prev_length {
                let dist = self.strstart - 1 - prev_match;
                let flush = self.block.tally(dist, self.prev_length - MIN_MATCH, self.strstart as isize - self.block_start);
                // The strings up to the match's end; strstart - 1 and strstart are in already.
                self.lookahead -= self.prev_length - 1;
                for _ in 0..self.prev_length - 2 {
                    self.strstart += 1;
                    self.insert_string(self.strstart);
                }
                match_available = false;
                match_length = MIN_MATCH - 1;
                self.strstart += 1;
                if flush {
                    self.flush(false);
                }
            } else if match_available {
                if self.tally_literal(self.strstart - 1) {
                    self.flush(false);
                }
                self.strstart += 1;
                self.lookahead -= 1;
            } else {
                match_available = true;
                self.strstart += 1;
                self.lookahead -= 1;
            }
            self.refill();
        }
        if match_available {
            self.tally_literal(self.strstart - 1);
        }
        self.flush(true);
    }
}
