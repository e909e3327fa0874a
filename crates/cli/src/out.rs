//! Printing that ends quietly when the reader of standard output has gone
//! (`luoshi … | head`), and printing an error once.

use std::io::Write;
use std::process::ExitCode;

use luoshi::luoshi_report::exit_code;

/// Writes to standard output. When the pipe is closed the program ends
/// quietly with code 0 (the reader has what it wanted); another write
/// error ends it with code 1.
pub fn print(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(i32::from(exit_code::OK));
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(i32::from(exit_code::ERROR));
    }
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
    eprintln!("error: {e}");
    ExitCode::from(exit_code::ERROR)
}
