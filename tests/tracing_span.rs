//! Each call runs in a `descope.call` span that names the operation, status, attempts and
//! duration, and records nothing secret.

use std::io::Write;
use std::sync::{Arc, Mutex};

use descope_client::{Client, RetryPolicy};
use descope_shape_tests::{CannedResponse, RecordingServer};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// The subscriber is set for this thread only; a current-thread runtime keeps the call on it.
#[tokio::test(flavor = "current_thread")]
async fn a_call_is_one_span_with_operation_status_attempts_and_duration() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Alone in its test binary (see Cargo.toml), so no other thread meets the span's callsite
    // first without a subscriber.

    let server = RecordingServer::start().await;
    server.respond_with(CannedResponse {
        status: 200,
        headers: vec![("set-cookie".into(), "DSR=cookie-secret".into())],
        body: br#"{"sessionJwt":"session-secret"}"#.to_vec(),
    });
    let client = Client::builder("P2Tracing")
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .with_refresh_jwt("refresh-secret");
    client
        .verify_otp_sms("+14155550123", "code-secret")
        .send()
        .await
        .unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closed = output
        .lines()
        .find(|line| line.contains("descope.call") && line.contains("close"))
        .unwrap_or_else(|| panic!("no closed descope.call span in:\n{output}"));
    for field in [
        "operation=\"VerifyOtpSms\"",
        "status=200",
        "attempts=1",
        "duration_ms=",
    ] {
        assert!(closed.contains(field), "`{field}` missing from: {closed}");
    }
    assert!(
        !output.contains("secret"),
        "a secret reached tracing:\n{output}"
    );
}
