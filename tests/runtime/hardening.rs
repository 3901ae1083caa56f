//! The client against a hostile or broken server and a careless caller: bounded bodies,
//! redirects not followed, `Retry-After` in both forms, cookie tokens hidden in `Debug`, tokens
//! checked before they are sent, long service texts cut, what the call sent scrubbed from the
//! error it got, compressed bodies named.

use std::time::{Duration, Instant};

use descope_client::{Client, Error, MAX_ERROR_TEXT_CHARS, RetryPolicy, types};
use descope_shape_tests::{Behaviour, CannedResponse, RecordingServer};

const MIB: u64 = 1024 * 1024;

fn client(server: &RecordingServer) -> Client {
    Client::builder("P2Hardening")
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .max_response_bytes(MIB as usize)
        .build()
        .unwrap()
}

async fn verify(client: &Client) -> Result<descope_client::Response<types::JwtResponse>, Error> {
    client.verify_magic_link("t0ken").send().await
}

fn answer(status: u16, headers: &[(&str, &str)], body: &[u8]) -> CannedResponse {
    CannedResponse {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_vec(),
    }
}

#[tokio::test]
async fn long_bodies_are_read_only_up_to_the_limit() {
    for status in [200, 500] {
        for declared in [true, false] {
            let server = RecordingServer::start().await;
            server.script(vec![Behaviour::Stream {
                status,
                length: Some(64 * MIB),
                declared,
            }]);
            let error = verify(&client(&server)).await.unwrap_err();
            let shown = error.to_string();
            assert!(
                shown.contains("longer than the 1048576-byte limit"),
                "{status} declared={declared}: {shown}"
            );
            match (status, &error) {
                (200, Error::Decode(_)) => {}
                (500, Error::Service(service)) => {
                    assert_eq!(service.status.as_u16(), 500);
                    assert!(service.body_excerpt.as_deref().unwrap().len() < 500);
                }
                _ => panic!("{status}: {error:?}"),
            }
            // Reading stopped: most of the 64 MiB was never sent.
            let sent = server.streamed();
            assert!(sent < 16 * MIB, "{sent} bytes streamed");
        }
    }
}

#[tokio::test]
async fn an_endless_body_ends_at_the_limit_not_at_the_timeout() {
    let server = RecordingServer::start().await;
    server.script(vec![Behaviour::Stream {
        status: 200,
        length: None,
        declared: false,
    }]);
    let started = Instant::now();
    let error = verify(&client(&server)).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_redirect_is_an_error_naming_its_target_and_nothing_follows_it() {
    let elsewhere = RecordingServer::start().await;
    for status in [301, 302, 307, 308] {
        let server = RecordingServer::start().await;
        let target = format!("{}/steal", elsewhere.base_url);
        server.respond_with(answer(status, &[("location", &target)], b""));
        let error = verify(&client(&server)).await.unwrap_err();
        let Error::Service(service) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(service.redirected_to.as_deref(), Some(target.as_str()));
        assert!(
            error.to_string().contains("which is not followed"),
            "{error}"
        );
        assert_eq!(server.take().len(), 1);
    }
    assert!(elsewhere.take().is_empty(), "the body went nowhere else");
}

#[tokio::test]
async fn retry_after_is_read_as_a_date_too_and_lengthens_a_retry() {
    let server = RecordingServer::start().await;
    let in_a_minute = httpdate_in(60);
    server.respond_with(answer(
        429,
        &[("retry-after", &in_a_minute)],
        br#"{"errorCode":"E130429"}"#,
    ));
    let error = verify(&client(&server)).await.unwrap_err();
    let Error::Service(service) = &error else {
        panic!("{error:?}")
    };
    let asked = service.retry_after.unwrap();
    assert!((55..=60).contains(&asked.as_secs()), "{asked:?}");

    // A 503 asking for 1 s is retried after 1 s, not after the policy's 100 ms.
    let retrying = Client::builder("P2Hardening")
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::default().with_delays([Duration::from_millis(100)]))
        .build()
        .unwrap();
    server.take();
    server.script(vec![
        Behaviour::Answer(answer(503, &[("retry-after", "1")], b"")),
        Behaviour::Answer(answer(200, &[], b"{}")),
    ]);
    let started = Instant::now();
    verify(&retrying).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.take().len(), 2);

    // Asking for an hour ends the retries at once; the error carries the delay.
    server.script(vec![Behaviour::Answer(answer(
        503,
        &[("retry-after", "3600")],
        b"",
    ))]);
    let error = verify(&retrying).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    let Error::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(service.retry_after, Some(Duration::from_secs(3600)));
}

fn httpdate_in(seconds: u64) -> String {
    // RFC 7231 IMF-fixdate, written by hand so the test does not share the client's parser.
    let at = std::time::SystemTime::now() + Duration::from_secs(seconds);
    let secs = at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        names[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[tokio::test]
async fn cookie_tokens_are_hidden_in_debug_and_the_last_one_wins() {
    let server = RecordingServer::start().await;
    server.respond_with(answer(
        200,
        &[
            ("set-cookie", "DSR=first-SECRET; Path=/"),
            ("set-cookie", "DSR=second-SECRET; Path=/"),
            ("set-cookie", "DS=session-SECRET; Path=/"),
        ],
        b"{}",
    ));
    let response = verify(&client(&server)).await.unwrap();
    assert_eq!(response.refresh_jwt.as_deref(), Some("second-SECRET"));
    let shown = format!(
        "{:?} {:#?} {response:?}",
        response.headers(),
        response.headers()
    );
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("set-cookie"), "the names stay");

    // A token field of the wrong type is the body's error: the cookie does not cover it.
    server.respond_with(answer(
        200,
        &[("set-cookie", "DSR=cookie")],
        br#"{"refreshJwt": 7}"#,
    ));
    assert!(matches!(
        verify(&client(&server)).await,
        Err(Error::Decode(_))
    ));
}

#[tokio::test]
async fn a_token_that_is_not_a_jwt_is_never_sent() {
    let server = RecordingServer::start().await;
    let plain = client(&server);
    for bad in [
        "",
        "   ",
        "eyJh.eyJz.c2ln\r\nX-Injected: 1",
        "ключ.ключ.ключ",
    ] {
        let error = plain
            .update_email_otp(bad, "jane@example.com", "jane@example.org")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{bad:?}: {error}"
        );
        assert!(plain.try_with_refresh_jwt(bad).is_err(), "{bad:?}");
    }
    assert!(server.take().is_empty());
    assert!(plain.try_with_session_jwt("a.b.c").is_ok());
}

#[tokio::test]
async fn a_huge_error_description_is_cut_in_display_and_debug() {
    let server = RecordingServer::start().await;
    let description = "y".repeat(1 << 20);
    let body = format!(r#"{{"errorCode":"E011003","errorDescription":"{description}"}}"#);
    let client = Client::builder("P2Hardening")
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    server.respond_with(answer(400, &[], body.as_bytes()));
    let error = verify(&client).await.unwrap_err();
    assert!(error.to_string().len() < 1000);
    assert!(format!("{error:?}").len() < 2 * MAX_ERROR_TEXT_CHARS + 1000);
    let Error::Service(service) = error else {
        panic!()
    };
    assert_eq!(
        service.description.chars().count(),
        MAX_ERROR_TEXT_CHARS + 1
    );
}

#[tokio::test]
async fn an_error_that_echoes_what_the_call_sent_shows_none_of_it() {
    let server = RecordingServer::start().await;
    let client = Client::builder("P2Hardening")
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::none())
        .management_key("K2echoedManagementKey")
        .build()
        .unwrap();
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJVMiJ9.c2lnbmF0dXJl";
    let secrets = ["K2echoedManagementKey", "t0kenFromTheBody", jwt];
    let shows_none = |error: Error| {
        for shown in [error.to_string(), format!("{error:?}")] {
            for secret in secrets {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            assert!(shown.contains("[redacted]"), "{shown}");
        }
    };
    // A proxy's page quoting the request's headers, on a call with the management key.
    server.respond_with(answer(
        401,
        &[("content-type", "text/html")],
        b"<html>Authorization: Bearer P2Hardening:K2echoedManagementKey refused</html>",
    ));
    shows_none(client.load_user().user_id("U2x").send().await.unwrap_err());
    // A message quoting the body's token, and a JWT from elsewhere.
    server.respond_with(answer(
        400,
        &[],
        format!(
            r#"{{"errorCode":"E011003","errorDescription":"token t0kenFromTheBody is bad",
                "errorMessage":"see {jwt}"}}"#
        )
        .as_bytes(),
    ));
    shows_none(
        client
            .verify_magic_link("t0kenFromTheBody")
            .send()
            .await
            .unwrap_err(),
    );
}

#[tokio::test]
async fn a_compressed_body_is_named_in_the_error() {
    let server = RecordingServer::start().await;
    // A gzip stream's magic bytes, as a proxy that compresses unasked would send.
    server.respond_with(answer(
        200,
        &[("content-encoding", "gzip")],
        &[0x1f, 0x8b, 8, 0, 0],
    ));
    let error = verify(&client(&server)).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`gzip`-encoded, which the client neither asks for nor decodes"),
        "{error}"
    );
    let sent = server.take();
    assert_eq!(sent[0].header("accept-encoding"), None, "none is asked for");
}
