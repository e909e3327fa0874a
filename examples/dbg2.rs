//! dbg
use luoshi::luoshi_align::Aligner;
use luoshi::luoshi_core::Taxonomy;
fn main() {
    let t = Taxonomy::national_2017();
    let a = Aligner::new(&t).unwrap();
    for s in std::env::args().skip(1) {
        let r = a.align_text(&s);
        println!("{:?} {:?} {:.3} nearest={:?}", r.status, r.task, r.score, r.nearest);
        let n = luoshi::luoshi_align::normalize::Normalizer::standard(&[]).normalize(&s);
        let mut ts = a.task_scores(&n.chars);
        ts.sort_by(|x, y| y.1.total_cmp(&x.1));
        println!("{:?}", &ts[..3]);
    }
}
