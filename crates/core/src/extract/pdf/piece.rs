//! A block of a PDF page before it is laid out as text: what the layout
//! and the table finder produce and the page joiner reads (a leaf they
//! all import).

/// What a piece is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PieceKind {
    Heading,
    Paragraph,
    Row,
}

/// A block of a page before it is laid out as text.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub(super) kind: PieceKind,
    pub(super) text: String,
    pub(super) cells: Vec<String>,
    pub(super) page: u32,
    /// Top of the block (larger is higher on the page).
    pub(super) top: f64,
    /// A paragraph whose last line runs to the right edge.
    pub(super) open: bool,
    /// A paragraph whose first line is indented.
    pub(super) indented: bool,
    /// The text column it sits in (0 on single-column pages); a page is
    /// read column by column.
    pub(super) column: u8,
    /// For rows: the left edge of each column, in hundredths of a point.
    pub(super) columns: Vec<i64>,
    /// For rows: a cell open at the top or at the bottom (a cell its side rules leave open, as `layout` reads it).
    pub(super) open_top: bool,
    pub(super) open_bottom: bool,
}
