//! `heatmap.svg`: tasks × documents, each cell coloured by the share of
//! the task's requirements the document covers, with the share written in
//! the cell. Plain SVG written by hand: rectangles and text need no
//! plotting library, and the text stays selectable and searchable.

use std::fmt::Write as _;

use luoshi_core::taxonomy::NodeKind;

use crate::frames::Corpus;

const CELL_W: usize = 84;
const CELL_H: usize = 26;
const LABEL_W: usize = 430;
const HEADER_H: usize = 70;
const FONT: &str = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// White (0) to dark green (1).
fn colour(share: f64) -> String {
    let s = share.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * s).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        lerp(247.0, 0.0),
        lerp(252.0, 109.0),
        lerp(245.0, 44.0)
    )
}

/// The heatmap as SVG text.
pub fn heatmap_svg(corpus: &Corpus<'_>, shares: &dyn Fn(usize, &str) -> f64) -> String {
    let t = corpus.taxonomy;
    let tasks: Vec<_> = t.of_kind(NodeKind::Task).collect();
    let width = LABEL_W + CELL_W * corpus.docs.len() + 20;
    let height = HEADER_H + CELL_H * tasks.len() + 50;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="13">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="10" y="22" font-size="15" font-weight="bold">{}: share of each task's requirements covered (partial = ½)</text>"#,
        escape(&t.meta().title)
    );
    for (j, d) in corpus.docs.iter().enumerate() {
        let x = LABEL_W + j * CELL_W + CELL_W / 2;
        let _ = writeln!(
            out,
            r#"<text x="{x}" y="{}" text-anchor="middle" font-weight="bold">{}</text>"#,
            HEADER_H - 12,
            escape(&d.meta.label)
        );
    }
    for (i, &task) in tasks.iter().enumerate() {
        let node = t.node(task);
        let y = HEADER_H + i * CELL_H;
        let _ = writeln!(
            out,
            r#"<text x="10" y="{}">{} {}</text>"#,
            y + CELL_H / 2 + 5,
            escape(&node.id),
            escape(&node.title)
        );
        for j in 0..corpus.docs.len() {
            let share = shares(j, &node.id);
            let x = LABEL_W + j * CELL_W;
            let ink = if share > 0.55 { "white" } else { "black" };
            let _ = writeln!(
                out,
                r##"<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{}" stroke="#cccccc"/><text x="{}" y="{}" text-anchor="middle" fill="{ink}">{:.2}</text>"##,
                colour(share),
                x + CELL_W / 2,
                y + CELL_H / 2 + 5,
                share
            );
        }
    }
    // Legend.
    let ly = HEADER_H + tasks.len() * CELL_H + 20;
    for k in 0..=10 {
        let share = k as f64 / 10.0;
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{ly}" width="30" height="14" fill="{}" stroke="#cccccc"/>"##,
            10 + k * 30,
            colour(share)
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}">0 → 1 covered share</text>"#,
        10 + 11 * 30 + 10,
        ly + 12
    );
    out.push_str("</svg>\n");
    out
}
