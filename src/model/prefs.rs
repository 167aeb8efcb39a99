//! Display preferences: theme and text size, kept in the browser's local storage.

/// Root font sizes, in percent of the browser's default, that A+/A− step through.
pub const FONT_SCALES: [u32; 6] = [87, 100, 112, 125, 150, 175];
const DEFAULT_FONT: usize = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn parse(s: &str) -> Option<Theme> {
        [Theme::System, Theme::Light, Theme::Dark].into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefs {
    pub theme: Theme,
    /// Index into [`FONT_SCALES`].
    pub font: usize,
    /// True once the stored preferences were read: only then are changes saved.
    pub loaded: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs { theme: Theme::System, font: DEFAULT_FONT, loaded: false }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefsAction {
    /// Stored values (`None`: nothing stored or not readable).
    Load {
        theme: Option<Theme>,
        font_percent: Option<u32>,
    },
    Grow,
    Shrink,
    Theme(Theme),
}

impl Prefs {
    pub fn font_percent(&self) -> u32 {
        FONT_SCALES[self.font]
    }
    pub fn can_grow(&self) -> bool {
        self.font + 1 < FONT_SCALES.len()
    }
    pub fn can_shrink(&self) -> bool {
        self.font > 0
    }

    pub fn apply(&mut self, action: PrefsAction) {
        match action {
            PrefsAction::Load { theme, font_percent } => {
                self.theme = theme.unwrap_or(self.theme);
                if let Some(i) = font_percent.and_then(|p| FONT_SCALES.iter().position(|&s| s == p)) {
                    self.font = i;
                }
                self.loaded = true;
            }
            PrefsAction::Grow if self.can_grow() => self.font += 1,
            PrefsAction::Shrink if self.can_shrink() => self.font -= 1,
            PrefsAction::Grow | PrefsAction::Shrink => {}
            PrefsAction::Theme(theme) => self.theme = theme,
        }
    }
}

impl yew::Reducible for Prefs {
    type Action = PrefsAction;
    fn reduce(self: std::rc::Rc<Self>, action: PrefsAction) -> std::rc::Rc<Self> {
        let mut next = *self;
        next.apply(action);
        next.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_steps_stop_at_both_ends() {
        let mut p = Prefs::default();
        assert_eq!(p.font_percent(), 100);
        for _ in 0..10 {
            p.apply(PrefsAction::Grow);
        }
        assert_eq!(p.font_percent(), 175);
        assert!(!p.can_grow());
        for _ in 0..10 {
            p.apply(PrefsAction::Shrink);
        }
        assert_eq!(p.font_percent(), 87);
    }

    #[test]
    fn load_takes_known_values_only() {
        let mut p = Prefs::default();
        p.apply(PrefsAction::Load { theme: Theme::parse("dark"), font_percent: Some(33) });
        assert_eq!((p.theme, p.font_percent(), p.loaded), (Theme::Dark, 100, true));
        assert_eq!(Theme::parse("nope"), None);
    }
}
