//! The city's dictionaries, to turn the names a sheet uses into ids and codes, and the reading
//! of amounts as offices type them — shared by every kind of import.

use super::{Table, normalize};
use hezuo_domain::Yuan;
use hezuo_domain::cells::{half_width, unit_in_header};
use hezuo_domain::money::{Currency, MoneyUnit};
use std::collections::HashMap;

/// The city's dictionaries, to turn the names a sheet uses into ids and codes.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    /// (code, name)
    pub districts: Vec<(String, String)>,
    /// (id, name, code, district code)
    pub platforms: Vec<(i64, String, String, String)>,
    pub industries: Vec<(i64, String)>,
    pub chains: Vec<(i64, String)>,
    pub leaders: Vec<(i64, String)>,
    pub units: Vec<(i64, String)>,
}

/// A district named with or without 区/县/市: "吴兴" or "吴兴区" is 吴兴区.
pub(crate) fn district_code(vocab: &Vocab, text: &str) -> Option<String> {
    let strip = |s: &str| {
        let n = normalize(s);
        n.trim_end_matches(['区', '县', '市']).to_string()
    };
    let t = strip(text);
    vocab
        .districts
        .iter()
        .find(|(code, name)| *code == text.trim() || strip(name) == t)
        .map(|(code, _)| code.clone())
}

/// An id by name (exact after normalising, else a name containing the text or contained in it,
/// when only one does).
fn id_by_name(items: &[(i64, String)], text: &str) -> Option<i64> {
    let t = normalize(text);
    if let Some((id, _)) = items.iter().find(|(_, n)| normalize(n) == t) {
        return Some(*id);
    }
    let near: Vec<i64> = items
        .iter()
        .filter(|(_, n)| {
            let n = normalize(n);
            n.contains(&t) || t.contains(&n)
        })
        .map(|(id, _)| *id)
        .collect();
    (near.len() == 1).then(|| near[0])
}

/// The dictionaries a name can be looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Dict {
    District,
    Platform,
    Industry,
    Chain,
    Leader,
    Unit,
}

/// Names resolved against the vocabulary, each distinct text once (a sheet repeats its few
/// districts and industries on every row).
pub(crate) struct Names<'a> {
    pub(crate) vocab: &'a Vocab,
    memo: HashMap<(Dict, String), Option<(String, String)>>,
}

impl Names<'_> {
    /// (id or code, the platform's district) for a name as written.
    pub(crate) fn find(&mut self, dict: Dict, text: &str) -> Option<(String, String)> {
        let key = (dict, text.to_string());
        if let Some(found) = self.memo.get(&key) {
            return found.clone();
        }
        let v = self.vocab;
        let id = |items: &[(i64, String)]| {
            id_by_name(items, text).map(|id| (id.to_string(), String::new()))
        };
        let found = match dict {
            Dict::District => district_code(v, text).map(|c| (c, String::new())),
            Dict::Platform => {
                let p = normalize(text);
                v.platforms
                    .iter()
                    .find(|(_, name, code, _)| {
                        normalize(name) == p || normalize(code) == p || normalize(name).contains(&p)
                    })
                    .map(|(id, _, _, d)| (id.to_string(), d.clone()))
            }
            Dict::Industry => id(&v.industries),
            Dict::Chain => id(&v.chains),
            Dict::Leader => id(&v.leaders),
            Dict::Unit => id(&v.units),
        };
        self.memo.insert(key, found.clone());
        found
    }
}

impl<'a> Names<'a> {
    pub(crate) fn new(vocab: &'a Vocab) -> Names<'a> {
        Names {
            vocab,
            memo: HashMap::new(),
        }
    }
}

/// The unit of a money column: stated in its header, else in a note above the table
/// ("单位：万元"), else 万元 (the unit of the form).
pub(crate) fn money_unit(table: &Table, col: usize) -> (Currency, MoneyUnit) {
    unit_in_header(&table.headers[col])
        .or_else(|| {
            table
                .above
                .iter()
                .filter(|t| t.contains("单位"))
                .find_map(|t| unit_in_header(&format!("({})", half_width(t).replace(' ', ""))))
        })
        .unwrap_or((Currency::Cny, MoneyUnit::Wan))
}

/// An amount as typed in a cell, in the column's currency and unit unless the cell states its
/// own ("8000万元", "1.2亿美元"); thousands separators and spaces are ignored.
pub(crate) fn read_money(
    text: &str,
    column: (Currency, MoneyUnit),
) -> Result<(Currency, Yuan), String> {
    let t = text.replace([',', ' '], "");
    let (currency, t) = match t.strip_suffix("美元") {
        Some(rest) => (Currency::Usd, format!("{rest}元")),
        None => (column.0, t),
    };
    Yuan::parse(&t, column.1)
        .map(|v| (currency, v))
        .map_err(|e| e.to_string())
}

pub(crate) fn labels<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|l| format!("“{l}”"))
        .collect::<Vec<_>>()
        .join("、")
}
