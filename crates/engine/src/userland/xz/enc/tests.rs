//! Unit tests that need no external tools; comparisons with /usr/bin/xz are in
//! tests/enc_xz_compare.rs.

use super::*;

#[test]
fn empty_xz_matches_known_bytes() {
    let out = xz(b"", Preset::default(), Check::Crc64);
    let expected: [u8; 32] = [
        0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46, 0x00, 0x00, 0x00, 0x00, 0x1c, 0xdf, 0x44, 0x21, 0x1f, 0xb6,
        0xf3, 0x7d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x59, 0x5a,
    ];
    assert_eq!(out, expected);
}

#[test]
fn hello_matches_known_bytes() {
    // `printf 'hello\n' | xz -c` with XZ Utils 5.4.1.
    let expected: [u8; 64] = [
        0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46, 0x02, 0x00, 0x21, 0x01, 0x16, 0x00, 0x00, 0x00, 0x74, 0x2f,
        0xe5, 0xa3, 0x01, 0x00, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a, 0x00, 0x00, 0x00, 0xa5, 0x60, 0x97, 0xf1, 0x94, 0xf6, 0xfd, 0xe0,
        0x00, 0x01, 0x1e, 0x06, 0xc1, 0x2f, 0xa4, 0x1d, 0x1f, 0xb6, 0xf3, 0x7d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x59, 0x5a,
    ];
    assert_eq!(xz(b"hello\n", Preset::default(), Check::Crc64), expected);
    // `printf 'hello\n' | xz --format=lzma -c`
    let alone: [u8; 29] = [
        0x5d, 0x00, 0x00, 0x80, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x34, 0x19, 0x49, 0xee, 0x8d, 0xdd, 0x3d, 0x3a,
        0xdf, 0xff, 0xff, 0xdd, 0x12, 0x00, 0x00,
    ];
    assert_eq!(lzma_alone(b"hello\n", Preset::default()), alone);
}

fn lcg(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as u8
        })
        .collect()
}

/// Text-like data with plenty of matches at all distances.
fn texty(len: usize) -> Vec<u8> {
    let noise = lcg(len, 99);
    let mut out = Vec::with_capacity(len + 64);
    let mut i = 0;
    while out.len() < len {
        let n = noise[i % len];
        if n < 40 && out.len() > 1000 {
            let back = 1 + (usize::from(noise[(i + 1) % len]) * 1013 + i) % out.len().min(400_000);
            let start = out.len() - back;
            let take = (usize::from(n) + 4).min(back);
            let chunk: Vec<u8> = out[start..start + take].to_vec();
            out.extend_from_slice(&chunk);
        } else {
            out.extend_from_slice(format!("{} ", n % 50).as_bytes());
        }
        i += 1;
    }
    out.truncate(len);
    out
}

/// liblzma renormalises the stored positions when they near 2^32 (after about 4 GiB
/// of input). Starting the match finder just below that point must not change the
/// output: old entries are dropped exactly when they fall out of the dictionary.
#[test]
fn normalization_does_not_change_output() {
    // A hash chain past -0's 256 KiB dictionary, so that old entries fall out of it, and a
    // binary tree (-4); more costs too long in a debug build.
    for (level, len) in [(0, 300_000), (4, 30_000)] {
        let data = texty(len);
        let opt = LzmaOptions::from_preset(Preset { level, extreme: false });
        let plain = lzma2::encode_lzma2(&data, &opt);
        for before_wrap in [1usize, 5_000, len / 2] {
            let mut mf = lz::MatchFinder::new(&data, &lzma2::lz_options(&opt));
            mf.offset = u32::MAX - before_wrap as u32;
            let shifted = lzma2::encode_lzma2_with(mf, &opt);
            assert!(plain == shifted, "level {level}, normalising after {before_wrap} bytes");
        }
    }
}

#[test]
fn memory_follows_the_input_not_the_dictionary() {
    // -9: 64 MiB dictionary, a 64 MiB hash table and 512 MiB of tree in liblzma.
    let opt = LzmaOptions::from_preset(Preset { level: 9, extreme: true });
    let tiny = b"0123456789";
    let mf = lz::MatchFinder::new(tiny, &lzma2::lz_options(&opt));
    assert!(mf.hash.allocated_bytes() <= 16 << 10, "{}", mf.hash.allocated_bytes());
    assert!(mf.son.len() <= 2 * (tiny.len() + 1));

    let big = vec![7u8; 1 << 20];
    let mf = lz::MatchFinder::new(&big, &lzma2::lz_options(&opt));
    assert!(mf.hash.allocated_bytes() <= 32 << 20);
    assert!(mf.son.len() <= 2 * (big.len() + 1));

    // Past the dictionary, the tree is the dictionary's size (it wraps).
    let opt0 = LzmaOptions::from_preset(Preset { level: 0, extreme: true });
    let mf = lz::MatchFinder::new(&big, &lzma2::lz_options(&opt0));
    assert_eq!(mf.son.len(), 2 * ((1 << 18) + 1));
}

/// Every preset on awkward inputs: must not panic, and the container must be sane.
#[test]
fn odd_inputs_every_preset() {
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        vec![0xFF; 2],
        vec![b'a'; 3],
        vec![b'a'; 4],
        vec![b'a'; 5],
        vec![0; 300],
        b"abababababababababababababababab".to_vec(),
        (0..=255u8).collect(),
        (0..=255u8).cycle().take(5000).collect(),
    ];
    for len in [1, 2, 3, 7, 64, 273, 274, 1000] {
        inputs.push(lcg(len, len as u64));
        inputs.push(texty(len));
    }
    for data in &inputs {
        for level in 0..=9 {
            for extreme in [false, true] {
                let preset = Preset { level, extreme };
                let out = xz(data, preset, Check::Crc32);
                assert_eq!(&out[..6], &[0xFD, b'7', b'z', b'X', b'Z', 0]);
                assert_eq!(&out[out.len() - 2..], b"YZ");
                assert_eq!(out.len() % 4, 0);
                assert_eq!(crate::userland::xz::decode(&out, None).data, *data);
                let alone = lzma_alone(data, preset);
                assert!(alone.len() >= 13 + 5);
                assert_eq!(crate::userland::xz::decode(&alone, None).data, *data);
            }
        }
    }
}

#[test]
fn out_of_range_options() {
    assert_eq!(
        LzmaOptions::from_preset(Preset { level: 99, extreme: false }),
        LzmaOptions::from_preset(Preset { level: 9, extreme: false })
    );
}

#[test]
fn dictionary_size_bytes() {
    assert_eq!(lzma2::dict_size_byte(1 << 18), 0x0C);
    assert_eq!(lzma2::dict_size_byte(1 << 23), 0x16);
    assert_eq!(lzma2::dict_size_byte(3 << 22), 0x17);
    assert_eq!(lzma2::dict_size_byte(1 << 26), 0x1C);
    assert_eq!(lzma2::dict_size_byte(4096), 0x00);
}
