//! When a call is sent again: the statuses that mean "try again" and how long to wait first.

use std::time::Duration;

use reqwest::StatusCode;

/// Which answers are retried, and after what delays.
///
/// The default is the policy of Descope's Go SDK: an answer of 503, 520, 521, 522, 524 or 530 is
/// retried after 100 ms, then 5 s, then 5 s, so a call makes at most four attempts. When such an
/// answer carries `Retry-After`, the retry waits that long instead if it is longer, up to
/// [`MAX_HONOURED_RETRY_AFTER`]; beyond that the retries stop and the error carries the delay.
/// 429 is never
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

/// The longest `Retry-After` a retry waits for; a longer one ends the retries (see
/// [`RetryPolicy`]).
pub const MAX_HONOURED_RETRY_AFTER: Duration = Duration::from_secs(10);

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

    /// Whether an answer of `status` may be retried at all (then `delay_after` says when).
    pub(crate) fn retries(&self, status: StatusCode) -> bool {
        self.statuses.contains(&status)
    }

    /// How long to wait before sending again, after `attempts` requests got `status` with
    /// `retry_after`; `None` when the answer stands.
    ///
    /// A `Retry-After` on a retried answer (a 503 during maintenance, say) is honoured: the wait
    /// is the longer of the policy's delay and the one asked for, as long as that is at most
    /// [`MAX_HONOURED_RETRY_AFTER`]. A longer one ends the retries at once, and the caller gets
    /// the error with its `retry_after` to schedule the call itself, instead of a call that
    /// hangs for minutes.
    pub(crate) fn delay_after(
        &self,
        status: StatusCode,
        attempts: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if !self.retries(status) {
            return None;
        }
        let retry_index = usize::try_from(attempts).ok()?.checked_sub(1)?;
        let delay = self.delays.get(retry_index).copied()?;
        match retry_after {
            Some(asked) if asked > MAX_HONOURED_RETRY_AFTER => None,
            Some(asked) => Some(delay.max(asked)),
            None => Some(delay),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_lengthens_a_retry_up_to_the_cap_and_beyond_it_ends_them() {
        let policy = RetryPolicy::default();
        let unavailable = StatusCode::SERVICE_UNAVAILABLE;
        let seconds = Duration::from_secs;
        assert_eq!(
            policy.delay_after(unavailable, 1, Some(seconds(3))),
            Some(seconds(3))
        );
        assert_eq!(
            policy.delay_after(unavailable, 2, Some(seconds(1))),
            Some(seconds(5))
        );
        assert_eq!(
            policy.delay_after(unavailable, 1, Some(MAX_HONOURED_RETRY_AFTER)),
            Some(MAX_HONOURED_RETRY_AFTER)
        );
        assert_eq!(
            policy.delay_after(unavailable, 1, Some(seconds(3600))),
            None
        );
        // A Retry-After does not make a status retried.
        assert_eq!(
            policy.delay_after(StatusCode::TOO_MANY_REQUESTS, 1, Some(seconds(1))),
            None
        );
    }

    #[test]
    fn the_default_follows_the_go_sdk() {
        let policy = RetryPolicy::default();
        let status = |code| StatusCode::from_u16(code).unwrap();
        assert_eq!(policy.max_attempts(), 4);
        assert_eq!(
            policy.delay_after(status(503), 1, None),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            policy.delay_after(status(530), 2, None),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.delay_after(status(520), 3, None),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            policy.delay_after(status(520), 4, None),
            None,
            "out of retries"
        );
        for code in [429, 500, 502, 504, 400] {
            assert_eq!(policy.delay_after(status(code), 1, None), None, "{code}");
        }
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(RetryPolicy::none().delay_after(status(503), 1, None), None);
    }
}
