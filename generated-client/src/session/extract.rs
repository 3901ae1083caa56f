//! Finding a request's tokens in its headers, for any framework built on the `http` types:
//! the session JWT from `Authorization: Bearer` (the scheme in any case), else from the session
//! cookie; the refresh JWT only from the refresh cookie (as Descope's Go SDK reads them).
//!
//! ```
//! use descope_client::session::cookies::CookieOptions;
//! use descope_client::session::extract;
//! use reqwest::header::{HeaderMap, HeaderValue, COOKIE};
//!
//! let mut headers = HeaderMap::new();
//! headers.insert(COOKIE, HeaderValue::from_static("theme=dark; DS=a.b.c; DSR=d.e.f"));
//! let names = CookieOptions::default();
//! assert_eq!(extract::session_token(&headers, &names), Some("a.b.c"));
//! assert_eq!(extract::refresh_token(&headers, &names), Some("d.e.f"));
//! ```
//!
//! `DPoP`-bound tokens are not taken: their proof would have to be checked too.

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap};

use super::cookies::CookieOptions;

/// The session JWT: the bearer token of `Authorization`, else the session cookie.
pub fn session_token<'h>(headers: &'h HeaderMap, names: &CookieOptions) -> Option<&'h str> {
    bearer_token(headers).or_else(|| cookie(headers, names.session_cookie_name()))
}

/// The refresh JWT, from the refresh cookie.
pub fn refresh_token<'h>(headers: &'h HeaderMap, names: &CookieOptions) -> Option<&'h str> {
    cookie(headers, names.refresh_cookie_name())
}

/// The token of `Authorization: Bearer <token>`; the scheme is matched in any case.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

/// The first non-empty value of cookie `name` among the `Cookie` headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|header| header.to_str().ok())
        .flat_map(|header| header.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            (key.trim() == name && !value.is_empty()).then_some(value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_bearer_header_wins_over_the_cookie_and_its_scheme_ignores_case() {
        let names = CookieOptions::default();
        for scheme in ["Bearer", "bearer", "BEARER"] {
            let value: &'static str = Box::leak(format!("{scheme}  h.p.s ").into_boxed_str());
            let found = headers(&[("authorization", value), ("cookie", "DS=c.o.o")]);
            assert_eq!(session_token(&found, &names), Some("h.p.s"), "{scheme}");
        }
        let cookie_only = headers(&[("cookie", "DS=c.o.o")]);
        assert_eq!(session_token(&cookie_only, &names), Some("c.o.o"));
    }

    #[test]
    fn other_schemes_and_empty_values_are_not_tokens() {
        let names = CookieOptions::default();
        for value in [
            "Basic dXNlcjpwYXNz",
            "DPoP h.p.s",
            "Bearer",
            "Bearer ",
            "Bearer a b",
        ] {
            let found = headers(&[("authorization", value)]);
            assert_eq!(session_token(&found, &names), None, "{value}");
        }
        assert_eq!(
            session_token(&headers(&[("cookie", "DS=; DSR=")]), &names),
            None
        );
    }

    #[test]
    fn cookies_are_found_by_exact_name_across_headers() {
        let names = CookieOptions::default().refresh_name("app_refresh");
        let found = headers(&[
            ("cookie", "DSRX=no; a=b"),
            ("cookie", "app_refresh=\"r.e.f\"; DS=s"),
        ]);
        assert_eq!(refresh_token(&found, &names), Some("r.e.f"));
        assert_eq!(cookie(&found, "DSR"), None);
    }
}
