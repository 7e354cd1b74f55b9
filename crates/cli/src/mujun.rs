//! `hezuo mujun score`: scores a year's enterprises under the scheme saved for the year (or one
//! from a TOML file) and prints each enterprise's credit code, score and class.

use crate::files::system_viewer;
use anyhow::{Context, bail};
use clap::Subcommand;
use hezuo_domain::mujun::{Scheme, score};
use hezuo_store::Store;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum MujunCommand {
    /// Score the year's enterprises (亩均效益评价) and print the results.
    Score {
        #[arg(long)]
        year: i32,
        /// A scheme in TOML (see the README); default: the scheme saved for the year.
        #[arg(long)]
        scheme: Option<PathBuf>,
        /// Print JSON: {"year", "results": [{"credit_code", "name", "score", "class", "rank", …}]}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct Line {
    credit_code: String,
    name: String,
    score: Option<f64>,
    class: Option<String>,
    rank: Option<usize>,
    managed_as: Option<String>,
    note: Option<String>,
}

pub async fn run(store: &Store, command: MujunCommand) -> anyhow::Result<()> {
    let MujunCommand::Score { year, scheme, json } = command;
    let text = match scheme {
        Some(path) => std::fs::read_to_string(&path)
            .with_context(|| format!("无法读取评价方案 {}", path.display()))?,
        None => match store.mujun_scheme(year).await? {
            Some(t) => t,
            None => bail!("{year}年度尚未设置评价方案：请用 --scheme 指定 TOML 文件"),
        },
    };
    let scheme = Scheme::from_toml(&text).map_err(anyhow::Error::msg)?;
    let population = store.mujun_population(&system_viewer(), year).await?;
    let enterprises: Vec<_> = population.iter().map(|(_, e)| e.clone()).collect();
    let results = score(&scheme, &enterprises);
    let lines: Vec<Line> = population
        .iter()
        .zip(results)
        .map(|((row, _), r)| Line {
            credit_code: row.credit_code.clone(),
            name: row.name.clone(),
            score: r.score,
            class: r.class,
            rank: r.rank,
            managed_as: r.managed_as,
            note: r.note,
        })
        .collect();
    if json {
        println!(
            "{}",
            serde_json::to_string(&serde_json::json!({"year": year, "results": lines}))?
        );
    } else {
        for l in &lines {
            println!(
                "{}  {}  {}  {}",
                l.credit_code,
                l.score.map_or("—".to_string(), |s| format!("{s:.2}")),
                l.class
                    .as_deref()
                    .or(l.managed_as.as_deref())
                    .unwrap_or("—"),
                l.name
            );
        }
        println!("共 {} 家企业", lines.len());
    }
    Ok(())
}
