//! Ports of Python behaviour credlint must match to the character, one home for all of
//! them. Each file names the `CPython` or library version it mirrors, and the tests that
//! compare it with the real thing (`tests/python_ports.rs`, `tests/dateutil_agreement.rs`,
//! `tests/ini_configparser.rs`, `tests/dotenv_agreement.rs`) run against those versions.
//!
//! - [`shlex`]: `shlex.split` (`CPython` 3.11);
//! - [`url`]: `urllib.parse.urlsplit` and `ipaddress.ip_address` (`CPython` 3.11);
//! - [`dateutil`]: `dateutil.parser.parse` (python-dateutil 2.9);
//! - [`text`]: `str.isspace`, `unicodedata.decimal`, `str.splitlines` (`CPython` 3.11,
//!   Unicode 14.0);
//! - [`os_error`]: the `OSError` subclass for an I/O error (`CPython` 3.11).

pub mod dateutil;
pub mod os_error;
pub mod shlex;
pub mod text;
pub mod url;
