//! Dictionaries the administrator keeps: districts, platforms, units, leaders, industries,
//! chains, lists and signing events. They share one shape (id, name, a few typed fields,
//! version), so one set of queries driven by a [`DictKind`]'s field spec serves them all.

use crate::audit::{self, Actor};
use crate::db::{Param, Sql, Store, StoreError, unique_as_conflict};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DictKind {
    District,
    Platform,
    Unit,
    Leader,
    Industry,
    Chain,
    List,
    SigningEvent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// Six-digit administrative code.
    RegionCode,
    Date,
    /// Reference by code to a district.
    DistrictCode,
    /// Reference by id to another dictionary.
    Ref(DictKind),
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub column: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub ty: FieldType,
}

const fn f(column: &'static str, label: &'static str, required: bool, ty: FieldType) -> FieldSpec {
    FieldSpec {
        column,
        label,
        required,
        ty,
    }
}

impl DictKind {
    pub const ALL: [DictKind; 8] = [
        DictKind::District,
        DictKind::Platform,
        DictKind::Unit,
        DictKind::Leader,
        DictKind::Industry,
        DictKind::Chain,
        DictKind::List,
        DictKind::SigningEvent,
    ];

    pub fn table(self) -> &'static str {
        match self {
            DictKind::District => "districts",
            DictKind::Platform => "platforms",
            DictKind::Unit => "units",
            DictKind::Leader => "leaders",
            DictKind::Industry => "industries",
            DictKind::Chain => "chains",
            DictKind::List => "lists",
            DictKind::SigningEvent => "signing_events",
        }
    }

    /// URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            DictKind::District => "districts",
            DictKind::Platform => "platforms",
            DictKind::Unit => "units",
            DictKind::Leader => "leaders",
            DictKind::Industry => "industries",
            DictKind::Chain => "chains",
            DictKind::List => "lists",
            DictKind::SigningEvent => "signing-events",
        }
    }

    pub fn from_slug(s: &str) -> Option<DictKind> {
        DictKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DictKind::District => "区县",
            DictKind::Platform => "平台",
            DictKind::Unit => "单位",
            DictKind::Leader => "联系领导",
            DictKind::Industry => "产业",
            DictKind::Chain => "产业链",
            DictKind::List => "项目清单",
            DictKind::SigningEvent => "签约活动",
        }
    }

    /// Fields after `name`, in display order.
    pub fn fields(self) -> &'static [FieldSpec] {
        use FieldType::*;
        match self {
            DictKind::District => const { &[f("code", "行政区划代码", true, RegionCode)] },
            DictKind::Platform => {
                const {
                    &[
                        f("code", "代码", true, Text),
                        f("district_code", "所在区县", true, DistrictCode),
                    ]
                }
            }
            DictKind::Unit => const { &[f("code", "代码", true, Text)] },
            DictKind::Leader => const { &[f("title", "职务", false, Text)] },
            DictKind::Industry | DictKind::List => const { &[] },
            DictKind::Chain => {
                const { &[f("industry_id", "所属产业", false, Ref(DictKind::Industry))] }
            }
            DictKind::SigningEvent => {
                const {
                    &[
                        f("held_on", "举办日期", true, Date),
                        f("place", "地点", false, Text),
                    ]
                }
            }
        }
    }

    /// The record kind its changes are audited under.
    pub fn entity(self) -> &'static str {
        self.table()
    }
}

/// One dictionary entry; `values` follow [`DictKind::fields`] as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DictItem {
    pub id: i64,
    pub name: String,
    pub values: Vec<String>,
    pub version: i64,
}

impl DictItem {
    pub fn value(&self, kind: DictKind, column: &str) -> &str {
        kind.fields()
            .iter()
            .position(|f| f.column == column)
            .map_or("", |i| self.values[i].as_str())
    }
}

fn select_sql(kind: DictKind) -> String {
    let cols: String = kind
        .fields()
        .iter()
        .map(|f| format!(", COALESCE(CAST({} AS TEXT), '')", f.column))
        .collect();
    format!("SELECT id, name{cols}, version FROM {}", kind.table())
}

fn row_to_item(kind: DictKind, row: &sqlx::any::AnyRow) -> Result<DictItem, sqlx::Error> {
    let n = kind.fields().len();
    let mut values = Vec::with_capacity(n);
    for i in 0..n {
        values.push(row.try_get::<String, _>(2 + i)?);
    }
    Ok(DictItem {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        values,
        version: row.try_get(2 + n)?,
    })
}

impl Store {
    pub async fn dict_list(&self, kind: DictKind) -> Result<Vec<DictItem>, StoreError> {
        let order = match kind {
            DictKind::District | DictKind::Platform | DictKind::Unit => "code",
            DictKind::SigningEvent => "held_on DESC, id",
            _ => "id",
        };
        let sql = format!("{} ORDER BY {order}", select_sql(kind));
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| row_to_item(kind, r))
            .collect::<Result<_, _>>()?)
    }

    pub async fn dict_get(&self, kind: DictKind, id: i64) -> Result<DictItem, StoreError> {
        let sql = format!("{} WHERE id = $1", select_sql(kind));
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| row_to_item(kind, &r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    /// Finds an entry by name (exact), for loaders and imports.
    pub async fn dict_find(
        &self,
        kind: DictKind,
        name: &str,
    ) -> Result<Option<DictItem>, StoreError> {
        let sql = format!("{} WHERE name = $1", select_sql(kind));
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(name.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| row_to_item(kind, &r)).transpose()?)
    }

    /// Checks and converts the typed values; errors name the field.
    fn dict_params(
        kind: DictKind,
        name: &str,
        values: &[String],
    ) -> Result<Vec<Param>, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::invalid("name", "请填写名称"));
        }
        if name.chars().count() > 100 {
            return Err(StoreError::invalid("name", "名称不能超过100个字"));
        }
        let mut params = vec![Param::Text(name.to_string())];
        for (spec, value) in kind.fields().iter().zip(values.iter().map(|v| v.trim())) {
            if value.is_empty() {
                if spec.required {
                    return Err(StoreError::invalid(
                        spec.column,
                        format!("请填写{}", spec.label),
                    ));
                }
                params.push(match spec.ty {
                    FieldType::Ref(_) => Param::Null,
                    _ => Param::Text(String::new()),
                });
                continue;
            }
            params.push(match spec.ty {
                FieldType::Text | FieldType::DistrictCode => Param::Text(value.to_string()),
                FieldType::RegionCode => {
                    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(StoreError::invalid(spec.column, "行政区划代码应为6位数字"));
                    }
                    Param::Text(value.to_string())
                }
                FieldType::Date => match hezuo_domain::project::parse_date(value) {
                    Some(d) => Param::Text(d.to_string()),
                    None => {
                        return Err(StoreError::invalid(spec.column, "日期格式应为 2024-03-05"));
                    }
                },
                FieldType::Ref(_) => match value.parse::<i64>() {
                    Ok(id) => Param::Int(id),
                    Err(_) => {
                        return Err(StoreError::invalid(
                            spec.column,
                            format!("{}无效", spec.label),
                        ));
                    }
                },
            });
        }
        if values.len() != kind.fields().len() {
            return Err(StoreError::invalid("name", "字段数目不符"));
        }
        Ok(params)
    }

    pub async fn dict_create(
        &self,
        actor: &Actor,
        kind: DictKind,
        name: &str,
        values: &[String],
    ) -> Result<DictItem, StoreError> {
        let params = Self::dict_params(kind, name, values)?;
        let mut sql = Sql::new(&format!("INSERT INTO {} (name", kind.table()));
        for spec in kind.fields() {
            sql.push(", ").push(spec.column);
        }
        sql.push(") VALUES (");
        for (i, p) in params.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(p);
        }
        sql.push(") RETURNING id");
        let mut tx = self.begin_write().await?;
        let id: i64 = sql
            .query()
            .fetch_one(&mut *tx)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| unique_as_conflict(e, &format!("已有同名或同代码的{}", kind.label())))?;
        let item = DictItem {
            id,
            name: name.trim().to_string(),
            values: values.to_vec(),
            version: 1,
        };
        audit::write(
            &mut tx,
            actor,
            "create",
            kind.entity(),
            Some(id),
            None::<&()>,
            Some(&item),
        )
        .await?;
        tx.commit().await?;
        self.dict_get(kind, id).await
    }

    /// Updates an entry if `version` is still current; a stale version is a `Conflict`.
    pub async fn dict_update(
        &self,
        actor: &Actor,
        kind: DictKind,
        id: i64,
        version: i64,
        name: &str,
        values: &[String],
    ) -> Result<DictItem, StoreError> {
        let params = Self::dict_params(kind, name, values)?;
        let before = self.dict_get(kind, id).await?;
        let mut sql = Sql::new(&format!("UPDATE {} SET ", kind.table()));
        let columns = std::iter::once("name").chain(kind.fields().iter().map(|f| f.column));
        for (i, (column, p)) in columns.zip(params).enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push(column).push(" = ").bind(p);
        }
        sql.push(", version = version + 1 WHERE id = ")
            .bind_int(id)
            .push(" AND version = ")
            .bind_int(version);
        let mut tx = self.begin_write().await?;
        let done =
            sql.query().execute(&mut *tx).await.map_err(|e| {
                unique_as_conflict(e, &format!("已有同名或同代码的{}", kind.label()))
            })?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "该记录已被他人修改，请刷新后再改".into(),
            ));
        }
        let after = DictItem {
            id,
            name: name.trim().to_string(),
            values: values.to_vec(),
            version: version + 1,
        };
        audit::write(
            &mut tx,
            actor,
            "update",
            kind.entity(),
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.dict_get(kind, id).await
    }
}
