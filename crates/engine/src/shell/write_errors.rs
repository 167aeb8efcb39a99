//! What a busybox program says, and how it ends, when the file its standard output was
//! redirected to cannot take what it writes (a full tmpfs): each applet writes its own way
//! (full1, oracle-154).
//!
//! - through stdio, flushed at exit (`head`, `sort`): an output that fits stdio's buffer fails
//!   at that last flush, `standard output: <why>`, and the program's status stands; a longer
//!   one failed on the way, which `head` reports as `standard output: I/O error`, status 1;
//! - straight to the file (`cat`, `tar`): `write error: <why>`, status 1;
//! - `seq` returns what its last flush gave: EOF, status 255, and says nothing; `sed` says
//!   nothing and keeps its status;
//! - the others: `standard output: I/O error`, status 1.
//!
//! (The shell's own builtins are the shell's: `sh: write error: <why>`; busybox's `printf`
//! fails quietly.)

use crate::fs::Errno;

/// stdio's buffer for a file on a tmpfs: its block size.
const STDIO_BUFFER: usize = 4096;

/// The message (if any) and the exit status of `program` after `bytes` of its standard output
/// could not all be written (`error`); `status` is the one it would have had.
pub(super) fn failed_write(program: &str, bytes: usize, error: Errno, status: i32) -> (Option<String>, i32) {
    match program {
        "head" | "sort" if bytes <= STDIO_BUFFER => (Some(format!("{program}: standard output: {error}")), status),
        "sort" => (Some(format!("sort: standard output: {error}")), status),
        "cat" | "tar" => (Some(format!("{program}: write error: {error}")), 1),
        "seq" => (None, 255),
        "sed" => (None, status),
        _ => (Some(format!("{program}: standard output: I/O error")), 1),
    }
}
