//! Who may see and change what. The store turns a [`Viewer`] into SQL conditions; this module
//! only states the rules so they can be tested without a database.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: everything, plus users and dictionaries.
    Admin,
    /// 市区域合作办: the whole city, read and write.
    Office,
    /// 区县/平台 liaison: reads and edits only its own district or platform.
    Area,
    /// 责任单位: reads the projects it is responsible for.
    Unit,
    /// 市领导: reads the whole city, follows its own projects, changes nothing.
    Leader,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Office,
        Role::Area,
        Role::Unit,
        Role::Leader,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::Area => "area",
            Role::Unit => "unit",
            Role::Leader => "leader",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Office => "合作办",
            Role::Area => "区县/平台",
            Role::Unit => "责任单位",
            Role::Leader => "领导",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim() || r.label() == s.trim())
    }
}

/// The area a liaison answers for: a district/county or a platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Area {
    District(String),
    Platform(i64),
}

/// The person asking, as far as access is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i64,
    pub role: Role,
    pub area: Option<Area>,
    pub unit_id: Option<i64>,
    pub leader_id: Option<i64>,
}

/// The rows a viewer may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectScope {
    City,
    District(String),
    Platform(i64),
    Unit(i64),
    /// A misconfigured account (an area role without an area) sees nothing rather than everything.
    Nothing,
}

/// The key items (重点事项) a viewer may read: the office and leaders see every plan, a lead
/// unit sees the items it leads, a district or platform liaison none (items are led by units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemScope {
    All,
    Unit(i64),
    Nothing,
}

impl Viewer {
    pub fn item_scope(&self) -> ItemScope {
        match self.role {
            Role::Admin | Role::Office | Role::Leader => ItemScope::All,
            Role::Unit => self.unit_id.map_or(ItemScope::Nothing, ItemScope::Unit),
            Role::Area => ItemScope::Nothing,
        }
    }

    /// May this viewer create plans, items and agreements, review progress and adjust scores?
    pub fn is_office(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Office)
    }

    /// May this viewer file progress on an item led by `lead_unit_id`? Its lead unit, or the
    /// office on the unit's behalf.
    pub fn may_report_for(&self, lead_unit_id: i64) -> bool {
        self.is_office() || (self.role == Role::Unit && self.unit_id == Some(lead_unit_id))
    }

    pub fn project_scope(&self) -> ProjectScope {
        match (self.role, &self.area) {
            (Role::Admin | Role::Office | Role::Leader, _) => ProjectScope::City,
            (Role::Area, Some(Area::District(code))) => ProjectScope::District(code.clone()),
            (Role::Area, Some(Area::Platform(id))) => ProjectScope::Platform(*id),
            (Role::Area, None) => ProjectScope::Nothing,
            (Role::Unit, _) => self
                .unit_id
                .map_or(ProjectScope::Nothing, ProjectScope::Unit),
        }
    }

    /// May this viewer create projects and change those in its scope?
    pub fn can_edit_projects(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Office)
            || (self.role == Role::Area && self.area.is_some())
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// May this viewer place a project in the given district/platform? Liaisons only in their own.
    pub fn may_place_in(&self, district: &str, platform: Option<i64>) -> bool {
        match self.project_scope() {
            ProjectScope::City => self.can_edit_projects(),
            ProjectScope::District(code) => self.role == Role::Area && code == district,
            ProjectScope::Platform(id) => self.role == Role::Area && platform == Some(id),
            ProjectScope::Unit(_) | ProjectScope::Nothing => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role, area: Option<Area>) -> Viewer {
        Viewer {
            user_id: 1,
            role,
            area,
            unit_id: Some(7),
            leader_id: None,
        }
    }

    #[test]
    fn a_unit_reads_and_reports_only_the_items_it_leads() {
        let unit = viewer(Role::Unit, None);
        assert_eq!(unit.item_scope(), ItemScope::Unit(7));
        assert!(unit.may_report_for(7));
        assert!(!unit.may_report_for(8));
        let unitless = Viewer {
            unit_id: None,
            ..unit
        };
        assert_eq!(unitless.item_scope(), ItemScope::Nothing);
        assert!(!unitless.may_report_for(7));
        let leader = viewer(Role::Leader, None);
        assert_eq!(leader.item_scope(), ItemScope::All);
        assert!(!leader.may_report_for(7));
        assert!(viewer(Role::Office, None).may_report_for(7));
        assert_eq!(
            viewer(Role::Area, Some(Area::District("330502".into()))).item_scope(),
            ItemScope::Nothing
        );
    }

    #[test]
    fn liaisons_edit_only_their_own_area() {
        let v = viewer(Role::Area, Some(Area::District("330502".into())));
        assert!(v.may_place_in("330502", None));
        assert!(!v.may_place_in("330503", None));
        let p = viewer(Role::Area, Some(Area::Platform(3)));
        assert!(p.may_place_in("330522", Some(3)));
        assert!(!p.may_place_in("330522", Some(4)));
    }

    #[test]
    fn leaders_and_units_change_nothing() {
        assert!(!viewer(Role::Leader, None).can_edit_projects());
        assert!(!viewer(Role::Leader, None).may_place_in("330502", None));
        assert!(!viewer(Role::Unit, None).can_edit_projects());
        assert_eq!(
            viewer(Role::Unit, None).project_scope(),
            ProjectScope::Unit(7)
        );
    }

    #[test]
    fn an_area_account_without_an_area_sees_nothing() {
        assert_eq!(
            viewer(Role::Area, None).project_scope(),
            ProjectScope::Nothing
        );
        assert!(!viewer(Role::Area, None).can_edit_projects());
    }
}
