//! `nl-ner models`: the models this build can use and whether each is installed.

use std::process::ExitCode;

/// Arguments of `nl-ner models` (none).
#[derive(clap::Args, Debug)]
pub struct ModelsArgs {}

/// Prints one line per model: name, state, and what it needs.
pub fn run(_args: &ModelsArgs) -> anyhow::Result<ExitCode> {
    let dir = nl_ner::transformer::shipped_transformer_dir();
    let shipped = dir.join("config.json").is_file();
    super::print_report(&format!(
        "crf          built in        the default model (`--model FILE` loads another CRF)\n\
         transformer  {}\n",
        transformer_state(&dir, shipped)
    ))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "transformer")]
fn transformer_state(dir: &std::path::Path, shipped: bool) -> String {
    let encoder = nl_ner::transformer::default_encoder_path();
    match (shipped, encoder.is_file()) {
        (true, true) => "installed".to_string(),
        (false, _) => format!("missing {}", dir.display()),
        (true, false) => format!(
            "needs the encoder {} (scripts/transformer/setup.sh)",
            encoder.display()
        ),
    }
}

#[cfg(not(feature = "transformer"))]
fn transformer_state(dir: &std::path::Path, shipped: bool) -> String {
    format!(
        "not in this build (model {} {}; scripts/transformer/setup.sh, then cargo build --release \
         --features transformer)",
        dir.display(),
        if shipped { "present" } else { "missing" }
    )
}
