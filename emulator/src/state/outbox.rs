//! What the emulator would have sent: each code and link, to whom, over which channel, when.
//!
//! This is the test's view of the user's inbox, so it holds the secrets themselves; its `Debug`
//! still hides them so that a failing assertion's output carries no live code or token.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// What a message carried.
#[derive(Clone, PartialEq, Eq)]
pub enum Delivery {
    /// A six-digit one-time code.
    Code(String),
    /// A magic link: the token and the full link (`<URI>?t=<token>`).
    Link { token: String, url: String },
}

/// One message that would have been sent.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// The login id of the call that sent it (for updates, the signed-in user's login id).
    pub login_id: String,
    pub channel: Channel,
    /// The email address or phone number it went to.
    pub destination: String,
    pub delivery: Delivery,
    /// When it was sent, on the emulator's clock (see `Emulator::advance_clock`).
    pub sent_at: SystemTime,
}

impl OutboxMessage {
    /// The one-time code, for OTP messages.
    pub fn code(&self) -> Option<&str> {
        match &self.delivery {
            Delivery::Code(code) => Some(code),
            Delivery::Link { .. } => None,
        }
    }

    /// The magic-link token (the link's `t` parameter), for magic-link messages.
    pub fn token(&self) -> Option<&str> {
        match &self.delivery {
            Delivery::Link { token, .. } => Some(token),
            Delivery::Code(_) => None,
        }
    }

    /// The whole magic link, for magic-link messages.
    pub fn link(&self) -> Option<&str> {
        match &self.delivery {
            Delivery::Link { url, .. } => Some(url),
            Delivery::Code(_) => None,
        }
    }

    /// The form `GET /emulator/outbox` serves.
    pub fn to_json(&self) -> Value {
        let sent_at_ms = self
            .sent_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64);
        let mut message = json!({
            "loginId": self.login_id,
            "channel": self.channel.as_str(),
            "destination": self.destination,
            "sentAtMs": sent_at_ms,
        });
        match &self.delivery {
            Delivery::Code(code) => {
                message["kind"] = json!("otp");
                message["code"] = json!(code);
            }
            Delivery::Link { token, url } => {
                message["kind"] = json!("magicLink");
                message["token"] = json!(token);
                message["link"] = json!(url);
            }
        }
        message
    }
}

impl fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.delivery {
            Delivery::Code(_) => "code <redacted>",
            Delivery::Link { .. } => "link <redacted>",
        };
        f.debug_struct("OutboxMessage")
            .field("login_id", &self.login_id)
            .field("channel", &self.channel)
            .field("destination", &self.destination)
            .field("delivery", &kind)
            .field("sent_at", &self.sent_at)
            .finish()
    }
}

/// A delivery method, by the name the paths and `amr` give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Sms,
    Voice,
    Whatsapp,
    Im,
}

impl Channel {
    pub fn parse(text: &str) -> Option<Channel> {
        Some(match text {
            "email" => Channel::Email,
            "sms" => Channel::Sms,
            "voice" => Channel::Voice,
            "whatsapp" => Channel::Whatsapp,
            "im" => Channel::Im,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Whatsapp => "whatsapp",
            Channel::Im => "im",
        }
    }

    pub fn is_email(self) -> bool {
        self == Channel::Email
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_code_and_the_token() {
        let code = OutboxMessage {
            login_id: "jane@example.com".into(),
            channel: Channel::Email,
            destination: "jane@example.com".into(),
            delivery: Delivery::Code("493817".into()),
            sent_at: UNIX_EPOCH,
        };
        let shown = format!("{code:?}");
        assert!(
            !shown.contains("493817") && shown.contains("jane@"),
            "{shown}"
        );
        let link = OutboxMessage {
            delivery: Delivery::Link {
                token: "abcdef".into(),
                url: "https://x/?t=abcdef".into(),
            },
            ..code
        };
        assert!(!format!("{link:?}").contains("abcdef"));
        assert_eq!(link.to_json()["token"], "abcdef");
    }
}
