//! The document profile's types, as plain data: a leaf module that
//! imports nothing of the crate but the obligation grade, so the stages
//! that fill them import downward only.

use luoshi_align::{CoverageStatus, Id, Status};
use luoshi_core::{Date, ItemId};
use serde::Serialize;

use crate::obligation::Obligation;

/// How much of a statement restates the national text, in three bins:
/// the bins of the hand counts (`testdata/profile/hand_counts.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Restates {
    /// Two thirds of its characters or more.
    Most,
    /// From a third to two thirds.
    Part,
    /// Less than a third.
    None,
}

impl Restates {
    /// The bin of a restated share.
    pub fn of(share: f64) -> Restates {
        if share >= 2.0 / 3.0 {
            Restates::Most
        } else if share >= 1.0 / 3.0 {
            Restates::Part
        } else {
            Restates::None
        }
    }

    /// `most`, `part` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Restates::Most => "most",
            Restates::Part => "part",
            Restates::None => "none",
        }
    }
}

/// What the profile measures of one requirement item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemProfile {
    /// The item.
    pub item: ItemId,
    /// Its decision.
    pub status: Status,
    /// The national task it was placed in (matched or task).
    pub task: Option<Id>,
    /// Characters of its statement, normalized (no punctuation,
    /// whitespace, speaker words or lifted splices).
    pub chars: usize,
    /// Of those, the characters in passages that align with the national
    /// text (the evidence, and the other requirements it covers and its
    /// task's text), each passage at least
    /// [`crate::ProfileConfig::min_passage`] characters long.
    pub restated: usize,
    /// Of those, the characters in runs of at least
    /// [`crate::ProfileConfig::copy_run`] characters found verbatim in
    /// that national text.
    pub copied: usize,
    /// It names a responsible unit ([`luoshi_core::Item::units`]).
    pub unit: bool,
    /// It names a deadline that states a time ([`luoshi_core::Item::deadline`]
    /// holding a digit or a calendar unit; not 及时发布, 持续推进).
    pub deadline: bool,
    /// The quantities it states ([`crate::quantities`]), in its statement
    /// or its deadline.
    pub quantities: Vec<String>,
    /// How strongly it binds.
    pub obligation: Obligation,
}

impl ItemProfile {
    /// `restated / chars`: how much of the statement restates the
    /// national text; `None` for an empty statement.
    pub fn restated_share(&self) -> Option<f64> {
        (self.chars > 0).then(|| self.restated as f64 / self.chars as f64)
    }

    /// `copied / chars`: how much of it is the national text verbatim;
    /// `None` for an empty statement.
    pub fn copy_share(&self) -> Option<f64> {
        (self.chars > 0).then(|| self.copied as f64 / self.chars as f64)
    }

    /// The restated share's bin (`None` bin for an empty statement).
    pub fn restates(&self) -> Restates {
        Restates::of(self.restated_share().unwrap_or(0.0))
    }

    /// It names a unit, a deadline or a quantity.
    pub fn specific(&self) -> bool {
        self.unit || self.deadline || !self.quantities.is_empty()
    }

    /// It only restates: most of it is the national text, and it names
    /// no unit, deadline or quantity of its own.
    pub fn only_restates(&self) -> bool {
        self.restates() == Restates::Most && !self.specific()
    }
}

/// What a document did with one national requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Use {
    /// Covered (or partly), half of its text or more reproduced verbatim
    /// by the items that state it.
    Kept,
    /// Covered (or partly), in other words.
    Reworded,
    /// Not stated.
    Omitted,
}

impl Use {
    /// `kept`, `reworded` or `omitted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Use::Kept => "kept",
            Use::Reworded => "reworded",
            Use::Omitted => "omitted",
        }
    }
}

/// One national requirement in one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementUse {
    /// The requirement.
    pub requirement: Id,
    /// Its task.
    pub task: Id,
    /// Its coverage ([`luoshi_align::RequirementCoverage::status`]).
    pub coverage: CoverageStatus,
    /// The share of its text that the items stating it reproduce
    /// verbatim (runs of at least [`crate::ProfileConfig::copy_run`]
    /// characters); 0 when omitted.
    pub kept_share: f64,
    /// Kept, reworded or omitted.
    pub used: Use,
}

/// Sums over some requirement items: the document's, or a task's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    /// Requirement items.
    pub items: usize,
    /// Their statement characters.
    pub chars: usize,
    /// Of which restate the national text.
    pub restated: usize,
    /// Of which copy it verbatim.
    pub copied: usize,
    /// Items naming a unit.
    pub unit: usize,
    /// Items naming a deadline.
    pub deadline: usize,
    /// Items stating a quantity.
    pub quantity: usize,
    /// Items naming a unit, a deadline or a quantity.
    pub specific: usize,
    /// Items that only restate.
    pub only_restates: usize,
}

impl Measures {
    /// The sums over `items`.
    pub fn of<'a>(items: impl IntoIterator<Item = &'a ItemProfile>) -> Measures {
        let mut m = Measures::default();
        for i in items {
            m.items += 1;
            m.chars += i.chars;
            m.restated += i.restated;
            m.copied += i.copied;
            m.unit += usize::from(i.unit);
            m.deadline += usize::from(i.deadline);
            m.quantity += usize::from(!i.quantities.is_empty());
            m.specific += usize::from(i.specific());
            m.only_restates += usize::from(i.only_restates());
        }
        m
    }

    /// Fidelity: the share of the statement characters that restate the
    /// national text; `None` without characters.
    pub fn fidelity(&self) -> Option<f64> {
        ratio(self.restated, self.chars)
    }

    /// The share of the statement characters copied verbatim.
    pub fn copy_share(&self) -> Option<f64> {
        ratio(self.copied, self.chars)
    }

    /// A count as a share of the items; `None` without items.
    pub fn share(&self, count: usize) -> Option<f64> {
        ratio(count, self.items)
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// One document's profile: how closely, how concretely and how fast it
/// answered the national document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentProfile {
    /// The document's label.
    pub label: String,
    /// Its requirement items, in document order.
    pub items: Vec<ItemProfile>,
    /// Every national requirement, in taxonomy order.
    pub requirements: Vec<RequirementUse>,
    /// Requirement items called local extensions.
    pub extended: usize,
    /// Days from the national document's date to this one's `issued`
    /// date; `None` when either is unknown.
    pub response_lag: Option<i64>,
    /// The national document's date (the taxonomy's `date`).
    pub national_date: Option<Date>,
}

impl DocumentProfile {
    /// The sums over all requirement items.
    pub fn measures(&self) -> Measures {
        Measures::of(&self.items)
    }

    /// The sums over the items placed in `task` (matched to one of its
    /// requirements or filed under it).
    pub fn task_measures(&self, task: &str) -> Measures {
        Measures::of(
            self.items
                .iter()
                .filter(|i| i.task.as_deref() == Some(task)),
        )
    }

    /// How many requirements were used so.
    pub fn count(&self, used: Use) -> usize {
        self.requirements.iter().filter(|r| r.used == used).count()
    }

    /// The profile of an item, if it is a requirement item.
    pub fn item(&self, id: ItemId) -> Option<&ItemProfile> {
        self.items
            .binary_search_by_key(&id, |i| i.item)
            .ok()
            .map(|i| &self.items[i])
    }
}
