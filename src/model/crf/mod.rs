//! The default model: a linear-chain CRF over hand-built features (being written).
