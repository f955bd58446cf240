//! The words the rules look for: the phrase table by category, the single words and numerals, and
//! the `Lexicon` built from them once, in which a syllable has one id however it is capitalised and
//! wherever its tone mark sits, so that reading a word is one hash lookup.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use unicode_normalization::char::{compose, decompose_canonical};

/// Lists of words and phrases the rules look for. Each entry is one or more syllables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Category {
    /// A sentence with one of these is a task when the text has no list.
    TaskVerb,
    /// Verbs and adverbs that end a unit name and make the unit before them the subject.
    Verb,
    /// Other words that end a unit name.
    Stop,
    /// Capitalised head words of unit names.
    Head,
    /// Capitalised words that look like heads but are not ("Báo cáo", "Hội nghị").
    NotHead,
    /// Abbreviations that are unit names.
    Abbrev,
    /// Lower-case group nouns ("các cơ quan", "sở, ngành").
    Group,
    /// Group nouns that stand without "các".
    StrongGroup,
    Qualifier,
    /// Lower-case words that can run on inside a name ("… nhân dân các huyện").
    NameTail,
    /// Words after which the units named are the ones assigned.
    Trigger,
    /// Like `Trigger`, but only at the start of a clause ("Đối với Sở Tài chính: …").
    StartTrigger,
    Lead,
    Support,
    With,
    Adverb,
    Opener,
    /// Verbs that make "do X …" an assignment rather than a cause.
    DoVerb,
    /// What a "chủ trì" that is not a task presides over.
    Meeting,
    /// Words that contain "giao" without assigning anything.
    Exclude,
    /// Words that tie a date to the task's completion.
    Tie,
    /// `Tie` words looked for a few words before a date.
    TieWindow,
    /// Words that may stand between a tie word and a date.
    Soft,
    /// Words that make a date the date of a cited document.
    Doc,
    /// Prepositions that may open a complement between a subject and its verb.
    Complement,
    /// "Nơi nhận:": the recipients of the notice, after which no task follows.
    EndMatter,
    /// Like `Trigger`, but naming the units a lead directs, so only when no lead is named before:
    /// "UBND tỉnh chỉ đạo Sở Xây dựng …" is led by UBND tỉnh.
    WeakTrigger,
    RecEvery,
    RecMonth,
    RecQuarter,
    RecHalf,
    RecYear,
}

impl Category {
    const ALL: [Category; 32] = [
        Category::TaskVerb,
        Category::Verb,
        Category::Stop,
        Category::Head,
        Category::NotHead,
        Category::Abbrev,
        Category::Group,
        Category::StrongGroup,
        Category::Qualifier,
        Category::NameTail,
        Category::Trigger,
        Category::StartTrigger,
        Category::Lead,
        Category::Support,
        Category::With,
        Category::Adverb,
        Category::Opener,
        Category::DoVerb,
        Category::Meeting,
        Category::Exclude,
        Category::Tie,
        Category::TieWindow,
        Category::Soft,
        Category::Doc,
        Category::Complement,
        Category::EndMatter,
        Category::WeakTrigger,
        Category::RecEvery,
        Category::RecMonth,
        Category::RecQuarter,
        Category::RecHalf,
        Category::RecYear,
    ];

    fn phrases(self) -> &'static [&'static str] {
        match self {
            Category::TaskVerb => &[
                "giao",
                "chủ trì",
                "đề nghị",
                "yêu cầu",
                "tập trung",
                "khẩn trương",
                "chỉ đạo",
                "triển khai",
                "hoàn thành",
                "tham mưu",
                "rà soát",
                "xây dựng",
            ],
            Category::Verb => &[
                "thực hiện",
                "triển khai",
                "tham mưu",
                "rà soát",
                "xây dựng",
                "tổ chức",
                "hoàn thành",
                "theo dõi",
                "báo cáo",
                "tiếp tục",
                "khẩn trương",
                "tập trung",
                "chỉ đạo",
                "hướng dẫn",
                "kiểm tra",
                "giám sát",
                "đôn đốc",
                "nghiên cứu",
                "đề xuất",
                "chuẩn bị",
                "hoàn thiện",
                "ban hành",
                "trình",
                "xem xét",
                "giải quyết",
                "xử lý",
                "quan tâm",
                "đẩy mạnh",
                "đẩy nhanh",
                "tăng cường",
                "nâng cao",
                "phát huy",
                "cần",
                "phải",
                "sớm",
                "kịp thời",
                "chủ động",
                "tích cực",
                "nhanh chóng",
                "lãnh đạo",
                "quán triệt",
                "phổ biến",
                "tuyên truyền",
                "cụ thể hóa",
                "thẩm định",
                "lập",
                "tổng hợp",
                "bố trí",
                "cân đối",
                "bảo đảm",
                "đảm bảo",
                "thống nhất",
                "tiếp thu",
                "chịu trách nhiệm",
                "có trách nhiệm",
                "tiến hành",
                "sơ kết",
                "tổng kết",
                "đánh giá",
                "điều chỉnh",
                "bổ sung",
                "sửa đổi",
                "nắm",
                "vận động",
                "huy động",
                "thành lập",
                "kiện toàn",
                "sắp xếp",
                "phân công",
                "cử",
                "giới thiệu",
                "lựa chọn",
                "cải cách",
                "giải ngân",
                "thu hồi",
                "xác minh",
                "cập nhật",
                "công bố",
                "công khai",
                "thông báo",
                "tiếp nhận",
                "trả lời",
                "hỗ trợ",
                "tham gia",
                "duy trì",
                "làm",
                "gửi",
                "nộp",
                "khắc phục",
                "chấn chỉnh",
                "phát động",
                "tập huấn",
                "bồi dưỡng",
                "đào tạo",
                "quy hoạch",
                "phê duyệt",
                "thẩm tra",
                "điều tra",
                "thi hành",
                "ứng dụng",
                "áp dụng",
                "chuyển đổi",
                "số hóa",
                "khảo sát",
                "dự thảo",
                "soạn thảo",
                "biên tập",
                "phát hành",
                "vận hành",
                "quản lý",
                "phát triển",
                "đầu tư",
                "thảo luận",
                "cho ý kiến",
                "góp ý",
                "lấy ý kiến",
                "tập hợp",
                "chăm lo",
                "tạo điều kiện",
                "đưa",
                "thường xuyên",
                "kiên quyết",
                "quyết liệt",
                "nghiêm túc",
                "truyền thông",
                "tăng",
                "giảm",
                "đẩy",
                "phấn đấu",
                "bám sát",
                "nhận diện",
                "chuyển tải",
                "chuyển",
                "trao đổi",
                "làm rõ",
                "làm tốt",
                "mở rộng",
                "thúc đẩy",
                "đề ra",
                "ký",
            ],
            Category::Stop => &[
                "với",
                "cùng",
                "để",
                "nhằm",
                "về",
                "việc",
                "theo",
                "trong",
                "tại",
                "trên",
                "từ",
                "đến",
                "tới",
                "trước",
                "sau",
                "là",
                "thì",
                "mà",
                "nhưng",
                "đồng thời",
                "cho",
                "của",
                "có",
                "được",
                "sẽ",
                "đã",
                "đang",
                "không",
                "chưa",
                "nếu",
                "khi",
                "qua",
                "bằng",
                "do",
                "vì",
                "như",
                "ngày",
                "tháng",
                "quý",
                "năm",
                "hằng",
                "hàng",
                "định kỳ",
                "những",
                "nội dung",
                "kết quả",
                "tình hình",
                "công tác",
                "vấn đề",
                "nhiệm vụ",
                "kế hoạch",
                "phương án",
                "đề án",
                "ý kiến",
                "văn bản",
                "hồ sơ",
                "chương trình",
                "thời gian",
                "ngay",
                "hoặc",
                "cũng",
                "còn",
                "luôn",
                "vẫn",
                "đều",
                "tiến độ",
                "giai đoạn",
                "lần",
                "mọi",
                "hạn",
                "thời hạn",
                "chậm nhất",
                "hết",
                "xong",
                "nay",
                "này",
                "đó",
                "gồm",
                "bao gồm",
                "thuộc",
                "ở",
                "cả",
                "rất",
                "hơn",
                "nhất",
                "lại",
                "ra",
                "vào",
                "trực tiếp",
                "đúng",
                "chỉ",
                "nhiều",
                "một",
                "các",
            ],
            Category::Head => &[
                "sở",
                "ban",
                "ủy ban",
                "ủy ban nhân dân",
                "ủy ban kiểm tra",
                "ủy ban mặt trận",
                "đảng ủy",
                "đảng ủy khối",
                "đảng bộ",
                "đảng đoàn",
                "văn phòng",
                "huyện ủy",
                "thành ủy",
                "thị ủy",
                "quận ủy",
                "tỉnh ủy",
                "tỉnh đoàn",
                "thành đoàn",
                "huyện đoàn",
                "công an",
                "bộ",
                "bộ chỉ huy",
                "mặt trận",
                "hội",
                "hội đồng",
                "hội đồng nhân dân",
                "liên đoàn",
                "liên minh",
                "đoàn",
                "công đoàn",
                "chi bộ",
                "chi ủy",
                "cục",
                "chi cục",
                "tổng cục",
                "tòa án",
                "viện kiểm sát",
                "viện",
                "kho bạc",
                "ngân hàng",
                "trường",
                "bệnh viện",
                "báo",
                "đài",
                "thanh tra",
                "thường trực",
                "thường vụ",
                "trung tâm",
                "học viện",
                "tổng công ty",
                "công ty",
                "chi nhánh",
                "bảo hiểm xã hội",
                "hải quan",
                "tiểu ban",
                "tổ giúp việc",
                "tổ công tác",
                "hiệp hội",
                "phòng",
                "chính phủ",
                "quốc hội",
                "cảnh sát",
                "bộ đội",
                "quân khu",
                "kiểm toán",
                "ban chỉ đạo",
                "ban quản lý",
                "ban thường vụ",
                "ban chấp hành",
                "ban tổ chức",
                "ban tuyên giáo",
                "ban dân vận",
                "ban nội chính",
                "ban kinh tế",
                "ban cán sự đảng",
            ],
            Category::NotHead => &[
                "báo cáo",
                "báo chí",
                "hội nghị",
                "hội thảo",
                "hội thi",
                "hội viên",
                "hội diễn",
                "đoàn viên",
                "đoàn kết",
                "đoàn thể",
                "trường hợp",
                "trường học",
                "ban hành",
                "sở dĩ",
                "bộ máy",
                "bộ phận",
                "bộ luật",
                "viện dẫn",
                "cục bộ",
                "phòng chống",
                "phòng ngừa",
                "đài thọ",
                "hội đủ",
            ],
            Category::Abbrev => &[
                "ubnd", "hđnd", "ubkt", "mttq", "ubmttq", "btv", "bch", "btc", "btg", "vptu", "đuk", "bhxh", "kbnn",
                "lđlđ", "bchqs", "ubmt",
            ],
            Category::Group => &[
                "cấp ủy",
                "cấp ủy đảng",
                "tổ chức đảng",
                "tổ chức cơ sở đảng",
                "tổ chức chính trị",
                "tổ chức",
                "sở",
                "ban",
                "ngành",
                "ban đảng",
                "ban ngành",
                "sở ngành",
                "cơ quan",
                "cơ quan chuyên môn",
                "cơ quan tham mưu",
                "cơ quan báo chí",
                "đơn vị",
                "địa phương",
                "huyện",
                "quận",
                "thị xã",
                "thành phố",
                "xã",
                "phường",
                "thị trấn",
                "đoàn thể",
                "hội",
                "hội đoàn thể",
                "chi bộ",
                "đảng bộ",
                "đảng ủy",
                "đảng đoàn",
                "ban cán sự đảng",
                "ban cán sự",
                "doanh nghiệp",
                "trường",
                "tiểu ban",
                "tổ giúp việc",
                "chi ủy",
                "cấp",
                "lực lượng",
                "lực lượng vũ trang",
                "ngành chức năng",
                "cơ sở",
                "ủy ban nhân dân",
                "ủy ban",
                "huyện ủy",
                "thành ủy",
                "thị ủy",
                "quận ủy",
                "mặt trận",
                "chính quyền",
                "giúp việc",
                "thôn",
                "tổ dân phố",
                "khu phố",
            ],
            Category::StrongGroup => &[
                "cấp ủy",
                "cấp ủy đảng",
                "tổ chức đảng",
                "tổ chức cơ sở đảng",
                "đảng đoàn",
                "ban cán sự đảng",
                "chi bộ",
                "đảng bộ",
                "đảng ủy",
                "chi ủy",
                "cơ quan",
                "cơ quan chuyên môn",
                "cơ quan tham mưu",
                "đơn vị",
                "địa phương",
                "ban đảng",
                "đoàn thể",
                "ủy ban nhân dân",
                "huyện ủy",
                "thành ủy",
                "thị ủy",
                "quận ủy",
            ],
            Category::Qualifier => &[
                "các",
                "những",
                "toàn",
                "toàn thể",
                "từng",
                "mỗi",
                "một số",
                "tất cả",
                "tất cả các",
                "toàn bộ",
                "mọi",
                "cả",
            ],
            Category::NameTail => &[
                "các",
                "cơ quan",
                "tỉnh",
                "huyện",
                "xã",
                "phường",
                "thị xã",
                "thành phố",
                "thị trấn",
                "quận",
                "nhân dân",
                "liên quan",
                "có liên quan",
                "trực thuộc",
                "cấp",
                "cơ sở",
                "đảng",
                "chính trị",
                "xã hội",
                "nhà nước",
                "quân sự",
                "địa phương",
                "doanh nghiệp",
                "khu vực",
                "đơn vị",
                "ngành",
                "đoàn thể",
                "tổ quốc",
                "khối",
                "dân",
                "sự nghiệp",
                "công lập",
                "chuyên môn",
                "chức năng",
                "trung ương",
                "kinh tế",
                "giúp việc",
                "hành chính",
                "nông thôn",
                "vũ trang",
            ],
            Category::Trigger => &[
                "giao",
                "giao cho",
                "giao nhiệm vụ cho",
                "đề nghị",
                "kính đề nghị",
                "yêu cầu",
                "do",
                "phân công",
                "phân công cho",
            ],
            Category::StartTrigger => &["đối với", "về phía", "riêng"],
            Category::Lead => &[
                "chủ trì",
                "làm đầu mối",
                "là đầu mối",
                "là cơ quan chủ trì",
                "là đơn vị chủ trì",
                "chịu trách nhiệm chính",
                "đầu mối",
            ],
            Category::Support => &["phối hợp", "tham gia phối hợp", "sự phối hợp"],
            Category::With => &["với", "cùng", "cùng với", "của"],
            Category::Adverb => &[
                "chặt chẽ",
                "thật chặt chẽ",
                "thật",
                "tốt",
                "đồng bộ",
                "thường xuyên",
                "hiệu quả",
                "nhịp nhàng",
                "tích cực",
            ],
            Category::Opener => &[
                "theo đó",
                "đồng thời",
                "ngoài ra",
                "bên cạnh đó",
                "mặt khác",
                "trong đó",
                "vì vậy",
                "do đó",
                "do vậy",
                "cùng với đó",
                "tuy nhiên",
                "đặc biệt",
                "trước mắt",
                "trước hết",
                "thời gian tới",
                "trong thời gian tới",
                "sắp tới",
                "cụ thể",
                "cụ thể là",
            ],
            Category::DoVerb => {
                &["chủ trì", "thực hiện", "đảm nhiệm", "đảm nhận", "phụ trách", "triển khai", "làm đầu mối"]
            }
            Category::Meeting => &[
                "hội nghị",
                "cuộc họp",
                "cuộc làm việc",
                "buổi làm việc",
                "phiên họp",
                "buổi họp",
                "hội thảo",
                "tọa đàm",
                "buổi tiếp",
                "lễ",
                "kỳ họp",
                "cuộc",
                "buổi",
                "đoàn",
            ],
            Category::Exclude => &[
                "giao ban",
                "giao thông",
                "giao lưu",
                "giao dịch",
                "giao tiếp",
                "giao hữu",
                "giao thoa",
                "giao nhận",
                "giao nộp",
                "bàn giao",
                "chuyển giao",
            ],
            Category::Tie => &[
                "hoàn thành",
                "xong",
                "trước",
                "chậm nhất",
                "muộn nhất",
                "hạn",
                "thời hạn",
                "hạn chót",
                "đến",
                "tới",
                "hết",
                "kết thúc",
            ],
            Category::TieWindow => &["hoàn thành", "xong", "chậm nhất", "muộn nhất", "thời hạn", "hạn chót"],
            Category::Soft => &["trong", "vào", "là", "trong vòng", "ngay trong", "nội trong", "dự kiến", "kịp"],
            Category::Doc => &[
                "số",
                "chỉ thị",
                "nghị quyết",
                "kết luận",
                "quyết định",
                "kế hoạch",
                "thông báo",
                "công văn",
                "quy định",
                "hướng dẫn",
                "thông tư",
                "nghị định",
                "tờ trình",
                "ban hành",
                "ký",
                "luật",
                "văn bản",
                "đề án",
                "chương trình",
                "quy chế",
            ],
            Category::Complement => &["trong", "thuộc", "của", "tại", "ở", "trên"],
            Category::EndMatter => &["nơi nhận"],
            Category::WeakTrigger => &["chỉ đạo", "lưu ý", "nhắc nhở"],
            Category::RecEvery => &["định kỳ", "mỗi", "hằng", "hàng", "cứ"],
            Category::RecMonth => &["hằng tháng", "hàng tháng", "mỗi tháng", "định kỳ tháng", "tháng một lần"],
            Category::RecQuarter => &["hằng quý", "hàng quý", "mỗi quý", "định kỳ quý", "quý một lần"],
            Category::RecHalf => &["nửa năm một lần", "hằng nửa năm", "định kỳ nửa năm"],
            Category::RecYear => &["hằng năm", "hàng năm", "mỗi năm", "định kỳ năm", "năm một lần", "thường niên"],
        }
    }
}

/// Single words the rules test for, in the order of [`WORDS`].
#[derive(Debug, Clone, Copy)]
pub(super) enum Keyword {
    Ngay,
    Thang,
    Nam,
    Quy,
    Cuoi,
    Dau,
    Nua,
    Sau,
    Nay,
    Tu,
    Den,
    Toi,
    Truoc,
    La,
    Lan,
    Mot,
    Thu,
    Va,
    Nguon,
    Cac,
    Nhung,
    So,
    Bo,
    Ban,
    Het,
    Do,
    Han,
}

const WORDS: [&str; 27] = [
    "ngày", "tháng", "năm", "quý", "cuối", "đầu", "nửa", "sáu", "nay", "từ", "đến", "tới", "trước", "là", "lần", "một",
    "thứ", "và", "nguồn", "các", "những", "sở", "bộ", "ban", "hết", "do", "hạn",
];

/// "Một là, hai là …".
const NUMERALS: [&str; 10] = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"];
/// "Thứ nhất, thứ hai …".
const ORDINALS: [&str; 10] = ["nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười"];

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(super) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Every syllable the rules know, by id, and every phrase, by its first syllable: one hash lookup
/// per word of input, then small integer comparisons.
pub(super) struct Lexicon {
    pub(super) ids: HashMap<u64, u16, BuildHasherDefault<IdHasher>>,
    /// For each syllable id, the phrases starting with it: (category, remaining syllables).
    pub(super) table: Vec<Vec<(Category, Box<[u16]>)>>,
    words: [u16; WORDS.len()],
    pub(super) numerals: [u16; 10],
    pub(super) ordinals: [u16; 10],
}

pub(super) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::build)
}

impl Lexicon {
    fn build() -> Lexicon {
        let mut lexicon = Lexicon {
            ids: HashMap::default(),
            table: vec![Vec::new()],
            words: [0; WORDS.len()],
            numerals: [0; 10],
            ordinals: [0; 10],
        };
        for cat in Category::ALL {
            for phrase in cat.phrases() {
                let ids: Vec<u16> = phrase.split_whitespace().map(|s| lexicon.intern(s)).collect();
                if let Some((first, rest)) = ids.split_first()
                    && let Some(entries) = lexicon.table.get_mut(usize::from(*first))
                {
                    entries.push((cat, rest.into()));
                }
            }
        }
        for (k, w) in WORDS.iter().enumerate() {
            lexicon.words[k] = lexicon.intern(w);
        }
        for (k, (numeral, ordinal)) in NUMERALS.iter().zip(ORDINALS).enumerate() {
            lexicon.numerals[k] = lexicon.intern(numeral);
            lexicon.ordinals[k] = lexicon.intern(ordinal);
        }
        lexicon
    }

    fn intern(&mut self, syllable: &str) -> u16 {
        let chars: Vec<char> = syllable.chars().collect();
        let h = syllable_hash(&chars);
        if let Some(&id) = self.ids.get(&h) {
            return id;
        }
        let id = u16::try_from(self.table.len()).unwrap_or(u16::MAX);
        self.ids.insert(h, id);
        self.table.push(Vec::new());
        id
    }

    pub(super) fn word(&self, w: Keyword) -> u16 {
        self.words[w as usize]
    }
}

/// A character without its tone mark, lower case, and the tone (0 for none): "Ủ" → ('u', hỏi).
/// Vowel marks stay ("ư", "â", "đ" are letters of their own).
pub(super) fn split_char(c: char) -> (char, u8) {
    if c.is_ascii() {
        return (c.to_ascii_lowercase(), 0);
    }
    // Every Vietnamese letter lies below U+1F00; those are worked out once.
    static TABLE: OnceLock<Vec<(char, u8)>> = OnceLock::new();
    let code = u32::from(c);
    if code < 0x1F00 {
        let table = TABLE
            .get_or_init(|| (0..0x1F00u32).map(|u| char::from_u32(u).map_or(('\0', 0), split_char_uncached)).collect());
        if let Some(&found) = usize::try_from(code).ok().and_then(|k| table.get(k)) {
            return found;
        }
    }
    split_char_uncached(c)
}

fn split_char_uncached(c: char) -> (char, u8) {
    if c.is_ascii() {
        return (c.to_ascii_lowercase(), 0);
    }
    let lower = {
        let mut it = c.to_lowercase();
        match (it.next(), it.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    };
    let mut base: Option<char> = None;
    let mut tone = 0u8;
    let mut marks = ['\0'; 4];
    let mut count = 0;
    decompose_canonical(lower, |d| {
        if base.is_none() {
            base = Some(d);
            return;
        }
        let t = tone_of(d);
        if t != 0 {
            tone = t;
        } else if count < marks.len() {
            marks[count] = d;
            count += 1;
        }
    });
    let Some(mut b) = base else { return (lower, 0) };
    if b == lower {
        return (lower, 0);
    }
    for m in &marks[..count] {
        b = compose(b, *m).unwrap_or(b);
    }
    (b, tone)
}

fn tone_of(mark: char) -> u8 {
    match mark {
        '\u{300}' => 1,
        '\u{301}' => 2,
        '\u{303}' => 3,
        '\u{309}' => 4,
        '\u{323}' => 5,
        _ => 0,
    }
}

const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;
const HASH_PRIME: u64 = 0x0000_0100_0000_01b3;

fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(HASH_PRIME)
}

/// The id of a syllable: its toneless letters and its one tone, wherever the mark was placed.
pub(super) fn syllable_hash(chars: &[char]) -> u64 {
    let mut h = HASH_SEED;
    let mut tone = 0;
    for &c in chars {
        let (b, t) = split_char(c);
        if tone == 0 {
            tone = t;
        }
        h = mix(h, u64::from(u32::from(b)));
    }
    mix(h, 0x1_0000_0000 + u64::from(tone))
}
