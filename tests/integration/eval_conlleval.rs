//! The scorer behind `nl-ner eval` (`nl_ner::score::Evaluator`) gives conlleval's numbers: a
//! fixture of random IOB sequences (stray `I-` tags, type changes mid-chunk) scored by seqeval's
//! conlleval-compatible mode, pinned here.

use nl_ner::Evaluator;
use nl_ner::{Label, Tag};

#[test]
fn scores_match_conlleval_on_a_fixture() {
    let text = include_str!("../data/conlleval-fixture.txt");
    let mut ev = Evaluator::new();
    let (mut gold, mut pred) = (Vec::<Tag>::new(), Vec::<Tag>::new());
    for line in text.lines().filter(|l| !l.starts_with("# ")) {
        if line.is_empty() {
            ev.add_tags(&gold, &pred);
            gold.clear();
            pred.clear();
            continue;
        }
        let cols: Vec<&str> = line.split(' ').collect();
        gold.push(cols[1].parse().unwrap());
        pred.push(cols[2].parse().unwrap());
    }
    let s = ev.scores();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(
        close(s.micro.precision(), 71.1890243902439),
        "{}",
        s.micro.precision()
    );
    assert!(
        close(s.micro.recall(), 70.81122062168309),
        "{}",
        s.micro.recall()
    );
    assert!(close(s.micro.f1(), 70.9996199163816), "{}", s.micro.f1());
    let expect = [
        (Label::Loc, 74.8521, 75.5224, 335),
        (Label::Misc, 67.7515, 68.7688, 333),
        (Label::Org, 74.6835, 70.4478, 335),
        (Label::Per, 67.5000, 68.3544, 316),
    ];
    for (label, p, r, support) in expect {
        let c = s.per_label[&label];
        assert!(
            (c.precision() - p).abs() < 1e-3 && (c.recall() - r).abs() < 1e-3,
            "{label}: {c:?}"
        );
        assert_eq!(c.tp + c.r#fn, support, "{label}");
    }
}
