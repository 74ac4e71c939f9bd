//! `kuroshio audit`: the audit log's hash chain from the command line.
//!
//! `verify` walks the whole log and recomputes every record's hash (see
//! `kuroshio_store::audit_chain`); it reports the first record that was changed, the first
//! sequence number missing, or, given `--expect-head SEQ:HASH` (an anchor kept outside the
//! store), a log that no longer reaches that record or says something else there. `head`
//! verifies the same way and prints the last record as `SEQ HASH`, the anchor to keep.
//!
//! Exit codes: 0 the log is intact, 1 tampering found (the message names the record and what
//! is wrong), 2 a usage error or a store that could not be read.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use kuroshio_store::audit_chain::{self, Anchor, Verdict};

/// Exit code for a log found tampered with.
const EXIT_TAMPERED: u8 = 1;

/// Exit code for usage and store errors.
const EXIT_ERROR: u8 = 2;

/// `kuroshio audit` subcommands.
#[derive(Subcommand)]
pub enum AuditCmd {
    /// Verify the audit log's hash chain: every record's hash, no missing sequence number,
    /// and (with --expect-head) the anchored record still there and unchanged.
    ///
    /// Exit code 0 when intact, 1 when tampering is found (which record, and what), 2 on
    /// errors.
    #[command(after_help = "Examples:\n  \
        kuroshio audit verify --store node-data\n  \
        kuroshio audit verify --store node-data --expect-head \"$(cat audit-anchor.txt)\"")]
    Verify {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
        /// An anchor from `kuroshio audit head` (SEQ:HASH or "SEQ HASH"): the log must still
        /// hold that record with that hash, which shows records removed from the end.
        #[arg(long, value_name = "SEQ:HASH")]
        expect_head: Option<Anchor>,
    },
    /// Verify the chain, then print the last record as `SEQ HASH`: an anchor to keep outside
    /// the store for a later `verify --expect-head`. Prints nothing for an empty log.
    #[command(after_help = "Examples:\n  \
        kuroshio audit head --store node-data > audit-anchor.txt")]
    Head {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
    },
}

/// Runs an `audit` subcommand; reports errors itself and returns the exit code.
pub fn run(cmd: AuditCmd) -> ExitCode {
    match run_inner(cmd) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kuroshio: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run_inner(cmd: AuditCmd) -> anyhow::Result<ExitCode> {
    let (spec, anchor, print_head) = match cmd {
        AuditCmd::Verify { store, expect_head } => (store, expect_head, false),
        AuditCmd::Head { store } => (store, None, true),
    };
    let store = crate::store_cmd::open(&spec)?;
    let verdict = audit_chain::verify(&*store, anchor.as_ref())
        .with_context(|| format!("reading the audit log of {spec}"))?;
    let mut out = std::io::stdout().lock();
    match verdict {
        Verdict::Intact(chain) => {
            if print_head {
                if let Some(h) = chain.head {
                    writeln!(out, "{} {}", h.seq, audit_chain::to_hex(&h.hash))?;
                } else {
                    eprintln!("kuroshio: the audit log is empty");
                }
            } else {
                match chain.head {
                    Some(h) => writeln!(
                        out,
                        "audit log intact: {} records, head {} {}{}",
                        chain.count,
                        h.seq,
                        audit_chain::to_hex(&h.hash),
                        if anchor.is_some() { ", anchor matches" } else { "" }
                    )?,
                    None => writeln!(out, "audit log intact: empty")?,
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Verdict::Tampered(t) => {
            writeln!(out, "audit log TAMPERED: {t}")?;
            Ok(ExitCode::from(EXIT_TAMPERED))
        }
    }
}
