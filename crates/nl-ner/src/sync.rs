//! The one policy for poisoned locks: recover the data and go on.
//!
//! A lock is poisoned when a thread panicked while holding it. Every lock in the crate guards
//! state that each critical section leaves consistent (a queue that is pushed to or popped from
//! whole, a resume check that admits one item at a time), and the panic itself is not lost: it
//! reaches the caller through the thread's join or rayon's scope. So a poisoned lock is taken
//! as it is, never turned into a second panic that would hide the first.

use std::sync::{Condvar, Mutex, MutexGuard};

/// Locks `mutex`, recovering its data if a panicking thread poisoned it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Waits on `cond` with `guard`, recovering the data if the lock was poisoned meanwhile.
pub fn wait<'a, T>(cond: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    cond.wait(guard).unwrap_or_else(|e| e.into_inner())
}
