//! The XZ Utils 5.4.1 compressor (liblzma's encoder), producing byte for byte what
//! `xz` writes with single-threaded defaults.
//!
//! Layers, bottom up: `range_enc` and `price` (entropy coding), `lz` and `mf` (window
//! and match finders), `lzma`, `optimum_fast` and `optimum_normal` (LZMA), `lzma2`
//! (chunking and raw LZMA1), `container` (.xz and .lzma framing). The presets follow
//! `lzma/lzma_encoder_presets.c`; what xz passes to liblzma follows `src/xz/coder.c`
//! (one thread, one block, no dictionary shrinking for small inputs, CRC64 default).

mod container;
mod lz;
mod lzma;
mod lzma2;
mod mf;
mod optimum_fast;
mod optimum_normal;
mod price;
mod range_enc;

#[cfg(test)]
mod tests;

pub use container::Check;
pub use lz::MatchFinderKind;
pub use lzma::{LzmaOptions, Mode};

/// A compression preset: `xz -LEVEL`, with `extreme` for `-LEVELe`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Preset {
    /// 0..=9; larger values are treated as 9.
    pub level: u32,
    pub extreme: bool,
}

impl Default for Preset {
    /// xz's default, `-6`.
    fn default() -> Self {
        Preset { level: 6, extreme: false }
    }
}

impl LzmaOptions {
    /// liblzma's `lzma_lzma_preset`.
    pub fn from_preset(preset: Preset) -> Self {
        const DICT_POW2: [u32; 10] = [18, 20, 21, 22, 22, 23, 23, 24, 25, 26];
        const FAST_DEPTHS: [u32; 4] = [4, 8, 24, 48];
        let level = preset.level.min(9);
        let mut opt = LzmaOptions {
            dict_size: 1 << DICT_POW2[level as usize],
            lc: 3,
            lp: 0,
            pb: 2,
            mode: Mode::Normal,
            nice_len: 64,
            mf: MatchFinderKind::Bt4,
            depth: 0,
        };
        if level <= 3 {
            opt.mode = Mode::Fast;
            opt.mf = if level == 0 { MatchFinderKind::Hc3 } else { MatchFinderKind::Hc4 };
            opt.nice_len = if level <= 1 { 128 } else { 273 };
            opt.depth = FAST_DEPTHS[level as usize];
        } else {
            opt.nice_len = match level {
                4 => 16,
                5 => 32,
                _ => 64,
            };
        }
        if preset.extreme {
            opt.mode = Mode::Normal;
            opt.mf = MatchFinderKind::Bt4;
            if level == 3 || level == 5 {
                opt.nice_len = 192;
                opt.depth = 0;
            } else {
                opt.nice_len = 273;
                opt.depth = 512;
            }
        }
        opt
    }
}

/// What `xz -c [-LEVEL[e]] [--check=…]` writes for `data` (xz's default is level 6
/// with CRC64).
pub fn xz(data: &[u8], preset: Preset, check: Check) -> Vec<u8> {
    xz_stream(data, &LzmaOptions::from_preset(preset), check)
}

fn xz_stream(data: &[u8], options: &LzmaOptions, check: Check) -> Vec<u8> {
    let block = lzma2::encode_lzma2(data, options);
    container::xz_stream(data, &block, lzma2::dict_size_byte(options.dict_size), check)
}

/// What `xz -T2 -c [-LEVEL[e]]` writes: liblzma's multi-threaded encoder
/// (stream_encoder_mt.c) cuts the input into blocks of three dictionaries (1 MiB at least),
/// compresses each on its own and writes its sizes into its header, a header sized for the
/// block's largest sizes (`lzma_block_buffer_bound64`).
pub fn xz_threaded(data: &[u8], preset: Preset, check: Check) -> Vec<u8> {
    let options = LzmaOptions::from_preset(preset);
    let block_size = u64::from(options.dict_size).saturating_mul(3).max(1 << 20);
    // An LZMA2 chunk header a 64 KiB of data at worst, the end marker, the block's padding
    // and the largest headers and check.
    let lzma2_bound = block_size + block_size.div_ceil(1 << 16) * 3 + 1;
    let buffer_bound = 92 + lzma2_bound.div_ceil(4) * 4;
    let compressed: Vec<(&[u8], Vec<u8>)> =
        data.chunks(block_size as usize).map(|chunk| (chunk, lzma2::encode_lzma2(chunk, &options))).collect();
    let blocks: Vec<(&[u8], &[u8])> = compressed.iter().map(|(chunk, z)| (*chunk, z.as_slice())).collect();
    container::xz_stream_of_blocks(&blocks, lzma2::dict_size_byte(options.dict_size), check, Some((buffer_bound, block_size)))
}

/// What `xz --format=lzma -c -LEVEL` (= `lzma -c`) writes: the .lzma "alone" format,
/// with an end marker and the uncompressed size left unknown.
pub fn lzma_alone(data: &[u8], preset: Preset) -> Vec<u8> {
    alone_stream(data, &LzmaOptions::from_preset(preset))
}

fn alone_stream(data: &[u8], options: &LzmaOptions) -> Vec<u8> {
    let header = container::lzma_alone_header(options.lclppb_byte(), options.dict_size);
    let body = lzma2::encode_lzma1(data, options);
    let mut out = Vec::with_capacity(header.len() + body.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&body);
    out
}
