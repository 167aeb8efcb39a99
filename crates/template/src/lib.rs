//! Go text/template subset (in progress).
