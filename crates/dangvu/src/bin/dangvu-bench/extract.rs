//! `dangvu-bench extract`: times the conclusion reader (`dangvu_domain::tasks::conclusion`) over
//! about 20 MB of generated conclusions of standing-committee meetings, one call per
//! conclusion and one call on all of them as one text, against the budget "over 5 MB/s".

use std::fmt::Write as _;
use std::time::Instant;

use dangvu::demo::SplitMix64;

use crate::org_tree::{day, pick, place};
use crate::tasks::generate::TASK_OBJECTS;

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// How much conclusion text to read, in MB (10^6 bytes).
    #[arg(long, default_value_t = 20.0)]
    megabytes: f64,
    /// Passes over the text.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

const EXTRACT_UNITS: [&str; 16] = [
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Xây dựng",
    "Sở Nội vụ",
    "Ban Tổ chức Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Đảng ủy Ủy ban nhân dân tỉnh",
    "UBND tỉnh",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Ban Quản lý dự án đầu tư xây dựng tỉnh",
    "Mặt trận Tổ quốc tỉnh",
];

const EXTRACT_GROUPS: [&str; 5] = [
    "các cấp ủy, tổ chức đảng",
    "các sở, ban, ngành",
    "Đảng ủy các xã, phường",
    "các cơ quan liên quan",
    "Ủy ban nhân dân các xã, phường",
];

const EXTRACT_ACTIONS: [&str; 12] = [
    "rà soát, hoàn thiện",
    "tham mưu xây dựng",
    "khẩn trương triển khai",
    "tập trung chỉ đạo",
    "tổ chức sơ kết",
    "xây dựng kế hoạch thực hiện",
    "kiểm tra, đôn đốc",
    "chuẩn bị nội dung",
    "hoàn thiện hồ sơ",
    "đẩy nhanh tiến độ",
    "bố trí kinh phí cho",
    "tổng hợp, báo cáo",
];

const ROMAN_QUARTERS: [&str; 4] = ["I", "II", "III", "IV"];

/// One conclusion of a standing-committee meeting, 4–10 KB, varied by `rng`: headings,
/// numbered items, bullets, lettered items, deadlines as dates, months and quarters,
/// report duties, narrative paragraphs with cited documents.
fn conclusion_text(rng: &mut SplitMix64, year: i32) -> String {
    let mut s = String::with_capacity(8192);
    let unit = |rng: &mut SplitMix64| pick(rng, &EXTRACT_UNITS);
    let deadline = |rng: &mut SplitMix64| -> String {
        let (d, m) = (1 + rng.below(28), 1 + rng.below(12));
        match rng.below(8) {
            0 => format!("hoàn thành trước ngày {d}/{m}/{year}"),
            1 => format!("trước ngày {d}/{m}"),
            2 => format!("xong trong quý {}/{year}", ROMAN_QUARTERS[rng.below(4) as usize]),
            3 => format!("trước tháng {m}/{year}"),
            4 => format!("thời hạn hoàn thành trước {d}/{m}/{year}"),
            5 => format!("từ ngày 1/{m}/{year} đến ngày {d}/{}/{year}", (m % 12) + 1),
            6 => "định kỳ hằng quý báo cáo Ban Thường vụ Tỉnh ủy".to_owned(),
            _ => format!("báo cáo kết quả về Thường trực Tỉnh ủy trước ngày {d}/{m}/{year}"),
        }
    };
    writeln!(
        s,
        "KẾT LUẬN\ncủa Ban Thường vụ Tỉnh ủy tại hội nghị ngày {}/{}/{year}\n\nNgày {}/{}/{year}, Ban Thường vụ Tỉnh ủy \
         họp nghe {} báo cáo tình hình thực hiện {} theo Chỉ thị số {}-CT/TW ngày 14/6/2024 của Bộ Chính trị. \
         Sau khi nghe báo cáo và ý kiến thảo luận, Ban Thường vụ Tỉnh ủy kết luận như sau:\n",
        1 + rng.below(28),
        1 + rng.below(12),
        1 + rng.below(28),
        1 + rng.below(12),
        unit(rng),
        pick(rng, &TASK_OBJECTS),
        10 + rng.below(40)
    )
    .expect("writing to a String");
    writeln!(
        s,
        "I. ĐÁNH GIÁ CHUNG\nBan Thường vụ Tỉnh ủy ghi nhận, đánh giá cao sự nỗ lực của {} trong việc {} {}; \
         tuy nhiên tiến độ {} còn chậm, một số chỉ tiêu quý {}/{} chưa đạt kế hoạch.\n\nII. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
        unit(rng),
        pick(rng, &EXTRACT_ACTIONS),
        pick(rng, &TASK_OBJECTS),
        pick(rng, &TASK_OBJECTS),
        ROMAN_QUARTERS[rng.below(4) as usize],
        year - 1
    )
    .expect("writing to a String");
    let sections = 2 + rng.below(4);
    let mut n = 0;
    for sec in 1..=sections {
        match rng.below(3) {
            0 => writeln!(s, "{sec}. Về {}:", pick(rng, &TASK_OBJECTS)),
            1 => writeln!(s, "{sec}. Giao {}:", unit(rng)),
            _ => writeln!(s, "{sec}. Nhiệm vụ quý {}/{year}:", ROMAN_QUARTERS[rng.below(4) as usize]),
        }
        .expect("writing to a String");
        let style = rng.below(4);
        for k in 0..3 + rng.below(6) {
            n += 1;
            let marker = match style {
                0 => format!("({n})"),
                1 => "-".to_owned(),
                2 => format!("{})", (b'a' + k as u8) as char),
                _ => "+".to_owned(),
            };
            let line = match rng.below(5) {
                0 => format!(
                    "{marker} Giao {} chủ trì, phối hợp với {} và {} {} {}, {}.",
                    unit(rng),
                    unit(rng),
                    pick(rng, &EXTRACT_GROUPS),
                    pick(rng, &EXTRACT_ACTIONS),
                    pick(rng, &TASK_OBJECTS),
                    deadline(rng)
                ),
                1 => format!(
                    "{marker} Đề nghị {} {} {}; {}.",
                    pick(rng, &EXTRACT_GROUPS),
                    pick(rng, &EXTRACT_ACTIONS),
                    pick(rng, &TASK_OBJECTS),
                    deadline(rng)
                ),
                2 => format!(
                    "{marker} {} chỉ đạo {} {} {} trên địa bàn {}, {}.",
                    unit(rng),
                    pick(rng, &EXTRACT_GROUPS),
                    pick(rng, &EXTRACT_ACTIONS),
                    pick(rng, &TASK_OBJECTS),
                    place(rng),
                    deadline(rng)
                ),
                3 => format!(
                    "{marker} Yêu cầu {} {} {}, báo cáo kết quả 6 tháng đầu năm {year}.",
                    unit(rng),
                    pick(rng, &EXTRACT_ACTIONS),
                    pick(rng, &TASK_OBJECTS)
                ),
                _ => format!(
                    "{marker} Giao {} theo dõi, đôn đốc {} {}\n(cùng {} và {}), {}.",
                    unit(rng),
                    pick(rng, &EXTRACT_ACTIONS),
                    pick(rng, &TASK_OBJECTS),
                    unit(rng),
                    unit(rng),
                    deadline(rng)
                ),
            };
            s.push_str(&line);
            s.push('\n');
        }
    }
    writeln!(
        s,
        "\nThứ nhất, {} {}.\nThứ hai, giao Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện Kết luận này, \
         định kỳ 6 tháng một lần báo cáo Ban Thường vụ Tỉnh ủy.\n\nNơi nhận:\n- Các đồng chí Tỉnh ủy viên,\n- Như trên,\n\
         - Lưu Văn phòng Tỉnh ủy.\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n",
        pick(rng, &EXTRACT_GROUPS),
        pick(rng, &EXTRACT_ACTIONS)
    )
    .expect("writing to a String");
    s
}

pub async fn run(args: ExtractArgs) -> anyhow::Result<()> {
    const BUDGET_MB_S: f64 = 5.0;
    let target = (args.megabytes.max(1.0) * 1e6) as usize;
    let mut rng = SplitMix64(0x00da_4600_c0c1);
    let mut docs = Vec::new();
    let mut bytes = 0;
    while bytes < target {
        let doc = conclusion_text(&mut rng, 2025);
        bytes += doc.len();
        docs.push(doc);
    }
    // One long text of the same items: without the "Nơi nhận" block, after which the reader
    // rightly stops reading.
    let whole: String = docs.iter().map(|d| d.split("\nNơi nhận:").next().unwrap_or(d)).collect::<Vec<_>>().join("\n");
    let mb = bytes as f64 / 1e6;
    let reference = day(2025, 6, 15);
    let drafts = dangvu_domain::tasks::conclusion::extract(&docs[0], reference);
    println!(
        "{} conclusions, {mb:.1} MB (10^6 bytes) in all, {:.1} KB each on average; the first drafts {} tasks:",
        docs.len(),
        bytes as f64 / 1e3 / docs.len() as f64,
        drafts.len()
    );
    for d in drafts.iter().take(3) {
        println!(
            "    {}. {} | lead {:?} | support {:?} | due {:?} ({:?}){}",
            d.ordinal,
            d.text.chars().take(70).collect::<String>(),
            d.lead,
            d.support,
            d.due_on,
            d.due_text,
            if d.warnings.is_empty() { String::new() } else { format!(" | {} warnings", d.warnings.len()) }
        );
    }

    let rounds = args.rounds.max(1);
    let mut per_doc = Vec::new();
    let mut drafted = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        drafted = 0;
        for doc in &docs {
            drafted += std::hint::black_box(dangvu_domain::tasks::conclusion::extract(doc, reference)).len();
        }
        per_doc.push(t.elapsed().as_secs_f64());
    }
    let mut one_call = Vec::new();
    let mut drafted_whole = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        drafted_whole = std::hint::black_box(dangvu_domain::tasks::conclusion::extract(&whole, reference)).len();
        one_call.push(t.elapsed().as_secs_f64());
    }
    println!();
    println!("conclusion::extract over {mb:.1} MB, {rounds} rounds; MB/s (10^6 bytes), budget over {BUDGET_MB_S} MB/s");
    println!("{:<44} {:>9} {:>9} {:>9}  budget (slowest round)", "operation", "tasks", "mean", "slowest");
    for (label, secs, tasks, size) in [
        ("one call per conclusion", &per_doc, drafted, bytes),
        ("one call on all of it, as one text", &one_call, drafted_whole, whole.len()),
    ] {
        let mean = size as f64 / 1e6 / (secs.iter().sum::<f64>() / secs.len() as f64);
        let slowest = size as f64 / 1e6 / secs.iter().copied().fold(0.0, f64::max);
        let verdict = if slowest > BUDGET_MB_S { "ok" } else { "MISSED" };
        println!("{label:<44} {tasks:>9} {mean:>9.2} {slowest:>9.2}  > {BUDGET_MB_S} MB/s: {verdict}");
    }
    Ok(())
}
