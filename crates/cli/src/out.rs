//! Printing that ends quietly when the reader of standard output has gone
//! (`luoshi … | head`), and printing an error once.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once standard output's reader has gone.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes to standard output. When the pipe is closed (the reader has
/// what it wanted), this and every later print is dropped quietly and the
/// program goes on with its work (a coverage run still writes its
/// tables, a refit its model) and ends with its own exit code; another
/// write error ends it with code 1.
pub fn print(args: std::fmt::Arguments<'_>) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CLOSED.store(true, Ordering::Relaxed);
            return;
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Whether standard output's reader has gone (a program that only prints
/// may stop early).
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// `println!` that ends quietly on a closed pipe.
#[macro_export]
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::out::print(format_args!("{}\n", format_args!($($t)*)))
    };
}

/// Prints an error once (its message already names the file and what was
/// expected) and returns exit code 1.
pub fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    fail_with(e, 1)
}

/// Prints an error once and returns exit code `code` (2 for a wrong
/// command line).
pub fn fail_with(e: &dyn std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(code)
}
