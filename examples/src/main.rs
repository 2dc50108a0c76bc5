//! The `certbridge` command-line tool.
fn main() {}
