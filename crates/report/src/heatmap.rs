//! `heatmap.svg`: tasks × documents, each cell coloured by the share of
//! the task's requirements the document covers, with the share written in
//! the cell (`–` and grey where there is nothing to measure). Plain SVG
//! written by hand: rectangles and text need no plotting library, and the
//! text stays selectable and searchable.
//!
//! Up to [`DOCS_AS_COLUMNS`] documents are columns (tasks are rows); with
//! more, documents are rows and tasks columns, so the picture grows
//! downwards and stays readable at hundreds of documents. Column labels
//! are turned 45° so long labels do not overlap; labels longer than the
//! space allows are cut with `…` and given whole in a tooltip (`<title>`).

use std::fmt::Write as _;

use luoshi_core::taxonomy::NodeKind;

use crate::corpus::Corpus;
use crate::frames::node_share;

/// The most documents drawn as columns; beyond, documents are rows.
pub const DOCS_AS_COLUMNS: usize = 30;

const FONT_SIZE: f64 = 13.0;
const CELL_H: f64 = 24.0;
/// Widest row label, in pixels, before it is cut.
const ROW_LABEL_MAX: f64 = 420.0;
/// Longest column label, in pixels along its slant, before it is cut.
const COL_LABEL_MAX: f64 = 260.0;
const MARGIN: f64 = 10.0;
const TITLE_H: f64 = 34.0;
/// CJK fonts first (mainland, then other common ones), then any sans-serif.
const FONT: &str = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Source Han Sans CN','WenQuanYi Micro Hei','WenQuanYi Zen Hei','Microsoft YaHei','PingFang SC','Hiragino Sans GB','SimHei','Heiti SC','Arial Unicode MS',sans-serif";

/// Text made safe for SVG (XML 1.0): markup characters escaped, line
/// breaks and tabs turned into spaces, and characters XML cannot hold
/// (other control characters, U+FFFE, U+FFFF) replaced by U+FFFD.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Estimated drawn width of `s` in pixels: wide (CJK) characters one
/// em, others 0.6 em.
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * FONT_SIZE
}

/// `s` cut with `…` to at most `max` pixels.
fn fit(s: &str, max: f64) -> String {
    if text_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if text_width(&out) + text_width(&format!("{c}…")) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
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

const NO_DATA: &str = "#d9d9d9";
const LEGEND: &str = "share of requirements covered";
const NO_DATA_LEGEND: &str = "– no requirements to cover";

/// A row or column label: what is drawn, and the whole text for the
/// tooltip.
pub(crate) struct Label {
    pub(crate) short: String,
    pub(crate) full: String,
}

/// The heatmap as SVG text.
pub fn heatmap_svg(corpus: &Corpus<'_>) -> String {
    let t = corpus.taxonomy;
    let tasks: Vec<Label> = t
        .of_kind(NodeKind::Task)
        .map(|n| {
            let node = t.node(n);
            Label {
                short: format!("{} {}", node.id, node.title),
                full: format!("{} {}", node.id, node.title),
            }
        })
        .collect();
    let task_ids: Vec<String> = t
        .of_kind(NodeKind::Task)
        .map(|n| t.node(n).id.clone())
        .collect();
    let docs: Vec<Label> = corpus
        .docs
        .iter()
        .map(|d| Label {
            short: d.meta.label.clone(),
            full: format!("{} ({})", d.meta.label, d.meta.file),
        })
        .collect();
    let value = |doc: usize, task: usize| {
        node_share(&corpus.alignments[doc], &task_ids[task], NodeKind::Task)
    };
    let title = format!(
        "{}: share of each task's requirements covered (partial = ½)",
        t.meta().title
    );
    if docs.len() <= DOCS_AS_COLUMNS {
        grid_svg(&title, &tasks, &docs, &|r, c| value(c, r))
    } else {
        let tasks: Vec<Label> = tasks
            .into_iter()
            .zip(&task_ids)
            .map(|(l, id)| Label {
                short: id.clone(),
                full: l.full,
            })
            .collect();
        grid_svg(&title, &docs, &tasks, &|r, c| value(r, c))
    }
}

/// A labelled grid of shares with a legend.
pub(crate) fn grid_svg(
    title: &str,
    rows: &[Label],
    cols: &[Label],
    value: &dyn Fn(usize, usize) -> Option<f64>,
) -> String {
    let row_labels: Vec<String> = rows.iter().map(|l| fit(&l.short, ROW_LABEL_MAX)).collect();
    let col_labels: Vec<String> = cols.iter().map(|l| fit(&l.short, COL_LABEL_MAX)).collect();
    let label_w = row_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + 2.0 * MARGIN;
    let slant = std::f64::consts::FRAC_1_SQRT_2;
    let longest_col = col_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let header_h = longest_col * slant + FONT_SIZE + MARGIN;
    // Turned 45°, neighbouring labels stand cell_w·sin 45° apart: at least
    // a line's height.
    let cell_w = 56.0_f64.max((FONT_SIZE * 1.5) / slant);
    let x0 = label_w;
    let y0 = TITLE_H + header_h;
    let grid_w = cell_w * cols.len() as f64;
    let legend_y = y0 + CELL_H * rows.len() as f64 + 24.0;
    let width = (x0 + grid_w + longest_col * slant + MARGIN)
        .max(560.0)
        .ceil();
    let height = (legend_y + 56.0).ceil();
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="{FONT_SIZE}">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="{MARGIN}" y="22" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (j, (label, l)) in col_labels.iter().zip(cols).enumerate() {
        let x = x0 + cell_w * j as f64 + cell_w / 2.0;
        let y = y0 - 6.0;
        let _ = writeln!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" transform="rotate(-45 {x:.1} {y:.1})" font-weight="bold"><title>{}</title>{}</text>"#,
            escape(&l.full),
            escape(label)
        );
    }
    for (i, (label, l)) in row_labels.iter().zip(rows).enumerate() {
        let y = y0 + CELL_H * i as f64;
        let _ = writeln!(
            out,
            r#"<text x="{MARGIN}" y="{:.1}"><title>{}</title>{}</text>"#,
            y + CELL_H / 2.0 + 4.5,
            escape(&l.full),
            escape(label)
        );
        for (j, col) in cols.iter().enumerate() {
            let x = x0 + cell_w * j as f64;
            let (fill, ink, text) = match value(i, j) {
                Some(v) => (
                    colour(v),
                    if v > 0.55 { "white" } else { "black" },
                    format!("{v:.2}"),
                ),
                None => (NO_DATA.to_string(), "black", "–".to_string()),
            };
            let _ = writeln!(
                out,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{cell_w:.1}" height="{CELL_H}" fill="{fill}" stroke="#cccccc"><title>{} · {}: {text}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{ink}">{text}</text>"##,
                escape(&l.full),
                escape(&col.full),
                x + cell_w / 2.0,
                y + CELL_H / 2.0 + 4.5,
            );
        }
    }
    // Legend: the colour scale with ticks, and the no-data swatch.
    let step = 24.0;
    for k in 0..=10 {
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{legend_y:.1}" width="{step}" height="14" fill="{}" stroke="#cccccc"/>"##,
            MARGIN + step * k as f64,
            colour(k as f64 / 10.0)
        );
    }
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = MARGIN + step * (tick * 10.0) + step / 2.0;
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333333"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11">{tick}</text>"##,
            legend_y + 14.0,
            legend_y + 18.0,
            legend_y + 30.0
        );
    }
    let lx = MARGIN + step * 11.0 + 16.0;
    let _ = writeln!(
        out,
        r#"<text x="{lx:.1}" y="{:.1}">{LEGEND}</text>"#,
        legend_y + 12.0
    );
    let nx = lx + text_width(LEGEND) + 24.0;
    let _ = writeln!(
        out,
        r##"<rect x="{nx:.1}" y="{legend_y:.1}" width="{step}" height="14" fill="{NO_DATA}" stroke="#cccccc"/><text x="{:.1}" y="{:.1}">{NO_DATA_LEGEND}</text>"##,
        nx + step + 6.0,
        legend_y + 12.0
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize, f: impl Fn(usize) -> String) -> Vec<Label> {
        (0..n)
            .map(|i| Label {
                short: f(i),
                full: f(i),
            })
            .collect()
    }

    fn dims(svg: &str) -> (f64, f64) {
        let num = |key: &str| -> f64 {
            let at = svg.find(key).unwrap() + key.len();
            svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        (num("width=\""), num("height=\""))
    }

    /// Issue 14: control characters and markup in labels leave valid XML
    /// text.
    #[test]
    fn labels_are_escaped_for_xml() {
        let rows = labels(1, |_| "a<b & \"c\" \u{7}\u{0}d\u{ffff}".into());
        let svg = grid_svg("t", &rows, &rows, &|_, _| None);
        assert!(svg.contains("a&lt;b &amp; &quot;c&quot; \u{fffd}\u{fffd}d\u{fffd}"));
        assert!(
            !svg.chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{ffff}'),
            "no control characters"
        );
    }

    /// Issue 14: no data is drawn as no data, not as 0.00; the legend has
    /// tick labels.
    #[test]
    fn missing_shares_and_legend_ticks() {
        let rows = labels(2, |i| format!("r{i}"));
        let svg = grid_svg("t", &rows, &rows, &|r, _| (r == 0).then_some(0.0));
        assert_eq!(svg.matches(">0.00</text>").count(), 2);
        assert_eq!(svg.matches(">–</text>").count(), 2);
        for tick in ["0", "0.25", "0.5", "0.75", "1"] {
            assert!(svg.contains(&format!(">{tick}</text>")), "tick {tick}");
        }
    }

    /// Issue 14: long column labels are turned and cut, not overlapped;
    /// 500 documents stay within a readable width.
    #[test]
    fn readable_at_5_and_500_documents() {
        let tasks = labels(23, |i| {
            format!(
                "{}.{} 推进重大建设项目和公共资源配置信息公开",
                i / 4 + 1,
                i % 4 + 1
            )
        });
        let long = labels(5, |i| {
            format!("内蒙古自治区通辽市人民政府办公室 201{i} 年实施方案")
        });
        let svg = grid_svg("t", &tasks, &long, &|_, _| Some(0.5));
        let (w, _) = dims(&svg);
        assert!(w < 1200.0, "5 documents: {w} px wide");
        assert_eq!(svg.matches("rotate(-45").count(), 5);
        // Labels longer than the space are cut, whole in the tooltip.
        assert!(
            svg.contains("…</text>")
                && svg.contains("<title>内蒙古自治区通辽市人民政府办公室 2010 年实施方案</title>")
        );

        let docs = labels(500, |i| format!("文档 {i:03}"));
        let ids = labels(23, |i| format!("{}.{}", i / 4 + 1, i % 4 + 1));
        let svg = grid_svg("t", &docs, &ids, &|_, _| Some(0.5));
        let (w, h) = dims(&svg);
        assert!(w < 2000.0, "500 documents: {w} px wide");
        assert!(h < 500.0 * 30.0, "500 documents: {h} px high");
        assert!(svg.contains(">文档 499</text>"));
    }

    /// Renders the 5- and 500-document heatmaps with a real SVG renderer
    /// (`rsvg-convert`, Debian package librsvg2-bin, which `.ci/run`
    /// installs): the SVG is valid and the PNG has the declared size.
    #[test]
    fn renders_with_rsvg_convert() {
        let dir = tempfile::tempdir().unwrap();
        let tasks = labels(23, |i| {
            format!("{}.{} 推进“放管服”改革信息公开 <&>", i / 4 + 1, i % 4 + 1)
        });
        let ids = labels(23, |i| format!("{}.{}", i / 4 + 1, i % 4 + 1));
        let five = labels(5, |i| format!("攀枝花 201{i}\u{7}"));
        let many = labels(500, |i| format!("文档 {i:03}"));
        let cases = [
            (
                "five",
                grid_svg("t", &tasks, &five, &|r, _| (r % 3 > 0).then_some(0.5)),
            ),
            (
                "many",
                grid_svg("t", &many, &ids, &|r, c| Some(((r + c) % 11) as f64 / 10.0)),
            ),
        ];
        for (name, svg) in cases {
            let (svg_path, png) = (
                dir.path().join(format!("{name}.svg")),
                dir.path().join(format!("{name}.png")),
            );
            std::fs::write(&svg_path, &svg).unwrap();
            let status = match std::process::Command::new("rsvg-convert")
                .arg("-o")
                .arg(&png)
                .arg(&svg_path)
                .output()
            {
                Ok(o) => o,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    eprintln!(
                        "skipped: rsvg-convert is not installed (apt-get install librsvg2-bin); the SVG checks above still ran"
                    );
                    return;
                }
                Err(e) => panic!("rsvg-convert: {e}"),
            };
            assert!(
                status.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&status.stderr)
            );
            let bytes = std::fs::read(&png).unwrap();
            assert!(bytes.starts_with(b"\x89PNG"), "{name}");
            let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as f64;
            let (w, h) = dims(&svg);
            assert_eq!((be(16), be(20)), (w, h), "{name}: PNG size");
        }
    }
}
