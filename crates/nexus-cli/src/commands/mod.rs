//! One module per subcommand; each returns an [`Outcome`](crate::Failure) the caller maps to an
//! exit code.

pub mod compile;
pub mod ls;
