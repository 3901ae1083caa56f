//! A loopback HTTP/1.1 server that records every request and answers with a canned response.
//!
//! Deliberately tiny (one request per connection, `Connection: close`): it must show exactly
//! what arrives on the wire, with nothing between the client and the recording.

use std::sync::{Arc, Mutex};

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

pub struct RecordingServer {
    pub base_url: String,
    recorded: Arc<Mutex<Vec<RecordedRequest>>>,
    response: Arc<Mutex<CannedResponse>>,
}

impl RecordingServer {
    /// Starts on a free loopback port; the server lives as long as the tokio runtime.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port is free");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let response = Arc::new(Mutex::new(CannedResponse {
            status: 200,
            headers: Vec::new(),
            body: b"{}".to_vec(),
        }));
        let (log, canned) = (recorded.clone(), response.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, canned) = (log.clone(), canned.clone());
                tokio::spawn(async move {
                    if let Some(request) = read_request(&stream).await {
                        log.lock().unwrap().push(request);
                        let answer = canned.lock().unwrap().clone();
                        write_response(stream, &answer).await;
                    }
                });
            }
        });
        RecordingServer {
            base_url,
            recorded,
            response,
        }
    }

    /// Sets the answer to the following requests.
    pub fn respond_with(&self, response: CannedResponse) {
        *self.response.lock().unwrap() = response;
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
