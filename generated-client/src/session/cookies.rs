//! `Set-Cookie` values for the session (`DS`) and refresh (`DSR`) cookies: after sign-in, after a
//! refresh, and the deletions after sign-out.
//!
//! Every cookie is `HttpOnly` (page scripts never read tokens), `Secure` and `SameSite=Strict`
//! unless configured otherwise, with `Path=/`. The values are marked sensitive, so HTTP-level
//! logging leaves them out. A token that holds characters a cookie cannot carry (which no JWT
//! does) gives no cookie rather than one whose attributes it could rewrite.

use std::time::SystemTime;

use reqwest::header::HeaderValue;

use super::RefreshedSession;
use crate::types::JwtResponse;

/// The `SameSite` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// Sent only on requests from the site itself (the default).
    Strict,
    /// Also sent on top-level navigations from other sites.
    Lax,
    /// Sent on cross-site requests too; browsers require `Secure` with it.
    None,
}

/// How the cookies are named and scoped.
///
/// ```
/// use descope_client::session::cookies::{CookieOptions, SameSite};
///
/// let cookies = CookieOptions::default().domain("example.com").same_site(SameSite::Lax);
/// let [session, refresh] = cookies.deletion();
/// assert!(session.to_str().unwrap().starts_with("DS=; "));
/// assert!(refresh.to_str().unwrap().contains("Max-Age=0"));
/// ```
#[derive(Clone, Debug)]
pub struct CookieOptions {
    session_name: String,
    refresh_name: String,
    domain: Option<String>,
    path: String,
    secure: bool,
    same_site: SameSite,
}

impl Default for CookieOptions {
    fn default() -> Self {
        CookieOptions {
            session_name: "DS".to_owned(),
            refresh_name: "DSR".to_owned(),
            domain: None,
            path: "/".to_owned(),
            secure: true,
            same_site: SameSite::Strict,
        }
    }
}

impl CookieOptions {
    /// The session cookie's name; `DS` by default, as Descope's SDKs name it.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// The refresh cookie's name; `DSR` by default.
    pub fn refresh_name(mut self, name: impl Into<String>) -> Self {
        self.refresh_name = name.into();
        self
    }

    /// The `Domain` attribute. Without it, Descope's `cookieDomain` from the answer is used when
    /// it has one, else none (the cookie stays on the host that set it).
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The `Path` attribute; `/` by default.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Whether to add `Secure`; on by default. Turn it off only for plain-HTTP local development.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The `SameSite` attribute; `Strict` by default.
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    pub(crate) fn session_cookie_name(&self) -> &str {
        &self.session_name
    }

    pub(crate) fn refresh_cookie_name(&self) -> &str {
        &self.refresh_name
    }

    /// The cookies for a sign-in answer (a verify's `JwtResponse`): the session JWT until
    /// `sessionExpiration`, the refresh JWT for `cookieMaxAge` (or until `cookieExpiration`).
    pub fn signed_in(&self, tokens: &JwtResponse) -> Vec<HeaderValue> {
        let domain = tokens.cookie_domain.as_deref();
        let mut cookies = Vec::with_capacity(2);
        if let Some(session) = tokens.session_jwt.as_deref() {
            let max_age = tokens.session_expiration.map(seconds_until);
            cookies.extend(self.cookie(&self.session_name, session, max_age, domain));
        }
        if let Some(refresh) = tokens.refresh_jwt.as_deref() {
            cookies.extend(self.cookie(
                &self.refresh_name,
                refresh,
                refresh_max_age(tokens),
                domain,
            ));
        }
        cookies
    }

    /// The cookies for a refreshed session: the new session JWT until it expires, and the new
    /// refresh JWT when Descope rotated it (the old `DSR` cookie stays valid otherwise).
    pub fn refreshed(&self, refreshed: &RefreshedSession) -> Vec<HeaderValue> {
        let answer = &refreshed.response;
        let domain = answer.cookie_domain.as_deref();
        let mut cookies = Vec::with_capacity(2);
        let until = refreshed
            .session
            .expires_at()
            .duration_since(SystemTime::now())
            .map_or(0, |left| i64::try_from(left.as_secs()).unwrap_or(i64::MAX));
        cookies.extend(self.cookie(
            &self.session_name,
            refreshed.session.token().expose(),
            Some(until),
            domain,
        ));
        if let Some(rotated) = &refreshed.rotated_refresh_jwt {
            cookies.extend(self.cookie(
                &self.refresh_name,
                rotated.expose(),
                refresh_max_age(answer),
                domain,
            ));
        }
        cookies
    }

    /// The two cookies that delete the session and refresh cookies, for after sign-out.
    pub fn deletion(&self) -> [HeaderValue; 2] {
        [&self.session_name, &self.refresh_name].map(|name| {
            self.cookie(name, "", Some(0), None)
                .unwrap_or_else(|| HeaderValue::from_static("DS=; Max-Age=0; Path=/"))
        })
    }

    /// `name=value; attributes`, or `None` when the value or a name cannot be a cookie.
    fn cookie(
        &self,
        name: &str,
        value: &str,
        max_age: Option<i64>,
        answer_domain: Option<&str>,
    ) -> Option<HeaderValue> {
        if !name.bytes().all(is_token_char) || !value.bytes().all(is_cookie_octet) {
            tracing::warn!(
                cookie = name,
                "a token cannot be sent as a cookie; none was set"
            );
            return None;
        }
        let mut text = format!("{name}={value}; Path={}", self.path);
        if let Some(domain) = self
            .domain
            .as_deref()
            .or(answer_domain)
            .filter(|d| !d.is_empty() && d.bytes().all(is_cookie_octet))
        {
            text.push_str(&format!("; Domain={domain}"));
        }
        if let Some(max_age) = max_age {
            text.push_str(&format!("; Max-Age={}", max_age.max(0)));
        }
        text.push_str("; HttpOnly");
        if self.secure || self.same_site == SameSite::None {
            text.push_str("; Secure");
        }
        text.push_str(match self.same_site {
            SameSite::Strict => "; SameSite=Strict",
            SameSite::Lax => "; SameSite=Lax",
            SameSite::None => "; SameSite=None",
        });
        let mut header = HeaderValue::from_str(&text).ok()?;
        header.set_sensitive(true);
        Some(header)
    }
}

/// The refresh cookie's lifetime: `cookieMaxAge`, else the time left until `cookieExpiration`.
fn refresh_max_age(answer: &JwtResponse) -> Option<i64> {
    match (answer.cookie_max_age, answer.cookie_expiration) {
        (Some(max_age), _) if max_age > 0 => Some(i64::from(max_age)),
        (_, Some(expiration)) if expiration > 0 => Some(seconds_until(expiration)),
        _ => None,
    }
}

fn seconds_until(unix: i64) -> i64 {
    unix.saturating_sub(super::now()).max(0)
}

/// RFC 6265 cookie-octet: visible ASCII except `"`, `,`, `;` and `\`.
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// RFC 7230 token characters, for cookie names.
fn is_token_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(value: serde_json::Value) -> JwtResponse {
        serde_json::from_value(value).unwrap()
    }

    fn shown(cookies: &[HeaderValue]) -> Vec<String> {
        cookies
            .iter()
            .map(|c| c.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn sign_in_cookies_carry_both_tokens_with_their_lifetimes() {
        let in_an_hour = super::super::now() + 3600;
        let tokens = answer(serde_json::json!({
            "sessionJwt": "a.b.c", "refreshJwt": "d.e.f", "sessionExpiration": in_an_hour,
            "cookieMaxAge": 2419200, "cookieDomain": "example.com"
        }));
        let cookies = CookieOptions::default().signed_in(&tokens);
        let text = shown(&cookies);
        assert!(
            text[0].starts_with("DS=a.b.c; Path=/; Domain=example.com; Max-Age="),
            "{text:?}"
        );
        let max_age: i64 = text[0]
            .split("Max-Age=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((3590..=3600).contains(&max_age), "{max_age}");
        assert!(text[0].ends_with("; HttpOnly; Secure; SameSite=Strict"));
        assert_eq!(
            text[1],
            "DSR=d.e.f; Path=/; Domain=example.com; Max-Age=2419200; HttpOnly; Secure; SameSite=Strict"
        );
        assert!(cookies.iter().all(HeaderValue::is_sensitive));
    }

    #[test]
    fn a_value_that_could_add_attributes_gives_no_cookie() {
        let tokens = answer(
            serde_json::json!({"sessionJwt": "a.b.c; Domain=evil.example", "refreshJwt": "ok"}),
        );
        let text = shown(&CookieOptions::default().signed_in(&tokens));
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(text[0].starts_with("DSR=ok;"));
    }

    #[test]
    fn options_rename_and_rescope() {
        let options = CookieOptions::default()
            .session_name("app_session")
            .refresh_name("app_refresh")
            .domain("app.example.com")
            .path("/api")
            .secure(false)
            .same_site(SameSite::Lax);
        let [session, refresh] = options.deletion();
        assert_eq!(
            session.to_str().unwrap(),
            "app_session=; Path=/api; Domain=app.example.com; Max-Age=0; HttpOnly; SameSite=Lax"
        );
        assert!(refresh.to_str().unwrap().starts_with("app_refresh=; "));
        let none = CookieOptions::default()
            .secure(false)
            .same_site(SameSite::None);
        assert!(
            none.deletion()[0]
                .to_str()
                .unwrap()
                .contains("; Secure; SameSite=None")
        );
    }
}
