//! The petitions' pages: the register, a letter's intake, a case, the figures.

pub fn router() -> crate::pages::PageRoutes {
    crate::pages::PageRoutes::new()
}
