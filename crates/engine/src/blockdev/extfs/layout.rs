//! How mke2fs lays a file system out in a file: the block bitmap it allocates from, the
//! group tables (flex_bg for ext4, in each group for ext2 and ext3), the journal, and which
//! blocks it writes (what `du` then counts).

use super::{FsKind, Geometry};

const INODE_SIZE: u64 = 256;
const FIRST_INO: u64 = 11;
const HOST_BLOCK: u64 = 4096;
const LOG_FLEX: u32 = 4; // flex_bg_size 16

/// Simple block bitmap with the allocation primitives of libext2fs.
struct Bitmap {
    bits: Vec<u64>,
}

impl Bitmap {
    fn new(n: u64) -> Self {
        Bitmap { bits: vec![0; (n as usize).div_ceil(64) + 1] }
    }
    fn test(&self, b: u64) -> bool {
        self.bits[(b >> 6) as usize] >> (b & 63) & 1 == 1
    }
    fn mark(&mut self, b: u64) {
        self.bits[(b >> 6) as usize] |= 1 << (b & 63);
    }
    fn mark_range(&mut self, b: u64, n: u64) {
        for x in b..b + n {
            self.mark(x);
        }
    }
    /// Last used block in [b, b+n), if any.
    fn last_used_in(&self, b: u64, n: u64) -> Option<u64> {
        let mut x = b + n;
        while x > b {
            x -= 1;
            if self.test(x) {
                return Some(x);
            }
        }
        None
    }
}

#[allow(dead_code)]
struct Fs {
    bs: u64,
    blocks: u64,
    first: u64, // s_first_data_block
    bpg: u64,
    groups: u64,
    desc_blocks: u64,
    rsv_gdt: u64,
    ipg: u64,
    itb: u64, // inode blocks per group
    map: Bitmap,
}

fn has_super(g: u64) -> bool {
    if g <= 1 {
        return true;
    }
    if g & 1 == 0 {
        return false;
    }
    for p in [3u64, 5, 7] {
        let mut x = g;
        while x.is_multiple_of(p) {
            x /= p;
        }
        if x == 1 {
            return true;
        }
    }
    false
}

impl Fs {
    fn group_first(&self, g: u64) -> u64 {
        self.first + g * self.bpg
    }
    fn group_last(&self, g: u64) -> u64 {
        if g == self.groups - 1 {
            self.blocks - 1
        } else {
            self.group_first(g) + self.bpg - 1
        }
    }
    fn group_of(&self, b: u64) -> u64 {
        (b - self.first) / self.bpg
    }
    /// ext2fs_get_free_blocks2
    fn get_free_blocks(&self, start: u64, finish: u64, num: u64) -> Option<u64> {
        let mut b = if start == 0 { self.first } else { start };
        let finish = if finish == 0 { start } else { finish };
        let num = num.max(1);
        loop {
            if b + num > self.blocks {
                if finish > start {
                    return None;
                }
                b = self.first;
            }
            match self.map.last_used_in(b, num) {
                None => return Some(b),
                Some(u) => {
                    // candidates b+1 ..= u all contain u: skip them, but the
                    // loop stops as soon as b reaches `finish`.
                    if finish > b && finish <= u + 1 {
                        return None;
                    }
                    b = u + 1;
                    if b == finish {
                        return None;
                    }
                }
            }
        }
    }
    /// ext2fs_new_block2: first free block at or after goal, wrapping.
    fn new_block(&self, goal: u64) -> u64 {
        let goal = if goal < self.first || goal >= self.blocks { self.first } else { goal };
        let mut b = goal;
        loop {
            if !self.map.test(b) {
                return b;
            }
            b += 1;
            if b >= self.blocks {
                b = self.first;
            }
            if b == goal {
                return 0;
            }
        }
    }
    fn flexbg_offset(&self, group: u64, start_blk: u64, rem_grp: u64, elem: u64) -> u64 {
        let fsz = 1u64 << LOG_FLEX;
        let flexbg = group / fsz;
        let mut size = rem_grp * elem;
        if size > self.bpg / 4 {
            size = self.bpg / 4;
        }
        if start_blk != 0 && start_blk < self.blocks {
            if let Some(f) = self.get_free_blocks(start_blk, start_blk + size, elem) {
                return f;
            }
        }
        let start = self.group_first(fsz * flexbg);
        let mut last_grp = group | (fsz - 1);
        if last_grp > self.groups - 1 {
            last_grp = self.groups - 1;
        }
        let last_blk = self.group_last(last_grp);
        if let Some(f) = self.get_free_blocks(start, last_blk, size) {
            return f;
        }
        if let Some(f) = self.get_free_blocks(start, last_blk, elem) {
            return f;
        }
        if let Some(f) = self.get_free_blocks(0, last_blk, elem) {
            return f;
        }
        0
    }
}

/// ext2fs_allocate_group_table without flex_bg: block bitmap, inode bitmap and inode
/// table are the first free blocks of their own group.
fn allocate_tables_plain(fs: &mut Fs, t: &mut Tables) -> Result<(), ()> {
    for group in 0..fs.groups {
        let group_blk = fs.group_first(group);
        let last_blk = fs.group_last(group);
        let g = group as usize;
        let nb = fs.get_free_blocks(group_blk, last_blk, 1).ok_or(())?;
        fs.map.mark(nb);
        t.bb[g] = nb;
        let nb = fs.get_free_blocks(group_blk, last_blk, 1).ok_or(())?;
        fs.map.mark(nb);
        t.ib[g] = nb;
        let nb = fs.get_free_blocks(group_blk, last_blk, fs.itb).ok_or(())?;
        fs.map.mark_range(nb, fs.itb);
        t.it[g] = nb;
    }
    Ok(())
}

struct Tables {
    bb: Vec<u64>,
    ib: Vec<u64>,
    it: Vec<u64>,
}

fn allocate_tables(fs: &mut Fs, t: &mut Tables, touched: &mut [bool]) -> Result<(), ()> {
    let fsz = 1u64 << LOG_FLEX;
    for group in 0..fs.groups {
        let group_blk = fs.group_first(group);
        let mut last_grp = group | (fsz - 1);
        if last_grp > fs.groups - 1 {
            last_grp = fs.groups - 1;
        }
        let rem = last_grp - group + 1;
        let mut table_offset = fsz;
        let mut prev = 0;
        if group % fsz != 0 {
            prev = t.bb[group as usize - 1] + 1;
        } else if last_grp == fs.groups - 1 {
            table_offset = last_grp & (fsz - 1);
            if table_offset == 0 {
                table_offset = fsz;
            } else {
                table_offset += 1;
            }
        }
        let last_blk = fs.group_last(last_grp);
        // A bitmap takes the first free block from where the flex group's tables go on,
        // or else from the group's start (libext2fs's order).
        let mut bitmap_block = |fs: &mut Fs, prev: u64| -> Result<u64, ()> {
            let start = fs.flexbg_offset(group, prev, rem, 1);
            let nb = match fs.get_free_blocks(start, last_blk, 1) {
                Some(b) => b,
                None => fs.get_free_blocks(group_blk, last_blk, 1).ok_or(())?,
            };
            fs.map.mark(nb);
            touched[fs.group_of(nb) as usize] = true;
            Ok(nb)
        };
        t.bb[group as usize] = bitmap_block(fs, prev)?;
        let prev = if group % fsz != 0 { t.ib[group as usize - 1] + 1 } else { t.bb[group as usize] + table_offset };
        t.ib[group as usize] = bitmap_block(fs, prev)?;

        let prev = if group % fsz != 0 { t.it[group as usize - 1] + fs.itb } else { t.ib[group as usize] + table_offset };
        let gb = fs.flexbg_offset(group, prev, rem, fs.itb);
        let nb = fs.get_free_blocks(gb, last_blk, fs.itb).ok_or(())?;
        fs.map.mark_range(nb, fs.itb);
        let mut b = nb;
        while b < nb + fs.itb {
            let g = fs.group_of(b);
            touched[g as usize] = true;
            b = fs.group_last(g) + 1;
        }
        t.it[group as usize] = nb;
    }
    Ok(())
}

/// ext2fs_default_journal_size: none below 2048 blocks, then by the file system's size.
fn default_journal_blocks(blocks: u64) -> u64 {
    const STEPS: [(u64, u64); 9] = [
        (2048, 0),
        (32768, 1024),
        (256 * 1024, 4096),
        (512 * 1024, 8192),
        (4096 * 1024, 16384),
        (8192 * 1024, 32768),
        (16384 * 1024, 65536),
        (32768 * 1024, 131072),
        (u64::MAX, 262144),
    ];
    STEPS.iter().find(|(below, _)| blocks < *below).map_or(262144, |s| s.1)
}

pub(super) fn int_log10(mut v: u64) -> usize {
    let mut l = 0;
    while v > 0 {
        l += 1;
        v /= 10;
    }
    l
}

/// Everything computed about one mkfs run.
pub(super) struct Plan {
    pub(super) geo: Geometry,
    pub(super) image_kib_truncate: u64,
}

fn too_small() -> String {
    "FILE: Not enough space to build proposed filesystem while setting up superblock".to_string()
}

pub(super) fn plan(kind: FsKind, file_bytes: u64) -> Result<Plan, String> {
    let prog = format!("mkfs.{}", kind.name());
    // Device size in 1k units, rounded down to the page size (4 KiB).
    let dev_1k = file_bytes / 1024;
    if dev_1k == 0 {
        return Err(format!("{prog}: Device size reported to be zero.  Invalid partition specified, or\n\tpartition table wasn't reread after running fdisk, due to\n\ta modified partition being busy and in use.  You may need to reboot\n\tto re-read your partition table.\n"));
    }
    let fs_1k = dev_1k & !3;
    let meg = 1024u64;
    let (bs, ratio): (u64, u64) = if fs_1k < 3 * meg {
        (1024, 8192)
    } else if fs_1k < 512 * meg {
        (1024, 4096)
    } else if fs_1k < 4 * 1024 * 1024 * meg {
        (4096, 16384)
    } else if fs_1k < 16 * 1024 * 1024 * meg {
        (4096, 32768)
    } else {
        (4096, 65536)
    };
    let ratio = ratio.max(bs);
    let param_blocks = fs_1k / (bs / 1024);
    if param_blocks > 0xffff_ffff * 16 {
        return Err("size too large for this model".to_string());
    }
    let mut param_inodes = param_blocks * bs / ratio;
    if param_inodes > 0xffff_ffff {
        param_inodes = 0xffff_ffff;
    }
    if param_inodes * INODE_SIZE >= param_blocks * bs {
        return Err(format!(
            "{}: inode_size ({}) * inodes_count ({}) too big for a\n\tfilesystem with {} blocks, specify higher inode_ratio (-i)\n\tor lower inode count (-N).\n",
            prog, INODE_SIZE, param_inodes, param_blocks
        ));
    }
    let param_r = (5.0f64 * param_blocks as f64 / 100.0) as u64;

    // ---- ext2fs_initialize ----
    let first = if bs == 1024 { 1 } else { 0 };
    let mut bpg = bs * 8;
    let mut blocks = param_blocks;
    let mut r_blocks = param_r;
    // 64-byte group descriptors with 64bit (ext4), 32-byte ones otherwise
    let desc_per_block = if kind.is_ext4() { bs / 64 } else { bs / 32 };
    let addr_per_block = bs / 4;
    let (groups, desc_blocks, ipg, itb, rsv_gdt);
    loop {
        let g = (blocks - first).div_ceil(bpg);
        if g == 0 {
            return Err(too_small());
        }
        let db = g.div_ceil(desc_per_block);
        let mut icount = if param_inodes != 0 { param_inodes } else { blocks / (4096 / bs).max(1) };
        if icount < FIRST_INO + 1 {
            icount = FIRST_INO + 1;
        }
        let mut ip = icount.div_ceil(g);
        if ip > bs * 8 {
            if bpg >= 256 {
                bpg -= 8;
                blocks = param_blocks;
                continue;
            }
            return Err(format!("{prog}: Too many inodes"));
        }
        let max_ipg = 65536 - bs / INODE_SIZE;
        if ip > max_ipg {
            ip = max_ipg;
        }
        let mut ib;
        loop {
            ib = (ip * INODE_SIZE).div_ceil(bs);
            let mut s = ib * bs / INODE_SIZE;
            if s < 8 {
                s = 8;
            }
            s &= !7;
            ib = (s * INODE_SIZE).div_ceil(bs);
            if s * g > 0xffff_ffff {
                ip -= 1;
                continue;
            }
            ip = s;
            break;
        }
        // reserved GDT blocks
        let mut max_blocks: u64 = 0xffff_ffff;
        if blocks < max_blocks / 1024 {
            max_blocks = blocks * 1024;
        }
        let rsv_groups = (max_blocks - first).div_ceil(bpg);
        let mut rg = rsv_groups.div_ceil(desc_per_block).saturating_sub(db);
        if rg > addr_per_block {
            rg = addr_per_block;
        }
        if rg + db > bpg * 3 / 4 {
            return Err("meta_bg layout not modelled".to_string());
        }
        let overhead = 3 + ib + rg + db;
        if overhead > bpg {
            return Err(format!("{prog}: Too many inodes"));
        }
        let mut ov = 2 + ib;
        if has_super(g - 1) {
            ov += 1 + db + rg;
        }
        let rem = (blocks - first) % bpg;
        if g == 1 && rem != 0 && rem < ov {
            return Err(too_small());
        }
        if rem != 0 && rem < ov + 50 {
            blocks -= rem;
            let rr = 100.0f64 * param_r as f64 / param_blocks as f64;
            r_blocks = (rr * blocks as f64 / 100.0) as u64;
            continue;
        }
        groups = g;
        desc_blocks = db;
        ipg = ip;
        itb = ib;
        rsv_gdt = rg;
        break;
    }
    let inodes = ipg * groups;
    if inodes < FIRST_INO {
        return Err("ext2fs_write_inode_full: Illegal inode number while writing reserved inodes".to_string());
    }

    let mut fs = Fs { bs, blocks, first, bpg, groups, desc_blocks, rsv_gdt, ipg, itb, map: Bitmap::new(blocks) };
    let _ = fs.ipg;
    // reserve superblocks and descriptors
    let mut backups = Vec::new();
    for g in 0..groups {
        if has_super(g) {
            let s = fs.group_first(g);
            let s = if g == 0 && bs == 1024 { 1 } else { s };
            let n = 1 + desc_blocks + rsv_gdt;
            fs.map.mark_range(s, n.min(blocks - s));
            if g > 0 {
                backups.push(fs.group_first(g));
            }
        }
    }
    let mut touched = vec![false; groups as usize]; // BLOCK_UNINIT cleared
    let mut t = Tables { bb: vec![0; groups as usize], ib: vec![0; groups as usize], it: vec![0; groups as usize] };
    let allocated = if kind.is_ext4() { allocate_tables(&mut fs, &mut t, &mut touched) } else { allocate_tables_plain(&mut fs, &mut t) };
    if allocated.is_err() {
        return Err(format!("{prog}: Could not allocate block in ext2 filesystem while trying to allocate filesystem tables"));
    }
    let mut used_meta = 0u64;
    for w in &fs.map.bits {
        used_meta += w.count_ones() as u64;
    }
    // journal size (ext2fs_default_journal_size)
    let jblocks: u64 = if kind.wants_journal() { default_journal_blocks(blocks) } else { 0 };

    // writes: list of (first fs block, count, written?)
    let mut io: Vec<(u64, u64, bool)> = Vec::new();
    // end-of-device wipe (zeroout -> unwritten)
    let rsv = 65536 / bs;
    let mut start = blocks & !(rsv - 1);
    if start > rsv {
        start -= rsv;
    }
    if start > 0 {
        io.push((start, blocks - start, false));
    }
    // inode table blocks holding inodes 1..11
    io.push((t.it[0], (FIRST_INO * INODE_SIZE).div_ceil(bs), true));

    // root directory, lost+found, resize inode
    let mark_alloc = |fs: &mut Fs, b: u64, touched: &mut Vec<bool>| {
        fs.map.mark(b);
        touched[fs.group_of(b) as usize] = true;
    };
    let root = fs.new_block(fs.group_first(0));
    mark_alloc(&mut fs, root, &mut touched);
    io.push((root, 1, true));
    let mut lf_blocks = 1u64;
    let mut last = fs.new_block(fs.group_first(0));
    mark_alloc(&mut fs, last, &mut touched);
    io.push((last, 1, true));
    let mut lpf = 0u64;
    for _i in 1..12 {
        lpf += bs;
        if lpf >= 16 * 1024 && lpf >= 2 * bs {
            break;
        }
        last = fs.new_block(last);
        mark_alloc(&mut fs, last, &mut touched);
        io.push((last, 1, true));
        lf_blocks += 1;
    }
    let sb_blk = if bs == 1024 { 1 } else { first };
    let dgoal = sb_blk + desc_blocks + rsv_gdt + 2 + itb;
    let dind = fs.new_block(dgoal);
    mark_alloc(&mut fs, dind, &mut touched);
    io.push((dind, 1, true));
    // primary reserved GDT blocks are written by the resize inode code
    io.push((sb_blk + 1 + desc_blocks, rsv_gdt, true));
    let used_extra = 1 + lf_blocks + 1;

    // journal
    let mut journal_meta = 0u64;
    let mut journal_meta_blocks: Vec<u64> = Vec::new();
    if jblocks > 0 && !kind.is_ext4() {
        // block-mapped journal (ext2fs_fallocate "the slow way"): every block, data and
        // indirect, is the first free block at or after the previous one, starting at the
        // inode's goal, the first block of group 0; all of them end up written.
        let apb = bs / 4;
        let mut cursor = fs.group_first(0);
        let alloc = |fs: &mut Fs, cursor: &mut u64| -> u64 {
            let b = fs.new_block(*cursor);
            fs.map.mark(b);
            *cursor = b;
            b
        };
        for l in 0..jblocks {
            if l == 12 {
                journal_meta_blocks.push(alloc(&mut fs, &mut cursor)); // IND
            } else if l >= 12 + apb {
                let x = l - 12 - apb;
                if x >= apb * apb {
                    return Err("journal needs a triple indirect block: not modelled".to_string());
                }
                if x == 0 {
                    journal_meta_blocks.push(alloc(&mut fs, &mut cursor)); // DIND
                }
                if x.is_multiple_of(apb) {
                    journal_meta_blocks.push(alloc(&mut fs, &mut cursor)); // IND
                }
            }
            let b = alloc(&mut fs, &mut cursor);
            // data blocks are zeroed with FALLOC_FL_ZERO_RANGE (unwritten), the journal
            // superblock and the indirect blocks are written
            io.push((b, 1, l == 0));
        }
        for &m in &journal_meta_blocks {
            io.push((m, 1, true));
        }
        journal_meta = journal_meta_blocks.len() as u64;
    }
    if jblocks > 0 && kind.is_ext4() {
        let group = fs.group_of((blocks - first) / 2);
        let lf = 1u64 << LOG_FLEX;
        let free_of = |fs: &Fs, g: u64| -> u64 { (fs.group_first(g)..=fs.group_last(g)).filter(|&b| !fs.map.test(b)).count() as u64 };
        let (mut grp, startg);
        if group > lf {
            grp = group & !(lf - 1);
            while grp < groups && free_of(&fs, grp) == 0 {
                grp += 1;
            }
            if grp == groups {
                grp = 0;
            }
            startg = grp;
        } else {
            grp = group;
            startg = if group > 0 { group - 1 } else { group };
        }
        let end = if grp + 1 < groups { grp + 1 } else { grp };
        let mut best = startg;
        let mut bestfree = free_of(&fs, startg);
        for i in startg + 1..=end {
            let f = free_of(&fs, i);
            if f > bestfree {
                best = i;
                bestfree = f;
            }
        }
        let goal = fs.group_first(best);
        let mut need = jblocks;
        let mut b = goal;
        let mut first_j = true;
        while need > 0 {
            if b >= blocks {
                b = first;
            }
            if !fs.map.test(b) {
                // extend a run
                let mut e = b;
                while e < blocks && need > 0 && !fs.map.test(e) {
                    e += 1;
                    need -= 1;
                }
                fs.map.mark_range(b, e - b);
                let mut x = b;
                while x < e {
                    let g = fs.group_of(x);
                    touched[g as usize] = true;
                    x = fs.group_last(g) + 1;
                }
                if first_j {
                    io.push((b, 1, true));
                    first_j = false;
                }
                io.push((b, e - b, false));
                b = e;
            } else {
                b += 1;
            }
        }
    }

    // closefs: superblocks + descriptors of every group with a backup
    for g in 0..groups {
        if has_super(g) {
            let s = if g == 0 { sb_blk } else { fs.group_first(g) };
            io.push((s, 1 + desc_blocks, true));
        }
    }
    if bs == 4096 {
        io.push((0, 1, true));
    }
    // bitmaps
    for (g, &used) in touched.iter().enumerate().take(groups as usize) {
        // without metadata_csum there are no uninitialised groups
        let block_uninit = kind.is_ext4() && g as u64 != groups - 1 && !used;
        if !block_uninit {
            io.push((t.bb[g], 1, true));
        }
        if g == 0 || !kind.is_ext4() {
            io.push((t.ib[g], 1, true));
        }
    }

    // ---- host image: host 4K blocks, state written / unwritten ----
    let mut ranges: Vec<(u64, u64, bool)> = io
        .iter()
        .filter(|r| r.1 > 0)
        .map(|&(b, n, w)| {
            let s = b * bs / HOST_BLOCK;
            let e = ((b + n) * bs).div_ceil(HOST_BLOCK);
            (s, e, w)
        })
        .collect();
    let fs_end_host = blocks * bs / HOST_BLOCK; // first host block not fully inside the fs
                                                // `brk`: host block where a new extent must start (the unpunched tail
                                                // keeps its original physical blocks, so it never merges with the
                                                // zeroed range before it).
                                                // Host blocks physically allocated on their own, before the writes around them (by a
                                                // FALLOC_FL_ZERO_RANGE of libext2fs), never merge with the extent to their left; those
                                                // holding a journal indirect block (ext3) merge with neither neighbour.
    let mut brks: Vec<u64> = Vec::new();
    if !kind.is_ext4() {
        brks.push(dind * bs / HOST_BLOCK);
        for &m in &journal_meta_blocks {
            let h = m * bs / HOST_BLOCK;
            brks.push(h);
            brks.push(h + 1);
        }
    }
    let host_of_fs = |ranges: &[(u64, u64, bool)], brk: u64| -> (u64, u64) {
        // returns (allocated host blocks, extent tree blocks)
        let mut ev: Vec<(u64, u64, bool)> = ranges.to_vec();
        ev.sort();
        // build disjoint segments with written overriding unwritten
        let mut pts: Vec<u64> = Vec::new();
        for r in &ev {
            pts.push(r.0);
            pts.push(r.1);
        }
        pts.sort();
        pts.dedup();
        // sweep
        let mut segs: Vec<(u64, u64, bool)> = Vec::new();
        let mut byw: Vec<(u64, i64)> = Vec::new(); // written coverage deltas
        let mut byu: Vec<(u64, i64)> = Vec::new();
        for r in &ev {
            if r.2 {
                byw.push((r.0, 1));
                byw.push((r.1, -1));
            } else {
                byu.push((r.0, 1));
                byu.push((r.1, -1));
            }
        }
        byw.sort();
        byu.sort();
        let (mut iw, mut iu, mut cw, mut cu) = (0usize, 0usize, 0i64, 0i64);
        for k in 0..pts.len() {
            let p = pts[k];
            while iw < byw.len() && byw[iw].0 <= p {
                cw += byw[iw].1;
                iw += 1;
            }
            while iu < byu.len() && byu[iu].0 <= p {
                cu += byu[iu].1;
                iu += 1;
            }
            if k + 1 < pts.len() && (cw > 0 || cu > 0) {
                let st = cw > 0;
                let e = pts[k + 1];
                if let Some(l) = segs.last_mut() {
                    if l.1 == p && l.2 == st && p != brk && !brks.contains(&p) {
                        l.1 = e;
                        continue;
                    }
                }
                segs.push((p, e, st));
            }
        }
        let mut total = 0;
        let mut extents = 0;
        for s in &segs {
            let len = s.1 - s.0;
            total += len;
            let max = if s.2 { 32768 } else { 32767 };
            extents += len.div_ceil(max);
        }
        let tree = if extents <= 4 {
            0
        } else {
            let leaves = extents.div_ceil(340);
            if leaves <= 4 {
                leaves
            } else {
                leaves + leaves.div_ceil(340)
            }
        };
        (total, tree)
    };
    let (t_alloc, t_tree) = host_of_fs(&ranges, u64::MAX);
    let image_kib_truncate = (t_alloc + t_tree) * 4;
    // fallocate: the part of the file beyond the fs that discard did not punch
    let file_host = file_bytes.div_ceil(HOST_BLOCK);
    if file_host > fs_end_host {
        ranges.push((fs_end_host, file_host, false));
    }
    let (f_alloc, f_tree) = host_of_fs(&ranges, fs_end_host);
    let image_kib = (f_alloc + f_tree) * 4;

    // ---- df ----
    let overhead = used_meta + jblocks + first;
    let k = bs / 1024;
    let total = blocks - overhead;
    let used_extra = used_extra + journal_meta;
    let free = total - used_extra;
    // the kernel's reserve for delayed allocation exists only with extents
    let resv = if kind.is_ext4() { (blocks / 50).min(4096) } else { 0 };
    let avail = free.saturating_sub(r_blocks + resv);

    let geo = Geometry {
        block_size: bs as u32,
        blocks,
        inodes,
        groups,
        inodes_per_group: ipg,
        journal_blocks: jblocks,
        backups,
        df_total_kib: total * k,
        df_used_kib: used_extra * k,
        df_avail_kib: avail * k,
        image_kib,
        lost_found_size: lf_blocks * bs,
    };
    Ok(Plan { geo, image_kib_truncate })
}
