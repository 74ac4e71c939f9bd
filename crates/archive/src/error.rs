//! The archive's error type.

use std::path::PathBuf;

/// Why an archive operation failed. Every variant names the file or the value at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// A file-system operation failed.
    #[error("{op} {path}: {source}")]
    Io {
        /// What was being done (`open`, `write`, `fsync`, `rename`, ...).
        op: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The Parquet library rejected a file being written or read.
    #[error("parquet {path}: {source}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A file does not hold what the archive wrote there.
    #[error("corrupt {path}: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A row cannot be stored (e.g. a non-finite coordinate or an out-of-range value).
    #[error("row {index} of the batch cannot be stored: {reason}")]
    InvalidRow {
        /// Index of the row in the batch passed to `append`.
        index: usize,
        /// Why.
        reason: String,
    },
    /// A mark passed to `open` or `rollback` does not lie in the staging log.
    #[error("mark {segment}:{offset} is not in the staging log: {reason}")]
    BadMark {
        /// The mark's segment.
        segment: u64,
        /// The mark's byte offset.
        offset: u64,
        /// Why it was refused.
        reason: String,
    },
    /// `segment_rows_max` rows are staged; the owner must seal (`seal_if_full`) before
    /// appending more.
    #[error("staging segment holds {rows} rows, the limit is {limit}: seal before appending")]
    StagingFull {
        /// Rows staged.
        rows: usize,
        /// `ArchiveOptions::segment_rows_max`.
        limit: usize,
    },
    /// The options are unusable.
    #[error("invalid archive options: {reason}")]
    Options {
        /// Which option and why.
        reason: String,
    },
    /// A calendar day that does not exist was asked for.
    #[error("no such day {year:04}-{month:02}-{day:02}")]
    BadDay {
        /// Year.
        year: i32,
        /// Month 1-12.
        month: u8,
        /// Day of month.
        day: u8,
    },
    /// Writing an export to the caller's writer failed.
    #[error("export: {source}")]
    Export {
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The background thread sealing a staging segment could not be started or stopped
    /// abnormally; the segment stays staged and sealing is retried.
    #[error("sealing staging segment {segment}: {reason}")]
    Sealer {
        /// The segment being sealed.
        segment: u64,
        /// What went wrong.
        reason: String,
    },
}
