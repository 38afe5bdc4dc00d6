//! One module per subcommand; each returns `Result<(), Failure>`, which `main` maps to an
//! exit code.

pub mod compile;
pub mod demo;
pub mod ls;
pub mod run;
pub mod test;
