//! The numbers of the rules on cell meetings, as data an administrator can change.
//!
//! The defaults follow Chỉ thị 50-CT/TW (23/7/2025) on improving cell meetings, Hướng dẫn
//! 42-HD/BTCTW (28/10/2025) that carries it out (in place of Hướng dẫn 12-HD/BTCTW of 2018), and
//! Quy định 339-QĐ/TW (10/7/2025) on the electronic handbook (reference/domain-rules.md §5).
//! Where the reference marks a number as unverified, it is a default the province confirms.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::{FieldError, Problems};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CellMeetingRules {
    /// The day of the month on which every cell holds its regular meeting (the "unified date":
    /// the 3rd in most provinces, the 4th in Hà Nội); the form proposes it.
    pub regular_day: u32,
    /// The usual start, `HH:MM` in Vietnam's time.
    pub regular_time: String,
    /// A regular meeting lasts at least this many minutes …
    pub min_minutes: u32,
    /// … and a regular and a thematic meeting held together at least this many.
    pub combined_min_minutes: u32,
    /// The documents to read are on the handbook at least this many days before the meeting.
    pub documents_lead_days: u32,
    /// Each cell holds at least this many thematic meetings a quarter.
    pub thematic_per_quarter: u32,
    /// A member absent without reason from this many regular meetings running is listed for
    /// the cell committee to follow up.
    pub absence_alert_meetings: u32,
    /// A cell needs at least this many official members (Điều lệ Đảng, Điều 21).
    pub min_official_members: u32,
    /// The items of the usual agenda, in order.
    pub agenda_template: Vec<String>,
    /// The agenda of a thematic meeting (sinh hoạt chuyên đề), which has its own course: the
    /// topic presented, discussed against the unit's work, concluded with what each will do.
    pub thematic_agenda_template: Vec<String>,
}

impl CellMeetingRules {
    /// The agenda a meeting of `kind` starts from.
    pub fn agenda_for(&self, kind: super::Kind) -> &[String] {
        match kind {
            super::Kind::Thematic => &self.thematic_agenda_template,
            _ => &self.agenda_template,
        }
    }

    /// What the minutes of a meeting that lasted `length` minutes (from their start and end
    /// times, when both are written) should be told: nothing when it lasted long enough.
    /// A warning, not a refusal: the minutes record what happened.
    pub fn length_warning(&self, length: Option<i64>) -> Option<String> {
        let length = length?;
        (length < i64::from(self.min_minutes)).then(|| {
            format!(
                "Buổi sinh hoạt kéo dài {length} phút, ít hơn {} phút theo quy định ({} phút khi kết hợp sinh hoạt chuyên đề).",
                self.min_minutes, self.combined_min_minutes
            )
        })
    }
}

impl Default for CellMeetingRules {
    fn default() -> Self {
        CellMeetingRules {
            regular_day: 3,
            regular_time: "07:30".into(),
            min_minutes: 90,
            combined_min_minutes: 120,
            documents_lead_days: 1,
            thematic_per_quarter: 1,
            absence_alert_meetings: 3,
            min_official_members: 3,
            agenda_template: vec![
                "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh".into(),
                "Thông tin thời sự, chủ trương, chính sách mới và văn bản của cấp trên".into(),
                "Đánh giá kết quả thực hiện nhiệm vụ tháng, đề ra nhiệm vụ tháng tới".into(),
            ],
            thematic_agenda_template: vec![
                "Nêu mục đích, yêu cầu của buổi sinh hoạt chuyên đề".into(),
                "Trình bày báo cáo chuyên đề".into(),
                "Đảng viên thảo luận, liên hệ thực tiễn của cơ quan, đơn vị và của bản thân".into(),
                "Kết luận, thống nhất việc cần làm, người thực hiện và thời hạn".into(),
            ],
        }
    }
}

impl CellMeetingRules {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::new();
        if !(1..=28).contains(&self.regular_day) {
            p.add("regular_day", "Ngày sinh hoạt thống nhất phải từ 1 đến 28");
        }
        if chrono::NaiveTime::parse_from_str(&self.regular_time, "%H:%M").is_err() {
            p.add("regular_time", "Giờ bắt đầu phải có dạng HH:MM");
        }
        if !(15..=480).contains(&self.min_minutes) {
            p.add("min_minutes", "Thời lượng tối thiểu phải từ 15 đến 480 phút");
        }
        if self.combined_min_minutes < self.min_minutes || self.combined_min_minutes > 600 {
            p.add("combined_min_minutes", "Thời lượng khi kết hợp phải từ thời lượng tối thiểu đến 600 phút");
        }
        if self.documents_lead_days > 30 {
            p.add("documents_lead_days", "Số ngày gửi tài liệu trước phải từ 0 đến 30");
        }
        if self.thematic_per_quarter > 3 {
            p.add("thematic_per_quarter", "Số buổi chuyên đề mỗi quý phải từ 0 đến 3");
        }
        if !(1..=12).contains(&self.absence_alert_meetings) {
            p.add("absence_alert_meetings", "Số buổi vắng liên tiếp phải từ 1 đến 12");
        }
        if !(1..=50).contains(&self.min_official_members) {
            p.add("min_official_members", "Số đảng viên chính thức tối thiểu phải từ 1 đến 50");
        }
        let bad =
            |items: &[String]| items.len() > 30 || items.iter().any(|i| i.trim().is_empty() || i.chars().count() > 300);
        if bad(&self.agenda_template) {
            p.add("agenda_template", "Chương trình gồm tối đa 30 mục, mỗi mục 1–300 ký tự");
        }
        if bad(&self.thematic_agenda_template) {
            p.add("thematic_agenda_template", "Chương trình gồm tối đa 30 mục, mỗi mục 1–300 ký tự");
        }
        p.finish()
    }

    /// True when a cell has held fewer thematic meetings since the start of the quarter than a
    /// quarter asks for: the committee reminds it before the quarter ends.
    pub fn short_of_thematic(&self, held_in_quarter: i64) -> bool {
        held_in_quarter < i64::from(self.thematic_per_quarter)
    }

    /// True when a cell has fewer official members than it needs to stand as a cell; the
    /// superior then attaches its members elsewhere (Điều lệ Đảng, Điều 21).
    pub fn too_few_official(&self, official_members: i64) -> bool {
        official_members < i64::from(self.min_official_members)
    }

    /// The usual start time.
    pub fn start(&self) -> chrono::NaiveTime {
        chrono::NaiveTime::parse_from_str(&self.regular_time, "%H:%M").unwrap_or(super::DEFAULT_START)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_checked() {
        assert!(CellMeetingRules::default().validate().is_ok());
        let bad = CellMeetingRules {
            regular_day: 31,
            regular_time: "7h".into(),
            combined_min_minutes: 60,
            agenda_template: vec![" ".into()],
            ..CellMeetingRules::default()
        };
        let fields: Vec<_> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["regular_day", "regular_time", "combined_min_minutes", "agenda_template"]);
    }

    #[test]
    fn a_quarter_asks_for_one_thematic_meeting_and_a_cell_for_three_official_members() {
        let rules = CellMeetingRules::default();
        assert!(rules.short_of_thematic(0));
        assert!(!rules.short_of_thematic(1));
        assert!(rules.too_few_official(2));
        assert!(!rules.too_few_official(3));
        let none_asked = CellMeetingRules { thematic_per_quarter: 0, ..rules };
        assert!(!none_asked.short_of_thematic(0));
    }

    #[test]
    fn an_old_stored_value_takes_the_defaults() {
        let r: CellMeetingRules = serde_json::from_str(r#"{"regular_day": 4}"#).unwrap();
        assert_eq!(r.regular_day, 4);
        assert_eq!(r.min_minutes, 90);
    }

    #[test]
    fn a_meeting_shorter_than_the_rules_is_warned_about() {
        let rules = CellMeetingRules::default();
        assert_eq!(rules.length_warning(None), None);
        assert_eq!(rules.length_warning(Some(90)), None);
        let warning = rules.length_warning(Some(45)).unwrap();
        assert!(
            warning.contains("45 phút") && warning.contains("90 phút") && warning.contains("120 phút"),
            "{warning}"
        );
    }
}
