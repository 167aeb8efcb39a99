//! The decoder's dictionary bookkeeping (lz/lz_decoder.h's `lzma_dict`), shared by the LZ
//! layer and the LZMA decoder that writes into it.

/// The dictionary's bookkeeping; the bytes themselves are the end of the window.
pub(crate) struct Dict {
    /// liblzma's dict.size: the requested size, at least 4 KiB, rounded up to 16.
    pub size: usize,
    /// Bytes written since the last reset: dict.pos is `t % size`, dict.full `min(t, size)`.
    pub t: usize,
    pub need_reset: bool,
}

impl Dict {
    pub(crate) fn new(dict_size: u32) -> Dict {
        let size = (dict_size.max(4096) as usize).saturating_add(15) & !15;
        Dict { size, t: 0, need_reset: false }
    }
}
