//! File-system helpers that attach the path and operation to every error, and the durable
//! write sequence (temporary name, fsync, rename, fsync of the directory).

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::ArchiveError;

fn io<'a>(op: &'static str, path: &'a Path) -> impl Fn(std::io::Error) -> ArchiveError + 'a {
    move |source| ArchiveError::Io { op, path: path.to_owned(), source }
}

/// The temporary name a file is written under before its rename.
pub fn tmp_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

/// Whether a directory entry is a leftover temporary file.
pub fn is_tmp(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tmp")
}

/// Creates (truncating) a file for writing.
pub fn create(path: &Path) -> Result<File, ArchiveError> {
    File::create(path).map_err(io("create", path))
}

/// Opens a file for reading.
pub fn open(path: &Path) -> Result<File, ArchiveError> {
    File::open(path).map_err(io("open", path))
}

/// Reads a whole file.
pub fn read(path: &Path) -> Result<Vec<u8>, ArchiveError> {
    fs::read(path).map_err(io("read", path))
}

/// Creates a directory and its parents.
pub fn create_dir_all(path: &Path) -> Result<(), ArchiveError> {
    fs::create_dir_all(path).map_err(io("create directory", path))
}

/// Flushes a file's data and metadata to disk.
pub fn sync_file(file: &File, path: &Path) -> Result<(), ArchiveError> {
    file.sync_all().map_err(io("fsync", path))
}

/// Flushes a file's data to disk (`fdatasync`).
pub fn sync_data(file: &File, path: &Path) -> Result<(), ArchiveError> {
    file.sync_data().map_err(io("fdatasync", path))
}

/// Flushes a directory, making renames and removals in it durable.
pub fn sync_dir(dir: &Path) -> Result<(), ArchiveError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io("fsync directory", dir))
}

/// Renames `from` to `to` and flushes `to`'s directory.
pub fn rename_durable(from: &Path, to: &Path) -> Result<(), ArchiveError> {
    fs::rename(from, to).map_err(io("rename", from))?;
    sync_dir(to.parent().unwrap_or(Path::new(".")))
}

/// Writes `bytes` to `path` durably (temporary file, fsync, rename, fsync of the directory).
pub fn write_durable(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    use std::io::Write;
    let tmp = tmp_path(path);
    let mut f = create(&tmp)?;
    f.write_all(bytes).map_err(io("write", &tmp))?;
    sync_file(&f, &tmp)?;
    drop(f);
    rename_durable(&tmp, path)
}

/// Removes a file if it exists.
pub fn remove_file(path: &Path) -> Result<(), ArchiveError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io("remove", path)(e)),
        _ => Ok(()),
    }
}

/// Entries of a directory (none if it does not exist), sorted by name.
pub fn list(dir: &Path) -> Result<Vec<PathBuf>, ArchiveError> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("list", dir)(e)),
    };
    let mut out = Vec::new();
    for e in rd {
        out.push(e.map_err(io("list", dir))?.path());
    }
    out.sort();
    Ok(out)
}
