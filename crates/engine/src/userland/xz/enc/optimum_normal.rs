//! The normal parser (presets 4-9 and every `-e`), following liblzma's
//! `lzma/lzma_encoder_optimum_normal.c`.
//!
//! It prices every way to cover the next stretch of input (literals, short reps, rep
//! matches, matches, and the combinations match+literal+rep0 and rep+literal+rep0) in a
//! table of up to `OPTS` positions, then walks back from the end of the cheapest path
//! and hands its symbols out one per call.

use super::lz::{match_len, MatchFinder, MATCH_LEN_MAX};
use super::lzma::{
    get_dist_slot, get_dist_state, is_literal_state, update_literal, update_long_rep, update_match, update_short_rep, LzmaEncoder, Optimal,
    ALIGN_BITS, ALIGN_MASK, ALIGN_SIZE, DIST_MODEL_END, DIST_MODEL_START, DIST_SLOT_BITS, DIST_STATES, FULL_DISTANCES, OPTS, REPS,
};
use super::price::{bit0_price, bit1_price, bit_price, bittree_price, bittree_reverse_price, direct_price, INFINITY_PRICE};

const LITERAL: (u32, u32) = (u32::MAX, 1);

#[inline(always)]
fn byte(data: &[u8], i: usize) -> u8 {
    data.get(i).copied().unwrap_or(0)
}

/// Whether the two bytes at `a` and `b` differ from each other (too short for a match).
#[inline(always)]
fn not_equal_16(data: &[u8], a: usize, b: usize) -> bool {
    byte(data, a) != byte(data, b) || byte(data, a.wrapping_add(1)) != byte(data, b.wrapping_add(1))
}

/// A match or rep just priced on the way through the table: where it starts, its length and
/// distance, its price, the state it leaves, and how the path names it (`back`).
#[derive(Clone, Copy)]
struct AfterMatch {
    cur: u32,
    len: u32,
    dist: u32,
    price: u32,
    state: u32,
    back: u32,
}

/// What the bytes at and around one position look like, for pricing.
struct Here<'d> {
    data: &'d [u8],
    /// Index of the current byte.
    buf: usize,
    position: u32,
}

impl Here<'_> {
    fn at(&self, i: u32) -> u8 {
        byte(self.data, self.buf.wrapping_add(i as usize))
    }
    /// The byte `dist + 1` back from the current one, plus `i`.
    fn back(&self, dist: u32, i: u32) -> u8 {
        byte(self.data, self.buf.wrapping_sub(dist as usize + 1).wrapping_add(i as usize))
    }
    fn back_index(&self, dist: u32) -> usize {
        self.buf.wrapping_sub(dist as usize + 1)
    }
}

impl LzmaEncoder {
    #[inline(always)]
    fn opt(&self, i: u32) -> &Optimal {
        &self.opts[i as usize & (OPTS - 1)]
    }

    #[inline(always)]
    fn opt_mut(&mut self, i: u32) -> &mut Optimal {
        &mut self.opts[i as usize & (OPTS - 1)]
    }

    /// Extends the table to `to`, marking the new positions unreachable.
    fn extend_len_end(&mut self, len_end: &mut u32, to: u32) {
        while *len_end < to {
            *len_end += 1;
            self.opt_mut(*len_end).price = INFINITY_PRICE;
        }
    }

    /// Records reaching `at` from `from` by one symbol if that is cheaper.
    fn try_set(&mut self, at: u32, price: u32, from: u32, back: u32) {
        let o = self.opt_mut(at);
        if price < o.price {
            o.price = price;
            o.pos_prev = from;
            o.back_prev = back;
            o.prev_1_is_literal = false;
        }
    }

    /// Records reaching `at` by a symbol `back` from `from_2`, a literal, and a rep0
    /// of the remaining length, if that is cheaper.
    fn try_set_3(&mut self, at: u32, price: u32, from: u32, from_2: u32, back_2: u32) {
        let o = self.opt_mut(at);
        if price < o.price {
            o.price = price;
            o.pos_prev = from;
            o.back_prev = 0;
            o.prev_1_is_literal = true;
            o.prev_2 = true;
            o.pos_prev_2 = from_2;
            o.back_prev_2 = back_2;
        }
    }

    /// After a match or rep, a literal and a rep0 of the bytes that match again past it:
    /// liblzma tries this three-symbol path after both, at their longest length.
    fn try_literal_then_rep0(&mut self, here: &Here, after: &AfterMatch, (buf_avail_full, nice_len): (u32, u32), len_end: &mut u32) {
        let AfterMatch { cur, len, dist, price, state, back } = *after;
        let mut len_2 = len + 1;
        let limit = buf_avail_full.min(len_2 + nice_len);
        if len_2 < limit {
            len_2 = match_len(here.data, here.back_index(dist), here.buf, len_2, limit);
        }
        len_2 -= len + 1;
        if len_2 < 2 {
            return;
        }
        let position = here.position;
        let psn = (position.wrapping_add(len) & self.pos_mask) as usize;
        let after_literal = price
            + bit0_price(self.is_match[state as usize][psn])
            + self.get_literal_price(position.wrapping_add(len), here.at(len - 1), Some(here.back(dist, len)), here.at(len));
        let state_2 = update_literal(state);
        let psn = (position.wrapping_add(len + 1) & self.pos_mask) as usize;
        let next_rep_match_price =
            after_literal + bit1_price(self.is_match[state_2 as usize][psn]) + bit1_price(self.is_rep[state_2 as usize]);
        let offset = cur + len + 1 + len_2;
        self.extend_len_end(len_end, offset);
        let total = next_rep_match_price + self.get_rep_price(0, len_2, state_2, psn);
        self.try_set_3(offset, total, cur + len + 1, cur, back);
    }

    fn get_literal_price(&self, pos: u32, prev_byte: u8, match_byte: Option<u8>, symbol: u8) -> u32 {
        let base = self.literal_base(pos, prev_byte);
        let Some(probs) = self.literal.get(base..base + super::lzma::LITERAL_CODER_SIZE) else {
            return 0;
        };
        let Some(match_byte) = match_byte else {
            return bittree_price(probs, 8, u32::from(symbol));
        };
        super::lzma::matched_literal_bits(match_byte, symbol)
            .map(|(index, bit)| bit_price(probs.get(index).copied().unwrap_or(0), bit))
            .sum()
    }

    fn get_short_rep_price(&self, state: u32, pos_state: usize) -> u32 {
        let s = state as usize;
        bit0_price(self.is_rep0[s]) + bit0_price(self.is_rep0_long[s][pos_state])
    }

    fn get_pure_rep_price(&self, rep_index: u32, state: u32, pos_state: usize) -> u32 {
        let s = state as usize;
        if rep_index == 0 {
            bit0_price(self.is_rep0[s]) + bit1_price(self.is_rep0_long[s][pos_state])
        } else {
            let mut price = bit1_price(self.is_rep0[s]);
            if rep_index == 1 {
                price += bit0_price(self.is_rep1[s]);
            } else {
                price += bit1_price(self.is_rep1[s]);
                price += bit_price(self.is_rep2[s], rep_index - 2);
            }
            price
        }
    }

    fn get_rep_price(&self, rep_index: u32, len: u32, state: u32, pos_state: usize) -> u32 {
        self.rep_len_encoder.price(len, pos_state) + self.get_pure_rep_price(rep_index, state, pos_state)
    }

    fn get_dist_len_price(&self, dist: u32, len: u32, pos_state: usize) -> u32 {
        let dist_state = get_dist_state(len);
        let price = if dist < FULL_DISTANCES {
            self.dist_prices[dist_state][dist as usize]
        } else {
            let slot = get_dist_slot(dist) as usize;
            self.dist_slot_prices[dist_state].get(slot).copied().unwrap_or(0) + self.align_prices[(dist & ALIGN_MASK) as usize]
        };
        price + self.match_len_encoder.price(len, pos_state)
    }

    fn fill_dist_prices(&mut self) {
        let table_size = (self.dist_table_size as usize).min(self.dist_slot_prices[0].len());
        for ds in 0..DIST_STATES {
            for slot in 0..table_size {
                self.dist_slot_prices[ds][slot] = bittree_price(&self.dist_slot[ds], DIST_SLOT_BITS, slot as u32);
            }
            // Slots past the modelled range also pay for their direct bits (the align
            // bits are priced separately).
            for slot in DIST_MODEL_END as usize..table_size {
                self.dist_slot_prices[ds][slot] += direct_price(((slot as u32 >> 1) - 1) - ALIGN_BITS);
            }
            for i in 0..DIST_MODEL_START as usize {
                self.dist_prices[ds][i] = self.dist_slot_prices[ds][i];
            }
        }
        for i in DIST_MODEL_START..FULL_DISTANCES {
            let slot = get_dist_slot(i);
            let footer_bits = (slot >> 1) - 1;
            let base = (2 | (slot & 1)) << footer_bits;
            let probs = self.dist_special.get((base - slot) as usize..).unwrap_or(&[]);
            let price = bittree_reverse_price(probs, footer_bits, i - base);
            for ds in 0..DIST_STATES {
                self.dist_prices[ds][i as usize] = price + self.dist_slot_prices[ds][slot as usize];
            }
        }
        self.match_price_count = 0;
    }

    fn fill_align_prices(&mut self) {
        for i in 0..ALIGN_SIZE {
            self.align_prices[i] = bittree_reverse_price(&self.dist_align, ALIGN_BITS, i as u32);
        }
        self.align_price_count = 0;
    }

    /// Turns the back links of the cheapest path ending at `cur` into forward links
    /// and returns its first symbol.
    fn backward(&mut self, cur: u32) -> (u32, u32) {
        let mut cur = cur;
        self.opts_end_index = cur;
        let mut pos_mem = self.opt(cur).pos_prev;
        let mut back_mem = self.opt(cur).back_prev;
        // The path strictly decreases; the bound only guards against a broken table.
        for _ in 0..=OPTS {
            let here = *self.opt(cur);
            if here.prev_1_is_literal {
                let p = self.opt_mut(pos_mem);
                p.back_prev = u32::MAX;
                p.prev_1_is_literal = false;
                p.pos_prev = pos_mem.wrapping_sub(1);
                if here.prev_2 {
                    let p2 = self.opt_mut(pos_mem.wrapping_sub(1));
                    p2.prev_1_is_literal = false;
                    p2.pos_prev = here.pos_prev_2;
                    p2.back_prev = here.back_prev_2;
                }
            }
            let pos_prev = pos_mem;
            let back_cur = back_mem;
            back_mem = self.opt(pos_prev).back_prev;
            pos_mem = self.opt(pos_prev).pos_prev;
            let p = self.opt_mut(pos_prev);
            p.back_prev = back_cur;
            p.pos_prev = cur;
            cur = pos_prev;
            if cur == 0 {
                break;
            }
        }
        let first = *self.opt(0);
        self.opts_current_index = first.pos_prev;
        (first.back_prev, first.pos_prev)
    }

    /// Prices the symbols that can start at the current position. Returns the table
    /// length, or the symbol to send at once.
    fn helper1(&mut self, mf: &mut MatchFinder, position: u32) -> Result<u32, (u32, u32)> {
        let nice_len = mf.nice_len;
        let len_main = if mf.read_ahead == 0 { mf.find(&mut self.matches) } else { self.longest_match_length };
        let matches_count = self.matches.len();

        let buf_avail = (mf.avail() + 1).min(MATCH_LEN_MAX);
        if buf_avail < 2 {
            return Err(LITERAL);
        }
        let data = mf.data;
        let here = Here { data, buf: mf.read_pos.wrapping_sub(1), position };

        let mut rep_lens = [0u32; REPS];
        let mut rep_max_index = 0;
        for i in 0..REPS {
            let back = here.back_index(self.reps[i]);
            if not_equal_16(data, here.buf, back) {
                continue;
            }
            rep_lens[i] = match_len(data, back, here.buf, 2, buf_avail);
            if rep_lens[i] > rep_lens[rep_max_index] {
                rep_max_index = i;
            }
        }

        if rep_lens[rep_max_index] >= nice_len {
            let len = rep_lens[rep_max_index];
            mf.skip(len - 1);
            return Err((rep_max_index as u32, len));
        }
        if len_main >= nice_len {
            let dist = self.matches.last().map_or(0, |m| m.dist);
            mf.skip(len_main - 1);
            return Err((dist + REPS as u32, len_main));
        }

        let current_byte = here.at(0);
        let match_byte = here.back(self.reps[0], 0);
        if len_main < 2 && current_byte != match_byte && rep_lens[rep_max_index] < 2 {
            return Err(LITERAL);
        }

        let state = self.state;
        let s = state as usize;
        self.opt_mut(0).state = state;
        let pos_state = (position & self.pos_mask) as usize;
        let literal_match = (!is_literal_state(state)).then_some(match_byte);
        let literal_price =
            bit0_price(self.is_match[s][pos_state]) + self.get_literal_price(position, here.back(0, 0), literal_match, current_byte);
        {
            let o1 = self.opt_mut(1);
            o1.price = literal_price;
            o1.back_prev = u32::MAX;
            o1.prev_1_is_literal = false;
        }
        let match_price = bit1_price(self.is_match[s][pos_state]);
        let rep_match_price = match_price + bit1_price(self.is_rep[s]);
        if match_byte == current_byte {
            let short_rep_price = rep_match_price + self.get_short_rep_price(state, pos_state);
            if short_rep_price < self.opt(1).price {
                let o1 = self.opt_mut(1);
                o1.price = short_rep_price;
                o1.back_prev = 0;
                o1.prev_1_is_literal = false;
            }
        }

        let len_end = len_main.max(rep_lens[rep_max_index]);
        if len_end < 2 {
            return Err((self.opt(1).back_prev, 1));
        }
        self.opt_mut(1).pos_prev = 0;
        self.opt_mut(0).backs = self.reps;
        for len in 2..=len_end {
            self.opt_mut(len).price = INFINITY_PRICE;
        }

        for (i, &rep_len) in rep_lens.iter().enumerate() {
            if rep_len < 2 {
                continue;
            }
            let price = rep_match_price + self.get_pure_rep_price(i as u32, state, pos_state);
            for len in (2..=rep_len).rev() {
                let total = price + self.rep_len_encoder.price(len, pos_state);
                self.try_set(len, total, 0, i as u32);
            }
        }

        let normal_match_price = match_price + bit0_price(self.is_rep[s]);
        let mut len = if rep_lens[0] >= 2 { rep_lens[0] + 1 } else { 2 };
        if len <= len_main {
            let mut i = 0;
            while i + 1 < matches_count && len > self.matches[i].len {
                i += 1;
            }
            loop {
                let m = self.matches.get(i).copied().unwrap_or_default();
                let total = normal_match_price + self.get_dist_len_price(m.dist, len, pos_state);
                self.try_set(len, total, 0, m.dist + REPS as u32);
                if len == m.len {
                    i += 1;
                    if i >= matches_count {
                        break;
                    }
                }
                len += 1;
                if len > MATCH_LEN_MAX {
                    break;
                }
            }
        }
        Ok(len_end)
    }

    /// The state and rep distances at `cur`, from the symbol that reaches it.
    fn state_at(&mut self, cur: u32, reps: &mut [u32; REPS]) -> u32 {
        let o = *self.opt(cur);
        let mut pos_prev = o.pos_prev;
        let mut state;
        if o.prev_1_is_literal {
            pos_prev = pos_prev.wrapping_sub(1);
            if o.prev_2 {
                state = self.opt(o.pos_prev_2).state;
                state = if o.back_prev_2 < REPS as u32 { update_long_rep(state) } else { update_match(state) };
            } else {
                state = self.opt(pos_prev).state;
            }
            state = update_literal(state);
        } else {
            state = self.opt(pos_prev).state;
        }

        if pos_prev == cur.wrapping_sub(1) {
            // A literal or short rep: the reps are those of the previous position.
            state = if o.back_prev == 0 { update_short_rep(state) } else { update_literal(state) };
        } else {
            let pos;
            if o.prev_1_is_literal && o.prev_2 {
                pos_prev = o.pos_prev_2;
                pos = o.back_prev_2;
                state = update_long_rep(state);
            } else {
                pos = o.back_prev;
                state = if pos < REPS as u32 { update_long_rep(state) } else { update_match(state) };
            }
            let backs = self.opt(pos_prev).backs;
            if pos < REPS as u32 {
                let pos = pos as usize;
                reps[0] = backs[pos];
                reps[1..=pos].copy_from_slice(&backs[..pos]);
                reps[pos + 1..].copy_from_slice(&backs[pos + 1..]);
            } else {
                reps[0] = pos - REPS as u32;
                reps[1..].copy_from_slice(&backs[..REPS - 1]);
            }
        }
        let o = self.opt_mut(cur);
        o.state = state;
        o.backs = *reps;
        state
    }

    /// Prices the symbols that can start at table position `cur`; returns the new
    /// table length.
    fn helper2(&mut self, here: &Here, reps: &mut [u32; REPS], len_end: u32, cur: u32, nice_len: u32, buf_avail_full: u32) -> u32 {
        let mut len_end = len_end;
        let mut matches_count = self.matches.len();
        let mut new_len = self.longest_match_length;
        let position = here.position;
        let data = here.data;

        let state = self.state_at(cur, reps);
        let s = state as usize;
        let cur_price = self.opt(cur).price;
        let current_byte = here.at(0);
        let match_byte = here.back(reps[0], 0);
        let pos_state = (position & self.pos_mask) as usize;

        let literal_match = (!is_literal_state(state)).then_some(match_byte);
        let cur_and_1_price = cur_price
            + bit0_price(self.is_match[s][pos_state])
            + self.get_literal_price(position, here.back(0, 0), literal_match, current_byte);
        let mut next_is_literal = false;
        if cur_and_1_price < self.opt(cur + 1).price {
            let o = self.opt_mut(cur + 1);
            o.price = cur_and_1_price;
            o.pos_prev = cur;
            o.back_prev = u32::MAX;
            o.prev_1_is_literal = false;
            next_is_literal = true;
        }

        let match_price = cur_price + bit1_price(self.is_match[s][pos_state]);
        let rep_match_price = match_price + bit1_price(self.is_rep[s]);
        let next = *self.opt(cur + 1);
        if match_byte == current_byte && !(next.pos_prev < cur && next.back_prev == 0) {
            let short_rep_price = rep_match_price + self.get_short_rep_price(state, pos_state);
            if short_rep_price <= next.price {
                let o = self.opt_mut(cur + 1);
                o.price = short_rep_price;
                o.pos_prev = cur;
                o.back_prev = 0;
                o.prev_1_is_literal = false;
                next_is_literal = true;
            }
        }

        if buf_avail_full < 2 {
            return len_end;
        }
        let buf_avail = buf_avail_full.min(nice_len);

        // Literal + rep0.
        if !next_is_literal && match_byte != current_byte {
            let back = here.back_index(reps[0]);
            let limit = buf_avail_full.min(nice_len + 1);
            let len_test = match_len(data, back, here.buf, 1, limit) - 1;
            if len_test >= 2 {
                let state_2 = update_literal(state);
                let pos_state_next = (position.wrapping_add(1) & self.pos_mask) as usize;
                let next_rep_match_price = cur_and_1_price
                    + bit1_price(self.is_match[state_2 as usize][pos_state_next])
                    + bit1_price(self.is_rep[state_2 as usize]);
                let offset = cur + 1 + len_test;
                self.extend_len_end(&mut len_end, offset);
                let total = next_rep_match_price + self.get_rep_price(0, len_test, state_2, pos_state_next);
                let o = self.opt_mut(offset);
                if total < o.price {
                    o.price = total;
                    o.pos_prev = cur + 1;
                    o.back_prev = 0;
                    o.prev_1_is_literal = true;
                    o.prev_2 = false;
                }
            }
        }

        // Rep matches, and rep + literal + rep0.
        let mut start_len = 2;
        for rep_index in 0..REPS as u32 {
            let back = here.back_index(reps[rep_index as usize]);
            if not_equal_16(data, here.buf, back) {
                continue;
            }
            let len_test = match_len(data, back, here.buf, 2, buf_avail);
            self.extend_len_end(&mut len_end, cur + len_test);
            let price = rep_match_price + self.get_pure_rep_price(rep_index, state, pos_state);
            for len in (2..=len_test).rev() {
                let total = price + self.rep_len_encoder.price(len, pos_state);
                self.try_set(cur + len, total, cur, rep_index);
            }
            if rep_index == 0 {
                start_len = len_test + 1;
            }

            let after = AfterMatch {
                cur,
                len: len_test,
                dist: reps[rep_index as usize],
                price: price + self.rep_len_encoder.price(len_test, pos_state),
                state: update_long_rep(state),
                back: rep_index,
            };
            self.try_literal_then_rep0(here, &after, (buf_avail_full, nice_len), &mut len_end);
        }

        // Matches, and match + literal + rep0.
        if new_len > buf_avail {
            new_len = buf_avail;
            matches_count = 0;
            while matches_count + 1 < self.matches.len() && new_len > self.matches[matches_count].len {
                matches_count += 1;
            }
            if let Some(m) = self.matches.get_mut(matches_count) {
                m.len = new_len;
            }
            matches_count += 1;
        }
        if new_len < start_len {
            return len_end;
        }
        let normal_match_price = match_price + bit0_price(self.is_rep[s]);
        self.extend_len_end(&mut len_end, cur + new_len);
        let mut i = 0;
        while i + 1 < matches_count && start_len > self.matches[i].len {
            i += 1;
        }
        let mut len_test = start_len;
        loop {
            let m = self.matches.get(i).copied().unwrap_or_default();
            let cur_back = m.dist;
            let total = normal_match_price + self.get_dist_len_price(cur_back, len_test, pos_state);
            self.try_set(cur + len_test, total, cur, cur_back + REPS as u32);

            if len_test == m.len {
                let after = AfterMatch {
                    cur,
                    len: len_test,
                    dist: cur_back,
                    price: total,
                    state: update_match(state),
                    back: cur_back + REPS as u32,
                };
                self.try_literal_then_rep0(here, &after, (buf_avail_full, nice_len), &mut len_end);
                i += 1;
                if i >= matches_count {
                    break;
                }
            }
            len_test += 1;
            if len_test > MATCH_LEN_MAX {
                break;
            }
        }
        len_end
    }

    /// Returns (back, len) as `encode_symbol` takes them.
    pub(crate) fn optimum_normal(&mut self, mf: &mut MatchFinder, position: u32) -> (u32, u32) {
        // Hand out the rest of the path found earlier.
        if self.opts_end_index != self.opts_current_index {
            let cur = self.opts_current_index;
            let o = *self.opt(cur);
            self.opts_current_index = o.pos_prev;
            return (o.back_prev, o.pos_prev.wrapping_sub(cur));
        }

        // Refreshing the distance prices only between paths keeps them stable within
        // one table.
        if mf.read_ahead == 0 {
            if self.match_price_count >= (1 << 7) {
                self.fill_dist_prices();
            }
            if self.align_price_count >= ALIGN_SIZE as u32 {
                self.fill_align_prices();
            }
        }

        let mut len_end = match self.helper1(mf, position) {
            Ok(len_end) => len_end,
            Err(symbol) => return symbol,
        };

        let mut reps = self.reps;
        let mut cur = 1;
        while cur < len_end {
            self.longest_match_length = mf.find(&mut self.matches);
            if self.longest_match_length >= mf.nice_len {
                break;
            }
            let here = Here { data: mf.data, buf: mf.read_pos.wrapping_sub(1), position: position.wrapping_add(cur) };
            let buf_avail_full = (mf.avail() + 1).min((OPTS as u32 - 1).saturating_sub(cur));
            len_end = self.helper2(&here, &mut reps, len_end, cur, mf.nice_len, buf_avail_full);
            cur += 1;
        }
        self.backward(cur)
    }
}
