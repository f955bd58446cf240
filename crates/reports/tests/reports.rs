//! The quarterly task report in its three formats, read back with the tools a user has:
//! pdftotext and pdftoppm (poppler-utils) for the PDF, the zip for DOCX and XLSX.

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use dangvu_reports::{Counts, TaskLine, TaskReport, UnitCounts};

/// A task title that would be markup in Typst (and XML-special in DOCX) if it were not
/// passed as data.
const TRICKY: &str = r"Rà soát #sys.exit() *Nghị quyết* $x$ [mục 2] \ C:\dữ liệu & <b>";
const TRICKY_PIECES: [&str; 6] = ["#sys.exit()", "*Nghị quyết*", "$x$", "[mục 2]", r"C:\dữ liệu", r"\"];

const UNITS: [&str; 6] = [
    "Ủy ban Kiểm tra Đảng ủy phường",
    "Ban Xây dựng Đảng",
    "Văn phòng Đảng ủy",
    "Chi bộ khối phố Yên Giang",
    "Đảng ủy Công an phường",
    "Chi bộ Trường THCS Hưng Dũng",
];

const TITLES: [&str; 8] = [
    "Tổ chức hội nghị sơ kết 9 tháng thực hiện Nghị quyết Đại hội",
    "Kiểm tra, giám sát việc thực hiện Quy định số 144-QĐ/TW về chuẩn mực đạo đức",
    "Rà soát, bổ sung quy hoạch cấp ủy nhiệm kỳ 2025–2030",
    "Hướng dẫn đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027",
    "Củng cố hồ sơ đảng viên; xét kết nạp đảng viên mới",
    "Tổng hợp ý kiến, kiến nghị của cử tri gửi kỳ họp thứ Mười",
    "Triển khai học tập, quán triệt Chỉ thị số 50-CT/TW",
    "Báo cáo tình hình tư tưởng của cán bộ, đảng viên quý III",
];

const STATUSES: [&str; 4] = ["Đang thực hiện", "Quá hạn", "Hoàn thành đúng hạn", "Hoàn thành quá hạn"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A report on `n` tasks of quý III 2025 in Đảng bộ phường Trường Vinh; task 2 has the
/// tricky title.
fn report(n: usize) -> TaskReport {
    let mut tasks = Vec::new();
    let mut by_unit: Vec<UnitCounts> =
        UNITS.iter().map(|u| UnitCounts { name: (*u).to_owned(), counts: Counts::default() }).collect();
    let mut totals = Counts::default();
    for i in 0..n {
        let status = i % 4;
        let unit = i % UNITS.len();
        let title = if i == 1 { TRICKY.to_owned() } else { TITLES[i % TITLES.len()].to_owned() };
        let due = if i % 7 == 6 { None } else { Some(day(2025, 7 + (i % 3) as u32, 1 + (i * 5 % 28) as u32)) };
        tasks.push(TaskLine {
            ordinal: i + 1,
            title,
            lead: UNITS[unit].to_owned(),
            due,
            status: STATUSES[status].to_owned(),
            progress: match status {
                2 | 3 => 100,
                _ => (i as i64 * 13) % 95,
            },
        });
        for c in [&mut totals, &mut by_unit[unit].counts] {
            c.total += 1;
            match status {
                0 => c.open += 1,
                1 => c.overdue += 1,
                2 => c.done_on_time += 1,
                _ => c.done_late += 1,
            }
        }
    }
    by_unit.retain(|u| u.counts.total > 0);
    by_unit.sort_by_key(|u| std::cmp::Reverse(u.counts.overdue + u.counts.done_late));
    let late = tasks.iter().filter(|t| t.status == "Quá hạn" || t.status == "Hoàn thành quá hạn").cloned().collect();
    TaskReport {
        superior_body: "Đảng bộ tỉnh Nghệ An".to_owned(),
        issuing_body: "Đảng ủy phường Trường Vinh".to_owned(),
        number: "Số 47-BC/ĐU".to_owned(),
        place: "Trường Vinh".to_owned(),
        date: day(2025, 10, 3),
        title: "kết quả thực hiện các nhiệm vụ quý III năm 2025".to_owned(),
        org_name: "Đảng bộ phường Trường Vinh".to_owned(),
        period_label: "quý III năm 2025".to_owned(),
        totals,
        by_unit,
        late,
        tasks,
        signer_title: "T/M ĐẢNG ỦY\nBÍ THƯ".to_owned(),
        signer_name: "Nguyễn Thị Hường".to_owned(),
        recipients: vec![
            "- Ban Thường vụ Tỉnh ủy (để báo cáo),".to_owned(),
            "- Văn phòng Tỉnh ủy,".to_owned(),
            "- Ủy ban Kiểm tra Đảng ủy phường,".to_owned(),
            "- Các chi bộ trực thuộc,".to_owned(),
            "- Lưu Văn phòng Đảng ủy.".to_owned(),
        ],
        audit_head: Some(dangvu_reports::AuditHead { entry: 4821, hash: "c0ffee".repeat(10) + "abcd" }),
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// Whether a poppler tool runs; without it the check is skipped, except on CI.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{tool} (poppler-utils) is required on CI");
        println!("note: {tool} is not installed (poppler-utils), its checks are skipped");
    }
    ok
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the zip")).read_to_string(&mut out).unwrap();
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The strings every format must show, with their diacritics.
const EXPECTED: [&str; 9] = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "BÁO CÁO",
    "ĐẢNG BỘ TỈNH NGHỆ AN",
    "ĐẢNG ỦY PHƯỜNG TRƯỜNG VINH",
    "Số 47-BC/ĐU",
    "Trường Vinh, ngày 03 tháng 10 năm 2025",
    "Đảng bộ phường Trường Vinh",
    "quý III năm 2025",
    "Ủy ban Kiểm tra Đảng ủy phường",
];

#[test]
fn pdf_shows_the_report_in_party_format() {
    let r = report(24);
    let pdf = dangvu_reports::pdf(&r).expect("the PDF");
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");

    let dir = target_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();

    if have("pdftotext") {
        let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        assert!(out.status.success(), "pdftotext failed");
        let text = String::from_utf8(out.stdout).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in EXPECTED.iter().chain(&TRICKY_PIECES).chain(&["I. KẾT QUẢ CHUNG", "PHỤ LỤC: DANH SÁCH NHIỆM VỤ"])
        {
            assert!(flat.contains(s), "the PDF text lacks {s:?}:\n{text}");
        }
        assert!(flat.contains("01/07/2025"), "dates are dd/mm/yyyy");
        assert!(flat.contains("Nguyễn Thị Hường"));
        let anchor = format!("Nhật ký dangvu khi in: mục 4821, mã {}abcd", "c0ffee".repeat(10));
        assert!(flat.contains(&anchor), "the audit head is printed at the foot:\n{text}");
    }
    if have("pdftoppm") {
        let prefix = dir.join("report-page1");
        let ok = Command::new("pdftoppm")
            .args(["-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&path)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(ok.success(), "pdftoppm failed");
        let png = prefix.with_extension("png");
        println!("page 1: {}", png.canonicalize().unwrap_or(png).display());
    }
}

#[test]
fn docx_has_the_text_in_times_new_roman() {
    let r = report(24);
    let docx = dangvu_reports::docx(&r).expect("the DOCX");
    assert!(docx.starts_with(b"PK"), "not a zip");
    std::fs::create_dir_all(target_dir()).unwrap();
    std::fs::write(target_dir().join("report.docx"), &docx).unwrap();

    let xml = unzip(&docx, "word/document.xml");
    // The issuer is broken into two lines of about the same length.
    let issuer = ["ĐẢNG ỦY PHƯỜNG", "TRƯỜNG VINH"];
    let others = ["PHỤ LỤC: DANH SÁCH NHIỆM VỤ", "Nguyễn Thị Hường", "Nơi nhận:"];
    for s in EXPECTED.iter().filter(|s| !s.starts_with("ĐẢNG ỦY")).chain(&issuer).chain(&others) {
        assert!(xml.contains(s), "document.xml lacks {s:?}");
    }
    assert!(xml.contains(&xml_escape(TRICKY)), "document.xml lacks the tricky title, escaped");

    let fonts: Vec<&str> = xml.split("<w:rFonts").skip(1).map(|s| &s[..s.find('>').unwrap()]).collect();
    assert!(fonts.len() > 50, "every run names its fonts");
    for f in fonts {
        for slot in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
            assert!(f.contains(&format!(r#"{slot}="Times New Roman""#)), "rFonts without {slot}: {f}");
        }
    }
    let styles = unzip(&docx, "word/styles.xml");
    assert!(styles.contains(r#"w:eastAsia="Times New Roman""#), "the default font is Times New Roman");
}

#[test]
fn xlsx_has_one_row_per_task() {
    let r = report(24);
    let xlsx = dangvu_reports::xlsx(&r).expect("the XLSX");
    std::fs::create_dir_all(target_dir()).unwrap();
    std::fs::write(target_dir().join("report.xlsx"), &xlsx).unwrap();
    let sheet = unzip(&xlsx, "xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<row ").count(), r.tasks.len() + 1, "a header row and one row per task");
    let strings = unzip(&xlsx, "xl/sharedStrings.xml");
    for s in ["Nhiệm vụ", "Đơn vị chủ trì", "Ủy ban Kiểm tra Đảng ủy phường", "Hoàn thành quá hạn"]
    {
        assert!(strings.contains(s), "sharedStrings lacks {s:?}");
    }
    assert!(strings.contains(&xml_escape(TRICKY)));
}

#[test]
fn an_empty_period_still_makes_a_report() {
    let mut r = report(0);
    r.signer_name.clear();
    r.number = "Số    -BC/ĐU".to_owned();
    let pdf = dangvu_reports::pdf(&r).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::create_dir_all(target_dir()).unwrap();
    std::fs::write(target_dir().join("report-empty.pdf"), &pdf).unwrap();
    assert!(dangvu_reports::docx(&r).unwrap().starts_with(b"PK"));
    assert!(dangvu_reports::xlsx(&r).unwrap().starts_with(b"PK"));
}

/// Not an assertion: prints how long a 200-task PDF takes (budget: under 2 s in release).
#[test]
fn pdf_timing_200_tasks() {
    let r = report(200);
    let start = Instant::now();
    let first = dangvu_reports::pdf(&r).unwrap();
    let first_time = start.elapsed();
    let mut r2 = r.clone();
    r2.tasks[0].title.push_str(" (bổ sung)");
    let start = Instant::now();
    let second = dangvu_reports::pdf(&r2).unwrap();
    let second_time = start.elapsed();
    println!(
        "PDF of 200 tasks ({} profile): first {first_time:.2?} ({} bytes), second {second_time:.2?} ({} bytes)",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        first.len(),
        second.len(),
    );
}

#[test]
fn a_minutes_book_prints_each_meeting_with_user_text_as_written() {
    use dangvu_reports::{BookMeeting, MinutesBook, minutes_book_pdf};
    let meeting = |title: &str, text: Option<&str>| BookMeeting {
        title: title.into(),
        when: "Thứ Ba, 03/03/2026 lúc 07:30".into(),
        dated: "ngày 03 tháng 03 năm 2026".into(),
        place: "Phòng họp tầng 3".into(),
        attendance: "Đảng viên có mặt: 10/12".into(),
        absent: vec!["Nguyễn Văn An (có lý do: đi công tác)".into(), "Hồ Thị Lý (không lý do)".into()],
        head: vec![("Chủ trì".into(), "Lê Văn Bình".into()), ("Thư ký".into(), "Trần Thị Hoa".into())],
        text: text.map(str::to_owned),
        resolutions: vec!["Thông qua kế hoạch tháng 4 (tán thành 10, không tán thành 0, không biểu quyết 0)".into()],
        version_note: text.map(|_| "Bản sửa đổi lần 2".into()),
        chair: "Lê Văn Bình".into(),
        secretary: "Trần Thị Hoa".into(),
    };
    let book = MinutesBook {
        committee: "Đảng bộ Sở Tài chính".into(),
        cell: "Chi bộ Văn phòng".into(),
        year: 2026,
        meetings: vec![
            meeting("Sinh hoạt thường kỳ tháng 3/2026", Some("#sys.exit $x$ và *đậm*\n\n1. Học tập và làm theo Bác")),
            meeting("Sinh hoạt chuyên đề quý I", None),
        ],
        audit_head: Some(dangvu_reports::AuditHead { entry: 77, hash: "0f".repeat(32) }),
    };
    let pdf = minutes_book_pdf(&book).expect("the PDF");
    assert!(pdf.starts_with(b"%PDF"));
    let dir = target_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("minutes-book.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if have("pdftotext") {
        let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in [
            "SỔ BIÊN BẢN SINH HOẠT CHI BỘ",
            "CHI BỘ VĂN PHÒNG",
            // Each record: the type in capitals, its subject as written (36-HD/VPTW).
            "BIÊN BẢN Sinh hoạt thường kỳ tháng 3/2026",
            "ngày 03 tháng 03 năm 2026",
            "Bản sửa đổi lần 2",
            "#sys.exit $x$ và *đậm*",
            "Hồ Thị Lý (không lý do)",
            "Chưa có biên bản được thông qua.",
            "CHỦ TRÌ",
            &format!("Nhật ký dangvu khi in: mục 77, mã {}", "0f".repeat(32)),
        ] {
            assert!(flat.contains(s), "the book lacks {s:?}:\n{text}");
        }
        assert_eq!(flat.matches("ĐẢNG CỘNG SẢN VIỆT NAM").count(), 2, "the Party header on each record");
    }
}

fn count_minutes() -> dangvu_reports::CountMinutes {
    use dangvu_reports::CountedCandidate;
    let names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"];
    dangvu_reports::CountMinutes {
        convening: "Đảng bộ Khối các cơ quan tỉnh".into(),
        gathering: "Đại hội đại biểu".into(),
        election: "Bầu Ban Chấp hành Đảng bộ khóa mới".into(),
        place: "Nghệ An".into(),
        on: NaiveDate::from_ymd_opt(2025, 7, 23).unwrap(),
        ballot: "Danh sách có số dư".into(),
        seats: 3,
        summoned: 120,
        exclusions: vec![("cấp ủy viên triệu tập vắng mặt suốt thời gian đại hội".into(), 2)],
        base: 118,
        threshold: 60,
        issued: 118,
        returned: 118,
        valid: 116,
        invalid: 2,
        candidates: names
            .iter()
            .zip([101, 97, 80, 40])
            .enumerate()
            .map(|(i, (n, v))| CountedCandidate {
                number: i as u32 + 1,
                full_name: (*n).into(),
                votes: v,
                elected: v >= 60,
            })
            .collect(),
        seats_unfilled: 0,
        tie_note: None,
        head: "Hoàng Văn Em".into(),
        members: vec!["Vũ Thị Giang".into(), "Đỗ Văn Hải".into()],
        record_fingerprint: "a".repeat(64),
        audit_head: None,
        result_fingerprint: "b".repeat(64),
    }
}

#[test]
fn count_minutes_show_the_base_the_votes_and_the_fingerprints() {
    let m = count_minutes();
    let pdf = dangvu_reports::count_minutes_pdf(&m).expect("the PDF");
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    let path = target_dir().join("count-minutes.pdf");
    std::fs::create_dir_all(target_dir()).unwrap();
    std::fs::write(&path, &pdf).unwrap();
    let expected = [
        "BIÊN BẢN",
        "BAN KIỂM PHIẾU",
        "Số làm căn cứ tính kết quả (Điều 30): 118",
        "từ 60 phiếu trở lên",
        "Số phiếu không hợp lệ: 2",
        "Trần Thị Bình — 97 phiếu, đạt 82,2%",
        "Hoàng Văn Em",
    ];
    if have("pdftotext") {
        let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in expected {
            assert!(flat.contains(s), "the PDF text lacks {s:?}:\n{text}");
        }
        assert!(flat.replace(' ', "").contains(&"a".repeat(64)), "the record's fingerprint is printed");
        assert!(!flat.contains("Phạm Thị Dung — "), "Dung is not elected");
    }
    let docx = dangvu_reports::count_minutes_docx(&m).expect("the DOCX");
    let xml = unzip(&docx, "word/document.xml");
    for s in expected {
        assert!(xml.contains(s), "document.xml lacks {s:?}");
    }
}

#[test]
fn ballots_print_the_names_or_the_four_columns() {
    for (surplus, a4, file) in [(true, false, "ballot-surplus-a5.pdf"), (false, true, "ballot-approval-a4.pdf")] {
        let b = dangvu_reports::BallotPaper {
            convening: "Đảng ủy Khối các cơ quan tỉnh".into(),
            title: "Bầu Ban Chấp hành Đảng bộ khóa XV".into(),
            surplus,
            names: vec!["Nguyễn Văn An".into(), "Trần Thị Bình".into(), "Lê Văn Cường".into()],
            a4,
        };
        let pdf = dangvu_reports::ballot_pdf(&b).expect("the ballot");
        assert!(pdf.starts_with(b"%PDF"));
        let path = target_dir().join(file);
        std::fs::create_dir_all(target_dir()).unwrap();
        std::fs::write(&path, &pdf).unwrap();
        if have("pdftotext") {
            let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
            let flat = String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
            for s in ["PHIẾU BẦU CỬ", "Trần Thị Bình", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN", "(dấu của cấp ủy)"]
            {
                assert!(flat.contains(s), "{file} lacks {s:?}: {flat}");
            }
            assert_eq!(flat.contains("Không đồng ý"), !surplus, "{file}: {flat}");
            assert_eq!(flat.contains("Gạch ngang"), surplus, "{file}: {flat}");
        }
    }
}
