//! Pure types and rules of a regional cooperation office (区域合作办): exact money, investment
//! tiers, the project stage machine, project validation, code formats and access rules.
//! No IO, no async, no database: most of the project's rules are tested here.

pub mod access;
pub mod agreement;
pub mod assessment;
pub mod assistance;
pub mod bulletin;
pub mod cells;
pub mod code;
pub mod credit_code;
pub mod enterprise;
pub mod figures;
pub mod key_item;
pub mod money;
pub mod mujun;
pub mod mujun_report;
pub mod platform;
pub mod progress;
pub mod project;
pub mod stage;
pub mod tier;

pub use access::{Area, ItemScope, ProjectScope, Role, Viewer};
pub use code::ProjectCode;
pub use figures::{Light, Ratio};
pub use key_item::{ItemStatus, MilestoneDates, MilestoneState, PlanKind};
pub use money::{Currency, UsdRate, Yuan};
pub use progress::{BlockerKind, Month, Plan, Progress};
pub use project::{FieldError, Flag, Kind, Origin, ProjectDraft, ProjectInput};
pub use stage::{Maturity, Stage, Transition, TransitionError};
pub use tier::TierConfig;
