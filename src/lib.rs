//! credlint: a linter for AWS credential setups.
//!
//! The flow is discover → parse → model → rules → report. Data moves forward only: a rule
//! never reads a file, a parser never decides what is wrong, and only the report layer
//! writes output.

pub mod baseline;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
mod error;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod keys;
pub mod model;
pub mod parse;
pub mod py;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod suppress;
pub mod vocab;

pub use error::Error;
