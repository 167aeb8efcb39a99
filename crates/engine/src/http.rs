//! HTTP as the simulated servers and clients exchange it: one request, one response.
//!
//! Architecture invariant: plain data, so the machine can hold a server that answers them.

/// One HTTP request as a client sends it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query, as on the request line.
    pub target: String,
    /// The `Host` header.
    pub host: String,
    pub user_agent: String,
    /// The client address the server sees.
    pub client: String,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    /// Headers after `Server` and `Date`, in the order the server sends them.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}
