//! Schemas for query parameters and fields that take one of a vocabulary's codes, so the API's
//! OpenAPI document says which values a filter accepts (an unknown code is refused with 422)
//! instead of "any string". Each list is read from the domain's vocabulary, never retyped.

use hezuo_domain::assistance::ProgrammeKind;
use hezuo_domain::platform::PlatformKind;
use hezuo_domain::{ItemStatus, Stage};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

/// A string that is one of `codes`.
pub fn one_of(codes: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
        .build()
}

pub fn stage_code() -> Object {
    one_of(Stage::ALL.iter().map(|s| s.code()))
}

pub fn item_status_code() -> Object {
    one_of(ItemStatus::ALL.iter().map(|s| s.code()))
}

pub fn platform_kind_code() -> Object {
    one_of(PlatformKind::ALL.iter().map(|k| k.code()))
}

pub fn programme_kind_code() -> Object {
    one_of(ProgrammeKind::ALL.iter().map(|k| k.code()))
}
