//! Long work over a city's file (160,000 changes) gives the page a turn now and then. The core
//! only says where it may stop (`tick` after each unit of work); the caller says when to rest
//! (a clock in the browser, never natively) and may stop the work (the person cancelled).

/// The work was stopped between two units (nothing it was building is kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped;

/// A SHA-256 worked out beside the work (`Pace::sha256_beside`): None if the platform failed.
pub type Beside = std::pin::Pin<Box<dyn std::future::Future<Output = Option<[u8; 32]>>>>;

#[allow(async_fn_in_trait)]
pub trait Pace {
    /// Called after each unit of work; rests when this turn is spent. An error stops the work.
    async fn tick(&mut self) -> Result<(), Stopped>;

    /// Starts the SHA-256 of `parts` joined (`len` bytes in all) where the platform works it out
    /// beside this work (the browser's own digest, on a thread of its own and with the
    /// processor's SHA instructions: a city's 45 MB file took a quarter of its parse to hash in
    /// wasm). None where it cannot (then the caller hashes itself); a digest that fails later
    /// answers None.
    fn sha256_beside(&mut self, _len: usize, _parts: &mut dyn Iterator<Item = &[u8]>) -> Option<Beside> {
        None
    }
}

/// No rests (native use, and the plain functions that wrap the paced ones).
impl Pace for () {
    async fn tick(&mut self) -> Result<(), Stopped> {
        Ok(())
    }
}

/// Why paced work ended early: what it found wrong, or a stop.
#[derive(Clone, Debug, PartialEq)]
pub enum Halt<E> {
    Failed(E),
    Stopped,
}

impl<E> From<Stopped> for Halt<E> {
    fn from(_: Stopped) -> Self {
        Halt::Stopped
    }
}

/// Runs paced work without rests, to its result (the plain, unpaced form of a paced function).
pub fn unpaced<T, E>(f: impl std::future::Future<Output = Result<T, Halt<E>>>) -> Result<T, E> {
    match crate::storage::block_on(f) {
        Ok(v) => Ok(v),
        Err(Halt::Failed(e)) => Err(e),
        Err(Halt::Stopped) => unreachable!("work without rests is never stopped"),
    }
}

/// For tests: rests after every `every` ticks, and stops at the `stop_at`-th rest.
#[derive(Debug, Default)]
pub struct Counted {
    pub every: usize,
    pub ticks: usize,
    pub rests: usize,
    pub stop_at: Option<usize>,
}

impl Pace for Counted {
    async fn tick(&mut self) -> Result<(), Stopped> {
        self.ticks += 1;
        if self.every > 0 && self.ticks.is_multiple_of(self.every) {
            self.rests += 1;
            if self.stop_at == Some(self.rests) {
                return Err(Stopped);
            }
        }
        Ok(())
    }
}
