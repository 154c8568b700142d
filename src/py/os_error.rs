//! Which `OSError` subclass `CPython` 3.11 raises for an I/O error (`open()` maps errno to
//! the subclass: `ENOENT` → `FileNotFoundError`, `EACCES` → `PermissionError`, …).

/// The subclass of `OSError` Python raises for an I/O error (by its errno).
#[must_use]
pub fn python_os_error(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "FileNotFoundError",
        ErrorKind::IsADirectory => "IsADirectoryError",
        ErrorKind::NotADirectory => "NotADirectoryError",
        ErrorKind::PermissionDenied => "PermissionError",
        ErrorKind::InvalidInput => "ValueError", // a NUL byte in the path
        _ => "OSError",
    }
}
