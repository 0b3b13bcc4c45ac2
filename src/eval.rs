//! Entity-level evaluation (being written).
