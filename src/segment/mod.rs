//! Dutch sentence splitting and word tokenization with exact offsets (being written).
