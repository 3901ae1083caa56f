//! A loopback HTTP/1.1 server that records every request and answers with a canned response,
//! or misbehaves on cue (resets, stalls, raw bytes) to inject faults.
//!
//! Deliberately tiny (one request per connection, `Connection: close`): it must show exactly
//! what arrives on the wire, with nothing between the client and the recording.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What one request looked like on arrival.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// Header names in lower case, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The answer the server gives to every request.
#[derive(Clone, Debug)]
pub struct CannedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Answers with this response.
    Answer(CannedResponse),
    /// Writes these bytes as they are (a broken answer), then closes.
    Raw(Vec<u8>),
    /// Resets the connection without answering.
    Reset,
    /// Answers nothing for this long, then closes.
    Stall(Duration),
    /// Waits this long, then answers with this response (a slow server).
    Late(Duration, CannedResponse),
    /// Answers `status` with a body of `length` bytes (`None`: endless), written in chunks as
    /// fast as the client reads them; with `declared`, a `content-length` header says the length,
    /// else the body is chunked. The bytes written are counted (see `streamed`).
    Stream {
        status: u16,
        length: Option<u64>,
        declared: bool,
    },
}

/// The behaviours for the coming requests, in order; the last one repeats.
#[derive(Debug)]
struct Script {
    coming: VecDeque<Behaviour>,
    then: Behaviour,
}

impl Script {
    fn next(&mut self) -> Behaviour {
        self.coming.pop_front().unwrap_or_else(|| self.then.clone())
    }
}

pub struct RecordingServer {
    pub base_url: String,
    recorded: Arc<Mutex<Vec<RecordedRequest>>>,
    script: Arc<Mutex<Script>>,
    streamed: Arc<AtomicU64>,
}

impl RecordingServer {
    /// Starts on a free loopback port; the server lives as long as the tokio runtime.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port is free");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(Script {
            coming: VecDeque::new(),
            then: Behaviour::Answer(CannedResponse {
                status: 200,
                headers: Vec::new(),
                body: b"{}".to_vec(),
            }),
        }));
        let streamed = Arc::new(AtomicU64::new(0));
        let (log, shared_script, counter) = (recorded.clone(), script.clone(), streamed.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, script, counter) = (log.clone(), shared_script.clone(), counter.clone());
                tokio::spawn(async move {
                    if let Some(request) = read_request(&stream).await {
                        log.lock().unwrap().push(request);
                        let behaviour = script.lock().unwrap().next();
                        behave(stream, behaviour, &counter).await;
                    }
                });
            }
        });
        RecordingServer {
            base_url,
            recorded,
            script,
            streamed,
        }
    }

    /// Sets the answer to the following requests.
    pub fn respond_with(&self, response: CannedResponse) {
        self.script(vec![Behaviour::Answer(response)]);
    }

    /// Sets what the following requests get, one behaviour each; the last one repeats.
    pub fn script(&self, mut behaviours: Vec<Behaviour>) {
        let Some(then) = behaviours.pop() else {
            return;
        };
        *self.script.lock().unwrap() = Script {
            coming: behaviours.into(),
            then,
        };
    }

    /// How many body bytes `Behaviour::Stream` answers have written so far.
    pub fn streamed(&self) -> u64 {
        self.streamed.load(Ordering::Relaxed)
    }

    /// Removes and returns everything recorded so far.
    pub fn take(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut *self.recorded.lock().unwrap())
    }
}

async fn read_request(stream: &TcpStream) -> Option<RecordedRequest> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    // Headers first: read until the blank line.
    let header_end = loop {
        stream.readable().await.ok()?;
        match stream.try_read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return None,
        }
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        stream.readable().await.ok()?;
        match stream.try_read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return None,
        }
    }
    Some(RecordedRequest {
        method,
        path,
        headers,
        body,
    })
}

async fn behave(mut stream: TcpStream, behaviour: Behaviour, streamed: &AtomicU64) {
    match behaviour {
        Behaviour::Stream {
            status,
            length,
            declared,
        } => stream_body(stream, status, length, declared, streamed).await,
        Behaviour::Answer(response) => write_response(stream, &response).await,
        Behaviour::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        // Linger zero makes the close a TCP reset rather than an orderly end.
        Behaviour::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Behaviour::Stall(duration) => {
            tokio::time::sleep(duration).await;
            drop(stream);
        }
        Behaviour::Late(delay, response) => {
            tokio::time::sleep(delay).await;
            write_response(stream, &response).await;
        }
    }
}

/// Writes a long or endless body until it ends or the client goes away.
async fn stream_body(
    mut stream: TcpStream,
    status: u16,
    length: Option<u64>,
    declared: bool,
    streamed: &AtomicU64,
) {
    let framing = match (length, declared) {
        (Some(length), true) => format!("content-length: {length}"),
        _ => "transfer-encoding: chunked".to_owned(),
    };
    let head =
        format!("HTTP/1.1 {status} Streamed\r\ncontent-type: text/plain\r\n{framing}\r\n\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b'x'; 64 * 1024];
    let mut left = length.unwrap_or(u64::MAX);
    while left > 0 {
        let size = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let written = if declared && length.is_some() {
            stream.write_all(&chunk[..size]).await
        } else {
            let mut framed = format!("{size:x}\r\n").into_bytes();
            framed.extend_from_slice(&chunk[..size]);
            framed.extend_from_slice(b"\r\n");
            stream.write_all(&framed).await
        };
        if written.is_err() {
            return;
        }
        streamed.fetch_add(size as u64, Ordering::Relaxed);
        left -= size as u64;
    }
    if !declared {
        let _ = stream.write_all(b"0\r\n\r\n").await;
    }
    let _ = stream.shutdown().await;
}

async fn write_response(mut stream: TcpStream, response: &CannedResponse) {
    let mut head = format!(
        "HTTP/1.1 {} Canned\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        response.status,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&response.body).await;
    let _ = stream.shutdown().await;
    // Drain whatever the client still sends so the close is clean.
    let mut sink = [0u8; 64];
    let _ = stream.read(&mut sink).await;
}
