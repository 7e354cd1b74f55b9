//! A chart's SVG as a PNG picture, for documents that cannot hold SVG (Word bulletins).
//! Text is drawn with the machine's fonts: the chart's font stack names the common CJK fonts
//! (scripts/setup installs WenQuanYi Micro Hei on a bare machine); the font list is read once.

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};
use std::sync::{Arc, OnceLock};

/// A rendered picture and its size in pixels.
#[derive(Debug, Clone)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            Arc::new(db)
        })
        .clone()
}

/// Is a font with Chinese glyphs installed (else a picture's Chinese text cannot be drawn)?
pub fn has_cjk_font() -> bool {
    fonts().faces().any(|f| {
        f.families.iter().any(|(name, _)| {
            let n = name.to_lowercase();
            n.contains("cjk")
                || n.contains("wenquanyi")
                || n.contains("yahei")
                || n.contains("hei")
                || n.contains("song")
                || n.contains("fang")
        })
    })
}

/// Renders `svg` at `scale` × its own size (its viewBox, in CSS pixels) on white.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Png, String> {
    // The charts say width="100%" for pages; a picture is its viewBox wide.
    let svg = svg.replacen(" width=\"100%\"", "", 1);
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: "WenQuanYi Micro Hei".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| format!("图表无法绘制：{e}"))?;
    let size = tree.size();
    let (width, height) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = Pixmap::new(width, height).ok_or("图表尺寸无效")?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok(Png {
        bytes,
        width,
        height,
    })
}
