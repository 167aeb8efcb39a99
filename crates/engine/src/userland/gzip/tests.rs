//! gzip's output, byte for byte: the raw deflate streams real GNU gzip 1.12 wrote (`gzip -n
//! -c -LEVEL`) for these inputs, as their lengths and CRC-32s; and round trips.

use super::*;

const MUL: u64 = 6_364_136_223_846_793_005;
const INC: u64 = 1_442_695_040_888_963_407;

fn random(n: usize, mut x: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(MUL).wrapping_add(INC);
            (x >> 33) as u8
        })
        .collect()
}

fn words(n: usize, mut x: u64) -> Vec<u8> {
    const W: [&str; 10] = ["alpha", "beta", "gamma", "delta", "volume", "layer", "mount", "copy-up", "\n", " "];
    let mut out = Vec::new();
    while out.len() < n {
        x = x.wrapping_mul(MUL).wrapping_add(INC);
        out.extend_from_slice(W[((x >> 33) % 10) as usize].as_bytes());
    }
    out.truncate(n);
    out
}

fn seq(n: usize) -> Vec<u8> {
    (1..=n).map(|i| format!("{i}\n")).collect::<String>().into_bytes()
}

/// Per level: the length and CRC-32 of the stream real gzip wrote.
type Streams = &'static [(u8, usize, u32)];

/// Inputs and what real gzip made of them.
fn recorded() -> Vec<(&'static str, Vec<u8>, Streams)> {
    vec![
        ("empty", Vec::new(), &[(1, 2, 0x6af4413c), (6, 2, 0x6af4413c), (9, 2, 0x6af4413c)]),
        ("hello", b"hello\n".to_vec(), &[(1, 8, 0xe9a73dfd), (6, 8, 0xe9a73dfd)]),
        (
            "seq2000",
            seq(2000),
            &[
                (1, 3732, 0xb656d479),
                (2, 3731, 0x4e04ef05),
                (3, 3907, 0x518afbf4),
                (4, 4159, 0xe3fdfe10),
                (6, 4200, 0xf5dd698d),
                (9, 4200, 0xf5dd698d),
            ],
        ),
        (
            "seq50000",
            seq(50000),
            &[
                (1, 105323, 0x39364913),
                (2, 85976, 0xf6b70f47),
                (3, 86442, 0x4b2a0c84),
                (4, 109439, 0xf34712da),
                (6, 109126, 0xf890555e),
                (9, 109126, 0xf890555e),
            ],
        ),
        ("zeros", vec![0; 200_000], &[(1, 890, 0x187bd69a), (4, 211, 0xa285ee37), (6, 211, 0xa285ee37)]),
        ("random", random(70_000, 1), &[(1, 70015, 0xa66e7efd), (6, 70015, 0xccbe0a39)]),
        (
            "words",
            words(150_000, 7),
            &[
                (1, 32928, 0x034e1bb8),
                (2, 31281, 0x859b94e9),
                (3, 28062, 0x3ad52dd4),
                (4, 27582, 0x4f3abb81),
                (6, 24190, 0xc4e40936),
                (9, 22512, 0x98fd9560),
            ],
        ),
    ]
}

#[test]
fn deflate_writes_what_gzip_writes() {
    let mut wrong = Vec::new();
    for (name, input, levels) in recorded() {
        for &(level, len, crc) in levels {
            let out = deflate(&input, level);
            if (out.len(), crc32(&out)) != (len, crc) {
                wrong.push(format!("{name} -{level}: {} bytes crc {:08x}, gzip: {len} bytes crc {crc:08x}", out.len(), crc32(&out)));
            }
            assert_eq!(inflate(&out).map(|(d, _)| d).as_deref(), Ok(&input[..]), "{name} -{level} round trip");
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_member_round_trips_with_its_header() {
    let header = Header { name: Some("a.txt".into()), mtime: 1_709_294_400 };
    let gz = compress(b"hello\n", 6, &header, true);
    // `gzip -k a.txt` of "hello\n" dated 2024-03-01 12:00 UTC (oracle-51): 32 bytes.
    assert_eq!(gz.len(), 32);
    let d = decompress(&gz).unwrap();
    assert_eq!((d.data.as_slice(), d.members, d.overhead, d.first), (&b"hello\n"[..], 1, 24, header));
    let two = [compress(b"one\n", 6, &Header::default(), true), compress(b"two\n", 6, &Header::default(), true)].concat();
    let d = decompress(&two).unwrap();
    assert_eq!((d.data.as_slice(), d.members, d.last_size), (&b"one\ntwo\n"[..], 2, 4));
}

#[test]
fn damaged_data_is_refused_not_trusted() {
    let gz = compress(&seq(300), 6, &Header::default(), true);
    assert_eq!(decompress(b"plain\n"), Err(GzError::NotGzip));
    assert_eq!(decompress(&gz[..gz.len() - 3]), Err(GzError::Truncated));
    let mut bad = gz.clone();
    let n = bad.len();
    bad[n - 8] ^= 1;
    assert_eq!(decompress(&bad), Err(GzError::Crc));
    for cut in 0..gz.len() {
        assert!(decompress(&gz[..cut]).is_err());
    }
}
