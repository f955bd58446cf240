//! The audit log is a hash chain: each entry's hash covers its own content and the hash
//! of the entry before it, so editing or deleting any entry breaks every hash after it.

use sha2::{Digest, Sha256};

/// The hash that the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What one audit entry records: who did what to which record, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContent<'a> {
    pub id: i64,
    /// Microseconds since the Unix epoch.
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    /// JSON of the record before the change, if it existed.
    pub before: Option<&'a str>,
    /// JSON of the record after the change, if it still exists.
    pub after: Option<&'a str>,
}

impl AuditContent<'_> {
    /// The entry's hash, chained to `prev_hash`. Every field is length-prefixed so that no
    /// two different entries can be written as the same bytes.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        field(prev_hash.as_bytes());
        field(&self.id.to_be_bytes());
        field(&self.at.to_be_bytes());
        field(self.actor_id.map(|i| i.to_string()).unwrap_or_default().as_bytes());
        field(self.actor_name.as_bytes());
        field(self.action.as_bytes());
        field(self.entity.as_bytes());
        field(self.entity_id.map(|i| i.to_string()).unwrap_or_default().as_bytes());
        field(self.before.unwrap_or("\u{0}none").as_bytes());
        field(self.after.unwrap_or("\u{0}none").as_bytes());
        let digest = h.finalize();
        let mut out = String::with_capacity(64);
        for b in digest.iter() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

/// Why a stored chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {id}: its content does not match its hash (edited)")]
    Edited { id: i64 },
    #[error("entry {id}: it does not follow the entry before it (an entry before it was removed or edited)")]
    Unlinked { id: i64 },
    #[error(
        "the chain ends at entry {found:?} but the head records entry {expected} (entries were removed from the end)"
    )]
    Truncated { expected: i64, found: Option<i64> },
}

/// Every kind of change the audit log records. The text of each (`org.found`) is what the
/// log stores and hashes: it never changes once entries carry it; a new kind of change is a
/// new variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    OrgFound,
    OrgRename,
    OrgMove,
    OrgMerge,
    OrgDissolve,
    BodyCreate,
    UserCreate,
    UserEmail,
    SettingsUpdate,
    DocumentCreate,
    DocumentAttach,
    MeetingCreate,
    TaskCreate,
    TaskUpdate,
    TaskCancel,
    TaskAttach,
    TaskReport,
    TaskAccept,
    TaskReturn,
    MemberCreate,
    MemberImport,
    MemberExport,
    MemberRead,
    MemberCorrect,
    MemberCorrectAdmission,
    MemberTransfer,
    MemberTransferConfirm,
    MemberRecognize,
    MemberReadmit,
    MemberExemption,
    MemberEnd,
    MemberInactivePeriod,
    MemberInactivePeriodDelete,
    AdmissionCreate,
    AdmissionUpdate,
    AdmissionClose,
    AdmissionTarget,
    ClassificationRecord,
    CellMeetingCreate,
    CellMeetingUpdate,
    CellMeetingCancel,
    CellMeetingReply,
    CellMeetingComment,
    CellMeetingAttendance,
    CellMeetingMinutes,
    CellMeetingMinutesAmend,
    CellMeetingMinutesApprove,
    CellMeetingTopic,
    CellMeetingTopicWithdraw,
    CellMeetingTask,
    CellMeetingTaskReport,
    CellMeetingTaskReview,
    CellMeetingAttach,
    CellMeetingBook,
    CellMeetingLoad,
    ElectionCreate,
    ElectionBoard,
    ElectionNominate,
    ElectionWithdraw,
    ElectionEntry,
    ElectionResolve,
    ElectionTieDecision,
    ElectionFinal,
    ElectionSeal,
    ElectionComplaint,
    ElectionDestruction,
    ElectionApproval,
    UserPersonnel,
    PersonnelRead,
    PostSeats,
    PostHolder,
    PostHolderEnd,
    PlanningAdd,
    PlanningRemove,
    PlanningStandards,
    PersonnelPlanSave,
    PersonnelPlanState,
    NominationCase,
    NominationStep,
    CongressCreate,
    CongressState,
    CongressPlan,
    DraftCreate,
    DraftVersion,
    DraftWindow,
    DraftComment,
    DraftDisposition,
    CongressSeats,
    DelegateAdd,
    DelegateCredentials,
    DelegateSubstitution,
    DelegateExclusion,
    CongressSession,
    CongressCheckIn,
    SubcommitteeCreate,
    SubcommitteeMember,
    DraftCommentScan,
    PetitionRegister,
    PetitionStep,
    PetitionHandler,
    PetitionSenderRead,
    PetitionDisclosure,
    UserPetitionCustodian,
    ReceptionSession,
    AwardRecord,
    AwardCeremony,
    ProposalChange,
    ProposalStep,
    CampaignLaunch,
    CampaignUnit,
    CampaignClose,
}

impl Action {
    pub const ALL: [Action; 111] = [
        Action::OrgFound,
        Action::OrgRename,
        Action::OrgMove,
        Action::OrgMerge,
        Action::OrgDissolve,
        Action::BodyCreate,
        Action::UserCreate,
        Action::UserEmail,
        Action::SettingsUpdate,
        Action::DocumentCreate,
        Action::DocumentAttach,
        Action::MeetingCreate,
        Action::TaskCreate,
        Action::TaskUpdate,
        Action::TaskCancel,
        Action::TaskAttach,
        Action::TaskReport,
        Action::TaskAccept,
        Action::TaskReturn,
        Action::MemberCreate,
        Action::MemberImport,
        Action::MemberExport,
        Action::MemberRead,
        Action::MemberCorrect,
        Action::MemberCorrectAdmission,
        Action::MemberTransfer,
        Action::MemberTransferConfirm,
        Action::MemberRecognize,
        Action::MemberReadmit,
        Action::MemberExemption,
        Action::MemberEnd,
        Action::MemberInactivePeriod,
        Action::MemberInactivePeriodDelete,
        Action::AdmissionCreate,
        Action::AdmissionUpdate,
        Action::AdmissionClose,
        Action::AdmissionTarget,
        Action::ClassificationRecord,
        Action::CellMeetingCreate,
        Action::CellMeetingUpdate,
        Action::CellMeetingCancel,
        Action::CellMeetingReply,
        Action::CellMeetingComment,
        Action::CellMeetingAttendance,
        Action::CellMeetingMinutes,
        Action::CellMeetingMinutesAmend,
        Action::CellMeetingMinutesApprove,
        Action::CellMeetingTopic,
        Action::CellMeetingTopicWithdraw,
        Action::CellMeetingTask,
        Action::CellMeetingTaskReport,
        Action::CellMeetingTaskReview,
        Action::CellMeetingAttach,
        Action::CellMeetingBook,
        Action::CellMeetingLoad,
        Action::ElectionCreate,
        Action::ElectionBoard,
        Action::ElectionNominate,
        Action::ElectionWithdraw,
        Action::ElectionEntry,
        Action::ElectionResolve,
        Action::ElectionTieDecision,
        Action::ElectionFinal,
        Action::ElectionSeal,
        Action::ElectionComplaint,
        Action::ElectionDestruction,
        Action::ElectionApproval,
        Action::UserPersonnel,
        Action::PersonnelRead,
        Action::PostSeats,
        Action::PostHolder,
        Action::PostHolderEnd,
        Action::PlanningAdd,
        Action::PlanningRemove,
        Action::PlanningStandards,
        Action::PersonnelPlanSave,
        Action::PersonnelPlanState,
        Action::NominationCase,
        Action::NominationStep,
        Action::CongressCreate,
        Action::CongressState,
        Action::CongressPlan,
        Action::DraftCreate,
        Action::DraftVersion,
        Action::DraftWindow,
        Action::DraftComment,
        Action::DraftDisposition,
        Action::CongressSeats,
        Action::DelegateAdd,
        Action::DelegateCredentials,
        Action::DelegateSubstitution,
        Action::DelegateExclusion,
        Action::CongressSession,
        Action::CongressCheckIn,
        Action::SubcommitteeCreate,
        Action::SubcommitteeMember,
        Action::DraftCommentScan,
        Action::PetitionRegister,
        Action::PetitionStep,
        Action::PetitionHandler,
        Action::PetitionSenderRead,
        Action::PetitionDisclosure,
        Action::UserPetitionCustodian,
        Action::ReceptionSession,
        Action::AwardRecord,
        Action::AwardCeremony,
        Action::ProposalChange,
        Action::ProposalStep,
        Action::CampaignLaunch,
        Action::CampaignUnit,
        Action::CampaignClose,
    ];

    /// The text the log stores.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::OrgFound => "org.found",
            Action::OrgRename => "org.rename",
            Action::OrgMove => "org.move",
            Action::OrgMerge => "org.merge",
            Action::OrgDissolve => "org.dissolve",
            Action::BodyCreate => "body.create",
            Action::UserCreate => "user.create",
            Action::UserEmail => "user.email",
            Action::SettingsUpdate => "settings.update",
            Action::DocumentCreate => "document.create",
            Action::DocumentAttach => "document.attach",
            Action::MeetingCreate => "meeting.create",
            Action::TaskCreate => "task.create",
            Action::TaskUpdate => "task.update",
            Action::TaskCancel => "task.cancel",
            Action::TaskAttach => "task.attach",
            Action::TaskReport => "task.report",
            Action::TaskAccept => "task.accept",
            Action::TaskReturn => "task.return",
            Action::MemberCreate => "member.create",
            Action::MemberImport => "member.import",
            Action::MemberExport => "member.export",
            Action::MemberRead => "member.read",
            Action::MemberCorrect => "member.correct",
            Action::MemberCorrectAdmission => "member.correct_admission",
            Action::MemberTransfer => "member.transfer",
            Action::MemberTransferConfirm => "member.transfer_confirm",
            Action::MemberRecognize => "member.recognize",
            Action::MemberReadmit => "member.readmit",
            Action::MemberExemption => "member.exemption",
            Action::MemberEnd => "member.end",
            Action::MemberInactivePeriod => "member.inactive_period",
            Action::MemberInactivePeriodDelete => "member.inactive_period.delete",
            Action::AdmissionCreate => "admission.create",
            Action::AdmissionUpdate => "admission.update",
            Action::AdmissionClose => "admission.close",
            Action::AdmissionTarget => "admission.target",
            Action::ClassificationRecord => "classification.record",
            Action::CellMeetingCreate => "cell_meeting.create",
            Action::CellMeetingUpdate => "cell_meeting.update",
            Action::CellMeetingCancel => "cell_meeting.cancel",
            Action::CellMeetingReply => "cell_meeting.reply",
            Action::CellMeetingComment => "cell_meeting.comment",
            Action::CellMeetingAttendance => "cell_meeting.attendance",
            Action::CellMeetingMinutes => "cell_meeting.minutes",
            Action::CellMeetingMinutesAmend => "cell_meeting.minutes_amend",
            Action::CellMeetingMinutesApprove => "cell_meeting.minutes_approve",
            Action::CellMeetingTopic => "cell_meeting.topic",
            Action::CellMeetingTopicWithdraw => "cell_meeting.topic_withdraw",
            Action::CellMeetingTask => "cell_meeting.task",
            Action::CellMeetingTaskReport => "cell_meeting.task_report",
            Action::CellMeetingTaskReview => "cell_meeting.task_review",
            Action::CellMeetingAttach => "cell_meeting.attach",
            Action::CellMeetingBook => "cell_meeting.book",
            Action::CellMeetingLoad => "cell_meeting.load",
            Action::ElectionCreate => "election.create",
            Action::ElectionBoard => "election.board",
            Action::ElectionNominate => "election.nominate",
            Action::ElectionWithdraw => "election.withdraw",
            Action::ElectionEntry => "election.entry",
            Action::ElectionResolve => "election.resolve",
            Action::ElectionTieDecision => "election.tie_decision",
            Action::ElectionFinal => "election.final",
            Action::ElectionSeal => "election.seal",
            Action::ElectionComplaint => "election.complaint",
            Action::ElectionDestruction => "election.destruction",
            Action::ElectionApproval => "election.approval",
            Action::UserPersonnel => "user.personnel",
            Action::PersonnelRead => "personnel.read",
            Action::PostSeats => "post.seats",
            Action::PostHolder => "post.holder",
            Action::PostHolderEnd => "post.holder_end",
            Action::PlanningAdd => "planning.add",
            Action::PlanningRemove => "planning.remove",
            Action::PlanningStandards => "planning.standards",
            Action::PersonnelPlanSave => "personnel_plan.save",
            Action::PersonnelPlanState => "personnel_plan.state",
            Action::NominationCase => "nomination.case",
            Action::NominationStep => "nomination.step",
            Action::CongressCreate => "congress.create",
            Action::CongressState => "congress.state",
            Action::CongressPlan => "congress.plan",
            Action::DraftCreate => "draft.create",
            Action::DraftVersion => "draft.version",
            Action::DraftWindow => "draft.window",
            Action::DraftComment => "draft.comment",
            Action::DraftDisposition => "draft.disposition",
            Action::CongressSeats => "congress.seats",
            Action::DelegateAdd => "delegate.add",
            Action::DelegateCredentials => "delegate.credentials",
            Action::DelegateSubstitution => "delegate.substitution",
            Action::DelegateExclusion => "delegate.exclusion",
            Action::CongressSession => "congress.session",
            Action::CongressCheckIn => "congress.check_in",
            Action::SubcommitteeCreate => "subcommittee.create",
            Action::SubcommitteeMember => "subcommittee.member",
            Action::DraftCommentScan => "draft.comment_scan",
            Action::PetitionRegister => "petition.register",
            Action::PetitionStep => "petition.step",
            Action::PetitionHandler => "petition.handler",
            Action::PetitionSenderRead => "petition.sender_read",
            Action::PetitionDisclosure => "petition.disclosure",
            Action::UserPetitionCustodian => "user.petition_custodian",
            Action::ReceptionSession => "reception.session",
            Action::AwardRecord => "award.record",
            Action::AwardCeremony => "award.ceremony",
            Action::ProposalChange => "award_proposal.change",
            Action::ProposalStep => "award_proposal.step",
            Action::CampaignLaunch => "campaign.launch",
            Action::CampaignUnit => "campaign.unit",
            Action::CampaignClose => "campaign.close",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// What the audit page shows, in Vietnamese.
    pub fn label(self) -> &'static str {
        match self {
            Action::OrgFound => "Thành lập tổ chức",
            Action::OrgRename => "Đổi tên tổ chức",
            Action::OrgMove => "Chuyển tổ chức",
            Action::OrgMerge => "Hợp nhất tổ chức",
            Action::OrgDissolve => "Giải thể tổ chức",
            Action::BodyCreate => "Thêm cơ quan",
            Action::UserCreate => "Tạo tài khoản",
            Action::UserEmail => "Đổi địa chỉ thư điện tử",
            Action::SettingsUpdate => "Sửa thiết lập",
            Action::DocumentCreate => "Vào sổ văn bản",
            Action::DocumentAttach => "Đính kèm tệp vào văn bản",
            Action::MeetingCreate => "Ghi cuộc họp",
            Action::TaskCreate => "Giao nhiệm vụ",
            Action::TaskUpdate => "Sửa nhiệm vụ",
            Action::TaskCancel => "Hủy nhiệm vụ",
            Action::TaskAttach => "Đính kèm tệp vào nhiệm vụ",
            Action::TaskReport => "Báo cáo tiến độ nhiệm vụ",
            Action::TaskAccept => "Công nhận hoàn thành nhiệm vụ",
            Action::TaskReturn => "Trả lại nhiệm vụ",
            Action::MemberCreate => "Thêm đảng viên",
            Action::MemberImport => "Nhập danh sách đảng viên",
            Action::MemberExport => "Xuất danh sách đảng viên",
            Action::MemberRead => "Xem hồ sơ đảng viên",
            Action::MemberCorrect => "Sửa hồ sơ đảng viên",
            Action::MemberCorrectAdmission => "Sửa ngày vào Đảng",
            Action::MemberTransfer => "Chuyển sinh hoạt đảng",
            Action::MemberTransferConfirm => "Xác nhận đảng viên đến sinh hoạt",
            Action::MemberRecognize => "Công nhận đảng viên chính thức",
            Action::MemberReadmit => "Kết nạp lại",
            Action::MemberExemption => "Miễn sinh hoạt",
            Action::MemberEnd => "Thôi là đảng viên",
            Action::MemberInactivePeriod => "Ghi thời gian gián đoạn",
            Action::MemberInactivePeriodDelete => "Xóa thời gian gián đoạn",
            Action::AdmissionCreate => "Mở hồ sơ kết nạp",
            Action::AdmissionUpdate => "Ghi các bước kết nạp",
            Action::AdmissionClose => "Dừng hồ sơ kết nạp",
            Action::AdmissionTarget => "Ghi chỉ tiêu kết nạp",
            Action::ClassificationRecord => "Ghi kết quả xếp loại",
            Action::CellMeetingCreate => "Lên lịch sinh hoạt chi bộ",
            Action::CellMeetingUpdate => "Đổi lịch sinh hoạt chi bộ",
            Action::CellMeetingCancel => "Hủy buổi sinh hoạt chi bộ",
            Action::CellMeetingReply => "Trả lời dự họp",
            Action::CellMeetingComment => "Góp ý kiến buổi sinh hoạt",
            Action::CellMeetingAttendance => "Điểm danh",
            Action::CellMeetingMinutes => "Ghi biên bản",
            Action::CellMeetingMinutesAmend => "Sửa biên bản đã thông qua",
            Action::CellMeetingMinutesApprove => "Thông qua biên bản",
            Action::CellMeetingTopic => "Định hướng nội dung sinh hoạt",
            Action::CellMeetingTopicWithdraw => "Rút định hướng nội dung sinh hoạt",
            Action::CellMeetingTask => "Phân công nhiệm vụ cho đảng viên",
            Action::CellMeetingTaskReport => "Đảng viên báo cáo nhiệm vụ",
            Action::CellMeetingTaskReview => "Xem xét nhiệm vụ của đảng viên",
            Action::CellMeetingAttach => "Đính kèm tài liệu sinh hoạt",
            Action::CellMeetingBook => "Tải sổ biên bản",
            Action::CellMeetingLoad => "Nạp lịch sử sinh hoạt",
            Action::ElectionCreate => "Lập danh sách bầu cử",
            Action::ElectionBoard => "Cử thành viên ban kiểm phiếu",
            Action::ElectionNominate => "Đề cử tại đại hội",
            Action::ElectionWithdraw => "Rút tên khỏi danh sách bầu cử",
            Action::ElectionEntry => "Nhập phiếu bầu",
            Action::ElectionResolve => "Trưởng ban kiểm phiếu xử lý phiếu khác nhau",
            Action::ElectionTieDecision => "Quyết định trường hợp bằng phiếu",
            Action::ElectionFinal => "Kết quả kiểm phiếu",
            Action::ElectionSeal => "Niêm phong phiếu bầu",
            Action::ElectionComplaint => "Khiếu nại về bầu cử",
            Action::ElectionDestruction => "Tiêu hủy phiếu bầu",
            Action::ElectionApproval => "Cấp trên chuẩn y kết quả bầu cử",
            Action::UserPersonnel => "Trao hoặc thu quyền công tác cán bộ",
            Action::PersonnelRead => "Xem dữ liệu công tác cán bộ",
            Action::PostSeats => "Đặt cơ cấu, số lượng chức danh",
            Action::PostHolder => "Ghi nhận người giữ chức danh",
            Action::PostHolderEnd => "Thôi giữ chức danh",
            Action::PlanningAdd => "Bổ sung quy hoạch",
            Action::PlanningRemove => "Đưa ra khỏi quy hoạch",
            Action::PlanningStandards => "Rà soát tiêu chuẩn người trong quy hoạch",
            Action::PersonnelPlanSave => "Lập, sửa đề án nhân sự",
            Action::PersonnelPlanState => "Trình, phê duyệt, trả lại, điều chỉnh đề án nhân sự",
            Action::NominationCase => "Mở quy trình bổ nhiệm, giới thiệu cán bộ",
            Action::NominationStep => "Hoàn thành, dừng một bước của quy trình cán bộ",
            Action::CongressCreate => "Tạo đại hội",
            Action::CongressState => "Duyệt, khai mạc, bế mạc đại hội",
            Action::CongressPlan => "Kế hoạch đại hội của cấp trên",
            Action::DraftCreate => "Tạo dự thảo văn kiện",
            Action::DraftVersion => "Thêm bản dự thảo mới",
            Action::DraftWindow => "Đổi thời gian lấy ý kiến dự thảo",
            Action::DraftComment => "Góp ý dự thảo",
            Action::DraftDisposition => "Tiếp thu, giải trình góp ý",
            Action::CongressSeats => "Phân bổ đại biểu",
            Action::DelegateAdd => "Thêm đại biểu vào danh sách",
            Action::DelegateCredentials => "Thẩm tra tư cách đại biểu",
            Action::DelegateSubstitution => "Thay đại biểu bằng đại biểu dự khuyết",
            Action::DelegateExclusion => "Lý do không tính vào số triệu tập (Điều 30)",
            Action::CongressSession => "Mở phiên họp đại hội",
            Action::CongressCheckIn => "Điểm danh đại biểu",
            Action::SubcommitteeCreate => "Lập tiểu ban đại hội",
            Action::SubcommitteeMember => "Thêm người vào tiểu ban",
            Action::DraftCommentScan => "Đính kèm bản quét phiếu góp ý",
            Action::PetitionRegister => "Vào sổ đơn thư",
            Action::PetitionStep => "Bước xử lý đơn thư",
            Action::PetitionHandler => "Giao người xử lý đơn thư",
            Action::PetitionSenderRead => "Xem danh tính người gửi đơn",
            Action::PetitionDisclosure => "Quyết định cho xem danh tính người tố cáo",
            Action::UserPetitionCustodian => "Giao quyền quản lý danh tính người tố cáo",
            Action::ReceptionSession => "Ghi buổi tiếp công dân",
            Action::AwardRecord => "Ghi nhận khen thưởng",
            Action::AwardCeremony => "Ghi ngày trao tặng",
            Action::ProposalChange => "Soạn tờ trình khen thưởng",
            Action::ProposalStep => "Bước xử lý tờ trình khen thưởng",
            Action::CampaignLaunch => "Phát động phong trào thi đua",
            Action::CampaignUnit => "Đơn vị đăng ký, báo cáo thi đua",
            Action::CampaignClose => "Tổng kết phong trào thi đua",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, after: &str) -> AuditContent<'_> {
        AuditContent {
            id,
            at: 1_700_000_000_000_000 + id,
            actor_id: Some(1),
            actor_name: "admin",
            action: "org.create",
            entity: "org",
            entity_id: Some(id),
            before: None,
            after: Some(after),
        }
    }

    #[test]
    fn chain_detects_edits() {
        let h1 = entry(1, "{\"name\":\"A\"}").hash(GENESIS);
        let h2 = entry(2, "{\"name\":\"B\"}").hash(&h1);
        assert_eq!(h1.len(), 64);
        assert_ne!(entry(1, "{\"name\":\"X\"}").hash(GENESIS), h1);
        assert_ne!(entry(2, "{\"name\":\"B\"}").hash(GENESIS), h2);
    }

    #[test]
    fn absent_and_empty_differ() {
        let mut a = entry(1, "");
        let h = a.hash(GENESIS);
        a.after = None;
        assert_ne!(a.hash(GENESIS), h);
    }

    #[test]
    fn every_action_reads_back_from_its_text_and_the_texts_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for action in super::Action::ALL {
            assert_eq!(super::Action::parse(action.as_str()), Some(action));
            assert!(seen.insert(action.as_str()), "{action:?}");
            assert!(!action.label().is_empty());
        }
    }
}
