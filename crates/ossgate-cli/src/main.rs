//! The `ossgate` command line: argument parsing and wiring only. The work lives in the library
//! crates; output formatting lives in `report`.

/// Writes to standard output like `print!`; see [`emit`].
macro_rules! out {
    ($($t:tt)*) => { $crate::emit(&format!($($t)*)) };
}

/// Writes a line to standard output like `println!`; see [`emit`].
macro_rules! outln {
    ($($t:tt)*) => { $crate::emit(&format!("{}\n", format_args!($($t)*))) };
}

mod db;
mod inventory;
mod posture;
mod progress;
mod report;
mod sbom;
mod scan;
mod table;
mod version;
mod vex;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ossgate",
    version,
    about = "Find the known vulnerabilities in a project, offline, from a local OSV store.",
    after_help = "Exit codes: 0 success (no findings at or above --fail-on), 1 findings, 2 error.\n\
                  The store lives in $OSSGATE_HOME (default: the platform data directory)."
)]
struct Cli {
    /// No progress bars or informational messages.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// When to colour terminal output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// The directory that holds the store (overrides $OSSGATE_HOME).
    #[arg(long, global = true, env = "OSSGATE_HOME", value_name = "DIR")]
    home: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Scan a project directory or a lockfile for known vulnerabilities.
    Scan(scan::ScanArgs),
    /// List what is inside a project: components, versions, scopes, where they came from.
    Inventory(inventory::InventoryArgs),
    /// Write an SBOM of a project (CycloneDX or SPDX), validate one, or compare two.
    Sbom(sbom::SbomArgs),
    /// Manage the local advisory store.
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Compare versions and evaluate OSV ranges under an ecosystem's rules.
    #[command(subcommand)]
    Version(version::VersionCommand),
    /// Record, review, import and export VEX triage decisions (OpenVEX, CycloneDX, CSAF).
    #[command(subcommand)]
    Vex(vex::VexCommand),
    /// Assess the security posture and health of git checkouts (Scorecard checks, offline).
    Posture(posture::PostureArgs),
}

/// Settings every command shares.
pub struct Ctx {
    pub quiet: bool,
    pub color: bool,
    pub home: PathBuf,
}

impl Ctx {
    pub fn store_path(&self) -> PathBuf {
        self.home.join("ossgate.db")
    }

    /// Progress bars are drawn only on a terminal, and never with --quiet.
    pub fn show_progress(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal()
    }
}

/// Writes `text` to standard output. A reader that went away (a closed pipe, as with `| head`)
/// ends the process quietly with status 0 instead of a panic; any other write error is reported
/// and exits with 2.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to standard output: {e}");
        std::process::exit(2);
    }
}

fn default_home() -> PathBuf {
    dirs::data_dir()
        .map(|d| d.join("ossgate"))
        .unwrap_or_else(|| PathBuf::from(".ossgate"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let ctx = Ctx {
        quiet: cli.quiet,
        color,
        home: cli.home.unwrap_or_else(default_home),
    };
    let result = match cli.command {
        Command::Scan(args) => scan::run(&ctx, args),
        Command::Inventory(args) => inventory::run(&ctx, args),
        Command::Sbom(args) => sbom::run(&ctx, args),
        Command::Db(cmd) => db::run(&ctx, cmd),
        Command::Version(cmd) => version::run(&ctx, cmd),
        Command::Vex(cmd) => vex::run(&ctx, cmd),
        Command::Posture(args) => posture::run(&ctx, args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
