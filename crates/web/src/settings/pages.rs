//! `/settings`: the numbers of the rules and the holiday calendar, changed by an
//! administrator of the whole tree without a new release.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use dangvu_domain::calendar;
use dangvu_domain::members::{HolidayCalendar, MembershipRules};
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::settings;
use serde_json::Value;

use super::{Change, require_tree_admin};
use crate::AppState;
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::{DoneParam, Layout, PageForm, PageResult, PageUser, done_message, render_with};
use axum::routing::get;

/// What each number of [`MembershipRules`] means, in the words of the regulations.
const RULE_LABELS: [(&str, &str); 30] = [
    ("admission_min_age_years", "Tuổi tối thiểu khi xét kết nạp (năm, tính theo tháng)"),
    ("admission_max_age_years", "Tuổi tối đa khi xét kết nạp (năm)"),
    ("course_certificate_valid_years", "Giấy chứng nhận lớp nhận thức về Đảng có giá trị (năm)"),
    ("introducer_min_months_together", "Người giới thiệu công tác cùng ít nhất (tháng)"),
    ("vote_approval_numerator", "Tỷ lệ tán thành: tử số"),
    ("vote_approval_denominator", "Tỷ lệ tán thành: mẫu số"),
    ("vote_rounds_before_referral", "Số lần biểu quyết không đạt trước khi báo cáo cấp trên"),
    ("admission_decision_working_days", "Cấp ủy quyết định kết nạp trong (ngày làm việc)"),
    ("recognition_decision_working_days", "Cấp ủy quyết định công nhận chính thức trong (ngày làm việc)"),
    ("decision_extension_working_days", "Gia hạn tối đa (ngày làm việc)"),
    ("ceremony_working_days", "Tổ chức lễ kết nạp trong (ngày làm việc từ khi nhận quyết định)"),
    ("probation_months", "Thời gian dự bị (tháng, từ lễ kết nạp)"),
    ("recognition_review_working_days", "Chi bộ xét công nhận sau khi hết dự bị trong (ngày làm việc)"),
    ("official_transfer_working_days", "Chuyển sinh hoạt chính thức trong (ngày làm việc)"),
    ("introduction_letter_working_days", "Nộp giấy giới thiệu sinh hoạt đảng trong (ngày làm việc)"),
    ("temporary_transfer_min_months", "Chuyển tạm thời (công tác, cư trú) từ (tháng)"),
    ("temporary_transfer_under_months", "… đến dưới (tháng)"),
    ("training_transfer_min_months", "Chuyển tạm thời đi học từ (tháng)"),
    ("training_transfer_max_months", "… đến (tháng)"),
    ("readmission_min_months_out", "Xin kết nạp lại sau khi ra khỏi Đảng ít nhất (tháng)"),
    ("max_readmissions", "Số lần được kết nạp lại"),
    ("classification_max_score", "Thang điểm đánh giá"),
    ("excellent_min_score", "Điểm tối thiểu: hoàn thành xuất sắc nhiệm vụ"),
    ("good_min_score", "Điểm tối thiểu: hoàn thành tốt nhiệm vụ"),
    ("completed_min_score", "Điểm tối thiểu: hoàn thành nhiệm vụ"),
    ("excellent_min_exceeding_percent", "Tập thể xuất sắc: nhiệm vụ vượt yêu cầu ít nhất (%)"),
    ("completed_max_late_percent", "Tập thể hoàn thành: nhiệm vụ chậm tối đa (%)"),
    ("age_band_starts", "Mốc nhóm tuổi (tuổi đầu mỗi nhóm, cách nhau dấu phẩy)"),
    ("party_age_band_starts", "Mốc nhóm tuổi đảng (năm)"),
    ("badge_milestone_years", "Mốc tặng Huy hiệu Đảng (năm tuổi đảng)"),
];

/// The numbers of [`dangvu_domain::elections::ElectionRules`] (QĐ 190-QĐ/TW).
const ELECTION_RULE_LABELS: [(&str, &str); 9] = [
    ("max_surplus_percent", "Số dư tối đa (% số cần bầu, Điều 14)"),
    ("guidance_surplus_min_percent", "Số dư cấp ủy chuẩn bị: từ (%)"),
    ("guidance_surplus_max_percent", "… đến (%)"),
    ("small_body_min_seats", "Cấp ủy nhỏ: từ (ủy viên)"),
    ("small_body_max_seats", "… đến (ủy viên)"),
    ("small_body_max_surplus", "Số dư tối đa của cấp ủy nhỏ (người)"),
    ("floor_nomination_min_percent", "Đề cử tại đại hội cần trên (% số có mặt tán thành)"),
    ("complaint_working_days", "Khiếu nại về bầu cử trong (ngày làm việc sau bế mạc, Điều 33)"),
    ("sealing_months", "Niêm phong phiếu bầu (tháng, Điều 35)"),
];

/// The numbers of [`dangvu_domain::personnel::PersonnelRules`]; a dotted name is a field of
/// a retirement ramp or of the five-step procedure's numbers.
const PERSONNEL_RULE_LABELS: [(&str, &str); 25] = [
    ("retirement_men.first_year", "Tuổi nghỉ hưu của nam: năm bắt đầu lộ trình (NĐ 135/2020)"),
    ("retirement_men.first_age_months", "… tuổi nghỉ hưu năm đó (tháng)"),
    ("retirement_men.step_months", "… mỗi năm tăng (tháng)"),
    ("retirement_men.final_age_months", "… đến tuổi (tháng)"),
    ("retirement_women.first_year", "Tuổi nghỉ hưu của nữ: năm bắt đầu lộ trình"),
    ("retirement_women.first_age_months", "… tuổi nghỉ hưu năm đó (tháng)"),
    ("retirement_women.step_months", "… mỗi năm tăng (tháng)"),
    ("retirement_women.final_age_months", "… đến tuổi (tháng)"),
    ("term_years", "Nhiệm kỳ (năm)"),
    ("first_time_min_months", "Tham gia lần đầu, vào quy hoạch: còn tuổi công tác ít nhất (tháng)"),
    ("reelection_min_months", "Tái cử: còn tuổi công tác ít nhất (tháng)"),
    ("max_consecutive_terms", "Giữ chức vụ người đứng đầu tối đa (nhiệm kỳ liên tiếp)"),
    ("planning_max_per_post", "Quy hoạch mỗi chức danh tối đa (người, QĐ 50-QĐ/TW)"),
    ("planning_min_per_post", "… tối thiểu (người)"),
    ("planning_max_posts_per_person", "Mỗi người quy hoạch tối đa (chức danh)"),
    ("planning_min_women_percent", "Tỷ lệ nữ trong quy hoạch ít nhất (%)"),
    ("planning_min_young_percent", "Tỷ lệ cán bộ trẻ ít nhất (%)"),
    ("young_age_years", "Cán bộ trẻ: dưới (tuổi, đầu nhiệm kỳ)"),
    ("nomination.policy_decision_days", "Quy trình 5 bước: quyết định chủ trương trong (ngày)"),
    ("nomination.start_within_days", "… bắt đầu trong (ngày sau khi có chủ trương)"),
    ("nomination.complete_within_working_days", "… hoàn thành trong (ngày làm việc)"),
    ("nomination.quorum_numerator", "Hội nghị bỏ phiếu khi có mặt ít nhất: tử số"),
    ("nomination.quorum_denominator", "… mẫu số (2/3)"),
    ("nomination.selection_min_percent", "Người được chọn phải được trên (% số được triệu tập)"),
    ("planning_standards", ""),
];

/// The numbers of [`dangvu_domain::petitions::PetitionRules`]; a `.source` is text.
const PETITION_RULE_LABELS: [(&str, &str); 24] = [
    ("denunciation.resolve_within", "Tố cáo: giải quyết trong (ngày)"),
    ("denunciation.accept_within", "… thụ lý trong (ngày)"),
    ("denunciation.extension", "… mỗi lần gia hạn (ngày)"),
    ("denunciation.max_extensions", "… gia hạn tối đa (lần)"),
    ("denunciation.source", "… căn cứ"),
    ("complaint.resolve_within", "Khiếu nại: giải quyết trong (ngày)"),
    ("complaint.accept_within", "… thụ lý trong (ngày)"),
    ("complaint.extension", "… mỗi lần gia hạn (ngày)"),
    ("complaint.max_extensions", "… gia hạn tối đa (lần)"),
    ("complaint.source", "… căn cứ"),
    ("proposal.resolve_within", "Kiến nghị: giải quyết trong (ngày)"),
    ("proposal.accept_within", "… tiếp nhận trong (ngày)"),
    ("proposal.extension", "… mỗi lần gia hạn (ngày)"),
    ("proposal.max_extensions", "… gia hạn tối đa (lần)"),
    ("proposal.source", "… căn cứ"),
    ("feedback.resolve_within", "Phản ánh: giải quyết trong (ngày)"),
    ("feedback.accept_within", "… tiếp nhận trong (ngày)"),
    ("feedback.extension", "… mỗi lần gia hạn (ngày)"),
    ("feedback.max_extensions", "… gia hạn tối đa (lần)"),
    ("feedback.source", "… căn cứ"),
    ("due_soon_days", "Báo sắp đến hạn trước (ngày làm việc)"),
    (
        "congress_window_grassroots",
        "Tố cáo liên quan đại hội cấp cơ sở nhận trong (ngày làm việc trước đại hội) thì chuyển cấp ủy khóa mới (HD 07-HD/UBKTTW)",
    ),
    ("congress_window_above", "… đại hội cấp trên cơ sở (ngày làm việc)"),
    ("repeat_similarity_percent", "Đơn trùng: nội dung giống ít nhất (%)"),
];

/// The numbers of [`dangvu_domain::cell_meetings::CellMeetingRules`].
const MEETING_RULE_LABELS: [(&str, &str); 7] = [
    ("regular_day", "Ngày sinh hoạt thống nhất hằng tháng"),
    ("min_minutes", "Thời lượng tối thiểu (phút)"),
    ("combined_min_minutes", "Thời lượng khi kết hợp thường kỳ và chuyên đề (phút)"),
    ("documents_lead_days", "Tài liệu có trên Sổ tay trước ít nhất (ngày)"),
    ("thematic_per_quarter", "Số buổi chuyên đề tối thiểu mỗi quý"),
    ("absence_alert_meetings", "Theo dõi đảng viên vắng không lý do liên tiếp từ (buổi)"),
    ("min_official_members", "Số đảng viên chính thức tối thiểu của chi bộ"),
];

pub struct RuleRow {
    pub name: String,
    pub label: &'static str,
    pub value: String,
}

/// The numbers of [`dangvu_domain::dues::DuesRules`] the page edits (the dated lists through
/// the API).
const DUES_RULE_LABELS: [(&str, &str); 13] = [
    ("insured_rate", "Đảng viên đóng BHXH bắt buộc: tỷ lệ trên tiền lương (phần vạn)"),
    ("pension_rate", "Đảng viên hưởng lương hưu: tỷ lệ (phần vạn)"),
    ("student_amount", "Học sinh, sinh viên: mức đóng (đồng/tháng)"),
    ("default_region", "Vùng lương tối thiểu khi tổ chức chưa đặt (1–4)"),
    ("qd342_other_amount", "QĐ 342, đảng viên khác: mức đóng (đồng/tháng)"),
    ("exempt_party_age_years", "Miễn đóng khi đủ tuổi đảng (năm)"),
    ("hardship_max_months", "Miễn, giảm vì khó khăn tối đa (tháng)"),
    ("unpaid_months_for_proposal", "Không nộp trong năm từ (tháng) thì chi bộ xem xét"),
    ("round_to", "Làm tròn đến (đồng)"),
    ("shares.cell", "Chi bộ trực thuộc đảng ủy cơ sở trích giữ lại (%)"),
    ("shares.sub_committee", "Đảng bộ bộ phận trích giữ lại (%)"),
    ("shares.grassroots", "Tổ chức cơ sở đảng trích giữ lại (%)"),
    ("shares.higher", "Cấp trên cơ sở trích giữ lại (%)"),
];

#[derive(Template)]
#[template(path = "settings/settings.html")]
struct SettingsPage {
    layout: Layout,
    reminder_days: i64,
    term_starts_on: String,
    rules: Vec<RuleRow>,
    meeting_rules: Vec<RuleRow>,
    election_rules: Vec<RuleRow>,
    personnel_rules: Vec<RuleRow>,
    petition_rules: Vec<RuleRow>,
    dues_rules: Vec<RuleRow>,
    /// One standard of the planning pools per line.
    planning_standards: String,
    /// The Party badge's award days, `DD/MM, DD/MM …`.
    badge_award_days: String,
    regular_time: String,
    agenda_template: String,
    thematic_agenda_template: String,
    holidays: String,
    extra_working_days: String,
    year: i32,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Array(items) => items.iter().map(Value::to_string).collect::<Vec<_>>().join(", "),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn dates(set: &std::collections::BTreeSet<chrono::NaiveDate>) -> String {
    set.iter().map(|d| d.format("%d/%m/%Y").to_string()).collect::<Vec<_>>().join("\n")
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    settings_page(&state, &user, Vec::new(), done_message(p.done.as_deref())).await
}

async fn settings_page(
    state: &AppState,
    user: &SessionUser,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    require_tree_admin(user)?;
    let s = settings::get(&state.db).await?;
    let current = serde_json::to_value(&s.membership_rules).map_err(|e| AppError::Internal(e.to_string()))?;
    let rules = RULE_LABELS
        .iter()
        .map(|(name, label)| RuleRow { name: (*name).to_owned(), label, value: text_of(&current[*name]) })
        .collect();
    let meeting = serde_json::to_value(&s.cell_meeting_rules).map_err(|e| AppError::Internal(e.to_string()))?;
    let meeting_rules = MEETING_RULE_LABELS
        .iter()
        .map(|(name, label)| RuleRow { name: (*name).to_owned(), label, value: text_of(&meeting[*name]) })
        .collect();
    let election = serde_json::to_value(&s.election_rules).map_err(|e| AppError::Internal(e.to_string()))?;
    let election_rules = ELECTION_RULE_LABELS
        .iter()
        .map(|(name, label)| RuleRow { name: (*name).to_owned(), label, value: text_of(&election[*name]) })
        .collect();
    let personnel = serde_json::to_value(&s.personnel_rules).map_err(|e| AppError::Internal(e.to_string()))?;
    let personnel_rules = PERSONNEL_RULE_LABELS
        .iter()
        .filter(|(_, label)| !label.is_empty())
        .map(|(name, label)| {
            let value = name.split('.').fold(&personnel, |v, part| &v[part]);
            RuleRow { name: (*name).to_owned(), label, value: text_of(value) }
        })
        .collect();
    let petition = serde_json::to_value(&s.petition_rules).map_err(|e| AppError::Internal(e.to_string()))?;
    let petition_rules = PETITION_RULE_LABELS
        .iter()
        .map(|(name, label)| {
            let value = name.split('.').fold(&petition, |v, part| &v[part]);
            RuleRow { name: (*name).to_owned(), label, value: text_of(value) }
        })
        .collect();
    let dues = serde_json::to_value(&s.dues_rules).map_err(|e| AppError::Internal(e.to_string()))?;
    let dues_rules = DUES_RULE_LABELS
        .iter()
        .map(|(name, label)| {
            let value = name.split('.').fold(&dues, |v, part| &v[part]);
            RuleRow { name: (*name).to_owned(), label, value: text_of(value) }
        })
        .collect();
    let page = SettingsPage {
        layout: Layout::new(user, "settings"),
        dues_rules,
        personnel_rules,
        petition_rules,
        planning_standards: s.personnel_rules.planning_standards.join("\n"),
        badge_award_days: s
            .membership_rules
            .badge_award_days
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        meeting_rules,
        election_rules,
        regular_time: s.cell_meeting_rules.regular_time.clone(),
        agenda_template: s.cell_meeting_rules.agenda_template.join("\n"),
        thematic_agenda_template: s.cell_meeting_rules.thematic_agenda_template.join("\n"),
        reminder_days: s.reminder_days,
        term_starts_on: s.term_starts_on.map(|d| d.to_string()).unwrap_or_default(),
        rules,
        holidays: dates(&s.holidays.holidays),
        extra_working_days: dates(&s.holidays.extra_working_days),
        year: chrono::Datelike::year(&calendar::today()) + 1,
        done,
        errors,
    };
    let code = crate::pages::form_status(&page.errors);
    Ok(render_with(code, &page))
}

/// One date per line (or separated by commas), `dd/mm/yyyy` or `YYYY-MM-DD`.
fn parse_dates(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> std::collections::BTreeSet<chrono::NaiveDate> {
    let mut out = std::collections::BTreeSet::new();
    for item in raw.split(['\n', ',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
        match calendar::parse_date(item) {
            Some(d) => {
                out.insert(d);
            }
            None => {
                errors.push(FieldError { field: field.into(), message: format!("Ngày không hợp lệ: {item}") })
            }
        }
    }
    out
}

/// The whole form as a change: the rules (each `rule.{name}`), the holidays, and the solar
/// holidays of a year added on request (`add_fixed_year`). Every field it cannot read is named.
fn change_of(form: &HashMap<String, String>) -> Result<Change, AppError> {
    let mut errors = Vec::new();
    // Which rules are lists is a matter of their type, not of their values.
    let shape = serde_json::to_value(MembershipRules::default()).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut patch = serde_json::Map::new();
    for (name, _) in RULE_LABELS {
        let Some(raw) = form.get(&format!("rule.{name}")) else { continue };
        let numbers: Result<Vec<u32>, _> =
            raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::parse::<u32>).collect();
        match (numbers, shape[name].is_array()) {
            (Ok(list), true) => {
                patch.insert(name.into(), serde_json::json!(list));
            }
            (Ok(list), false) if list.len() == 1 => {
                patch.insert(name.into(), serde_json::json!(list[0]));
            }
            _ => errors.push(FieldError {
                field: name.into(), message: format!("{name}: phải là số nguyên không âm")
            }),
        }
    }
    let mut meeting_patch = serde_json::Map::new();
    for (name, _) in MEETING_RULE_LABELS {
        let Some(raw) = form.get(&format!("cm.{name}")) else { continue };
        match raw.trim().parse::<u32>() {
            Ok(n) => {
                meeting_patch.insert(name.into(), serde_json::json!(n));
            }
            Err(_) => errors.push(FieldError {
                field: format!("cell_meeting_rules.{name}"),
                message: format!("{name}: phải là số nguyên không âm"),
            }),
        }
    }
    let mut election_patch = serde_json::Map::new();
    for (name, _) in ELECTION_RULE_LABELS {
        let Some(raw) = form.get(&format!("er.{name}")) else { continue };
        match raw.trim().parse::<u32>() {
            Ok(n) => {
                election_patch.insert(name.into(), serde_json::json!(n));
            }
            Err(_) => errors.push(FieldError {
                field: format!("election_rules.{name}"),
                message: format!("{name}: phải là số nguyên không âm"),
            }),
        }
    }
    let mut personnel_patch = serde_json::Map::new();
    for (name, label) in PERSONNEL_RULE_LABELS {
        let Some(raw) = form.get(&format!("pr.{name}")).filter(|_| !label.is_empty()) else { continue };
        let Ok(n) = raw.trim().parse::<u32>() else {
            errors.push(FieldError {
                field: format!("personnel_rules.{name}"),
                message: format!("{name}: phải là số nguyên không âm"),
            });
            continue;
        };
        match name.split_once('.') {
            Some((ramp, field)) => {
                let entry = personnel_patch.entry(ramp).or_insert_with(|| serde_json::json!({}));
                entry[field] = serde_json::json!(n);
            }
            None => {
                personnel_patch.insert(name.into(), serde_json::json!(n));
            }
        }
    }
    let mut dues_patch = serde_json::Map::new();
    for (name, _) in DUES_RULE_LABELS {
        let Some(raw) = form.get(&format!("du.{name}")) else { continue };
        let Ok(n) = raw.trim().replace('.', "").parse::<u64>() else {
            errors.push(FieldError {
                field: format!("dues_rules.{name}"),
                message: format!("{name}: phải là số nguyên không âm"),
            });
            continue;
        };
        match name.split_once('.') {
            Some((group, field)) => {
                let entry = dues_patch.entry(group).or_insert_with(|| serde_json::json!({}));
                entry[field] = serde_json::json!(n);
            }
            None => {
                dues_patch.insert(name.into(), serde_json::json!(n));
            }
        }
    }
    let mut petition_patch = serde_json::Map::new();
    for (name, _) in PETITION_RULE_LABELS {
        let Some(raw) = form.get(&format!("pt.{name}")) else { continue };
        let value = if name.ends_with(".source") {
            serde_json::json!(raw.trim())
        } else {
            let Ok(n) = raw.trim().parse::<u32>() else {
                errors.push(FieldError {
                    field: format!("petition_rules.{name}"),
                    message: format!("{name}: phải là số nguyên không âm"),
                });
                continue;
            };
            serde_json::json!(n)
        };
        match name.split_once('.') {
            Some((kind, field)) => {
                let entry = petition_patch.entry(kind).or_insert_with(|| serde_json::json!({}));
                entry[field] = value;
            }
            None => {
                petition_patch.insert(name.into(), value);
            }
        }
    }
    if let Some(days) = form.get("rule.badge_award_days") {
        let items: Vec<&str> = days.split([',', ';', '\n']).map(str::trim).filter(|d| !d.is_empty()).collect();
        match items.iter().map(|d| dangvu_domain::rewards::AwardDay::parse(d)).collect::<Option<Vec<_>>>() {
            Some(days) => {
                patch.insert("badge_award_days".into(), serde_json::json!(days));
            }
            None => errors.push(FieldError {
                field: "membership_rules.badge_award_days".into(),
                message: "Ngày trao Huy hiệu Đảng viết DD/MM, cách nhau dấu phẩy".into(),
            }),
        }
    }
    if let Some(standards) = form.get("pr.planning_standards") {
        let items: Vec<&str> = standards.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        personnel_patch.insert("planning_standards".into(), serde_json::json!(items));
    }
    if let Some(time) = form.get("cm.regular_time") {
        meeting_patch.insert("regular_time".into(), serde_json::json!(time.trim()));
    }
    for key in ["agenda_template", "thematic_agenda_template"] {
        if let Some(agenda) = form.get(&format!("cm.{key}")) {
            let items: Vec<&str> = agenda.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            meeting_patch.insert(key.into(), serde_json::json!(items));
        }
    }
    let mut holidays = HolidayCalendar {
        holidays: parse_dates(form.get("holidays").map(String::as_str).unwrap_or(""), "holidays", &mut errors),
        extra_working_days: parse_dates(
            form.get("extra_working_days").map(String::as_str).unwrap_or(""),
            "extra_working_days",
            &mut errors,
        ),
    };
    if let Some(year) = form.get("add_fixed_year").filter(|y| !y.trim().is_empty()) {
        match year.trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => holidays.holidays.extend(HolidayCalendar::vietnam_fixed(y).holidays),
            _ => errors.push(FieldError { field: "add_fixed_year".into(), message: "Năm không hợp lệ".into() }),
        }
    }
    let reminder_days: Option<i64> = match form.get("reminder_days").map(|s| s.trim()) {
        None | Some("") => None,
        Some(s) => match s.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError {
                    field: "reminder_days".into(), message: "Số ngày nhắc là số nguyên".into()
                });
                None
            }
        },
    };
    let mut term_errors = Vec::new();
    let term =
        form.get("term_starts_on").map(|raw| parse_dates(raw, "term_starts_on", &mut term_errors).into_iter().next());
    errors.extend(term_errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Change {
        reminder_days,
        // The first date read, written back as text for the use case; none clears the term.
        term_starts_on: term.map(|on| on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
        membership_rules: Some(patch.into()),
        holidays: Some(holidays),
        cell_meeting_rules: Some(meeting_patch.into()),
        election_rules: Some(election_patch.into()),
        personnel_rules: Some(personnel_patch.into()),
        petition_rules: Some(petition_patch.into()),
        dues_rules: Some(dues_patch.into()),
        write_unchanged_rules: false,
    })
}

pub async fn update(State(state): State<AppState>, f: PageForm<HashMap<String, String>>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async { super::update(&state, &user, change_of(&form)?).await }.await;
    match result {
        Ok(_) => Ok(Redirect::to("/settings?done=settings").into_response()),
        Err(AppError::Invalid(errors)) => settings_page(&state, &user, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

pub fn router() -> crate::pages::PageRoutes {
    crate::pages::PageRoutes::new().route("/settings", get(show).post(update))
}
