//! Who may call a server that every web page the developer has open can reach: the checks each
//! request passes before it is routed.
//!
//! - **Host** (every request): a page whose name an attacker makes resolve to 127.0.0.1 (DNS
//!   rebinding) is same-origin with the emulator in the browser's eyes and could read the
//!   outbox; its requests still carry its own name in `Host`. Only loopback names (`127.0.0.1`,
//!   `localhost`, `[::1]`, any port), [`EmulatorConfig::allowed_hosts`] and the specific
//!   address the emulator listens on ([`EmulatorConfig::listen`], not `0.0.0.0`) pass; a request
//!   without `Host` (HTTP/1.0 tools; no browser sends one) passes too.
//! - **The admin API's changes** (`POST`, `PUT`, `PATCH`, `DELETE` under `/emulator/`): a page
//!   of any origin can make the browser send a "simple" request (a form, or `fetch` with a
//!   `text/plain` body or none) without asking the server first. Such a change must carry
//!   `Content-Type: application/json` (body or not), which no page can send without a CORS
//!   preflight the emulator never grants, and an `Origin`, when there is one, must be loopback
//!   or an allowed host.
//! - **Bodies of the API's operations** must be declared JSON (`application/json`, parameters
//!   such as `; charset=utf-8` allowed) when they carry anything but whitespace: 415 otherwise.

use std::net::IpAddr;

use hyper::header::{CONTENT_TYPE, HOST, ORIGIN};
use hyper::{HeaderMap, Method, Uri};

use crate::error::ApiError;
use crate::setup::config::EmulatorConfig;

/// Refuses a request whose `Host` (or absolute-form target) names neither loopback nor an
/// allowed host.
pub fn check_host(headers: &HeaderMap, uri: &Uri, config: &EmulatorConfig) -> Result<(), ApiError> {
    for value in headers.get_all(HOST) {
        let host = value.to_str().unwrap_or("<not ASCII>");
        if !host_allowed(host, &config.allowed_hosts, config.listen) {
            return Err(ApiError::host_refused(host));
        }
    }
    if let Some(authority) = uri.authority()
        && !host_allowed(authority.as_str(), &config.allowed_hosts, config.listen)
    {
        return Err(ApiError::host_refused(authority.as_str()));
    }
    Ok(())
}

/// Whether a change to the admin API (`method` on an `/emulator/…` path) must pass
/// [`check_admin_change`].
pub fn is_change(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// Refuses an admin change that a web page could have sent without a preflight: an `Origin`
/// that is not loopback or an allowed host (403), or a `Content-Type` other than JSON (415).
pub fn check_admin_change(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    config: &EmulatorConfig,
) -> Result<(), ApiError> {
    for value in headers.get_all(ORIGIN) {
        let origin = value.to_str().unwrap_or("<not ASCII>");
        if !origin_allowed(origin, &config.allowed_hosts, config.listen) {
            return Err(ApiError::origin_refused(origin, method.as_str(), path));
        }
    }
    if !declares_json(headers) {
        return Err(ApiError::admin_needs_json(
            method.as_str(),
            path,
            content_type(headers),
        ));
    }
    Ok(())
}

/// Whether the request's `Content-Type` is `application/json` (any case, any parameters).
pub fn declares_json(headers: &HeaderMap) -> bool {
    content_type(headers).is_some_and(|value| {
        let essence = value.split(';').next().unwrap_or_default().trim();
        essence.eq_ignore_ascii_case("application/json")
    })
}

/// The `Content-Type` as text, if there is one.
pub fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(CONTENT_TYPE)
        .map(|value| value.to_str().unwrap_or("<not ASCII>"))
}

/// `host[:port]` with a loopback or allowed host, or the specific address listened on, and a
/// port of digits (or none).
fn host_allowed(value: &str, allowed: &[String], listen: IpAddr) -> bool {
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        // An IPv6 literal: loopback's, or the address listened on.
        match rest.split_once(']') {
            Some((inside, port)) => (&value[..inside.len() + 2], port),
            None => return false,
        }
    } else {
        match value.split_once(':') {
            Some((host, _)) => (host, &value[host.len()..]),
            None => (value, ""),
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|loopback| host.eq_ignore_ascii_case(loopback))
        || allowed.iter().any(|name| host.eq_ignore_ascii_case(name))
        || (!listen.is_unspecified()
            && host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip == listen));
    port_ok && host_ok
}

/// `http://host[:port]` or `https://…` with a host [`host_allowed`] takes; `null` (a sandboxed
/// page, a file, a redirect across origins) never.
fn origin_allowed(origin: &str, allowed: &[String], listen: IpAddr) -> bool {
    let lower = origin.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    rest.is_some_and(|host| !host.contains('/') && host_allowed(host, allowed, listen))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn loopback_and_allowed_hosts_pass_with_or_without_a_port() {
        let allowed = vec!["emulator".to_owned()];
        for host in [
            "127.0.0.1",
            "127.0.0.1:4000",
            "localhost",
            "LOCALHOST:80",
            "[::1]",
            "[::1]:4000",
            "emulator",
            "Emulator:4000",
        ] {
            assert!(host_allowed(host, &allowed, LOOPBACK), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:4000",
            "127.0.0.1.evil.example",
            "localhost.evil.example:4000",
            "emulatorx",
            "127.0.0.2",
            "[::2]:4000",
            "[::1",
            "127.0.0.1:x",
            "127.0.0.1:4000:5",
            "",
            "emulator@evil",
        ] {
            assert!(!host_allowed(host, &allowed, LOOPBACK), "{host}");
        }
        assert!(!host_allowed("emulator", &[], LOOPBACK));
    }

    #[test]
    fn the_specific_address_listened_on_is_an_allowed_host() {
        let listen: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(host_allowed("10.1.2.3:4000", &[], listen));
        assert!(!host_allowed("10.1.2.4:4000", &[], listen));
        let v6: IpAddr = "fd00::7".parse().unwrap();
        assert!(host_allowed("[fd00::7]:4000", &[], v6));
        // Listening on every address makes no address an allowed host of its own.
        assert!(!host_allowed(
            "0.0.0.0:4000",
            &[],
            "0.0.0.0".parse().unwrap()
        ));
        assert!(!host_allowed(
            "10.1.2.3:4000",
            &[],
            "0.0.0.0".parse().unwrap()
        ));
    }

    #[test]
    fn origins_must_be_web_origins_on_allowed_hosts() {
        let allowed = vec!["emulator".to_owned()];
        for origin in [
            "http://localhost:3000",
            "https://127.0.0.1",
            "http://emulator:4000",
        ] {
            assert!(origin_allowed(origin, &allowed, LOOPBACK), "{origin}");
        }
        for origin in [
            "null",
            "https://evil.example",
            "http://localhost.evil.example",
            "file://",
            "http://localhost:3000/path",
            "localhost:3000",
        ] {
            assert!(!origin_allowed(origin, &allowed, LOOPBACK), "{origin}");
        }
    }

    #[test]
    fn json_is_application_json_with_any_parameters() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, value.parse().unwrap());
            declares_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("application/json; charset=utf-8"));
        assert!(with("Application/JSON;charset=UTF-8"));
        assert!(!with("text/plain"));
        assert!(!with("text/plain;charset=UTF-8"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("multipart/form-data; boundary=x"));
        assert!(!with("application/jsonx"));
        assert!(!declares_json(&HeaderMap::new()));
    }
}
