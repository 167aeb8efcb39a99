//! The cyclic redundancy checks of the archive formats: CRC32 (IEEE 802.3: gzip's trailer,
//! zip's entries, an .xz check; liblzma's match finders hash with its table too) and CRC64
//! (ECMA-182, xz's default check), both reflected, computed a byte at a time from tables built
//! at compile time.

const fn crc32_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

const fn crc64_table() -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xC96C_5795_D787_0F42 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// The CRC32 table; liblzma's match finders hash with its first row too.
pub(crate) static CRC32_TABLE: [u32; 256] = crc32_table();
static CRC64_TABLE: [u64; 256] = crc64_table();

/// CRC32 of `data`, continuing from `crc` (0 to start).
pub(crate) fn crc32(data: &[u8], crc: u32) -> u32 {
    let mut c = !crc;
    for &b in data {
        c = CRC32_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// CRC64 of `data`, continuing from `crc` (0 to start).
pub(crate) fn crc64(data: &[u8], crc: u64) -> u64 {
    let mut c = !crc;
    for &b in data {
        c = CRC64_TABLE[((c ^ u64::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check values of "123456789" the formats' specifications give.
    #[test]
    fn check_values() {
        assert_eq!(crc32(b"123456789", 0), 0xCBF4_3926);
        assert_eq!(crc64(b"123456789", 0), 0x995D_C9BB_DF19_39FA);
        assert_eq!(crc64(b"6789", crc64(b"12345", 0)), 0x995D_C9BB_DF19_39FA);
    }
}
