//! Emulation and rewards: the Party badge candidates of an award day ([`badges`]), awards and
//! their recipients ([`awards`]), the proposals a unit sends to the level that awards
//! ([`proposals`]), emulation campaigns ([`campaigns`]) and the figures ([`figures`]).

pub mod awards;
pub mod badges;
pub mod campaigns;
pub mod figures;
pub mod proposals;

pub use awards::{Award, AwardSummary, MemberAward, NewAward, NewRecipient, Recipient};
pub use badges::BadgeCandidate;
pub use campaigns::{Campaign, CampaignUnit, NewCampaign};
pub use figures::{AwardFigures, FigureRow};
pub use proposals::{NewProposal, NewProposalItem, Proposal, ProposalItem, ProposalStep, ProposalSummary};

use dangvu_domain::rewards::MAX_TEXT_CHARS;
use dangvu_domain::text::clean;

use crate::StoreError;

/// A required text, cleaned, 1 to `max` characters.
fn required_text(raw: &str, field: &str, max: usize, what: &str) -> Result<String, StoreError> {
    let text = clean(raw);
    if text.is_empty() || text.chars().count() > max {
        return Err(StoreError::invalid(field, format!("{what}: từ 1 đến {max} ký tự")));
    }
    Ok(text)
}

/// An optional long text (an achievement, a result), cleaned, at most [`MAX_TEXT_CHARS`].
fn long_text(raw: &str, field: &str) -> Result<String, StoreError> {
    let lines: Vec<String> = raw.lines().map(clean).collect();
    let text = lines.join("\n").trim().to_owned();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(StoreError::invalid(field, format!("Tối đa {MAX_TEXT_CHARS} ký tự")));
    }
    Ok(text)
}
