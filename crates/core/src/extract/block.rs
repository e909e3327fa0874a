//! What an extractor produces: the format recognized, and the blocks
//! (headings, paragraphs, table rows) of the extracted text. Plain data,
//! shared by every extractor and by the ingestion.

use std::ops::Range;

use serde::Serialize;

/// The format of a document, as recognized from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// Plain text in any supported encoding.
    Text,
    /// An HTML page.
    Html,
    /// A Word 2007+ document (Office Open XML).
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl Format {
    /// `text`, `html`, `docx` or `pdf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A heading (HTML `h1`–`h6`, a DOCX heading style, a PDF line set in
    /// a larger size).
    Heading,
    /// A paragraph (or, for plain text, a line).
    Paragraph,
    /// A table row; its cells are in [`Block::cells`].
    Row,
}

/// One block of an extracted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Byte range in the extracted text (one line, without its newline).
    pub span: Range<usize>,
    /// For rows, each cell's byte range (cells are separated by tabs;
    /// empty cells keep their place).
    pub cells: Vec<Range<usize>>,
    /// The 1-based PDF page the block starts on.
    pub page: Option<u32>,
}

/// A document's extracted text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text: blocks one per line, cells of a row joined by tabs.
    pub text: String,
    /// The format recognized.
    pub format: Format,
    /// The text encoding (`UTF-8`, `gb18030`, `GBK`, `Big5`, …); for DOCX
    /// and PDF the encoding of their text parts (`UTF-8`, `PDF`).
    pub encoding: &'static str,
    /// The blocks, in reading order.
    pub blocks: Vec<Block>,
    /// Doubts that did not stop the extraction (implausible text, a
    /// declared charset that did not fit, pages without text).
    pub warnings: Vec<String>,
    /// Page count, for PDFs.
    pub pages: Option<u32>,
}

impl Extracted {
    /// The page of the block that holds byte `at` of the text, if any.
    pub fn page_at(&self, at: usize) -> Option<u32> {
        let i = self.blocks.partition_point(|b| b.span.start <= at);
        i.checked_sub(1).and_then(|i| self.blocks[i].page)
    }
}
