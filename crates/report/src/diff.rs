//! `diff`: two documents side by side ([`luoshi_analysis::diff`]) as a
//! table, one row per line of the comparison (`luoshi diff --csv`).

use luoshi_analysis::{DocumentDiff, Shift, Side};
use luoshi_core::Taxonomy;
use polars::prelude::*;

use crate::corpus::{Table, round4};
use crate::error::Result;
use crate::frames::{frame, ls, of, os, ou, s};

/// The name of the table ([`diff_table`]).
pub const DIFF_TABLE: &str = "diff";

/// One document's side of the rows.
#[derive(Default)]
struct SideColumns {
    item: Vec<Option<u64>>,
    start: Vec<Option<u64>>,
    end: Vec<Option<u64>>,
    text: Vec<Option<String>>,
    obligation: Vec<Option<String>>,
    deadline: Vec<Option<String>>,
    numbers: Vec<Option<Vec<String>>>,
    units: Vec<Option<Vec<String>>>,
}

impl SideColumns {
    fn push(&mut self, side: Option<&Side>) {
        self.item.push(side.map(|x| u64::from(x.item.0)));
        self.start.push(side.map(|x| x.span.start as u64));
        self.end.push(side.map(|x| x.span.end as u64));
        self.text.push(side.map(|x| x.text.clone()));
        self.obligation
            .push(side.map(|x| x.obligation.grade.as_str().to_string()));
        self.deadline.push(side.and_then(|x| x.deadline.clone()));
        self.numbers.push(side.map(|x| x.quantities.clone()));
        self.units.push(side.map(|x| x.units.clone()));
    }

    fn columns(self, suffix: &str) -> Vec<Column> {
        let name = |n: &str| format!("{n}_{suffix}");
        vec![
            ou(&name("item_id"), self.item),
            ou(&name("start"), self.start),
            ou(&name("end"), self.end),
            os(&name("text"), self.text),
            os(&name("obligation"), self.obligation),
            os(&name("deadline"), self.deadline),
            ls(&name("numbers"), self.numbers),
            ls(&name("units"), self.units),
        ]
    }
}

/// `diff`: one row per line of `diff` (national requirements in the
/// taxonomy's order, then the items paired by their own words, then the
/// second document's items left over); ids in the tables' form (`T1.10`,
/// `R1.1.2`, as `taxonomy` names them). Columns: docs/schema.md.
///
/// # Errors
/// [`crate::Error::Polars`] when the table cannot be built.
pub fn diff_table(taxonomy: &Taxonomy, diff: &DocumentDiff) -> Result<Table> {
    let tid = |id: &str| taxonomy.table_id(id).unwrap_or_else(|| id.to_string());
    let shift = |x: Option<Shift>| x.map(|x| x.as_str().to_string());
    let n = diff.rows.len();
    let (mut change, mut requirement, mut task) = (vec![], vec![], vec![]);
    let (mut similarity, mut weakened) = (vec![], vec![]);
    let (mut obligation, mut deadline, mut numbers, mut units) = (vec![], vec![], vec![], vec![]);
    let (mut a, mut b) = (SideColumns::default(), SideColumns::default());
    for r in &diff.rows {
        change.push(r.change.as_str().to_string());
        requirement.push(r.requirement.as_deref().map(tid));
        task.push(r.task.as_deref().map(tid));
        a.push(r.a.as_ref());
        b.push(r.b.as_ref());
        similarity.push(r.similarity.map(round4));
        obligation.push(
            r.obligation
                .map(|(x, y)| format!("{} → {}", x.as_str(), y.as_str())),
        );
        weakened.push(r.obligation.map(|_| r.weakened()));
        deadline.push(shift(r.deadline));
        numbers.push(shift(r.numbers));
        units.push(shift(r.units));
    }
    let mut cols = vec![
        s("doc_a", vec![diff.a.clone(); n]),
        s("doc_b", vec![diff.b.clone(); n]),
        s("change", change),
        os("requirement_id", requirement),
        os("task_id", task),
    ];
    cols.extend(a.columns("a"));
    cols.extend(b.columns("b"));
    cols.extend([
        of("similarity", similarity),
        os("obligation_change", obligation),
        Column::new("weakened".into(), weakened),
        os("deadline_change", deadline),
        os("numbers_change", numbers),
        os("units_change", units),
    ]);
    frame(DIFF_TABLE, cols)
}
