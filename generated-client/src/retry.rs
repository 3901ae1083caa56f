//! When a call is sent again: the statuses that mean "try again" and how long to wait first.

use std::time::Duration;

use reqwest::StatusCode;

/// Which answers are retried, and after what delays.
///
/// The default is the policy of Descope's Go SDK: an answer of 503, 520, 521, 522, 524 or 530 is
/// retried after 100 ms, then 5 s, then 5 s, so a call makes at most four attempts. 429 is never
/// retried by default: the caller sees [`ServiceError::retry_after`](crate::ServiceError) and
/// decides. Connection failures and timeouts are not retried either, because the request may have
/// reached the service (a retried sign-up could send a second code).
///
/// ```
/// use std::time::Duration;
/// use descope_client::{Client, RetryPolicy};
///
/// # fn main() -> Result<(), descope_client::BuildError> {
/// let patient = Client::builder("P2abc")
///     .retry_policy(RetryPolicy::default().with_delays([Duration::from_secs(1); 5]))
///     .build()?;
/// let impatient = Client::builder("P2abc").retry_policy(RetryPolicy::none()).build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    statuses: Vec<StatusCode>,
    delays: Vec<Duration>,
}

/// The Go SDK's retried statuses.
const OFFICIAL_STATUSES: [u16; 6] = [503, 520, 521, 522, 524, 530];

/// The Go SDK's waits before the first, second and third retry.
const OFFICIAL_DELAYS: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_secs(5),
    Duration::from_secs(5),
];

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            statuses: OFFICIAL_STATUSES
                .iter()
                .filter_map(|&code| StatusCode::from_u16(code).ok())
                .collect(),
            delays: OFFICIAL_DELAYS.to_vec(),
        }
    }
}

impl RetryPolicy {
    /// Never retries: every call makes one attempt.
    pub fn none() -> Self {
        RetryPolicy {
            statuses: Vec::new(),
            delays: Vec::new(),
        }
    }

    /// Waits these delays before the successive retries; their number is the most retries made.
    pub fn with_delays(mut self, delays: impl IntoIterator<Item = Duration>) -> Self {
        self.delays = delays.into_iter().collect();
        self
    }

    /// Retries answers with these statuses instead of the default ones.
    pub fn with_statuses(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// The most requests one call sends.
    pub fn max_attempts(&self) -> u32 {
        u32::try_from(self.delays.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1)
    }

    /// How long to wait before sending again, after `attempts` requests got `status`; `None`
    /// when the answer stands.
    pub(crate) fn delay_after(&self, status: StatusCode, attempts: u32) -> Option<Duration> {
        if !self.statuses.contains(&status) {
            return None;
        }
        let retry_index = usize::try_from(attempts).ok()?.checked_sub(1)?;
        self.delays.get(retry_index).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_follows_the_go_sdk() {
        let policy = RetryPolicy::default();
        let status = |code| StatusCode::from_u16(code).unwrap();
        assert_eq!(policy.max_attempts(), 4);
        assert_eq!(
            policy.delay_after(status(503), 1),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            policy.delay_after(status(530), 2),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.delay_after(status(520), 3),
            Some(Duration::from_secs(5))
        );
        assert_eq!(policy.delay_after(status(520), 4), None, "out of retries");
        for code in [429, 500, 502, 504, 400] {
            assert_eq!(policy.delay_after(status(code), 1), None, "{code}");
        }
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(RetryPolicy::none().delay_after(status(503), 1), None);
    }
}
