//! Hybrid logical clocks, dots and version vectors.
//!
//! Every change an office makes gets a *dot* — (office id, sequence number) — which names it
//! uniquely across all offices, and a *hybrid logical clock* stamp, which orders changes
//! deterministically (wall time first, then a counter, then the office id as a tie-breaker).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// An office's stable id. Generated once at set-up from random bytes; never reused.
pub type OfficeId = String;

/// The largest counter a stamp may carry: a million changes within one millisecond is no real
/// office's (a received stamp beyond it is refused; a local clock moves its wall on instead).
pub const MAX_COUNTER: u32 = 1 << 20;

/// Default limit for how far in the future a received change may be stamped (10 minutes).
pub const DEFAULT_MAX_DRIFT_MS: i64 = 10 * 60 * 1000;

/// A hybrid logical clock stamp. Field order matters: the derived `Ord` compares wall time,
/// then counter, then office — a total order every office agrees on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, as the issuing office's clock saw it (never decreasing).
    pub wall: i64,
    /// Breaks ties between changes made within the same millisecond, or after the wall clock went back.
    pub counter: u32,
    pub office: OfficeId,
}

/// Names one change: the `seq`-th change made by `office`. Written as `"office:seq"` in files.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dot {
    pub office: OfficeId,
    pub seq: u64,
}

impl fmt::Display for Dot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.office, self.seq)
    }
}

impl Serialize for Dot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Written into a buffer on the stack, not through `Display` (a city's import and export
        // write a million dots; the formatting machinery was a visible part of making each
        // change's text). An office id of a valid dot is at most 40 bytes.
        let mut buf = [0u8; 64];
        let office = self.office.as_bytes();
        let mut digits = [0u8; 20];
        let mut n = self.seq;
        let mut len = 0;
        loop {
            digits[19 - len] = b'0' + (n % 10) as u8;
            len += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let total = office.len() + 1 + len;
        if total > buf.len() {
            return s.collect_str(self);
        }
        buf[..office.len()].copy_from_slice(office);
        buf[office.len()] = b':';
        buf[office.len() + 1..total].copy_from_slice(&digits[20 - len..]);
        match std::str::from_utf8(&buf[..total]) {
            Ok(text) => s.serialize_str(text),
            Err(_) => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Dot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Read from the text in place when it has no escapes (one allocation per dot, the
        // office's, instead of two).
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Dot;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a change id \"office:seq\"")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Dot, E> {
                Dot::parse(s).ok_or_else(|| E::custom(format!("invalid change id {s:?}")))
            }
        }
        d.deserialize_str(Text)
    }
}

/// Office ids are short ASCII tokens so they can sit inside dots and file names safely.
/// The office an author id belongs to. An office writes as its own id until it is restored from a
/// backup; from then on as `office-r…` (a fresh author, so a restored office never reuses a change
/// number its peers already hold), still the same office. Office ids never contain '-'.
pub fn office_of(author: &str) -> &str {
    author.split_once('-').map(|(o, _)| o).unwrap_or(author)
}

pub fn valid_office_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Dot {
    pub fn new(office: &str, seq: u64) -> Self {
        Dot { office: office.to_string(), seq }
    }

    pub fn parse(s: &str) -> Option<Dot> {
        let (o, n) = s.rsplit_once(':')?;
        let seq: u64 = n.parse().ok()?;
        (valid_office_id(o) && seq > 0).then(|| Dot::new(o, seq))
    }

    /// A storage key that sorts changes of one office by sequence.
    pub fn key(&self) -> String {
        format!("{}:{:012}", self.office, self.seq)
    }
}

/// For each office, the highest sequence number of its changes that this office holds.
/// Changes are only ever accepted without gaps, so "holds seq n" means "holds 1..=n".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionVector(pub BTreeMap<OfficeId, u64>);

impl VersionVector {
    pub fn get(&self, office: &str) -> u64 {
        self.0.get(office).copied().unwrap_or(0)
    }

    pub fn contains(&self, dot: &Dot) -> bool {
        self.get(&dot.office) >= dot.seq
    }

    /// Records that `dot` is held. Returns false if that would leave a gap.
    pub fn advance(&mut self, dot: &Dot) -> bool {
        let cur = self.get(&dot.office);
        if dot.seq == cur + 1 {
            self.0.insert(dot.office.clone(), dot.seq);
            true
        } else {
            dot.seq <= cur
        }
    }

    /// True when every change `other` names is also held here.
    pub fn covers(&self, other: &VersionVector) -> bool {
        other.0.iter().all(|(o, s)| self.get(o) >= *s)
    }

    pub fn merge(&mut self, other: &VersionVector) {
        for (o, s) in &other.0 {
            let e = self.0.entry(o.clone()).or_insert(0);
            if *s > *e {
                *e = *s;
            }
        }
    }

    /// The offices (with the sequence needed) where `self` falls short of `needed`.
    pub fn missing(&self, needed: &VersionVector) -> Vec<(OfficeId, u64, u64)> {
        needed.0.iter().filter(|(o, s)| self.get(o) < **s).map(|(o, s)| (o.clone(), self.get(o), *s)).collect()
    }

    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }
}

/// The local clock: issues stamps that never go backwards, even when the computer's clock does,
/// and that are always later than anything this office has received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub last: Hlc,
}

impl Clock {
    pub fn new(office: &str) -> Self {
        Clock { last: Hlc { wall: 0, counter: 0, office: office.to_string() } }
    }

    /// A new stamp for a local change at physical time `now_ms`.
    pub fn tick(&mut self, now_ms: i64) -> Hlc {
        if now_ms > self.last.wall {
            self.last.wall = now_ms;
            self.last.counter = 0;
        } else {
            // Wall clock stalled or went backwards: keep the old wall time and count up (moving
            // the wall on by a millisecond rather than wrapping, should the counter run out).
            match self.last.counter.checked_add(1).filter(|c| *c <= MAX_COUNTER) {
                Some(c) => self.last.counter = c,
                None => {
                    self.last.wall = self.last.wall.saturating_add(1);
                    self.last.counter = 0;
                }
            }
        }
        self.last.clone()
    }

    /// Folds in a stamp received from another office so later local stamps sort after it.
    pub fn observe(&mut self, remote: &Hlc) {
        if remote.wall > self.last.wall {
            self.last.wall = remote.wall;
            self.last.counter = remote.counter;
        } else if remote.wall == self.last.wall && remote.counter > self.last.counter {
            self.last.counter = remote.counter;
        }
    }
}

/// True when a received stamp is further in the future than the allowed drift: such a change
/// would win every later comparison, so it is refused instead of applied.
pub fn too_far_ahead(stamp: &Hlc, now_ms: i64, max_drift_ms: i64) -> bool {
    stamp.wall > now_ms.saturating_add(max_drift_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_is_monotonic_when_wall_clock_goes_back() {
        let mut c = Clock::new("A");
        let a = c.tick(1_000);
        let b = c.tick(900); // clock went backwards
        let d = c.tick(900);
        assert!(a < b && b < d);
        assert_eq!(b.wall, 1_000);
        assert_eq!(d.counter, 2);
        let e = c.tick(2_000);
        assert_eq!((e.wall, e.counter), (2_000, 0));
    }

    #[test]
    fn observe_moves_clock_past_remote() {
        let mut c = Clock::new("A");
        c.tick(1_000);
        c.observe(&Hlc { wall: 5_000, counter: 3, office: "B".into() });
        let s = c.tick(1_100);
        assert!(s > Hlc { wall: 5_000, counter: 3, office: "B".into() });
    }

    #[test]
    fn a_huge_received_counter_cannot_make_the_clock_wrap() {
        let mut c = Clock::new("A");
        c.observe(&Hlc { wall: 5_000, counter: MAX_COUNTER, office: "B".into() });
        let s = c.tick(1_000);
        assert!(s > Hlc { wall: 5_000, counter: MAX_COUNTER, office: "B".into() }, "{s:?}");
        assert!(c.tick(1_000) > s);
    }

    #[test]
    fn version_vector_refuses_gaps() {
        let mut v = VersionVector::default();
        assert!(v.advance(&Dot { office: "A".into(), seq: 1 }));
        assert!(!v.advance(&Dot { office: "A".into(), seq: 3 }));
        assert_eq!(v.get("A"), 1);
        assert!(v.contains(&Dot { office: "A".into(), seq: 1 }));
        assert!(!v.contains(&Dot { office: "A".into(), seq: 2 }));
    }

    #[test]
    fn a_dot_is_written_and_read_as_office_colon_seq() {
        for (office, seq) in [("A", 1u64), ("pingyuan-r3", 1_000_000), ("x", u64::MAX), (&*"z".repeat(70), 42)] {
            let d = Dot { office: office.into(), seq };
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{office}:{seq}\""));
            if valid_office_id(office) {
                assert_eq!(serde_json::from_str::<Dot>(&json).unwrap(), d);
            }
        }
        // Escaped text reads as its plain form; anything else is refused.
        assert_eq!(serde_json::from_str::<Dot>("\"\\u0041:7\"").unwrap(), Dot::new("A", 7));
        for bad in ["\"A:0\"", "\"A\"", "\":3\"", "17", "null", "\"a b:1\""] {
            assert!(serde_json::from_str::<Dot>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn drift_guard() {
        let s = Hlc { wall: 100_000, counter: 0, office: "B".into() };
        assert!(!too_far_ahead(&s, 100_000 - DEFAULT_MAX_DRIFT_MS, DEFAULT_MAX_DRIFT_MS));
        assert!(too_far_ahead(&s, 100_000 - DEFAULT_MAX_DRIFT_MS - 1, DEFAULT_MAX_DRIFT_MS));
    }
}
