//! The fast parser (presets 0-3), following liblzma's
//! `lzma/lzma_encoder_optimum_fast.c`: greedy with a one-byte lookahead and a few
//! heuristics preferring repeated and shorter-distance matches.

use super::lz::{match_len, MatchFinder, MATCH_LEN_MAX};
use super::lzma::{LzmaEncoder, REPS};

/// Whether `big_dist` is so much farther than `small_dist` that a match one byte
/// shorter at `small_dist` is the better deal.
fn change_pair(small_dist: u32, big_dist: u32) -> bool {
    (big_dist >> 7) > small_dist
}

const LITERAL: (u32, u32) = (u32::MAX, 1);

impl LzmaEncoder {
    /// Returns (back, len) as `encode_symbol` takes them.
    pub(crate) fn optimum_fast(&mut self, mf: &mut MatchFinder) -> (u32, u32) {
        let nice_len = mf.nice_len;
        let (mut len_main, mut matches_count) = if mf.read_ahead == 0 {
            let len = mf.find(&mut self.matches);
            (len, self.matches.len())
        } else {
            (self.longest_match_length, self.matches.len())
        };

        let buf = mf.read_pos.wrapping_sub(1);
        let buf_avail = (mf.avail() + 1).min(MATCH_LEN_MAX);
        if buf_avail < 2 {
            return LITERAL;
        }

        // The longest of the repeated matches.
        let mut rep_len = 0;
        let mut rep_index = 0;
        for i in 0..REPS {
            let Some(back) = buf.checked_sub(self.reps[i] as usize + 1) else {
                continue;
            };
            if mf.data.get(buf..buf + 2) != mf.data.get(back..back + 2) {
                continue;
            }
            let len = match_len(mf.data, back, buf, 2, buf_avail);
            if len >= nice_len {
                mf.skip(len - 1);
                return (i as u32, len);
            }
            if len > rep_len {
                rep_index = i as u32;
                rep_len = len;
            }
        }

        if len_main >= nice_len {
            let dist = self.matches.last().map_or(0, |m| m.dist);
            mf.skip(len_main - 1);
            return (dist + REPS as u32, len_main);
        }

        let mut back_main = 0;
        if len_main >= 2 {
            let at = |i: usize| self.matches.get(i).copied().unwrap_or_default();
            back_main = at(matches_count.wrapping_sub(1)).dist;
            // Prefer a one-byte-shorter match if it is much closer.
            while matches_count > 1 && len_main == at(matches_count - 2).len + 1 {
                if !change_pair(at(matches_count - 2).dist, back_main) {
                    break;
                }
                matches_count -= 1;
                len_main = at(matches_count - 1).len;
                back_main = at(matches_count - 1).dist;
            }
            if len_main == 2 && back_main >= 0x80 {
                len_main = 1;
            }
        }

        if rep_len >= 2
            && (rep_len + 1 >= len_main
                || (rep_len + 2 >= len_main && back_main > (1 << 9))
                || (rep_len + 3 >= len_main && back_main > (1 << 15)))
        {
            mf.skip(rep_len - 1);
            return (rep_index, rep_len);
        }

        if len_main < 2 || buf_avail <= 2 {
            return LITERAL;
        }

        // If the next byte starts a better match, send this one as a literal.
        self.longest_match_length = mf.find(&mut self.matches);
        if self.longest_match_length >= 2 {
            let new_dist = self.matches.last().map_or(0, |m| m.dist);
            let new_len = self.longest_match_length;
            if (new_len >= len_main && new_dist < back_main)
                || (new_len == len_main + 1 && !change_pair(back_main, new_dist))
                || new_len > len_main + 1
                || (new_len + 1 >= len_main && len_main >= 3 && change_pair(new_dist, back_main))
            {
                return LITERAL;
            }
        }

        // Likewise if a repeated match starts at the next byte.
        let next = buf + 1;
        let limit = 2.max(len_main - 1) as usize;
        for i in 0..REPS {
            let Some(back) = next.checked_sub(self.reps[i] as usize + 1) else {
                continue;
            };
            if mf.data.get(next..next + limit) == mf.data.get(back..back + limit) {
                return LITERAL;
            }
        }

        mf.skip(len_main - 2);
        (back_main + REPS as u32, len_main)
    }
}
