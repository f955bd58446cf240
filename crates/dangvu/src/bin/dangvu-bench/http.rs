//! A minimal HTTP/1.1 client, enough for the benches to sign in to an in-process server
//! and time its pages on loopback without a client library's own costs in the figures,
//! and the password of the accounts they sign in with.

use std::fmt::Write as _;

use anyhow::{Context, bail};

/// The password of the accounts the benches create to sign in over HTTP.
pub const BENCH_PASSWORD: &str = "bench-tasks-2026-password";

/// Enough HTTP/1.1 for requests on loopback: one keep-alive connection, bodies by
/// Content-Length or chunked, reconnecting when the server closes.
pub struct Http {
    addr: std::net::SocketAddr,
    stream: Option<tokio::net::TcpStream>,
    buf: Vec<u8>,
}

pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Http {
    pub fn new(addr: std::net::SocketAddr) -> Http {
        Http { addr, stream: None, buf: Vec::with_capacity(1 << 16) }
    }

    pub async fn send(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> anyhow::Result<HttpResponse> {
        if self.stream.is_none() {
            let s = tokio::net::TcpStream::connect(self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(s);
        }
        let mut req =
            format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n", self.addr, body.len());
        for (k, v) in headers {
            write!(req, "{k}: {v}\r\n").expect("writing to a String");
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        self.write_all(&bytes).await?;

        self.buf.clear();
        let head_end = loop {
            if let Some(p) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            if self.fill().await? == 0 {
                bail!("the server closed the connection before answering {method} {target}");
            }
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .context("a malformed status line")?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let close = header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let body = if header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            loop {
                if let Some(body) = dechunk(&self.buf[head_end..])? {
                    break body;
                }
                if self.fill().await? == 0 {
                    bail!("the connection closed inside a chunked body");
                }
            }
        } else if let Some(len) = header("content-length") {
            let len: usize = len.parse().context("a malformed Content-Length")?;
            while self.buf.len() < head_end + len {
                if self.fill().await? == 0 {
                    bail!("the connection closed inside the body");
                }
            }
            self.buf[head_end..head_end + len].to_vec()
        } else if status == 204 || status == 304 || (100..200).contains(&status) {
            Vec::new()
        } else {
            while self.fill().await? > 0 {}
            self.stream = None;
            self.buf[head_end..].to_vec()
        };
        if close {
            self.stream = None;
        }
        Ok(HttpResponse { status, headers, body })
    }

    async fn write_all(&mut self, mut bytes: &[u8]) -> anyhow::Result<()> {
        let stream = self.stream.as_ref().context("not connected")?;
        while !bytes.is_empty() {
            stream.writable().await?;
            match stream.try_write(bytes) {
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Reads what has arrived into the buffer; 0 at the end of the stream.
    async fn fill(&mut self) -> anyhow::Result<usize> {
        let stream = self.stream.as_ref().context("not connected")?;
        let mut chunk = [0u8; 1 << 16];
        loop {
            stream.readable().await?;
            match stream.try_read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// Decodes a chunked body; `None` while it is incomplete.
fn dechunk(mut data: &[u8]) -> anyhow::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else { return Ok(None) };
        let size_text = std::str::from_utf8(&data[..eol])?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .with_context(|| format!("a malformed chunk size {size_text:?}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            // Trailers (none expected) end with an empty line.
            return Ok(data.windows(2).any(|w| w == b"\r\n").then_some(body));
        }
        if data.len() < size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}
