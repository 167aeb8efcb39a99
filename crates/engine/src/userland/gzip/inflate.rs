//! Decompression of a raw deflate stream (RFC 1951): stored, fixed and dynamic blocks, codes
//! decoded a bit at a time from their canonical counts. Small rather than fast: the archives a
//! learner makes are kilobytes.

/// Why a stream could not be decompressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InflateError {
    /// The input ended inside the stream.
    Truncated,
    /// The stream breaks the format (a bad block type, code or distance).
    Invalid,
}

struct Input<'a> {
    data: &'a [u8],
    pos: usize,
    bit: u32,
}

impl Input<'_> {
    fn bits(&mut self, n: u32) -> Result<u32, InflateError> {
        let mut v = 0u32;
        for i in 0..n {
            let byte = *self.data.get(self.pos).ok_or(InflateError::Truncated)?;
            v |= u32::from((byte >> self.bit) & 1) << i;
            self.bit += 1;
            if self.bit == 8 {
                self.bit = 0;
                self.pos += 1;
            }
        }
        Ok(v)
    }
    fn align(&mut self) {
        if self.bit != 0 {
            self.bit = 0;
            self.pos += 1;
        }
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    count: [u16; 16],
    symbol: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, InflateError> {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[usize::from(l)] += 1;
        }
        // An over-subscribed set of lengths is no code at all.
        let mut left = 1i32;
        for &c in &count[1..] {
            left = (left << 1) - i32::from(c);
            if left < 0 {
                return Err(InflateError::Invalid);
            }
        }
        let mut offs = [0u16; 16];
        for len in 1..15 {
            offs[len + 1] = offs[len] + count[len];
        }
        let mut symbol = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbol[usize::from(offs[usize::from(l)])] = s as u16;
                offs[usize::from(l)] += 1;
            }
        }
        Ok(Huffman { count, symbol })
    }

    fn decode(&self, input: &mut Input) -> Result<usize, InflateError> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= input.bits(1)? as i32;
            let count = i32::from(self.count[len]);
            if code - count < first {
                return Ok(usize::from(self.symbol[(index + code - first) as usize]));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError::Invalid)
    }
}

const LENGTH_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u32; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
    24577,
];
const DIST_EXTRA: [u32; 30] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// Decompresses the stream at the start of `data`: the bytes, and how many input bytes the
/// stream took (the rest is what follows it, a gzip trailer).
pub(crate) fn inflate(data: &[u8]) -> Result<(Vec<u8>, usize), InflateError> {
    let mut input = Input { data, pos: 0, bit: 0 };
    let mut out = Vec::new();
    loop {
        let last = input.bits(1)? == 1;
        match input.bits(2)? {
            0 => {
                input.align();
                let header = data.get(input.pos..input.pos + 4).ok_or(InflateError::Truncated)?;
                let len = u16::from_le_bytes([header[0], header[1]]);
                let nlen = u16::from_le_bytes([header[2], header[3]]);
                if len != !nlen {
                    return Err(InflateError::Invalid);
                }
                input.pos += 4;
                let bytes = data.get(input.pos..input.pos + usize::from(len)).ok_or(InflateError::Truncated)?;
                out.extend_from_slice(bytes);
                input.pos += usize::from(len);
            }
            1 => {
                let mut lengths = [0u8; 288];
                for (n, l) in lengths.iter_mut().enumerate() {
                    *l = match n {
                        0..=143 => 8,
                        144..=255 => 9,
                        256..=279 => 7,
                        _ => 8,
                    };
                }
                let lit = Huffman::new(&lengths)?;
                let dist = Huffman::new(&[5; 30])?;
                codes(&mut input, &mut out, &lit, &dist)?;
            }
            2 => {
                let (lit, dist) = dynamic(&mut input)?;
                codes(&mut input, &mut out, &lit, &dist)?;
            }
            _ => return Err(InflateError::Invalid),
        }
        if last {
            input.align();
            return Ok((out, input.pos));
        }
    }
}

fn dynamic(input: &mut Input) -> Result<(Huffman, Huffman), InflateError> {
    let nlen = input.bits(5)? as usize + 257;
    let ndist = input.bits(5)? as usize + 1;
    let ncode = input.bits(4)? as usize + 4;
    if nlen > 286 || ndist > 30 {
        return Err(InflateError::Invalid);
    }
    let mut cl = [0u8; 19];
    for &i in &CL_ORDER[..ncode] {
        cl[i] = input.bits(3)? as u8;
    }
    let cl = Huffman::new(&cl)?;
    let mut lengths = vec![0u8; nlen + ndist];
    let mut i = 0;
    while i < nlen + ndist {
        let sym = cl.decode(input)?;
        let (value, times) = match sym {
            0..=15 => (sym as u8, 1),
            16 => (*lengths.get(i.wrapping_sub(1)).ok_or(InflateError::Invalid)?, 3 + input.bits(2)? as usize),
            17 => (0, 3 + input.bits(3)? as usize),
            _ => (0, 11 + input.bits(7)? as usize),
        };
        if i + times > nlen + ndist {
            return Err(InflateError::Invalid);
        }
        lengths[i..i + times].fill(value);
        i += times;
    }
    Ok((Huffman::new(&lengths[..nlen])?, Huffman::new(&lengths[nlen..])?))
}

fn codes(input: &mut Input, out: &mut Vec<u8>, lit: &Huffman, dist: &Huffman) -> Result<(), InflateError> {
    loop {
        let sym = lit.decode(input)?;
        match sym {
            0..=255 => out.push(sym as u8),
            256 => return Ok(()),
            _ => {
                let i = sym - 257;
                let len = usize::from(*LENGTH_BASE.get(i).ok_or(InflateError::Invalid)?) + input.bits(LENGTH_EXTRA[i])? as usize;
                let d = dist.decode(input)?;
                let back = usize::from(*DIST_BASE.get(d).ok_or(InflateError::Invalid)?) + input.bits(DIST_EXTRA[d])? as usize;
                if back > out.len() {
                    return Err(InflateError::Invalid);
                }
                let start = out.len() - back;
                for k in 0..len {
                    out.push(out[start + k]);
                }
            }
        }
    }
}
