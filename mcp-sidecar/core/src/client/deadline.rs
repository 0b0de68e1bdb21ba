//! An overall time limit for one operation, passed down to every request and retry.

use std::time::Duration;

use tokio::time::Instant;

/// The moment by which a whole operation (all its requests, retries and pages) must
/// be done. Cheap to copy; pass the same deadline to everything one answer needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self {
            at: Instant::now() + budget,
            budget,
        }
    }

    /// A deadline at a given instant (the budget is counted from now).
    pub fn at(at: Instant) -> Self {
        Self {
            at,
            budget: at.saturating_duration_since(Instant::now()),
        }
    }

    /// The instant the deadline falls at.
    pub fn instant(&self) -> Instant {
        self.at
    }

    /// The whole time this deadline allowed when it was made.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// Time left before the deadline (zero once it has passed).
    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// Whether the deadline has passed.
    pub fn is_expired(&self) -> bool {
        Instant::now() >= self.at
    }

    /// The earlier of this deadline and one `limit` from now.
    pub fn capped(&self, limit: Duration) -> Self {
        let other = Instant::now() + limit;
        if other < self.at {
            Self {
                at: other,
                budget: limit,
            }
        } else {
            *self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn counts_down_and_expires() {
        let deadline = Deadline::after(Duration::from_secs(2));
        assert_eq!(deadline.remaining(), Duration::from_secs(2));
        tokio::time::advance(Duration::from_millis(1500)).await;
        assert_eq!(deadline.remaining(), Duration::from_millis(500));
        assert!(!deadline.is_expired());
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(deadline.is_expired());
        assert_eq!(deadline.remaining(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn capping_takes_the_earlier_moment() {
        let deadline = Deadline::after(Duration::from_secs(30));
        let capped = deadline.capped(Duration::from_secs(10));
        assert_eq!(capped.remaining(), Duration::from_secs(10));
        assert_eq!(capped.budget(), Duration::from_secs(10));
        let not_capped = deadline.capped(Duration::from_secs(60));
        assert_eq!(not_capped, deadline);
    }
}
