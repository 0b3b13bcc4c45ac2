//! Decoding a linear-chain CRF: Viterbi for the best tag sequence and scaled forward–backward
//! for each position's marginal label probabilities.
//!
//! Both take a lattice of state scores (`T × L`, row-major) and transition scores
//! (`L × L`, `[prev][cur]`), and write into buffers the caller reuses, so decoding allocates
//! nothing once the buffers have grown to the longest sentence.

use std::ops::Range;

/// Reusable buffers for one thread's decoding.
#[derive(Default, Debug)]
pub struct DecodeBuf {
    delta: Vec<f32>,
    next: Vec<f32>,
    back: Vec<u8>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    exp_state: Vec<f64>,
}

/// The highest-scoring label sequence; writes label indices into `out` (length `T`).
///
/// Ties go to the lower label index, so decoding is deterministic.
pub fn viterbi(
    state: &[f32],
    trans: &[f32],
    n_labels: usize,
    buf: &mut DecodeBuf,
    out: &mut Vec<u8>,
) {
    let l = n_labels;
    let t_len = state.len() / l;
    out.clear();
    if t_len == 0 {
        return;
    }
    debug_assert!(l <= 256 && trans.len() == l * l);
    let DecodeBuf {
        delta, next, back, ..
    } = buf;
    delta.clear();
    delta.extend_from_slice(&state[..l]);
    next.clear();
    next.resize(l, 0.0);
    back.clear();
    back.resize(t_len * l, 0);
    for t in 1..t_len {
        // Previous label outside, current label inside: the inner loop runs over contiguous
        // memory and vectorises, and each `cur` still sees `prev` in increasing order with a
        // strict `>`, so the result (ties to the lower index) is that of the textbook loop.
        next.fill(f32::NEG_INFINITY);
        let arg = &mut back[t * l..(t + 1) * l];
        for (prev, row) in trans.chunks_exact(l).enumerate() {
            let d = delta[prev];
            for ((best, a), &w) in next.iter_mut().zip(arg.iter_mut()).zip(row) {
                let s = d + w;
                if s > *best {
                    *best = s;
                    *a = prev as u8;
                }
            }
        }
        for (best, &w) in next.iter_mut().zip(&state[t * l..(t + 1) * l]) {
            *best += w;
        }
        std::mem::swap(delta, next);
    }
    let mut best = 0usize;
    for y in 1..l {
        if delta[y] > delta[best] {
            best = y;
        }
    }
    out.resize(t_len, 0);
    out[t_len - 1] = best as u8;
    for t in (1..t_len).rev() {
        out[t - 1] = back[t * l + out[t] as usize];
    }
}

/// Transition scores ready for forward–backward: their `exp`, shifted by their maximum (a
/// constant factor cancels in normalisation), row-major and transposed. They depend on the
/// model alone, so a tagger computes them once instead of once per sentence.
#[derive(Clone, Debug)]
pub struct ExpTrans {
    l: usize,
    /// `[prev][cur]`.
    et: Vec<f64>,
    /// `[cur][prev]`.
    et_t: Vec<f64>,
}

impl ExpTrans {
    /// From `L × L` transition scores (`[prev][cur]`).
    pub fn new(trans: &[f32], n_labels: usize) -> Self {
        let l = n_labels;
        debug_assert_eq!(trans.len(), l * l);
        let tmax = trans.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let et: Vec<f64> = trans.iter().map(|&w| f64::from(w - tmax).exp()).collect();
        let et_t = (0..l * l).map(|i| et[(i % l) * l + i / l]).collect();
        ExpTrans { l, et, et_t }
    }
}

/// Each position's marginal label probabilities, `T × L` into `out`, by forward–backward with
/// per-position scaling (no logarithms in the inner loop; scores are shifted by their maximum
/// before `exp`, so no overflow).
#[cfg(test)]
pub fn marginals(
    state: &[f32],
    trans: &[f32],
    n_labels: usize,
    buf: &mut DecodeBuf,
    out: &mut Vec<f32>,
) {
    let t_len = state.len() / n_labels;
    marginals_in(state, &ExpTrans::new(trans, n_labels), buf, out, 0..t_len);
}

/// The marginals of the positions in `need` only, each equal to the bit to what `marginals`
/// gives for it; `out` is still `T × L`, with zeros outside `need`.
///
/// The forward pass stops at the last position needed and the backward pass at the first (a
/// position's forward score depends only on the positions before it, its backward score only on
/// those after it), so a tagger that needs the scores of a few words pays for the stretch of the
/// sentence that holds them, and nothing for an empty `need`.
pub fn marginals_in(
    state: &[f32],
    trans: &ExpTrans,
    buf: &mut DecodeBuf,
    out: &mut Vec<f32>,
    need: Range<usize>,
) {
    let l = trans.l;
    let t_len = state.len() / l;
    out.clear();
    out.resize(t_len * l, 0.0);
    let need = need.start..need.end.min(t_len);
    if need.is_empty() {
        return;
    }
    let (et, et_t) = (&trans.et, &trans.et_t);
    buf.exp_state.clear();
    for t in 0..t_len {
        let row = &state[t * l..(t + 1) * l];
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        buf.exp_state
            .extend(row.iter().map(|&w| f64::from(w - m).exp()));
    }
    let DecodeBuf {
        alpha,
        beta,
        exp_state: es,
        ..
    } = buf;
    alpha.clear();
    alpha.resize(need.end * l, 0.0);
    beta.clear();
    beta.resize(t_len * l, 0.0);

    // The loops below run over the label of the row being filled in their innermost loop, so
    // that it vectorises; each element still sums its terms in the textbook order, so the
    // results are the same to the bit.
    //
    // Forward, each row normalised to sum 1: alpha[t][y] = sum_p alpha[t-1][p] et[p][y], × es[t][y].
    alpha[..l].copy_from_slice(&es[..l]);
    normalise(&mut alpha[..l]);
    for t in 1..need.end {
        let (done, rest) = alpha.split_at_mut(t * l);
        let prev = &done[(t - 1) * l..];
        let cur = &mut rest[..l];
        cur.fill(0.0);
        for (&a, row) in prev.iter().zip(et.chunks_exact(l)) {
            for (c, &w) in cur.iter_mut().zip(row) {
                *c += a * w;
            }
        }
        for (c, &e) in cur.iter_mut().zip(&es[t * l..(t + 1) * l]) {
            *c *= e;
        }
        normalise(cur);
    }
    // Backward, likewise normalised: beta[t][p] = sum_y et[p][y] es[t+1][y] beta[t+1][y],
    // over the transposed transitions.
    for y in 0..l {
        beta[(t_len - 1) * l + y] = 1.0;
    }
    for t in (need.start..t_len - 1).rev() {
        let (head, tail) = beta.split_at_mut((t + 1) * l);
        let next = &tail[..l];
        let cur = &mut head[t * l..];
        cur.fill(0.0);
        for ((col, &e), &b) in et_t
            .chunks_exact(l)
            .zip(&es[(t + 1) * l..(t + 2) * l])
            .zip(next)
        {
            for (c, &w) in cur.iter_mut().zip(col) {
                *c += w * e * b;
            }
        }
        normalise(cur);
    }
    for t in need {
        let mut z = 0.0;
        for y in 0..l {
            z += alpha[t * l + y] * beta[t * l + y];
        }
        let z = if z > 0.0 { z } else { 1.0 };
        for (y, o) in out[t * l..(t + 1) * l].iter_mut().enumerate() {
            *o = (alpha[t * l + y] * beta[t * l + y] / z) as f32;
        }
    }
}

fn normalise(v: &mut [f64]) {
    let s: f64 = v.iter().sum();
    if s > 0.0 && s.is_finite() {
        let inv = 1.0 / s;
        v.iter_mut().for_each(|x| *x *= inv);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic pseudo-random generator, so the tests need no dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f32 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 4.0 - 2.0
        }
    }

    fn score(state: &[f32], trans: &[f32], l: usize, ys: &[usize]) -> f32 {
        let mut s = 0.0;
        for (t, &y) in ys.iter().enumerate() {
            s += state[t * l + y];
            if t > 0 {
                s += trans[ys[t - 1] * l + y];
            }
        }
        s
    }

    fn all_paths(t_len: usize, l: usize) -> Vec<Vec<usize>> {
        let mut paths = vec![vec![]];
        for _ in 0..t_len {
            paths = paths
                .into_iter()
                .flat_map(|p| (0..l).map(move |y| [p.clone(), vec![y]].concat()))
                .collect();
        }
        paths
    }

    #[test]
    fn viterbi_matches_brute_force_and_marginals_match_enumeration() {
        let mut rng = Lcg(7);
        let mut buf = DecodeBuf::default();
        for (t_len, l) in [(1, 3), (2, 2), (4, 3), (5, 3), (3, 4)] {
            for _ in 0..5 {
                let state: Vec<f32> = (0..t_len * l).map(|_| rng.next()).collect();
                let trans: Vec<f32> = (0..l * l).map(|_| rng.next()).collect();
                let paths = all_paths(t_len, l);
                let scores: Vec<f32> = paths.iter().map(|p| score(&state, &trans, l, p)).collect();
                let best = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);

                let mut out = Vec::new();
                viterbi(&state, &trans, l, &mut buf, &mut out);
                let got: Vec<usize> = out.iter().map(|&y| y as usize).collect();
                assert!(
                    (score(&state, &trans, l, &got) - best).abs() < 1e-4,
                    "T={t_len} L={l}"
                );

                let z: f64 = scores.iter().map(|&s| f64::from(s).exp()).sum();
                let mut brute = vec![0f64; t_len * l];
                for (p, &s) in paths.iter().zip(&scores) {
                    for (t, &y) in p.iter().enumerate() {
                        brute[t * l + y] += f64::from(s).exp() / z;
                    }
                }
                let mut marg = Vec::new();
                marginals(&state, &trans, l, &mut buf, &mut marg);
                for t in 0..t_len {
                    let row = &marg[t * l..(t + 1) * l];
                    assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
                    for y in 0..l {
                        assert!((f64::from(row[y]) - brute[t * l + y]).abs() < 1e-4);
                    }
                }
            }
        }
    }

    #[test]
    fn marginals_of_a_stretch_are_those_of_the_whole_to_the_bit() {
        let mut rng = Lcg(11);
        let mut buf = DecodeBuf::default();
        let (t_len, l) = (9, 5);
        let state: Vec<f32> = (0..t_len * l).map(|_| rng.next() * 3.0).collect();
        let trans: Vec<f32> = (0..l * l).map(|_| rng.next()).collect();
        let mut all = Vec::new();
        marginals(&state, &trans, l, &mut buf, &mut all);
        let exp = ExpTrans::new(&trans, l);
        let mut part = Vec::new();
        for need in [0..t_len, 0..1, 3..6, 8..9, 4..4, 2..t_len + 3] {
            marginals_in(&state, &exp, &mut buf, &mut part, need.clone());
            assert_eq!(part.len(), t_len * l);
            for t in 0..t_len {
                let (got, want) = (&part[t * l..(t + 1) * l], &all[t * l..(t + 1) * l]);
                if need.contains(&t) {
                    assert!(
                        got.iter()
                            .zip(want)
                            .all(|(g, w)| g.to_bits() == w.to_bits()),
                        "{need:?} at {t}"
                    );
                } else {
                    assert!(got.iter().all(|&g| g == 0.0), "{need:?} at {t}");
                }
            }
        }
    }

    #[test]
    fn extreme_scores_do_not_overflow() {
        let l = 2;
        let state = vec![500.0, -500.0, -800.0, 900.0, 0.0, 0.0];
        let trans = vec![-1e4, 300.0, 0.0, 0.0];
        let mut buf = DecodeBuf::default();
        let mut marg = Vec::new();
        marginals(&state, &trans, l, &mut buf, &mut marg);
        assert!(
            marg.iter()
                .all(|p| p.is_finite() && (0.0..=1.0).contains(p))
        );
        let mut out = Vec::new();
        viterbi(&state, &trans, l, &mut buf, &mut out);
        assert_eq!(out, vec![0, 1, 0]);
    }
}
