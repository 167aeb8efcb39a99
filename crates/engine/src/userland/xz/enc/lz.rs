//! The LZ window and the match finder's state, following liblzma's `lz/lz_encoder.c`,
//! `lz_encoder.h` and the shared parts of `lz_encoder_mf.c` (the algorithms are in
//! `mf.rs`).
//!
//! liblzma copies the input into a sliding buffer in pieces. Its encoder never looks
//! further ahead than the `keep_size_after` bytes it always keeps buffered, so how the
//! input is cut into pieces does not change the output; here the whole input is one
//! slice and positions are absolute indexes into it.
//!
//! Memory: liblzma sizes `hash` and `son` by the dictionary. `son` is indexed by
//! `cyclic_pos`, which only wraps once the input is longer than the dictionary, so it
//! is sized by the input. The hash table keeps liblzma's mask (it decides which
//! positions collide, and so which matches are found) but, for inputs much smaller than
//! it, stores only the slots written.

use crate::userland::crc::CRC32_TABLE;

/// Longest match LZMA can encode.
pub(crate) const MATCH_LEN_MAX: u32 = 273;

pub(crate) const HASH_2_SIZE: u32 = 1 << 10;
pub(crate) const HASH_3_SIZE: u32 = 1 << 16;
pub(crate) const HASH_2_MASK: u32 = HASH_2_SIZE - 1;
pub(crate) const HASH_3_MASK: u32 = HASH_3_SIZE - 1;
pub(crate) const FIX_3_HASH_SIZE: u32 = HASH_2_SIZE;
pub(crate) const FIX_4_HASH_SIZE: u32 = HASH_2_SIZE + HASH_3_SIZE;

/// liblzma hashes with the first CRC32 table (also on big-endian hosts, via a copy).
#[inline(always)]
pub(crate) fn hash_table(byte: u8) -> u32 {
    CRC32_TABLE[usize::from(byte)]
}

/// The match finders xz's presets use: hash chains over 3- or 4-byte hashes (`-0` … `-3`)
/// or binary trees over 4-byte ones (liblzma's bt2 and bt3 serve only `--lzma2=mf=…`,
/// which the simulation does not take).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MatchFinderKind {
    Hc3,
    Hc4,
    Bt4,
}

impl MatchFinderKind {
    /// Bytes hashed at each position; also the shortest match the finder can report
    /// from its main hash.
    pub(crate) fn hash_bytes(self) -> u32 {
        match self {
            MatchFinderKind::Hc3 => 3,
            MatchFinderKind::Hc4 | MatchFinderKind::Bt4 => 4,
        }
    }

    pub(crate) fn is_bt(self) -> bool {
        self == MatchFinderKind::Bt4
    }
}

#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub(crate) len: u32,
    /// Zero-based: 0 means the previous byte.
    pub(crate) dist: u32,
}

/// liblzma's `hash[]` (the 2-byte, 3-byte and main hash tables side by side), holding
/// the last position seen for each hash value; 0 means empty. Every finder reads a slot
/// and then stores the current position in it, so `replace` is the only access.
///
/// When the input is much smaller than the table, most slots would stay empty, so the
/// table is then an open-addressing map holding only the slots written.
pub(crate) enum HashTable {
    Dense(Vec<u32>),
    Sparse(SparseTable),
}

/// Dense storage is used while it costs at most this many bytes per input byte.
const DENSE_BYTES_PER_INPUT_BYTE: u64 = 32;

impl HashTable {
    fn new(count: u32, input_len: usize) -> Self {
        if u64::from(count) * 4 <= (input_len as u64 + 1) * DENSE_BYTES_PER_INPUT_BYTE {
            HashTable::Dense(vec![0; count as usize])
        } else {
            HashTable::Sparse(SparseTable::new())
        }
    }

    /// Stores `value` at `index` and returns what was there.
    #[inline(always)]
    pub(crate) fn replace(&mut self, index: u32, value: u32) -> u32 {
        match self {
            HashTable::Dense(v) => match v.get_mut(index as usize) {
                Some(slot) => std::mem::replace(slot, value),
                None => 0,
            },
            HashTable::Sparse(m) => m.replace(index, value),
        }
    }

    fn for_each_mut(&mut self, f: impl FnMut(&mut u32)) {
        match self {
            HashTable::Dense(v) => v.iter_mut().for_each(f),
            HashTable::Sparse(m) => m.slots.iter_mut().map(|(_, v)| v).for_each(f),
        }
    }

    /// Bytes allocated (for tests of the memory bound).
    #[cfg(test)]
    pub(crate) fn allocated_bytes(&self) -> usize {
        match self {
            HashTable::Dense(v) => v.capacity() * 4,
            HashTable::Sparse(m) => m.slots.capacity() * 8,
        }
    }
}

/// Linear-probing map from table index to value, at most 3/4 full.
pub(crate) struct SparseTable {
    /// (index + 1, value); index + 1 == 0 marks a free slot.
    slots: Vec<(u32, u32)>,
    len: usize,
    /// 32 - log2(slots.len()).
    shift: u32,
}

impl SparseTable {
    const INITIAL_BITS: u32 = 10;

    fn new() -> Self {
        SparseTable { slots: vec![(0, 0); 1 << Self::INITIAL_BITS], len: 0, shift: 32 - Self::INITIAL_BITS }
    }

    #[inline(always)]
    fn home(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> self.shift) as usize
    }

    #[inline(always)]
    fn replace(&mut self, index: u32, value: u32) -> u32 {
        let key = index.wrapping_add(1);
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let Some(slot) = self.slots.get_mut(i) else {
                return 0;
            };
            if slot.0 == key {
                return std::mem::replace(&mut slot.1, value);
            }
            if slot.0 == 0 {
                *slot = (key, value);
                self.len += 1;
                if self.len * 4 > self.slots.len() * 3 {
                    self.grow();
                }
                return 0;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let new_len = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); new_len]);
        self.shift -= 1;
        let mask = self.slots.len() - 1;
        for (key, value) in old.into_iter().filter(|&(k, _)| k != 0) {
            let mut i = self.home(key);
            while self.slots.get(i).is_some_and(|s| s.0 != 0) {
                i = (i + 1) & mask;
            }
            if let Some(slot) = self.slots.get_mut(i) {
                *slot = (key, value);
            }
        }
    }
}

/// What liblzma's `lzma_lz_options` carries that the match finder uses.
pub(crate) struct LzOptions {
    pub(crate) dict_size: u32,
    pub(crate) nice_len: u32,
    pub(crate) kind: MatchFinderKind,
    /// 0 picks liblzma's default for the finder.
    pub(crate) depth: u32,
}

pub(crate) struct MatchFinder<'a> {
    pub(crate) data: &'a [u8],
    /// Next byte to run through the match finder.
    pub(crate) read_pos: usize,
    /// Bytes run through the match finder but not yet encoded.
    pub(crate) read_ahead: u32,
    /// Bytes skipped at the very end, where fewer than `hash_bytes` were left.
    pub(crate) pending: u32,
    pub(crate) kind: MatchFinderKind,
    pub(crate) hash: HashTable,
    pub(crate) son: Vec<u32>,
    pub(crate) cyclic_pos: u32,
    /// Dictionary size + 1.
    pub(crate) cyclic_size: u32,
    pub(crate) hash_mask: u32,
    pub(crate) depth: u32,
    pub(crate) nice_len: u32,
    pub(crate) match_len_max: u32,
    /// `read_pos + offset` (mod 2^32) is the position stored in the tables; starting
    /// at `cyclic_size` keeps 0 free to mean "empty".
    pub(crate) offset: u32,
}

impl<'a> MatchFinder<'a> {
    pub(crate) fn new(data: &'a [u8], opt: &LzOptions) -> Self {
        let hash_bytes = opt.kind.hash_bytes();
        let is_bt = opt.kind.is_bt();
        let cyclic_size = opt.dict_size.saturating_add(1);

        let hash_mask = if hash_bytes == 2 {
            0xFFFF
        } else {
            // The dictionary size rounded up to 2^n - 1, halved, at least 0xFFFF.
            let mut hs = opt.dict_size.saturating_sub(1);
            hs |= hs >> 1;
            hs |= hs >> 2;
            hs |= hs >> 4;
            hs |= hs >> 8;
            hs >>= 1;
            hs |= 0xFFFF;
            if hs > (1 << 24) {
                if hash_bytes == 3 {
                    hs = (1 << 24) - 1;
                } else {
                    hs >>= 1;
                }
            }
            hs
        };
        let mut hash_count = hash_mask + 1;
        if hash_bytes > 2 {
            hash_count += HASH_2_SIZE;
        }
        if hash_bytes > 3 {
            hash_count += HASH_3_SIZE;
        }

        // cyclic_pos never reaches data.len() + 1 unless it wraps at cyclic_size.
        let cyclic_used = (data.len() as u64 + 1).min(u64::from(cyclic_size)) as usize;
        let son = vec![0u32; if is_bt { cyclic_used * 2 } else { cyclic_used }];

        let depth = if opt.depth != 0 {
            opt.depth
        } else if is_bt {
            16 + opt.nice_len / 2
        } else {
            4 + opt.nice_len / 4
        };

        MatchFinder {
            data,
            read_pos: 0,
            read_ahead: 0,
            pending: 0,
            kind: opt.kind,
            hash: HashTable::new(hash_count, data.len()),
            son,
            cyclic_pos: 0,
            cyclic_size,
            hash_mask,
            depth,
            nice_len: opt.nice_len,
            match_len_max: MATCH_LEN_MAX,
            offset: cyclic_size,
        }
    }

    /// Bytes not yet run through the match finder.
    #[inline(always)]
    pub(crate) fn avail(&self) -> u32 {
        (self.data.len() - self.read_pos.min(self.data.len())) as u32
    }

    /// Bytes not yet encoded.
    pub(crate) fn unencoded(&self) -> usize {
        self.data.len().saturating_sub(self.read_pos) + self.read_ahead as usize
    }

    /// The byte `back` bytes before `read_pos` (1 = the byte just run through).
    #[inline(always)]
    pub(crate) fn byte_back(&self, back: usize) -> u8 {
        self.read_pos.checked_sub(back).and_then(|i| self.data.get(i)).copied().unwrap_or(0)
    }

    #[inline(always)]
    pub(crate) fn table_pos(&self) -> u32 {
        (self.read_pos as u32).wrapping_add(self.offset)
    }

    /// Runs the match finder on the next byte and returns the length of the longest
    /// match (extended past `nice_len` up to 273 if it reached `nice_len`); the
    /// candidates, by increasing length, are left in `matches`.
    pub(crate) fn find(&mut self, matches: &mut Vec<Match>) -> u32 {
        matches.clear();
        match self.kind {
            MatchFinderKind::Hc3 => self.hc3_find(matches),
            MatchFinderKind::Hc4 => self.find_4(matches, false),
            MatchFinderKind::Bt4 => self.find_4(matches, true),
        }
        let mut len_best = 0;
        if let Some(last) = matches.last() {
            len_best = last.len;
            if len_best == self.nice_len {
                let limit = (self.avail() + 1).min(self.match_len_max);
                let p1 = self.read_pos.wrapping_sub(1);
                if let Some(p2) = p1.checked_sub(last.dist as usize + 1) {
                    len_best = match_len(self.data, p2, p1, len_best, limit);
                }
            }
        }
        self.read_ahead += 1;
        len_best
    }

    /// Runs `amount` bytes through the match finder without collecting matches.
    pub(crate) fn skip(&mut self, amount: u32) {
        if amount != 0 {
            self.skip_raw(amount);
            self.read_ahead += amount;
        }
    }

    pub(crate) fn skip_raw(&mut self, amount: u32) {
        match self.kind {
            MatchFinderKind::Hc3 => self.hc3_skip(amount),
            MatchFinderKind::Hc4 => self.skip_4(amount, false),
            MatchFinderKind::Bt4 => self.skip_4(amount, true),
        }
    }

    /// Marks the current byte as processed.
    #[inline(always)]
    pub(crate) fn move_pos(&mut self) {
        self.cyclic_pos += 1;
        if self.cyclic_pos == self.cyclic_size {
            self.cyclic_pos = 0;
        }
        self.read_pos += 1;
        if self.table_pos() == u32::MAX {
            self.normalize();
        }
    }

    /// Skips a byte without hashing it (too few bytes left).
    #[inline(always)]
    pub(crate) fn move_pending(&mut self) {
        self.read_pos += 1;
        self.pending += 1;
    }

    /// Keeps the stored positions from overflowing: drops those farther back than the
    /// dictionary and rebases the rest.
    fn normalize(&mut self) {
        let subvalue = u32::MAX - self.cyclic_size;
        // Positions at or before `subvalue` are beyond the dictionary: they become 0,
        // the empty marker.
        let rebase = |v: &mut u32| *v = v.saturating_sub(subvalue);
        self.hash.for_each_mut(rebase);
        self.son.iter_mut().for_each(rebase);
        self.offset = self.offset.wrapping_sub(subvalue);
    }
}

/// Number of equal bytes at `data[a..]` and `data[b..]`, assuming the first `len` are
/// equal, comparing up to `limit`. Both `a + limit` and `b + limit` must fit in `data`
/// for the full comparison; past the end, it stops.
#[inline(always)]
pub(crate) fn match_len(data: &[u8], a: usize, b: usize, len: u32, limit: u32) -> u32 {
    let limit = limit as usize;
    let mut len = len as usize;
    let (Some(x), Some(y)) = (data.get(a..), data.get(b..)) else {
        return len as u32;
    };
    let limit = limit.min(x.len()).min(y.len());
    while len + 8 <= limit {
        let (Some(xa), Some(yb)) = (x.get(len..len + 8), y.get(len..len + 8)) else {
            break;
        };
        let mut wa = [0u8; 8];
        let mut wb = [0u8; 8];
        wa.copy_from_slice(xa);
        wb.copy_from_slice(yb);
        let diff = u64::from_le_bytes(wa) ^ u64::from_le_bytes(wb);
        if diff != 0 {
            return (len + (diff.trailing_zeros() / 8) as usize) as u32;
        }
        len += 8;
    }
    while len < limit && x[len] == y[len] {
        len += 1;
    }
    len as u32
}
