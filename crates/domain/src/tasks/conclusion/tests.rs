//! Tests of the conclusion reader: items, deadlines, recurrences and units of typical conclusions
//! and of the seed texts, and the properties that hold for any input (it never panics, every word it
//! returns is a word of the input).

use super::*;
use chrono::Datelike;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// The meeting of seed 002: 20/6/2024.
fn meeting() -> NaiveDate {
    date(2024, 6, 20)
}

fn texts(tasks: &[DraftTask]) -> Vec<&str> {
    tasks.iter().map(|t| t.text.as_str()).collect()
}

/// The only task drafted from `text`.
fn only(text: &str, reference: NaiveDate) -> DraftTask {
    let mut tasks = extract(text, reference);
    assert_eq!(tasks.len(), 1, "{tasks:#?}");
    tasks.remove(0)
}

fn due(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    only(text, reference).due_on
}

// --- items ---------------------------------------------------------------------------------

#[test]
fn inline_parenthesised_items_split() {
    let text = "Đồng chí Phó Bí thư đề nghị các cấp ủy tập trung một số nhiệm vụ: (1) Tăng cường vai trò \
                lãnh đạo của cấp ủy; (2) Quan tâm chỉ đạo giải quyết tốt tin báo tố giác tội phạm; (3) Thực hiện \
                phê duyệt quy hoạch xong trong cuối năm 2024.";
    let tasks = extract(text, meeting());
    assert_eq!(
        texts(&tasks),
        [
            "Tăng cường vai trò lãnh đạo của cấp ủy",
            "Quan tâm chỉ đạo giải quyết tốt tin báo tố giác tội phạm",
            "Thực hiện phê duyệt quy hoạch xong trong cuối năm 2024."
        ]
    );
    assert_eq!(tasks.iter().map(|t| t.ordinal).collect::<Vec<_>>(), [1, 2, 3]);
}

#[test]
fn numbered_lines_with_dot_paren_and_slash() {
    for text in [
        "1. Giao Sở Tài chính rà soát kinh phí.\n2. Giao Sở Nội vụ kiện toàn tổ chức.\n3. Giao Công an tỉnh nắm tình hình.",
        "1) Giao Sở Tài chính rà soát kinh phí.\n2) Giao Sở Nội vụ kiện toàn tổ chức.\n3) Giao Công an tỉnh nắm tình hình.",
        "1/ Giao Sở Tài chính rà soát kinh phí.\n2/ Giao Sở Nội vụ kiện toàn tổ chức.\n3/ Giao Công an tỉnh nắm tình hình.",
        "(1) Giao Sở Tài chính rà soát kinh phí.\n(2) Giao Sở Nội vụ kiện toàn tổ chức.\n(3) Giao Công an tỉnh nắm tình hình.",
    ] {
        let tasks = extract(text, meeting());
        assert_eq!(
            texts(&tasks),
            [
                "Giao Sở Tài chính rà soát kinh phí.",
                "Giao Sở Nội vụ kiện toàn tổ chức.",
                "Giao Công an tỉnh nắm tình hình."
            ],
            "{text}"
        );
        assert_eq!(tasks[2].lead, ["Công an tỉnh"]);
    }
}

#[test]
fn letters_and_bullets() {
    let letters = "a) Rà soát quy hoạch cán bộ;\nb) Kiện toàn nhân sự cấp ủy;\nc) Báo cáo kết quả.";
    assert_eq!(
        texts(&extract(letters, meeting())),
        ["Rà soát quy hoạch cán bộ", "Kiện toàn nhân sự cấp ủy", "Báo cáo kết quả."]
    );
    for bullet in ["-", "–", "+", "•", "*"] {
        let text = format!("{bullet} Rà soát quy hoạch cán bộ;\n{bullet} Kiện toàn nhân sự cấp ủy.");
        assert_eq!(
            texts(&extract(&text, meeting())),
            ["Rà soát quy hoạch cán bộ", "Kiện toàn nhân sự cấp ủy."],
            "{bullet}"
        );
    }
}

#[test]
fn words_as_numbers() {
    let la = "Một là, tăng cường công tác kiểm tra.\nHai là, đẩy mạnh phát triển đảng viên.\nBa là, rà soát quy hoạch.";
    assert_eq!(
        texts(&extract(la, meeting())),
        ["tăng cường công tác kiểm tra.", "đẩy mạnh phát triển đảng viên.", "rà soát quy hoạch."]
    );
    let thu = "Thứ nhất, tăng cường công tác kiểm tra. Thứ hai, đẩy mạnh phát triển đảng viên.";
    assert_eq!(texts(&extract(thu, meeting())), ["tăng cường công tác kiểm tra.", "đẩy mạnh phát triển đảng viên."]);
    // A weekday is not a list.
    let day = "Thứ hai, ngày 24/6/2024, Ban Thường vụ họp. Giao Văn phòng Tỉnh ủy chuẩn bị.";
    assert_eq!(texts(&extract(day, meeting())), ["Giao Văn phòng Tỉnh ủy chuẩn bị."]);
}

#[test]
fn heading_is_context_not_item() {
    let text = "Về nhiệm vụ trong thời gian tới:\n- Rà soát quy hoạch cán bộ;\n- Kiện toàn nhân sự.";
    assert_eq!(texts(&extract(text, meeting())), ["Rà soát quy hoạch cán bộ", "Kiện toàn nhân sự."]);
}

#[test]
fn agency_heading_gives_lead_and_deadline() {
    let text = "Giao Ủy ban nhân dân tỉnh:\n- Chỉ đạo rà soát các dự án trọng điểm;\n\
                - Sở Tài chính chủ trì bố trí kinh phí, hoàn thành trước ngày 30/9/2024.";
    let tasks = extract(text, meeting());
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].lead, ["Ủy ban nhân dân tỉnh"]);
    assert_eq!(tasks[1].lead, ["Sở Tài chính"]);
    assert_eq!(tasks[1].due_on, Some(date(2024, 9, 30)));

    let titled = "Sở Tài chính\n- Bố trí kinh phí;\n- Hướng dẫn quyết toán.\nĐối với Công an tỉnh:\n\
                  - Nắm chắc tình hình;\n- Bảo vệ an toàn đại hội.";
    let tasks = extract(titled, meeting());
    assert_eq!(
        tasks.iter().map(|t| t.lead.clone()).collect::<Vec<_>>(),
        [vec!["Sở Tài chính"], vec!["Sở Tài chính"], vec!["Công an tỉnh"], vec!["Công an tỉnh"]]
    );

    let dated =
        "Nhiệm vụ hoàn thành trong quý III/2024:\n- Rà soát quy hoạch;\n- Kiện toàn nhân sự trước ngày 15/8/2024.";
    let tasks = extract(dated, meeting());
    assert_eq!(tasks[0].due_on, Some(date(2024, 9, 30)));
    assert_eq!(tasks[1].due_on, Some(date(2024, 8, 15)));
}

#[test]
fn the_speaker_of_a_heading_is_not_the_lead() {
    let text = "Ban Thường vụ Tỉnh ủy chỉ đạo:\n- Rà soát quy hoạch;\n- Kiện toàn nhân sự.";
    assert!(extract(text, meeting()).iter().all(|t| t.lead.is_empty()));
    let text = "Các huyện ủy, thị ủy tập trung thực hiện các nhiệm vụ sau:\n- Rà soát quy hoạch;\n- Kiện toàn nhân sự.";
    assert!(extract(text, meeting()).iter().all(|t| t.lead == ["Các huyện ủy, thị ủy"]));
}

#[test]
fn numbered_heading_over_lettered_items() {
    let text = "1. Về công tác cán bộ:\na) Rà soát quy hoạch;\nb) Kiện toàn nhân sự.\n2. Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc.";
    assert_eq!(
        texts(&extract(text, meeting())),
        ["Rà soát quy hoạch", "Kiện toàn nhân sự.", "Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc."]
    );
    let sections = "I. NHIỆM VỤ TRỌNG TÂM\n1. Rà soát quy hoạch.\n2. Kiện toàn nhân sự.";
    assert_eq!(texts(&extract(sections, meeting())), ["Rà soát quy hoạch.", "Kiện toàn nhân sự."]);
}

#[test]
fn continuation_lines_join_their_item() {
    let text = "1. Giao Sở Tài chính chủ trì, phối hợp với\ncác cơ quan liên quan rà soát kinh phí\nđại hội.\n\
                Thời hạn hoàn thành trước ngày 15/8/2024.\n2. Giao Sở Nội vụ kiện toàn tổ chức.";
    let tasks = extract(text, meeting());
    assert_eq!(
        tasks[0].text,
        "Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan rà soát kinh phí đại hội. \
         Thời hạn hoàn thành trước ngày 15/8/2024."
    );
    assert_eq!(tasks[0].due_on, Some(date(2024, 8, 15)));
    assert_eq!(tasks[0].support, ["các cơ quan liên quan"]);
    assert_eq!(tasks.len(), 2);
}

#[test]
fn inline_list_ends_with_its_paragraph() {
    let text = "Đề nghị các cấp ủy: (1) Tăng cường kiểm tra; (2) Phát triển đảng viên.\nHồng Lê\n\
                Nguồn: https://example.vn/bai-viet.html";
    let tasks = extract(text, meeting());
    assert_eq!(texts(&tasks), ["Tăng cường kiểm tra", "Phát triển đảng viên."]);
    // A paragraph wrapped in the middle of a sentence still joins.
    let wrapped = "Đề nghị: (1) Tăng cường vai trò lãnh đạo của\ncấp ủy; (2) Phát triển đảng viên.";
    assert_eq!(
        texts(&extract(wrapped, meeting())),
        ["Tăng cường vai trò lãnh đạo của cấp ủy", "Phát triển đảng viên."]
    );
}

#[test]
fn numbers_and_dates_are_not_markers() {
    let text = "Toàn Đảng bộ có 5.112 đảng viên.\n2.000 hồ sơ đã được số hóa.\n1/7/2021 là ngày hội nghị.";
    // No task verb, no list: the whole text is one item.
    assert_eq!(extract(text, meeting()).len(), 1);
    // A lone "(2)" inside a sentence does not split it.
    let stray = "Giao Sở Tư pháp rà soát theo khoản (2) Điều 5 của Quy định.";
    assert_eq!(texts(&extract(stray, meeting())), ["Giao Sở Tư pháp rà soát theo khoản (2) Điều 5 của Quy định."]);
}

#[test]
fn without_markers_sentences_with_task_verbs() {
    let text = "Hội nghị đã đánh giá kết quả 6 tháng đầu năm. Đồng chí Bí thư ghi nhận nỗ lực của các cấp ủy. \
                Giao Ban Tổ chức Tỉnh ủy rà soát quy hoạch. Yêu cầu các huyện ủy khẩn trương kiện toàn nhân sự.";
    let tasks = extract(text, meeting());
    assert_eq!(
        texts(&tasks),
        ["Giao Ban Tổ chức Tỉnh ủy rà soát quy hoạch.", "Yêu cầu các huyện ủy khẩn trương kiện toàn nhân sự."]
    );
    assert_eq!(tasks[1].lead, ["các huyện ủy"]);
    // Presiding over a meeting is not a task.
    let presided = "Đồng chí Phó Bí thư chủ trì hội nghị. Giao Văn phòng Tỉnh ủy thông báo kết luận.";
    assert_eq!(texts(&extract(presided, meeting())), ["Giao Văn phòng Tỉnh ủy thông báo kết luận."]);
}

#[test]
fn text_without_tasks_is_one_item_and_empty_text_none() {
    let task = only("  Hội nghị   thống nhất\ncao.  ", meeting());
    assert_eq!(task.text, "Hội nghị thống nhất cao.");
    assert!(extract("", meeting()).is_empty());
    assert!(extract(" \n\t \r\n ", meeting()).is_empty());
    assert!(extract("; , :", meeting()).is_empty());
}

#[test]
fn article_subheadings_are_skipped() {
    let text = "Tập trung các nhiệm vụ cho đại hội Đảng\nBí thư Tỉnh ủy đề nghị các ban đảng khẩn trương tham mưu \
                các nội dung liên quan đến đại hội.";
    let tasks = extract(text, meeting());
    assert_eq!(
        texts(&tasks),
        ["Bí thư Tỉnh ủy đề nghị các ban đảng khẩn trương tham mưu các nội dung liên quan đến đại hội."]
    );
    assert_eq!(tasks[0].lead, ["các ban đảng"]);
}

#[test]
fn decomposed_input_is_read_as_composed() {
    let decomposed: String = "Giao Sở Tài chính hoàn thành trước ngày 15/8/2024.".nfd_string();
    let task = only(&decomposed, meeting());
    assert_eq!(task.text, "Giao Sở Tài chính hoàn thành trước ngày 15/8/2024.");
    assert_eq!(task.lead, ["Sở Tài chính"]);
    assert_eq!(task.due_on, Some(date(2024, 8, 15)));
}

trait Nfd {
    fn nfd_string(&self) -> String;
}

impl Nfd for str {
    fn nfd_string(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        self.nfd().collect()
    }
}

// --- deadlines -------------------------------------------------------------------------------

#[test]
fn before_a_date() {
    let task = only("Giao Sở Tài chính rà soát, hoàn thành trước ngày 15/5/2025.", date(2025, 4, 10));
    assert_eq!(task.due_on, Some(date(2025, 5, 15)));
    assert_eq!(task.due_text.as_deref(), Some("hoàn thành trước ngày 15/5/2025"));
    assert!(task.warnings.is_empty());
    assert_eq!(due("Báo cáo trước 15/05/2025.", date(2025, 4, 10)), Some(date(2025, 5, 15)));
}

#[test]
fn at_the_latest_and_deadline_words() {
    let r = date(2025, 4, 10);
    assert_eq!(due("Gửi báo cáo chậm nhất ngày 30/6/2025.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Gửi báo cáo chậm nhất là ngày 30/6/2025.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Rà soát hồ sơ, hạn 30/6/2025.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Rà soát hồ sơ. Thời hạn: 30/6/2025.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Rà soát hồ sơ xong trước 30.6.2025.", r), Some(date(2025, 6, 30)));
}

#[test]
fn date_forms() {
    let r = date(2025, 1, 2);
    assert_eq!(due("Hoàn thành trước ngày 5-3-2025.", r), Some(date(2025, 3, 5)));
    assert_eq!(due("Hoàn thành trước ngày 15 tháng 5 năm 2025.", r), Some(date(2025, 5, 15)));
    let task = only("Hoàn thành trước ngày 15 tháng 5 năm 2025.", r);
    assert_eq!(task.due_text.as_deref(), Some("Hoàn thành trước ngày 15 tháng 5 năm 2025"));
    assert_eq!(due("Hoàn thành trước 2025-03-05.", r), Some(date(2025, 3, 5)));
}

#[test]
fn missing_year_takes_the_reference_year_or_the_next() {
    let task = only("Báo cáo trước ngày 30/6.", date(2025, 4, 10));
    assert_eq!(task.due_on, Some(date(2025, 6, 30)));
    assert!(task.warnings.is_empty());
    let task = only("Báo cáo trước ngày 31/3.", date(2025, 4, 10));
    assert_eq!(task.due_on, Some(date(2026, 3, 31)));
    assert_eq!(task.warnings, ["Thời hạn “trước ngày 31/3” không ghi năm, hiểu là 31/03/2026"]);
    // 29/2 waits for a leap year.
    assert_eq!(due("Báo cáo trước ngày 29/2.", date(2025, 1, 5)), Some(date(2028, 2, 29)));
    assert_eq!(due("Báo cáo trước ngày 29/2.", date(2024, 1, 5)), Some(date(2024, 2, 29)));
}

#[test]
fn within_a_month() {
    let r = date(2025, 4, 10);
    assert_eq!(due("Hoàn thành trong tháng 6/2025.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Hoàn thành trong tháng 6 năm 2025.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Hoàn thành trong tháng 2.", r), Some(date(2026, 2, 28)));
    assert_eq!(due("Hoàn thành trong tháng 6.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Hoàn thành trước cuối tháng 12.", r), Some(date(2025, 12, 31)));
    // "trước tháng 6" is before June begins.
    assert_eq!(due("Hoàn thành trước tháng 6/2025.", r), Some(date(2025, 5, 31)));
}

#[test]
fn quarters() {
    let r = date(2025, 4, 10);
    assert_eq!(due("Hoàn thành trong quý III.", r), Some(date(2025, 9, 30)));
    assert_eq!(due("Hoàn thành trong quý 3/2025.", r), Some(date(2025, 9, 30)));
    assert_eq!(due("Hoàn thành quý III năm 2025.", r), Some(date(2025, 9, 30)));
    assert_eq!(due("Hoàn thành trong quý IV/2025.", r), Some(date(2025, 12, 31)));
    assert_eq!(due("Hoàn thành trong quý I.", r), Some(date(2026, 3, 31)));
    assert_eq!(due("Hoàn thành trước quý III/2025.", r), Some(date(2025, 6, 30)));
}

#[test]
fn halves_and_years() {
    let r = date(2025, 4, 10);
    assert_eq!(due("Hoàn thành trong 6 tháng đầu năm.", r), Some(date(2025, 6, 30)));
    assert_eq!(due("Hoàn thành trong 6 tháng cuối năm 2025.", r), Some(date(2025, 12, 31)));
    assert_eq!(due("Hoàn thành xong trong cuối năm 2025.", r), Some(date(2025, 12, 31)));
    assert_eq!(due("Hoàn thành cuối năm 2025.", r), Some(date(2025, 12, 31)));
    assert_eq!(due("Triển khai trong năm 2025.", r), Some(date(2025, 12, 31)));
    assert_eq!(due("Hoàn thành các chỉ tiêu năm 2025.", r), Some(date(2025, 12, 31)));
    assert_eq!(due("Hoàn thành trước năm 2026.", r), Some(date(2025, 12, 31)));
    let task = only("Phê duyệt quy hoạch, kiện toàn nhân sự cấp ủy xong trong cuối năm 2024.", meeting());
    assert_eq!(task.due_on, Some(date(2024, 12, 31)));
    assert_eq!(task.due_text.as_deref(), Some("xong trong cuối năm 2024"));
    // A term is not a deadline.
    assert_eq!(due("Xây dựng quy hoạch cán bộ nhiệm kỳ 2025 - 2030.", r), None);
}

#[test]
fn ranges() {
    let task = only("Tổ chức đợt sinh hoạt chính trị từ 01/7/2025 đến 15/8/2025.", date(2025, 6, 1));
    assert_eq!(task.starts_on, Some(date(2025, 7, 1)));
    assert_eq!(task.due_on, Some(date(2025, 8, 15)));
    assert_eq!(task.due_text.as_deref(), Some("từ 01/7/2025 đến 15/8/2025"));
    let task = only("Tổ chức kiểm tra từ ngày 1/7 đến ngày 15/8/2025.", date(2025, 6, 1));
    assert_eq!((task.starts_on, task.due_on), (Some(date(2025, 7, 1)), Some(date(2025, 8, 15))));
    let task = only("Tổ chức kiểm tra từ tháng 7 đến tháng 9/2025.", date(2025, 6, 1));
    assert_eq!((task.starts_on, task.due_on), (Some(date(2025, 7, 1)), Some(date(2025, 9, 30))));
    let task = only("Tổ chức kiểm tra từ 15/8/2025 đến 01/7/2025.", date(2025, 6, 1));
    assert_eq!(task.warnings, ["Ngày bắt đầu 15/08/2025 sau thời hạn 01/07/2025"]);
    // From a date only: when something takes effect, not a deadline.
    assert_eq!(due("Thực hiện từ ngày 01/7/2025.", date(2025, 6, 1)), None);
}

#[test]
fn vague_periods_give_no_date() {
    for text in [
        "Hoàn thành trong tuần.",
        "Hoàn thành trong tháng.",
        "Hoàn thành trong quý.",
        "Khẩn trương hoàn thành sớm.",
        "Báo cáo kịp thời.",
    ] {
        let task = only(text, meeting());
        assert_eq!((task.due_on, task.due_text), (None, None), "{text}");
        assert!(task.warnings.is_empty());
    }
}

#[test]
fn tied_deadline_wins_else_the_last() {
    let tied = "Hoàn thành trước ngày 30/9/2024, báo cáo tại hội nghị ngày 15/10/2024.";
    assert_eq!(due(tied, meeting()), Some(date(2024, 9, 30)));
    let untied = "Tổ chức hội nghị ngày 15/7/2024 và hội nghị tổng kết ngày 15/10/2024.";
    assert_eq!(due(untied, meeting()), Some(date(2024, 10, 15)));
    let window = "Hoàn thành việc kiện toàn nhân sự trong quý III/2024; tổ chức sơ kết vào tháng 12/2024.";
    assert_eq!(due(window, meeting()), Some(date(2024, 9, 30)));
}

#[test]
fn a_past_deadline_is_kept_and_flagged() {
    let task = only("Giao Sở Nội vụ hoàn thành trước ngày 15/5/2024.", meeting());
    assert_eq!(task.due_on, Some(date(2024, 5, 15)));
    assert_eq!(task.warnings, ["Thời hạn 15/05/2024 trước ngày họp 20/06/2024"]);
}

#[test]
fn an_impossible_date_is_flagged_not_used() {
    let task = only("Giao Sở Nội vụ hoàn thành trước ngày 31/2/2025.", meeting());
    assert_eq!(task.due_on, None);
    assert_eq!(task.due_text, None);
    assert_eq!(task.warnings, ["Ngày 31/2/2025 không tồn tại"]);
    let words = only("Hoàn thành trước ngày 31 tháng 4 năm 2025.", meeting());
    assert_eq!(words.warnings, ["Ngày 31 tháng 4 năm 2025 không tồn tại"]);
    let yearless = only("Hoàn thành trước ngày 30/2.", meeting());
    assert_eq!((yearless.due_on, yearless.warnings), (None, vec!["Ngày 30/2 không tồn tại".to_string()]));
}

#[test]
fn cited_documents_and_looking_back_are_not_deadlines() {
    let cited = "Các ban đảng khẩn trương tham mưu nội dung Chỉ thị số 35 ngày 14/6/2024 của Bộ Chính trị.";
    let task = only(cited, meeting());
    assert_eq!(task.due_on, None);
    assert!(task.warnings.is_empty());
    assert_eq!(due("Triển khai Kế hoạch 153-KH/TU ngày 02/3/2024 của Tỉnh ủy.", meeting()), None);
    // Results of a past quarter, and a period without its year, look back.
    assert_eq!(due("Đánh giá kết quả quý I/2024 của các cấp ủy.", meeting()), None);
    assert_eq!(due("Phát huy kết quả 6 tháng đầu năm của các cấp ủy.", meeting()), None);
    // A bare year-less day and month is not a date: "(27/7)".
    assert_eq!(due("Làm tốt công tác đền ơn đáp nghĩa nhân dịp Ngày Thương binh – liệt sĩ (27/7).", meeting()), None);
}

// --- recurrence ------------------------------------------------------------------------------

#[test]
fn recurrences() {
    let cases = [
        ("Báo cáo tình hình hằng tháng.", Some(Recurrence::Monthly)),
        ("Báo cáo tình hình hàng tháng.", Some(Recurrence::Monthly)),
        ("Định kỳ hằng quý báo cáo Thường trực Tỉnh ủy.", Some(Recurrence::Quarterly)),
        ("Báo cáo định kỳ 3 tháng một lần.", Some(Recurrence::Quarterly)),
        ("Sơ kết 6 tháng một lần.", Some(Recurrence::HalfYearly)),
        ("Sơ kết sáu tháng một lần.", Some(Recurrence::HalfYearly)),
        ("Sơ kết định kỳ 6 tháng.", Some(Recurrence::HalfYearly)),
        ("Tổng kết hằng năm.", Some(Recurrence::Yearly)),
        ("Tổng kết định kỳ hằng năm, báo cáo trước ngày 15/12.", Some(Recurrence::Yearly)),
        ("Sơ kết 6 tháng đầu năm 2025.", None),
        ("Họp hằng tuần.", None),
    ];
    for (text, expected) in cases {
        assert_eq!(only(text, meeting()).recurrence, expected, "{text}");
    }
    let both = only("Tổng kết định kỳ hằng năm, báo cáo trước ngày 15/12.", meeting());
    assert_eq!(both.due_on, Some(date(2024, 12, 15)));
}

// --- units -------------------------------------------------------------------------------

fn units(text: &str) -> (Vec<String>, Vec<String>) {
    let task = only(text, meeting());
    (task.lead, task.support)
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn assign_lead_with_supporters() {
    assert_eq!(
        units(
            "Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư, Sở Nội vụ và Ủy ban nhân dân \
             các huyện rà soát kinh phí."
        ),
        (names(&["Sở Tài chính"]), names(&["Sở Kế hoạch và Đầu tư", "Sở Nội vụ", "Ủy ban nhân dân các huyện"]))
    );
    assert_eq!(
        units("Ban Tổ chức Tỉnh ủy chủ trì phối hợp Văn phòng Tỉnh ủy tham mưu kiện toàn nhân sự."),
        (names(&["Ban Tổ chức Tỉnh ủy"]), names(&["Văn phòng Tỉnh ủy"]))
    );
    assert_eq!(
        units("Giao Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì; Sở Văn hóa, Thể thao và Du lịch phối hợp thực hiện."),
        (names(&["Ban Tuyên giáo và Dân vận Tỉnh ủy"]), names(&["Sở Văn hóa, Thể thao và Du lịch"]))
    );
}

#[test]
fn assign_to_carry_out_and_requests() {
    assert_eq!(units("Giao UBND tỉnh thực hiện."), (names(&["UBND tỉnh"]), vec![]));
    assert_eq!(units("Giao cho Công an tỉnh triển khai phương án bảo vệ."), (names(&["Công an tỉnh"]), vec![]));
    assert_eq!(
        units("Đề nghị Đảng ủy Khối các cơ quan tỉnh tập trung lãnh đạo."),
        (names(&["Đảng ủy Khối các cơ quan tỉnh"]), vec![])
    );
    assert_eq!(
        units("Yêu cầu Ban Tổ chức Tỉnh ủy và Ủy ban Kiểm tra Tỉnh ủy rà soát hồ sơ."),
        (names(&["Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"]), vec![])
    );
    assert_eq!(units("Nhiệm vụ này do Văn phòng Tỉnh ủy chủ trì."), (names(&["Văn phòng Tỉnh ủy"]), vec![]));
    // "do" giving a cause is not an assignment.
    assert_eq!(units("Tiến độ chậm do Sở Xây dựng chưa quyết liệt."), (vec![], vec![]));
}

#[test]
fn supporting_units() {
    assert_eq!(
        units("Sở Y tế chủ trì; Sở Tài chính, Bảo hiểm xã hội tỉnh phối hợp."),
        (names(&["Sở Y tế"]), names(&["Sở Tài chính", "Bảo hiểm xã hội tỉnh"]))
    );
    assert_eq!(
        units("Đảng ủy Khối cần phối hợp thật chặt chẽ với Thành ủy Vinh và một số Huyện ủy để thực hiện."),
        (names(&["Đảng ủy Khối"]), names(&["Thành ủy Vinh", "một số Huyện ủy"]))
    );
    assert_eq!(
        units("Thực hiện với sự phối hợp của Mặt trận Tổ quốc Việt Nam tỉnh."),
        (vec![], names(&["Mặt trận Tổ quốc Việt Nam tỉnh"]))
    );
}

#[test]
fn and_splits_only_before_a_unit() {
    assert_eq!(units("Giao Sở Kế hoạch và Đầu tư thực hiện."), (names(&["Sở Kế hoạch và Đầu tư"]), vec![]));
    assert_eq!(units("Giao Sở Giáo dục và Đào tạo thực hiện."), (names(&["Sở Giáo dục và Đào tạo"]), vec![]));
    assert_eq!(units("Giao Sở Tài chính và Sở Nội vụ thực hiện."), (names(&["Sở Tài chính", "Sở Nội vụ"]), vec![]));
    assert_eq!(
        units("Giao Sở Lao động - Thương binh và Xã hội và các địa phương thực hiện."),
        (names(&["Sở Lao động - Thương binh và Xã hội", "các địa phương"]), vec![])
    );
}

#[test]
fn groups_stay_whole() {
    assert_eq!(
        units("Đề nghị các cấp ủy, tổ chức đảng quán triệt nghị quyết."),
        (names(&["các cấp ủy, tổ chức đảng"]), vec![])
    );
    assert_eq!(
        units("Giao các sở, ban, ngành liên quan triển khai."),
        (names(&["các sở, ban, ngành liên quan"]), vec![])
    );
    assert_eq!(
        units("Đề nghị Mặt trận, các tổ chức chính trị – xã hội, các ban đảng, đơn vị tập trung thực hiện."),
        (names(&["Mặt trận", "các tổ chức chính trị – xã hội", "các ban đảng, đơn vị"]), vec![])
    );
    assert_eq!(
        units("Giao Ủy ban nhân dân các huyện, thị xã, thành phố rà soát."),
        (names(&["Ủy ban nhân dân các huyện, thị xã, thành phố"]), vec![])
    );
    assert_eq!(
        units("Theo đó, các ban cán sự đảng, đảng đoàn khẩn trương rà soát quy chế làm việc."),
        (names(&["các ban cán sự đảng, đảng đoàn"]), vec![])
    );
}

#[test]
fn names_end_at_the_verb_or_the_deadline() {
    assert_eq!(units("Giao Sở Xây dựng tham mưu quy hoạch."), (names(&["Sở Xây dựng"]), vec![]));
    assert_eq!(
        units("Giao Ban Chỉ đạo xóa nhà tạm tỉnh theo dõi."),
        (names(&["Ban Chỉ đạo xóa nhà tạm tỉnh"]), vec![])
    );
    assert_eq!(units("Giao Sở Y tế trước ngày 30/9/2024 báo cáo."), (names(&["Sở Y tế"]), vec![]));
    assert_eq!(
        units("Giao Đảng bộ Khối Các cơ quan (CCQ) tỉnh tổ chức đại hội."),
        (names(&["Đảng bộ Khối Các cơ quan (CCQ) tỉnh"]), vec![])
    );
    assert_eq!(units("Giao HĐND tỉnh, UBMTTQ tỉnh giám sát."), (names(&["HĐND tỉnh", "UBMTTQ tỉnh"]), vec![]));
}

#[test]
fn things_that_are_not_units() {
    let (lead, support) = units(
        "Tăng cường chỉ đạo, kịp thời báo cáo Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy những vấn đề vướng mắc.",
    );
    assert!(lead.is_empty() && support.is_empty(), "{lead:?} {support:?}");
    assert_eq!(units("Tổ chức Hội nghị giao ban thường trực quý III."), (vec![], vec![]));
    assert_eq!(units("Đẩy nhanh tiến độ bàn giao mặt bằng các dự án."), (vec![], vec![]));
    assert_eq!(units("Đề nghị cần có cách tiếp cận rõ nét hơn."), (vec![], vec![]));
    assert_eq!(units("Đề nghị đồng chí Giám đốc Sở Nội vụ báo cáo."), (vec![], vec![]));
}

#[test]
fn a_unit_is_named_once() {
    assert_eq!(
        units("Giao Sở Tài chính chủ trì, phối hợp với Sở Tài chính và Sở Nội vụ; Sở Tài chính báo cáo."),
        (names(&["Sở Tài chính"]), names(&["Sở Nội vụ"]))
    );
    // The tone mark may sit on either vowel.
    assert_eq!(
        units("Giao Văn phòng Tỉnh uỷ chủ trì, phối hợp với Văn phòng Tỉnh ủy thực hiện."),
        (names(&["Văn phòng Tỉnh uỷ"]), vec![])
    );
}

#[test]
fn match_keys() {
    assert_eq!(match_key("UBND tỉnh"), match_key("Ủy ban nhân dân tỉnh"));
    assert_eq!(match_key("Uỷ ban nhân dân  tỉnh"), "uy ban nhan dan tinh");
    assert_eq!(match_key("Văn phòng Tỉnh uỷ"), match_key("VĂN PHÒNG TỈNH ỦY"));
    assert_eq!(match_key("các tổ chức chính trị – xã hội"), match_key("các tổ chức chính trị - xã hội"));
    assert_eq!(match_key("Đảng bộ Khối CCQ tỉnh"), match_key("Đảng bộ Khối Các cơ quan tỉnh"));
    assert_eq!(match_key("HĐND tỉnh"), "hoi dong nhan dan tinh");
    assert_eq!(match_key("Sở Tư pháp"), "so tu phap");
    assert_eq!(match_key(" - "), "");
}

#[test]
fn serializes_for_the_api() {
    let task = only("Giao Sở Nội vụ sơ kết 6 tháng một lần, báo cáo trước ngày 15/5/2025.", date(2025, 1, 2));
    let json = serde_json::to_value(&task).expect("serializes");
    assert_eq!(json["ordinal"], 1);
    assert_eq!(json["due_on"], "2025-05-15");
    assert_eq!(json["starts_on"], serde_json::Value::Null);
    assert_eq!(json["recurrence"], "half_yearly");
    assert_eq!(json["lead"][0], "Sở Nội vụ");
    assert_eq!(json["warnings"], serde_json::json!([]));
}

/// A notice of conclusions in the Party's format (THÔNG BÁO KẾT LUẬN), numbered two levels deep.
const NOTICE: &str = "THÔNG BÁO\n\
KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY\n\
về tình hình thực hiện nhiệm vụ quý I/2025\n\
\n\
Ngày 10/4/2025, Ban Thường vụ Tỉnh ủy họp nghe báo cáo tình hình thực hiện nhiệm vụ quý I/2025. Sau khi thảo luận, Ban Thường vụ Tỉnh ủy kết luận như sau:\n\
\n\
1. Thống nhất đánh giá kết quả quý I/2025 như báo cáo của Văn phòng Tỉnh ủy.\n\
\n\
2. Về nhiệm vụ trọng tâm quý II/2025:\n\
\n\
2.1. Giao Ban cán sự đảng UBND tỉnh lãnh đạo UBND tỉnh chỉ đạo các sở, ngành, địa phương đẩy nhanh tiến độ giải ngân vốn đầu tư công; phấn đấu đến ngày 30/6/2025 giải ngân đạt trên 50% kế hoạch.\n\
\n\
2.2. Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Ủy ban Kiểm tra Tỉnh ủy, Văn phòng Tỉnh ủy tham mưu Ban Thường vụ Tỉnh ủy kế hoạch sắp xếp tổ chức bộ máy; hoàn thành trước ngày 15/5/2025.\n\
\n\
2.3. Các huyện ủy, thị ủy, thành ủy chỉ đạo tổ chức đại hội chi bộ trực thuộc đảng bộ cơ sở, hoàn thành trong tháng 6/2025.\n\
\n\
2.4. Đảng ủy Khối các cơ quan tỉnh phối hợp với Sở Nội vụ rà soát, báo cáo định kỳ hằng quý về Ban Thường vụ Tỉnh ủy.\n\
\n\
3. Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo kết quả thực hiện.\n\
\n\
Nơi nhận:\n\
- Các đồng chí Tỉnh ủy viên,\n\
- Lưu Văn phòng Tỉnh ủy.";

#[test]
fn notice_of_conclusions() {
    let tasks = extract(NOTICE, date(2025, 4, 10));
    assert_eq!(tasks.len(), 6, "{tasks:#?}");
    assert!(tasks[0].text.starts_with("Thống nhất đánh giá kết quả quý I/2025"));
    // "UBND tỉnh chỉ đạo các sở, ngành, địa phương": those it directs do not lead.
    assert_eq!(tasks[1].lead, ["Ban cán sự đảng UBND tỉnh"]);
    assert_eq!(tasks[1].due_on, Some(date(2025, 6, 30)));
    assert_eq!(tasks[2].lead, ["Ban Tổ chức Tỉnh ủy"]);
    assert_eq!(tasks[2].support, ["Ủy ban Kiểm tra Tỉnh ủy", "Văn phòng Tỉnh ủy"]);
    assert_eq!(tasks[2].due_on, Some(date(2025, 5, 15)));
    assert_eq!(tasks[3].lead, ["Các huyện ủy, thị ủy, thành ủy"]);
    assert_eq!(tasks[3].due_on, Some(date(2025, 6, 30)));
    // 2.4 takes the quarter of its heading "2. Về nhiệm vụ trọng tâm quý II/2025:" …
    assert_eq!(tasks[4].lead, ["Đảng ủy Khối các cơ quan tỉnh"]);
    assert_eq!(tasks[4].support, ["Sở Nội vụ"]);
    assert_eq!(tasks[4].recurrence, Some(Recurrence::Quarterly));
    assert_eq!(tasks[4].due_text.as_deref(), Some("quý II/2025"));
    // … but "3." is its sibling, not under it; and "Nơi nhận:" ends the tasks.
    assert_eq!(tasks[5].text, "Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo kết quả thực hiện.");
    assert_eq!(tasks[5].due_on, None);
}

#[test]
fn a_list_closed_by_a_full_stop_and_prose_after_it() {
    let text = "Ban Thường vụ Tỉnh ủy giao:\na) Đảng đoàn HĐND tỉnh tổ chức kỳ họp chuyên đề;\n\
                b) Thường trực Tỉnh ủy cho ý kiến trước khi ban hành.\n\
                Văn phòng Tỉnh ủy tổng hợp kết quả, báo cáo Thường trực Tỉnh ủy.\n\
                Hội nghị kết thúc lúc 11 giờ cùng ngày.";
    let tasks = extract(text, meeting());
    assert_eq!(
        texts(&tasks),
        [
            "Đảng đoàn HĐND tỉnh tổ chức kỳ họp chuyên đề",
            "Thường trực Tỉnh ủy cho ý kiến trước khi ban hành.",
            "Văn phòng Tỉnh ủy tổng hợp kết quả, báo cáo Thường trực Tỉnh ủy."
        ]
    );
    assert_eq!(tasks[2].lead, ["Văn phòng Tỉnh ủy"]);
}

#[test]
fn units_a_lead_directs_are_not_leads() {
    assert_eq!(
        units("UBND tỉnh chỉ đạo Sở Tài nguyên và Môi trường, Sở Xây dựng khẩn trương hoàn thành hồ sơ."),
        (names(&["UBND tỉnh"]), vec![])
    );
    // With no lead named before, "chỉ đạo X" names X.
    assert_eq!(units("Tăng cường chỉ đạo các địa phương rà soát hồ sơ."), (names(&["các địa phương"]), vec![]));
}

/// Conclusions of a working session, one per line, in the many ways offices write them.
const SESSION: &str = "Kết luận của đồng chí Phó Bí thư Thường trực Tỉnh ủy tại buổi làm việc ngày 05/3/2025:\n\
1. Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan tham mưu UBND tỉnh bố trí kinh phí, hoàn thành trước ngày 30/6.\n\
2. Đề nghị UBND tỉnh chỉ đạo các sở, ngành khẩn trương tháo gỡ vướng mắc; thời gian hoàn thành trong tháng 7/2025.\n\
3. Giao Ban Tổ chức Tỉnh ủy chủ trì tham mưu; thời hạn: quý III/2025.\n\
4. Văn phòng Tỉnh ủy theo dõi, đôn đốc thực hiện Kết luận số 12-KL/TU ngày 15/01/2025 của Ban Thường vụ Tỉnh ủy, báo cáo Thường trực Tỉnh ủy chậm nhất ngày 15/5/2025.\n\
5. Ủy ban Kiểm tra Tỉnh ủy định kỳ 6 tháng một lần báo cáo kết quả kiểm tra, giám sát.\n\
6. Các địa phương tổ chức đợt cao điểm từ ngày 01/4 đến ngày 30/4/2025.\n\
7. Sở Y tế chủ trì; Sở Giáo dục và Đào tạo, Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh phối hợp tổ chức khám sức khỏe cho học sinh trước 31/12/2024.\n\
8. Giao Công an tỉnh thực hiện, hạn chót 31/04/2025.";

#[test]
fn conclusions_of_a_working_session() {
    let tasks = extract(SESSION, date(2025, 3, 5));
    assert_eq!(tasks.len(), 8, "{tasks:#?}");
    let t = &tasks[0];
    assert_eq!(
        (t.lead.as_slice(), t.support.as_slice()),
        (&["Sở Tài chính".to_string()][..], &["các sở, ngành liên quan".to_string()][..])
    );
    assert_eq!(t.due_on, Some(date(2025, 6, 30)));
    assert_eq!(tasks[1].lead, ["UBND tỉnh"]);
    assert_eq!(tasks[1].due_text.as_deref(), Some("hoàn thành trong tháng 7/2025"));
    assert_eq!(tasks[2].due_on, Some(date(2025, 9, 30)));
    // The date of the conclusion cited is not the deadline; "chậm nhất" is.
    assert_eq!(tasks[3].due_on, Some(date(2025, 5, 15)));
    // The session's own date in the heading is not everyone's deadline.
    assert_eq!((tasks[4].due_on, tasks[4].recurrence), (None, Some(Recurrence::HalfYearly)));
    assert_eq!(tasks[4].lead, ["Ủy ban Kiểm tra Tỉnh ủy"]);
    assert_eq!((tasks[5].starts_on, tasks[5].due_on), (Some(date(2025, 4, 1)), Some(date(2025, 4, 30))));
    assert_eq!(tasks[6].support, ["Sở Giáo dục và Đào tạo", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"]);
    assert_eq!(tasks[6].warnings, ["Thời hạn 31/12/2024 trước ngày họp 05/03/2025"]);
    assert_eq!(
        (tasks[7].due_on, tasks[7].warnings.as_slice()),
        (None, &["Ngày 31/04/2025 không tồn tại".to_string()][..])
    );
}

#[test]
fn inline_words_as_numbers() {
    let text = "Đồng chí Bí thư yêu cầu thời gian tới tập trung: Một là, khẩn trương hoàn thiện đề án sắp xếp đơn vị hành chính cấp xã, trình Ban Thường vụ Tỉnh ủy trước ngày 20/5/2025; hai là, Ban Tuyên giáo và Dân vận Tỉnh ủy đẩy mạnh tuyên truyền; ba là, các cấp ủy chuẩn bị tốt đại hội chi bộ, hoàn thành trong quý II.";
    let tasks = extract(text, date(2025, 3, 5));
    assert_eq!(tasks.len(), 3, "{tasks:#?}");
    assert_eq!(tasks[0].due_on, Some(date(2025, 5, 20)));
    assert_eq!(tasks[1].lead, ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]);
    assert_eq!((tasks[2].lead.as_slice(), tasks[2].due_on), (&["các cấp ủy".to_string()][..], Some(date(2025, 6, 30))));
}

// --- the seeds -----------------------------------------------------------------------------

/// Seed 002 (Hậu Giang, 20/6/2024): the conclusion paragraph and the byline after it.
const SEED_002: &str = "Đồng chí Hồ Thanh Sơn, Phó Bí thư Thường trực Tỉnh ủy phát biểu tại Hội nghị\n\
Phát biểu kết luận Hội nghị, đồng chí Hồ Thanh Sơn, Phó Bí thư Thường trực Tỉnh ủy ghi nhận sự nỗ lực của các cấp ủy trực thuộc tỉnh trong lãnh đạo thực hiện nhiệm vụ 6 tháng đầu năm 2024. Đồng chí Phó Bí thư Thường trực Tỉnh ủy đề nghị, các cấp ủy trong thời gian tới cần tập trung một số nhiệm vụ: (1) Tăng cường vai trò lãnh đạo của cấp ủy trong công tác lãnh đạo triển khai thực hiện các dự án công trình trọng điểm trên địa bàn; có giải pháp thực hiện hiệu quả đẩy nhanh tiến độ giải phóng mặt bằng, kịp thời báo cáo Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy những vấn đề vướng mắc; (2) Quan tâm chỉ đạo giải quyết tốt tin báo tố giác tội phạm; chỉ đạo xử lý các vụ việc, vụ án đi vào chất lượng, trong đó rà soát những vụ án, vụ việc liên quan tới cán bộ phải xử lý sớm, chuẩn bị tốt nhân sự cho Đại hội sắp tới; (3) Thực hiện phê duyệt quy hoạch, kiện toàn nhân sự cấp ủy xong trong cuối năm 2024; (4) Tăng cường chỉ đạo, giám sát việc ứng dụng sinh hoạt chi bộ hàng tháng bằng Sổ tay đảng viên điện tử Đảng bộ tỉnh; đề xuất các giải pháp khắc phục để phát huy hiệu quả của Sổ tay đảng viên điện tử; (5) Tăng cường kiểm tra, giám sát các cấp ủy về việc thực hiện quy chế làm việc của các cấp ủy; (6) Tập trung thực hiện phát triển đảng đạt chỉ tiêu đề ra, nhất là quan tâm phát triển đảng trong doanh nghiệp và trường học, thanh niên, học sinh đạt hiệu quả.\n\
Hồng Lê";

#[test]
fn seed_002_six_numbered_tasks() {
    let tasks = extract(SEED_002, meeting());
    assert_eq!(tasks.len(), 6, "{tasks:#?}");
    assert_eq!(tasks.iter().map(|t| t.ordinal).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    assert!(tasks[0].text.starts_with("Tăng cường vai trò lãnh đạo của cấp ủy"));
    assert!(tasks[0].text.ends_with("những vấn đề vướng mắc"));
    assert_eq!(tasks[2].text, "Thực hiện phê duyệt quy hoạch, kiện toàn nhân sự cấp ủy xong trong cuối năm 2024");
    assert_eq!(tasks[2].due_on, Some(date(2024, 12, 31)));
    assert_eq!(tasks[2].due_text.as_deref(), Some("xong trong cuối năm 2024"));
    assert_eq!(tasks[3].recurrence, Some(Recurrence::Monthly));
    assert!(tasks[5].text.ends_with("đạt hiệu quả."));
    for t in &tasks {
        // The lead-in "đề nghị, các cấp ủy … cần tập trung một số nhiệm vụ:" names who does them.
        assert_eq!(t.lead, ["các cấp ủy"]);
        assert!(t.warnings.is_empty());
        if t.ordinal != 3 {
            assert_eq!(t.due_on, None);
        }
    }
}

/// Seed 000 (Quảng Nam): "7 nhóm nhiệm vụ" in prose, no numbering.
const SEED_000: &str = "Bí thư Tỉnh ủy chỉ ra 7 nhóm nhiệm vụ chung đề nghị Mặt trận, các tổ chức chính trị – xã hội, các ban đảng, đơn vị tập trung thực hiện.\n\
Theo đó, các ban cán sự đảng, đảng đoàn khẩn trương rà soát theo Quy định 146 về chức năng nhiệm vụ của các ban cán sự đảng, đảng đoàn để hoàn thiện quy chế làm việc, đặc biệt là nghiên cứu tăng cường chức năng tham mưu, chỉ đạo; tham mưu lãnh chỉ đạo sơ kết, tổng kết các chỉ thị, nghị quyết của Đảng; tham mưu triển khai cụ thể, hiệu quả các nhiệm vụ, quy định mới của Đảng…\n\
Tập trung các nhiệm vụ cho đại hội Đảng\n\
Bí thư Tỉnh ủy đặc biệt lưu ý các ban đảng khẩn trương tham mưu các nội dung liên quan đến Chỉ thị số 35 ngày 14/6/2024 của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng. Trong đó cần lưu ý làm tốt công tác chuẩn bị văn kiện đại hội.\n\
Cùng với đó, Bí thư Tỉnh ủy đề nghị các cơ quan tăng cường nắm tình hình nhân dân, tập trung triển khai hiệu quả công tác tư tưởng, chống căn bệnh sợ trách nhiệm.\n\
Tập trung chăm lo vật chất đoàn viên, hội viên, làm tốt công tác đền ơn đáp nghĩa nhân dịp Ngày Thương binh – liệt sĩ (27/7); đặc biệt tập trung cho chủ trương xóa nhà tạm…";

#[test]
fn seed_000_prose_conclusion() {
    let tasks = extract(SEED_000, date(2024, 7, 10));
    assert_eq!(tasks.len(), 5, "{tasks:#?}");
    assert_eq!(tasks[0].lead, ["Mặt trận", "các tổ chức chính trị – xã hội", "các ban đảng, đơn vị"]);
    assert_eq!(tasks[1].lead, ["các ban cán sự đảng, đảng đoàn"]);
    assert_eq!(tasks[2].lead, ["các ban đảng"]);
    assert_eq!(tasks[2].due_on, None, "the date of Chỉ thị 35 is not a deadline");
    assert_eq!(tasks[3].lead, ["các cơ quan"]);
    assert!(tasks.iter().all(|t| t.warnings.is_empty()));
}

/// Seed 004 (Hậu Giang, 3/11/2020): requests to bodies, and "năm 2020" as the horizon.
const SEED_004: &str = "Thời gian tới, Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các cơ quan tham mưu, giúp việc Tỉnh ủy, các đảng đoàn, ban cán sự đảng theo chức năng, nhiệm vụ của mình, khẩn trương tham mưu Thường trực, Ban Thường vụ Tỉnh ủy phương án phân công nhiệm vụ cho các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy, Ủy viên Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2020 - 2025, từng bước thực hiện công tác sắp xếp nhân sự, đảm bảo đúng người, đúng năng lực và đúng vị trí. Đồng thời, hoàn thiện và ban hành Chương trình hành động thực hiện Nghị quyết Đại hội; Chương trình làm việc toàn khóa; Chương trình kiểm tra, giám sát toàn khóa; Quy chế làm việc của Ban Chấp hành, Ban Thường vụ, Thường trực Tỉnh ủy nhiệm kỳ 2020 - 2025.\n\
Ngoài ra, các cấp ủy, tổ chức đảng, các cơ quan, đơn vị trong cả hệ thống chính trị nhanh chóng phổ biến, quán triệt sâu rộng Nghị quyết Đại hội lần thứ XIV của Đảng bộ tỉnh và Chương trình hành động thực hiện Nghị quyết để triển khai thực hiện, sớm đưa Nghị quyết đi vào cuộc sống.\n\
Đặc biệt, Bí thư Tỉnh ủy nhấn mạnh mỗi đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh và các đồng chí cán bộ lãnh đạo chủ chốt các cấp, các ngành, các cơ quan, đơn vị, trên cương vị và trách nhiệm công tác của mình, cần tiếp tục gương mẫu, nhanh chóng bắt nhịp với công việc, để cùng với toàn Đảng bộ tỉnh nỗ lực phấn đấu, quyết tâm hoàn thành toàn diện các chỉ tiêu, nhiệm vụ năm 2020.";

#[test]
fn seed_004_requests_and_horizon() {
    let tasks = extract(SEED_004, date(2020, 11, 3));
    assert_eq!(tasks.len(), 3, "{tasks:#?}");
    assert_eq!(tasks[0].lead, ["các cơ quan tham mưu, giúp việc Tỉnh ủy", "các đảng đoàn, ban cán sự đảng"]);
    assert_eq!(tasks[0].due_on, None, "a term of office is not a deadline");
    assert_eq!(tasks[1].lead, ["các cấp ủy, tổ chức đảng", "các cơ quan, đơn vị"]);
    assert_eq!(tasks[2].due_on, Some(date(2020, 12, 31)));
    assert_eq!(tasks[2].due_text.as_deref(), Some("năm 2020"));
}

/// Seed 003 (Nghệ An, 30/6/2020): requests to the bloc committee; a sentence about cooperation
/// and one about the congress date have no task verb of the list and are not drafted.
const SEED_003: &str = "Phó Bí thư Tỉnh ủy Nguyễn Văn Thông đề nghị, toàn Đảng bộ cần thực hiện hiệu quả hơn công tác chính trị tư tưởng để phát huy vai trò của đảng viên.\n\
Mặt khác, đồng thời nắm thật chắc, thật sớm những biểu hiện về suy thoái tư tưởng chính trị để có giải pháp sớm; đồng thời cần phối hợp thật chặt chẽ với Thành ủy Vinh và một số Huyện ủy để thực hiện sinh hoạt nơi cư trú của đảng viên trong Đảng bộ thực sự gương mẫu, nghiêm túc.\n\
Bí thư Tỉnh ủy đề nghị Đảng bộ Khối CCQ tỉnh cần tạo được đột phá trong nhiệm kỳ mới đối với công tác nêu gương của lãnh đạo; đồng thời cần lãnh đạo để tạo đột phá cải cách hành chính theo hướng đi sâu vào cải cách thủ tục hành chính.\n\
Bí thư Tỉnh ủy đề nghị Đảng ủy Khối CCQ tỉnh cần chuyển tải được tinh thần của Ban Thường vụ Tỉnh ủy tại cuộc làm việc này đến Đại hội và cả quá trình xây dựng chương trình hành động, thực hiện nghị quyết Đại hội.\n\
Ban Thường vụ Tỉnh ủy thống nhất thời gian tổ chức Đại hội đại biểu Đảng bộ Khối CCQ tỉnh lần thứ XX, nhiệm kỳ 2020 - 2025 diễn ra trong hai ngày 22 và 23/7/2020.";

#[test]
fn seed_003_bloc_committee() {
    let tasks = extract(SEED_003, date(2020, 6, 30));
    assert_eq!(tasks.len(), 3, "{tasks:#?}");
    assert_eq!(tasks[0].lead, ["toàn Đảng bộ"]);
    assert_eq!(tasks[1].lead, ["Đảng bộ Khối CCQ tỉnh"]);
    assert_eq!(tasks[2].lead, ["Đảng ủy Khối CCQ tỉnh"]);
    assert!(tasks.iter().all(|t| t.due_on.is_none() && t.support.is_empty()));
}

/// Seed 001 (Quảng Trị, 1/7/2021): "yêu cầu Ban Tổ chức Tỉnh ủy và toàn ngành …".
const SEED_001: &str = "Nhiệm vụ thời gian tới\n\n \n\n\
Phát biểu chỉ đạo hội nghị, Bí thư Tỉnh ủy Lê Quang Tùng nhấn mạnh, nhiệm vụ xây dựng Đảng có vai trò hết sức quan trọng, liên quan đến từng cán bộ, đảng viên, từng tổ chức trong hệ thống chính trị. Vì vậy, yêu cầu Ban Tổ chức Tỉnh ủy và toàn ngành tổ chức xây dựng Đảng tiếp tục tham mưu sắp xếp, bố trí cán bộ sau bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021 - 2026. Tham mưu tổ chức thi tuyển chức danh Phó Giám đốc Sở Giáo dục và Đào tạo, Phó Giám đốc Sở Công thương và Phó Trưởng Ban Quản lý Khu kinh tế tỉnh đảm bảo đáp ứng yêu cầu đề ra.\n\n \n\n\
Tiếp tục tham mưu rà soát, sắp xếp tinh gọn tổ chức bộ máy của Đảng và toàn hệ thống chính trị. Tham mưu BTV Tỉnh ủy tổ chức hội nghị sơ kết 5 năm thực hiện Nghị quyết Trung ương 4, khóa XII.";

#[test]
fn seed_001_party_building_tasks() {
    let tasks = extract(SEED_001, date(2021, 7, 1));
    assert_eq!(
        texts(&tasks)[1..],
        [
            "Vì vậy, yêu cầu Ban Tổ chức Tỉnh ủy và toàn ngành tổ chức xây dựng Đảng tiếp tục tham mưu sắp xếp, \
             bố trí cán bộ sau bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021 - 2026.",
            "Tham mưu tổ chức thi tuyển chức danh Phó Giám đốc Sở Giáo dục và Đào tạo, Phó Giám đốc Sở Công \
             thương và Phó Trưởng Ban Quản lý Khu kinh tế tỉnh đảm bảo đáp ứng yêu cầu đề ra.",
            "Tiếp tục tham mưu rà soát, sắp xếp tinh gọn tổ chức bộ máy của Đảng và toàn hệ thống chính trị.",
            "Tham mưu BTV Tỉnh ủy tổ chức hội nghị sơ kết 5 năm thực hiện Nghị quyết Trung ương 4, khóa XII."
        ]
    );
    // "nhiệm vụ xây dựng Đảng có vai trò …" has a task verb of the list: the office drops it.
    assert!(tasks[0].text.starts_with("Phát biểu chỉ đạo hội nghị"));
    assert_eq!(tasks[1].lead, ["Ban Tổ chức Tỉnh ủy", "toàn ngành"]);
    // Deputies of a department are people, not units.
    assert!(tasks[2].lead.is_empty());
    assert!(tasks.iter().all(|t| t.due_on.is_none()));
}

// --- properties ----------------------------------------------------------------------------

/// Pieces of real conclusions, to build inputs that reach deep into the rules.
const PIECES: &[&str] = &[
    "(1)",
    "(2)",
    "1.",
    "2.",
    "a)",
    "b)",
    "- ",
    "• ",
    "Một là,",
    "Thứ hai,",
    "\n",
    "\n\n",
    ": ",
    "; ",
    ". ",
    ", ",
    "Giao",
    "Sở Tài chính",
    "chủ trì",
    "phối hợp với",
    "Sở Kế hoạch và Đầu tư",
    "các cấp ủy, tổ chức đảng",
    "và",
    "UBND các huyện",
    "đề nghị",
    "thực hiện",
    "hoàn thành",
    "trước ngày",
    "15/5/2025",
    "31/2/2025",
    "30/6",
    "29/2",
    "ngày 15 tháng 5 năm 2025",
    "trong tháng 6",
    "quý III",
    "quý 3/2025",
    "6 tháng đầu năm",
    "cuối năm 2024",
    "năm",
    "từ",
    "đến",
    "01/7/2025",
    "hằng tháng",
    "6 tháng một lần",
    "chậm nhất",
    "hạn",
    "(",
    ")",
    "–",
    "Tỉnh uỷ",
    "\u{301}",
    "\u{0}",
    "\u{200B}",
    "9999",
    "0/0/0000",
    "99/99/9999",
    "quý",
    "tháng",
    "ngày",
    "Thời hạn:",
    "do",
    "Ban",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.join(" "))
}

fn reference() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (1900i32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| date(y, m, d)),
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
    ]
}

fn check(input: &str, reference: NaiveDate) -> Result<(), TestCaseError> {
    let tasks = extract(input, reference);
    let source = crate::text::nfc(input);
    for (k, t) in tasks.iter().enumerate() {
        prop_assert_eq!(t.ordinal as usize, k + 1);
        prop_assert!(!t.text.is_empty());
        prop_assert_eq!(t.text.trim(), t.text.as_str());
        let words = t
            .text
            .split_whitespace()
            .chain(t.lead.iter().chain(&t.support).flat_map(|n| n.split_whitespace()))
            .chain(t.due_text.iter().flat_map(|d| d.split_whitespace()));
        for w in words {
            prop_assert!(source.contains(w), "{:?} is not in the input", w);
        }
        prop_assert_eq!(t.due_on.is_some(), t.due_text.is_some());
        if t.starts_on.is_some() {
            prop_assert!(t.due_on.is_some());
        }
        if let Some(d) = t.due_on {
            // Valid by construction; never before the reference without saying so.
            prop_assert!(NaiveDate::from_ymd_opt(d.year(), d.month(), d.day()).is_some());
            if d < reference {
                prop_assert!(t.warnings.iter().any(|w| w.contains("trước ngày họp")));
            }
        }
        prop_assert!(t.lead.iter().chain(&t.support).all(|n| !n.trim().is_empty()));
    }
    Ok(())
}

proptest! {
    #[test]
    fn never_panics_on_any_text(s in "\\PC*", r in reference()) {
        check(&s, r)?;
    }

    #[test]
    fn never_panics_on_any_unicode(s in any::<String>(), r in reference()) {
        check(&s, r)?;
    }

    #[test]
    fn pieces_of_conclusions_hold_the_invariants(s in pieces(), r in reference()) {
        check(&s, r)?;
    }
}

proptest! {
    // Each case is tens of kilobytes: a few are enough, the short ones above cover the variety.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn long_inputs(s in prop::collection::vec(pieces(), 1..40), r in reference()) {
        check(&s.join("\n").repeat(20), r)?;
    }
}

#[test]
fn very_long_and_odd_inputs() {
    let r = meeting();
    for input in [
        "(".repeat(100_000),
        ")".repeat(100_000),
        "\u{301}".repeat(50_000),
        "Sở, ".repeat(50_000),
        "giao Sở ".repeat(50_000),
        "1. ".repeat(50_000),
        "(1)".repeat(50_000),
        "từ 1/1 đến ".repeat(20_000),
        "a".repeat(1_000_000),
        "\u{0}\u{FFFF}\u{10FFFF}\u{FEFF}".repeat(10_000),
    ] {
        check(&input, r).expect("invariants hold");
    }
}
