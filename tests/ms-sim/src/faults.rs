//! Faults a test switches on and off while the server runs.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use rand::Rng;

/// An answer no honest Management Server sends, to see that a client stays bounded
/// and says what happened. It replaces successful GET answers (never logins, never
/// errors) while switched on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hostile {
    /// A 200 collection of exactly `bytes` bytes (one row with a long text), made as
    /// it is sent; with `announced` its `Content-Length` says so up front.
    HugeBody {
        /// The body's size.
        bytes: u64,
        /// Whether a `Content-Length` header announces it.
        announced: bool,
    },
    /// A 200 body of `depth` nested arrays: `[[[...]]]`.
    DeepNesting {
        /// How many arrays deep.
        depth: usize,
    },
    /// A 200 collection with one row whose text holds bytes that are not UTF-8.
    InvalidUtf8,
    /// The real collection answer, with an `@odata.nextLink` that is the request's own URL.
    NextLinkToSelf,
    /// The real collection answers, with nextLinks that go round: the first page links
    /// to `$skip=1`, that one to `$skip=0`, and that one back to `$skip=1`.
    NextLinkCycle,
    /// The real collection answer, with an `@odata.nextLink` to the same path and
    /// query under this other base URL (another host or port).
    NextLinkElsewhere(String),
    /// A `302 Found` to the same path and query under this other base URL.
    RedirectElsewhere(String),
}

#[derive(Debug, Default)]
struct Settings {
    latency: Duration,
    jitter: Duration,
    error_share: f64,
    fail_next: usize,
    fail_status: u16,
    drop_next: usize,
    token_lifetime: Duration,
    hostile: Option<Hostile>,
}

/// The faults of one simulated server. Setters take `&self`: change them from a
/// test while requests are in flight.
#[derive(Debug, Default)]
pub struct Faults {
    settings: Mutex<Settings>,
    hang: AtomicBool,
    drop_connections: AtomicBool,
    malformed_json: AtomicBool,
    token_generation: AtomicU64,
    hostile_bytes_sent: AtomicU64,
}

/// What the server does with one request before answering it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plan {
    pub hang: bool,
    /// Close the connection without answering.
    pub close: bool,
    pub delay: Duration,
    pub fail: Option<u16>,
}

impl Faults {
    pub(crate) fn new(latency: Duration, jitter: Duration, token_lifetime: Duration) -> Faults {
        let faults = Faults::default();
        faults.set_latency(latency, jitter);
        faults.set_token_lifetime(token_lifetime);
        faults
    }

    fn settings(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Delay every answer by `latency` plus a random share of `jitter`.
    pub fn set_latency(&self, latency: Duration, jitter: Duration) {
        let mut s = self.settings();
        s.latency = latency;
        s.jitter = jitter;
    }

    /// Answer this share (0.0..=1.0) of requests with 500 or 503 (503 carries
    /// `Retry-After: 1`), at random.
    pub fn set_error_share(&self, share: f64) {
        self.settings().error_share = share.clamp(0.0, 1.0);
    }

    /// Answer the next `n` requests with `status` (503 carries `Retry-After: 1`),
    /// replacing any earlier `fail_next`.
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut s = self.settings();
        s.fail_next = n;
        s.fail_status = status;
    }

    /// Accept connections and read requests, but never answer (until switched off;
    /// requests already hanging stay hung).
    pub fn set_hang(&self, hang: bool) {
        self.hang.store(hang, Ordering::SeqCst);
    }

    /// Read each request, then close its connection without answering (until
    /// switched off).
    pub fn set_drop_connections(&self, on: bool) {
        self.drop_connections.store(on, Ordering::SeqCst);
    }

    /// Read the next `n` requests, then close their connections without answering.
    pub fn drop_next(&self, n: usize) {
        self.settings().drop_next = n;
    }

    /// Make every token issued so far invalid: 401 until the client logs in again.
    pub fn revoke_tokens(&self) {
        self.token_generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Answer JSON requests with 200 and a truncated JSON body.
    pub fn set_malformed_json(&self, on: bool) {
        self.malformed_json.store(on, Ordering::SeqCst);
    }

    /// Answer successful GETs with a [`Hostile`] answer (`None`: answer honestly).
    pub fn set_hostile(&self, hostile: Option<Hostile>) {
        self.settings().hostile = hostile;
    }

    /// How many bytes of [`Hostile::HugeBody`] answers were handed to connections so
    /// far: less than the body's size when the client stopped reading.
    pub fn hostile_bytes_sent(&self) -> u64 {
        self.hostile_bytes_sent.load(Ordering::SeqCst)
    }

    pub(crate) fn count_hostile_bytes(&self, n: u64) {
        self.hostile_bytes_sent.fetch_add(n, Ordering::SeqCst);
    }

    pub(crate) fn hostile(&self) -> Option<Hostile> {
        self.settings().hostile.clone()
    }

    /// Lifetime of tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.settings().token_lifetime = lifetime;
    }

    /// Switches every fault off (tokens stay valid).
    pub fn clear(&self) {
        let mut s = self.settings();
        s.latency = Duration::ZERO;
        s.jitter = Duration::ZERO;
        s.error_share = 0.0;
        s.fail_next = 0;
        s.drop_next = 0;
        s.hostile = None;
        drop(s);
        self.set_hang(false);
        self.set_drop_connections(false);
        self.set_malformed_json(false);
    }

    /// The current token lifetime.
    pub fn token_lifetime(&self) -> Duration {
        self.settings().token_lifetime
    }

    pub(crate) fn token_generation(&self) -> u64 {
        self.token_generation.load(Ordering::SeqCst)
    }

    pub(crate) fn malformed_json(&self) -> bool {
        self.malformed_json.load(Ordering::SeqCst)
    }

    /// Decides the fate of one request (consumes one `drop_next` or `fail_next`).
    pub(crate) fn plan(&self) -> Plan {
        let hang = self.hang.load(Ordering::SeqCst);
        let mut s = self.settings();
        let mut rng = rand::rng();
        let jitter = if s.jitter.is_zero() {
            Duration::ZERO
        } else {
            s.jitter.mul_f64(rng.random::<f64>())
        };
        let mut close = self.drop_connections.load(Ordering::SeqCst);
        if !close && s.drop_next > 0 {
            s.drop_next -= 1;
            close = true;
        }
        let fail = if close {
            None
        } else if s.fail_next > 0 {
            s.fail_next -= 1;
            Some(s.fail_status)
        } else if s.error_share > 0.0 && rng.random_bool(s.error_share) {
            Some(if rng.random_bool(0.5) { 500 } else { 503 })
        } else {
            None
        };
        Plan {
            hang,
            close,
            delay: s.latency + jitter,
            fail,
        }
    }
}
