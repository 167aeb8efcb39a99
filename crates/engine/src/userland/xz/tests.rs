//! The codec against what the real xz 5.4.1 wrote and said (oracle-161, oracle-163,
//! oracle-164): whole digests of each preset's output, and the decoder's verdicts on damaged
//! files. The port was compared byte for byte with `/usr/bin/xz` over many more inputs while it
//! was written; these keep it there.

use super::*;
use md5::{Digest, Md5};

fn md5_hex(data: &[u8]) -> String {
    crate::ids::hex(&Md5::digest(data))
}

/// `seq 1 N` as the shell prints it.
fn seq(n: u32) -> Vec<u8> {
    (1..=n).map(|i| format!("{i}\n")).collect::<String>().into_bytes()
}

fn settings(level: u32, extreme: bool) -> Settings {
    Settings { level, extreme, ..Settings::default() }
}

#[test]
fn every_preset_writes_what_xz_writes() {
    let nums = seq(2000);
    let expected = [
        "1ea83bd31c8754b7209f0b0e54ee689a",
        "9edce12d9bb492b088d7fbf77e13ab95",
        "f77ec2ef484da33c25c11d7a4e4c53e1",
        "4838b63791f02e082ab6b006c59415c7",
        "80eeb32bc4a30a71836e9913029e079a",
        "4b0968f00b8d3c6169c5009f6144ad28",
        "4b0968f00b8d3c6169c5009f6144ad28",
        "fffc36531c7f331364f1e67f205b83fb",
        "0d13d3e0423006972122e9c1cd446395",
        "95256aad2f5c22b16c6cc79dd3fd08eb",
    ];
    for (level, want) in expected.iter().enumerate() {
        assert_eq!(md5_hex(&compress(&nums, Format::Xz, &settings(level as u32, false))), *want, "-{level}");
    }
    for (level, want) in
        [(0, "afd232354b918bdd46c295c6076b013d"), (3, "a1f12f0dc85cca0d3c9cdd5dfa4eae81"), (9, "95256aad2f5c22b16c6cc79dd3fd08eb")]
    {
        assert_eq!(md5_hex(&compress(&nums, Format::Xz, &settings(level, true))), want, "-{level}e");
    }
    let big = compress(&seq(100_000), Format::Xz, &Settings::default());
    assert_eq!((big.len(), md5_hex(&big).as_str()), (17992, "ee08346b495595e54b7165beee25ad4a"));
}

#[test]
fn the_lzma_format_and_the_threaded_blocks() {
    let lzma = compress(&seq(300), Format::Lzma, &Settings::default());
    assert_eq!((lzma.len(), md5_hex(&lzma).as_str()), (277, "e938ca16ae20ec3e7f07ffb6d391ca4a"));
    assert_eq!(md5_hex(&compress(&seq(300), Format::Lzma, &settings(9, false))), "83cf28e74be8471b598764dbf3ca86d8");
    // Two threads: the same data in a block whose header holds its sizes, sized for 24 MiB.
    let threaded = compress(&seq(20_000), Format::Xz, &Settings { threads: 2, ..Settings::default() });
    assert_eq!(threaded.len(), 4956);
    assert_eq!(compress(&seq(20_000), Format::Xz, &Settings::default()).len(), 4948);
    let info = list(&threaded).expect("a listable file");
    assert!(info.all_have_sizes);
    assert_eq!(decode(&threaded, None).data, seq(20_000));
}

#[test]
fn the_bytes_of_a_small_file_and_its_checks() {
    let hello = compress(b"hello world\n", Format::Xz, &Settings::default());
    assert_eq!(hello.len(), 68);
    assert_eq!(hello.get(..12), Some(&[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46][..]));
    assert_eq!(compress(b"hello world\n", Format::Xz, &Settings { check: Check::Crc32, ..Settings::default() }).len(), 64);
    let empty = compress(b"", Format::Xz, &Settings::default());
    assert_eq!(empty.len(), 32);
    let info = list(&empty).expect("an empty stream lists");
    assert_eq!((info.stream_count(), info.block_count(), info.uncompressed_size), (1, 0, 0));
}

#[test]
fn damaged_files_get_liblzmas_verdicts_after_what_decoded() {
    let nums = compress(&seq(2000), Format::Xz, &Settings::default());
    let cut = decode(nums.get(..40).unwrap_or_default(), None);
    assert_eq!((cut.result, cut.data.len()), (Err(XzError::Truncated), 5));
    let hello = compress(b"hello world\n", Format::Xz, &Settings::default());
    let mut flipped = hello.clone();
    flipped[30] = b'A';
    let bad = decode(&flipped, None);
    assert_eq!((bad.result, bad.data.as_slice()), (Err(XzError::Corrupt), &b"helAo world\n"[..]));
    let mut padded = hello.clone();
    padded.extend_from_slice(&[0; 4]);
    assert_eq!(decode(&padded, None).result, Ok(()));
    padded.push(0);
    padded.truncate(hello.len() + 3);
    assert_eq!(decode(&padded, None).result, Err(XzError::Corrupt));
    assert_eq!(decode(b"junk\n", None).result, Err(XzError::FormatNotRecognized));
    assert_eq!(decode(&hello, Some(Format::Lzma)).result, Err(XzError::FormatNotRecognized));
    assert_eq!(list(b"hello world\n"), Err(XzError::TooSmall));
}

#[test]
fn busybox_writes_less_of_a_cut_chunk() {
    // XZ Embedded leaves the last 20 bytes of a chunk it has not whole undecoded.
    let nums = compress(&seq(2000), Format::Xz, &Settings::default());
    let cut = nums.get(..80).unwrap_or_default();
    let (ours, theirs) = (decode(cut, None), decode_busybox(cut, Format::Xz));
    assert_eq!((ours.result, theirs.result), (Err(XzError::Truncated), Err(XzError::Truncated)));
    assert!(theirs.data.len() < ours.data.len());
    assert!(ours.data.starts_with(&theirs.data));
}
