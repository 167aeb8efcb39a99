//! The match finders, following liblzma's `lz/lz_encoder_mf.c` and `lz_encoder_hash.h`:
//! hash chains (hc3, hc4) and binary trees (bt4).
//!
//! The hash chain keeps, per position, the previous position with the same hash; the
//! binary tree keeps, per position, two children ordered by the bytes that follow, and
//! is re-rooted at each new position. Both stop after `depth` candidates or once a
//! candidate is farther back than the dictionary.

use super::lz::{hash_table, match_len, Match, MatchFinder, FIX_3_HASH_SIZE, FIX_4_HASH_SIZE, HASH_2_MASK, HASH_3_MASK};

/// Hashes of the 2-, 3- and main (3- or 4-byte) prefixes at `cur`.
struct Hashes {
    h2: u32,
    h3: u32,
    main: u32,
}

impl<'a> MatchFinder<'a> {
    /// `len_limit` for a find at the current position, or `None` (after skipping the
    /// byte) when fewer than `len_min` bytes are left.
    #[inline(always)]
    fn len_limit(&mut self, len_min: u32) -> Option<u32> {
        let avail = self.avail();
        if self.nice_len <= avail {
            Some(self.nice_len)
        } else if avail < len_min {
            self.move_pending();
            None
        } else {
            Some(avail)
        }
    }

    #[inline(always)]
    fn byte(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn hash3(&self, cur: usize) -> Hashes {
        let temp = hash_table(self.byte(cur)) ^ u32::from(self.byte(cur + 1));
        let h2 = temp & HASH_2_MASK;
        let main = (temp ^ (u32::from(self.byte(cur + 2)) << 8)) & self.hash_mask;
        Hashes { h2, h3: 0, main }
    }

    #[inline(always)]
    fn hash4(&self, cur: usize) -> Hashes {
        let temp = hash_table(self.byte(cur)) ^ u32::from(self.byte(cur + 1));
        let h2 = temp & HASH_2_MASK;
        let t3 = temp ^ (u32::from(self.byte(cur + 2)) << 8);
        let h3 = t3 & HASH_3_MASK;
        let main = (t3 ^ (hash_table(self.byte(cur + 3)) << 5)) & self.hash_mask;
        Hashes { h2, h3, main }
    }

    /// Index in `son` of the position `delta` bytes back.
    #[inline(always)]
    fn cyclic_index(&self, delta: u32) -> usize {
        let base = if delta > self.cyclic_pos { self.cyclic_size } else { 0 };
        self.cyclic_pos.wrapping_sub(delta).wrapping_add(base) as usize
    }

    #[inline(always)]
    fn son_get(&self, i: usize) -> u32 {
        self.son.get(i).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn son_set(&mut self, i: usize, v: u32) {
        if let Some(s) = self.son.get_mut(i) {
            *s = v;
        }
    }

    /// Records the hash-2 and hash-3 candidates common to hc4 and bt4 (and stores the
    /// current position in those tables); returns the best length so far.
    fn find_short_4(&mut self, cur: usize, pos: u32, h: &Hashes, len_limit: u32, matches: &mut Vec<Match>) -> u32 {
        let mut delta2 = pos.wrapping_sub(self.hash.replace(h.h2, pos));
        let delta3 = pos.wrapping_sub(self.hash.replace(FIX_3_HASH_SIZE + h.h3, pos));
        let mut len_best = 1;
        if delta2 < self.cyclic_size && self.byte(cur.wrapping_sub(delta2 as usize)) == self.byte(cur) {
            len_best = 2;
            matches.push(Match { len: 2, dist: delta2.wrapping_sub(1) });
        }
        if delta2 != delta3 && delta3 < self.cyclic_size && self.byte(cur.wrapping_sub(delta3 as usize)) == self.byte(cur) {
            len_best = 3;
            matches.push(Match { len: 0, dist: delta3.wrapping_sub(1) });
            delta2 = delta3;
        }
        if let Some(last) = matches.last_mut() {
            len_best = match_len(self.data, cur.wrapping_sub(delta2 as usize), cur, len_best, len_limit);
            last.len = len_best;
        }
        len_best
    }

    // ---------------------------------------------------------------- hash chains

    fn hc_find_func(&mut self, len_limit: u32, cur: usize, cur_match: u32, matches: &mut Vec<Match>, len_best: u32) {
        let pos = self.table_pos();
        let mut cur_match = cur_match;
        let mut len_best = len_best;
        let mut depth = self.depth;
        self.son_set(self.cyclic_pos as usize, cur_match);
        loop {
            let delta = pos.wrapping_sub(cur_match);
            if depth == 0 || delta >= self.cyclic_size {
                return;
            }
            depth -= 1;
            let pb = cur.wrapping_sub(delta as usize);
            cur_match = self.son_get(self.cyclic_index(delta));
            let lb = len_best as usize;
            if self.byte(pb.wrapping_add(lb)) == self.byte(cur + lb) && self.byte(pb) == self.byte(cur) {
                let len = match_len(self.data, pb, cur, 1, len_limit);
                if len_best < len {
                    len_best = len;
                    matches.push(Match { len, dist: delta.wrapping_sub(1) });
                    if len == len_limit {
                        return;
                    }
                }
            }
        }
    }

    fn hc_skip_one(&mut self, cur_match: u32) {
        self.son_set(self.cyclic_pos as usize, cur_match);
        self.move_pos();
    }

    pub(crate) fn hc3_find(&mut self, matches: &mut Vec<Match>) {
        let Some(len_limit) = self.len_limit(3) else {
            return;
        };
        let cur = self.read_pos;
        let pos = self.table_pos();
        let h = self.hash3(cur);
        let delta2 = pos.wrapping_sub(self.hash.replace(h.h2, pos));
        let cur_match = self.hash.replace(FIX_3_HASH_SIZE + h.main, pos);

        let mut len_best = 2;
        if delta2 < self.cyclic_size && self.byte(cur.wrapping_sub(delta2 as usize)) == self.byte(cur) {
            len_best = match_len(self.data, cur.wrapping_sub(delta2 as usize), cur, len_best, len_limit);
            matches.push(Match { len: len_best, dist: delta2.wrapping_sub(1) });
            if len_best == len_limit {
                self.hc_skip_one(cur_match);
                return;
            }
        }
        self.hc_find_func(len_limit, cur, cur_match, matches, len_best);
        self.move_pos();
    }

    pub(crate) fn hc3_skip(&mut self, amount: u32) {
        for _ in 0..amount {
            if self.avail() < 3 {
                self.move_pending();
                continue;
            }
            let cur = self.read_pos;
            let pos = self.table_pos();
            let h = self.hash3(cur);
            self.hash.replace(h.h2, pos);
            let cur_match = self.hash.replace(FIX_3_HASH_SIZE + h.main, pos);
            self.hc_skip_one(cur_match);
        }
    }

    // --------------------------------------------------------------- binary trees

    /// Walks the tree from `cur_match`, re-linking it under the current position.
    /// With `matches`, records each candidate longer than the best so far.
    fn bt_walk(&mut self, len_limit: u32, cur: usize, cur_match: u32, mut matches: Option<&mut Vec<Match>>, len_best: u32) {
        let pos = self.table_pos();
        let mut cur_match = cur_match;
        let mut len_best = len_best;
        let mut depth = self.depth;
        let mut ptr0 = ((self.cyclic_pos as usize) << 1) + 1;
        let mut ptr1 = (self.cyclic_pos as usize) << 1;
        let mut len0 = 0u32;
        let mut len1 = 0u32;
        loop {
            let delta = pos.wrapping_sub(cur_match);
            if depth == 0 || delta >= self.cyclic_size {
                self.son_set(ptr0, 0);
                self.son_set(ptr1, 0);
                return;
            }
            depth -= 1;
            let pair = self.cyclic_index(delta) << 1;
            let pb = cur.wrapping_sub(delta as usize);
            let mut len = len0.min(len1);
            if self.byte(pb.wrapping_add(len as usize)) == self.byte(cur + len as usize) {
                len = match_len(self.data, pb, cur, len + 1, len_limit);
                let report = match matches.as_deref_mut() {
                    Some(m) if len_best < len => {
                        len_best = len;
                        m.push(Match { len, dist: delta.wrapping_sub(1) });
                        true
                    }
                    Some(_) => false,
                    None => true,
                };
                if report && len == len_limit {
                    self.son_set(ptr1, self.son_get(pair));
                    self.son_set(ptr0, self.son_get(pair + 1));
                    return;
                }
            }
            if self.byte(pb.wrapping_add(len as usize)) < self.byte(cur + len as usize) {
                self.son_set(ptr1, cur_match);
                ptr1 = pair + 1;
                cur_match = self.son_get(ptr1);
                len1 = len;
            } else {
                self.son_set(ptr0, cur_match);
                ptr0 = pair;
                cur_match = self.son_get(ptr0);
                len0 = len;
            }
        }
    }

    fn bt_skip_one(&mut self, len_limit: u32, cur: usize, cur_match: u32) {
        self.bt_walk(len_limit, cur, cur_match, None, 0);
        self.move_pos();
    }

    // ------------------------------------------------ four-byte hashes: hc4 and bt4

    /// Stores the current position under its 2-, 3- and 4-byte hashes; the position the
    /// 4-byte hash held before.
    fn insert_4(&mut self, h: &Hashes, pos: u32) -> u32 {
        self.hash.replace(h.h2, pos);
        self.hash.replace(FIX_3_HASH_SIZE + h.h3, pos);
        self.hash.replace(FIX_4_HASH_SIZE + h.main, pos)
    }

    /// hc4 (`tree` false) and bt4 find alike but for the structure they walk: the short
    /// candidates of the 2- and 3-byte hashes first, then the chain or the tree.
    pub(crate) fn find_4(&mut self, matches: &mut Vec<Match>, tree: bool) {
        let Some(len_limit) = self.len_limit(4) else {
            return;
        };
        let cur = self.read_pos;
        let pos = self.table_pos();
        let h = self.hash4(cur);
        let len_best = self.find_short_4(cur, pos, &h, len_limit, matches);
        let cur_match = self.hash.replace(FIX_4_HASH_SIZE + h.main, pos);
        if !matches.is_empty() && len_best == len_limit {
            if tree {
                self.bt_skip_one(len_limit, cur, cur_match);
            } else {
                self.hc_skip_one(cur_match);
            }
            return;
        }
        if tree {
            self.bt_walk(len_limit, cur, cur_match, Some(matches), len_best.max(3));
        } else {
            self.hc_find_func(len_limit, cur, cur_match, matches, len_best.max(3));
        }
        self.move_pos();
    }

    pub(crate) fn skip_4(&mut self, amount: u32, tree: bool) {
        for _ in 0..amount {
            // Fewer than four bytes left: the byte is passed over (a chain needs no limit).
            let Some(len_limit) = self.len_limit(4) else { continue };
            let cur = self.read_pos;
            let pos = self.table_pos();
            let h = self.hash4(cur);
            let cur_match = self.insert_4(&h, pos);
            if tree {
                self.bt_skip_one(len_limit, cur, cur_match);
            } else {
                self.hc_skip_one(cur_match);
            }
        }
    }
}
