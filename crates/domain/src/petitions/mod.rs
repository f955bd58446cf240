//! Petitions (đơn thư): the complaints, denunciations, proposals and feedback a Party committee,
//! its standing board or its inspection committee receives, from intake to outcome within their
//! time limits, with the denouncer's identity protected.
//!
//! The words of a case are here ([`Kind`], [`Channel`], [`NotHandledReason`], [`Outcome`]); its
//! life is the state machine of [`state`]; its dates are computed by [`clock`] from the
//! [`PetitionRules`] in force, every number of which is a setting named after its source
//! (`domain-rules.md` §7: the Party's 2025 rules were not found); [`duplicate`] finds a letter
//! sent again.

pub mod clock;
pub mod duplicate;
pub mod state;

pub use clock::{Clock, PetitionRules, TimeLimit, Timing, congress_window_opens, held_for_congress};
pub use duplicate::{Fingerprint, similarity};
pub use state::{Event, State};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

words! {
    /// What a letter asks (Luật Khiếu nại 2011, Luật Tố cáo 2018; HD 02-HD/TW for the Party).
    Kind {
        /// Khiếu nại: asks to review a decision or act that concerns the sender.
        Complaint = "complaint" / "Khiếu nại",
        /// Tố cáo: reports a violation by an organisation or a member.
        Denunciation = "denunciation" / "Tố cáo",
        /// Kiến nghị.
        Proposal = "proposal" / "Kiến nghị",
        /// Phản ánh.
        Feedback = "feedback" / "Phản ánh",
    }
}

words! {
    /// How the letter came in: it decides the day the clock starts (a letter by post counts from
    /// its postmark).
    Channel {
        Post = "post" / "Qua bưu điện",
        HandedIn = "handed_in" / "Nộp trực tiếp",
        Reception = "reception" / "Tại buổi tiếp công dân",
        Forwarded = "forwarded" / "Cơ quan khác chuyển đến",
        Online = "online" / "Qua mạng",
    }
}

words! {
    /// Why a letter is kept without being handled (the handbook of the inspection committees;
    /// HD 02-HD/TW). Such letters are still counted.
    NotHandledReason {
        /// Nặc danh, mạo danh: no sender, or a false name.
        Anonymous = "anonymous" / "Đơn nặc danh, mạo danh",
        /// No address that can be reached.
        NoAddress = "no_address" / "Không rõ địa chỉ người gửi",
        /// Sent again about a matter already concluded, with no new evidence.
        Repeated = "repeated" / "Đơn trùng, đã được giải quyết, không có tình tiết mới",
        /// Named, but with no clear content.
        Vague = "vague" / "Nội dung không rõ ràng",
        /// Not for the Party to handle, and nowhere to send it.
        NotCompetent = "not_competent" / "Không thuộc thẩm quyền, không có nơi chuyển",
    }
}

words! {
    /// The conclusion of a handled case.
    Outcome {
        Founded = "founded" / "Đúng",
        PartlyFounded = "partly_founded" / "Đúng một phần",
        Unfounded = "unfounded" / "Sai",
        /// A proposal or feedback answered.
        Answered = "answered" / "Đã trả lời",
    }
}

words! {
    /// Who or what a letter concerns: it decides the competent level (22-QĐ/TW Điều 19 khoản 1:
    /// the committee, its standing board and its inspection committee handle those managed by
    /// the same-level committee) and whether the Party handles it at all.
    Concerns {
        /// A member of the registry.
        Member = "member" / "Đảng viên",
        /// A Party organisation of the tree.
        Org = "org" / "Tổ chức đảng",
        /// A matter for the State (an authority, a citizen's administrative case): forwarded out.
        State = "state" / "Việc thuộc cơ quan nhà nước",
    }
}

impl Kind {
    /// Whether the sender's identity is protected: the denouncer's (Luật Tố cáo 2018 Điều 47;
    /// the Party's rules on denunciations). Only the case's handlers see it.
    pub fn protects_sender(self) -> bool {
        self == Kind::Denunciation
    }
}

impl Outcome {
    /// The outcomes that fit a kind: a complaint or a denunciation is founded or not; a
    /// proposal or feedback is answered.
    pub fn fits(self, kind: Kind) -> bool {
        match kind {
            Kind::Complaint | Kind::Denunciation => self != Outcome::Answered,
            Kind::Proposal | Kind::Feedback => self == Outcome::Answered,
        }
    }
}

/// The reason a letter is not handled, when intake already shows one: an anonymous
/// denunciation or complaint (no sender), or a sender with no address to answer. Proposals and
/// feedback without a name are still read; the handbook keeps the rule for complaints and
/// denunciations.
pub fn not_handled_at_intake(kind: Kind, has_sender: bool, has_address: bool) -> Option<NotHandledReason> {
    match kind {
        Kind::Complaint | Kind::Denunciation if !has_sender => Some(NotHandledReason::Anonymous),
        Kind::Complaint | Kind::Denunciation if !has_address => Some(NotHandledReason::NoAddress),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(*k));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
        }
        for r in NotHandledReason::ALL {
            assert_eq!(NotHandledReason::parse(r.as_str()), Some(*r));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(*o));
        }
        assert_eq!(Kind::parse("tố cáo"), None);
    }

    #[test]
    fn an_anonymous_denunciation_is_kept_not_handled_but_anonymous_feedback_is_read() {
        assert_eq!(not_handled_at_intake(Kind::Denunciation, false, false), Some(NotHandledReason::Anonymous));
        assert_eq!(not_handled_at_intake(Kind::Complaint, true, false), Some(NotHandledReason::NoAddress));
        assert_eq!(not_handled_at_intake(Kind::Denunciation, true, true), None);
        assert_eq!(not_handled_at_intake(Kind::Feedback, false, false), None);
        assert!(Kind::Denunciation.protects_sender() && !Kind::Complaint.protects_sender());
        assert!(Outcome::Answered.fits(Kind::Proposal) && !Outcome::Answered.fits(Kind::Denunciation));
    }
}
