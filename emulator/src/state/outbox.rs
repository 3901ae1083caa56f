//! What the emulator would have sent: each code and link, to whom, over which channel, when.
//!
//! This is the test's view of the user's inbox, so it holds the secrets themselves; its `Debug`
//! still hides them so that a failing assertion's output carries no live code or token.
//!
//! [`Outbox`] keeps the messages in the order they were sent and indexes them by login id, so a
//! test's lookup (`last_message_for`, `GET /emulator/outbox?loginId=`) costs the same with two
//! messages or two hundred thousand, and holds the one lock for no longer.

use std::collections::HashMap;
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

/// Every message sent since the start or the last clear, oldest first, and the positions of
/// each login id's messages. Like the list before it, it grows until cleared (`DELETE
/// /emulator/outbox`, a reset): the index adds one position per message and one key per login
/// id.
#[derive(Clone, Default)]
pub struct Outbox {
    messages: Vec<OutboxMessage>,
    /// Login id → positions in `messages`, oldest first.
    by_login: HashMap<String, Vec<usize>>,
}

impl Outbox {
    pub fn push(&mut self, message: OutboxMessage) {
        let at = self.messages.len();
        match self.by_login.get_mut(&message.login_id) {
            Some(positions) => positions.push(at),
            None => {
                self.by_login.insert(message.login_id.clone(), vec![at]);
            }
        }
        self.messages.push(message);
    }

    /// How many messages there are.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn clear(&mut self) {
        self.messages.clear();
        self.by_login.clear();
    }

    /// Every message, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &OutboxMessage> {
        self.messages.iter()
    }

    /// The messages sent for `login_id`, oldest first.
    pub fn for_login<'a>(&'a self, login_id: &str) -> impl Iterator<Item = &'a OutboxMessage> {
        let positions = self.by_login.get(login_id).map_or(&[][..], Vec::as_slice);
        positions.iter().filter_map(|&at| self.messages.get(at))
    }

    /// The newest message sent for `login_id`.
    pub fn last_for(&self, login_id: &str) -> Option<&OutboxMessage> {
        let at = *self.by_login.get(login_id)?.last()?;
        self.messages.get(at)
    }

    /// Every message, oldest first, copied out.
    pub fn to_vec(&self) -> Vec<OutboxMessage> {
        self.messages.clone()
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

    fn code_to(login_id: &str, code: &str) -> OutboxMessage {
        OutboxMessage {
            login_id: login_id.into(),
            channel: Channel::Email,
            destination: login_id.into(),
            delivery: Delivery::Code(code.into()),
            sent_at: UNIX_EPOCH,
        }
    }

    #[test]
    fn lookups_by_login_id_find_the_newest_and_listing_keeps_the_order_sent() {
        let mut outbox = Outbox::default();
        assert!(outbox.last_for("jane@example.com").is_none());
        for (login_id, code) in [("jane", "000001"), ("john", "000002"), ("jane", "000003")] {
            outbox.push(code_to(&format!("{login_id}@example.com"), code));
        }
        let code = |m: Option<&OutboxMessage>| m.and_then(OutboxMessage::code).map(str::to_owned);
        assert_eq!(
            code(outbox.last_for("jane@example.com")).as_deref(),
            Some("000003")
        );
        assert_eq!(
            code(outbox.last_for("john@example.com")).as_deref(),
            Some("000002")
        );
        assert!(outbox.last_for("jim@example.com").is_none());
        let janes: Vec<_> = outbox
            .for_login("jane@example.com")
            .filter_map(OutboxMessage::code)
            .collect();
        assert_eq!(janes, ["000001", "000003"]);
        let all: Vec<_> = outbox.iter().filter_map(OutboxMessage::code).collect();
        assert_eq!(all, ["000001", "000002", "000003"]);
        assert_eq!(outbox.len(), 3);
        outbox.clear();
        assert!(outbox.len() == 0 && outbox.last_for("jane@example.com").is_none());
        outbox.push(code_to("jane@example.com", "000004"));
        assert_eq!(
            code(outbox.last_for("jane@example.com")).as_deref(),
            Some("000004")
        );
        assert_eq!(outbox.for_login("jane@example.com").count(), 1);
    }
}
