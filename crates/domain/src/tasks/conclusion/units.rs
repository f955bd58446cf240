//! Recognising the units a task names, by the head words of their names ("Sở", "Ban", "UBND" …)
//! or group nouns ("các sở, ngành"), and their roles: the lead (chủ trì), the supporting units
//! (phối hợp), and the units a lead only directs, which are neither.

use std::collections::HashSet;

use super::lex::{Kind, Lex};
use super::lexicon::{Category, Keyword};
use super::match_key;

#[derive(Debug, Clone, Copy)]
struct UnitSpan {
    start: usize,
    end: usize,
    /// Opened by "các", "những", "một số"… (or contains "các"): a group that can absorb more nouns.
    qualified: bool,
    group: bool,
    /// Syllable id of the head word.
    head: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Lead,
    Support,
}

impl Lex {
    /// The head of a unit name at `i`: (end of the head, qualified by "các"/"một số"…, a group noun).
    fn unit_head(&self, i: usize) -> Option<(usize, bool, bool, u16)> {
        let first = self.tokens.get(i)?;
        if first.kind != Kind::Word {
            return None;
        }
        let q = self.phrase(i, Category::Qualifier);
        let h = i + q;
        let t = self.tokens.get(h)?;
        if t.kind != Kind::Word {
            return None;
        }
        if t.upper || t.caps {
            if self.phrase(h, Category::NotHead) > 0 {
                return None;
            }
            let l = self.phrase(h, Category::Head);
            if l > 0 {
                return Some((h + l, q > 0, false, t.sid));
            }
            if t.caps && self.phrase(h, Category::Abbrev) > 0 {
                return Some((h + 1, q > 0, false, t.sid));
            }
            let g = self.phrase(h, Category::Group);
            if q > 0 && g > 0 {
                return Some((h + g, true, true, t.sid));
            }
            return None;
        }
        if t.lower {
            let g = self.phrase(h, Category::Group);
            if q > 0 && g > 0 {
                return Some((h + g, true, true, t.sid));
            }
            let s = self.phrase(h, Category::StrongGroup);
            if s > 0 {
                return Some((h + s, false, true, t.sid));
            }
        }
        None
    }

    /// Ends a unit name (lower-case or all-caps word).
    fn stop_at(&self, k: usize) -> bool {
        [
            Category::Stop,
            Category::Verb,
            Category::Lead,
            Category::Support,
            Category::Trigger,
            Category::WeakTrigger,
            Category::Tie,
            Category::Soft,
        ]
        .iter()
        .any(|&c| self.phrase(k, c) > 0)
    }

    /// Where a unit name that continues at token `k` ends.
    fn name_end(&self, k0: usize, group: bool) -> usize {
        let n = self.tokens.len();
        // Right after a group noun only the usual tails follow ("các cơ quan liên quan"); after a
        // capitalised word the name may run on as any name does ("… giúp việc Tỉnh ủy").
        let mut group = group;
        let mut k = k0;
        let mut end = k0;
        let mut lower_run = 0;
        let mut words = 0;
        while k < n && words < 16 {
            let t = self.tokens[k];
            match t.kind {
                Kind::Word => {
                    if t.upper || t.caps {
                        if t.caps && self.stop_at(k) {
                            break;
                        }
                        k += 1;
                        end = k;
                        lower_run = 0;
                        words += 1;
                        group = false;
                        continue;
                    }
                    if !t.lower {
                        break;
                    }
                    let tail = self.phrase(k, Category::NameTail);
                    if tail > 0 {
                        k += tail;
                        end = k;
                        words += tail;
                        continue;
                    }
                    if self.word(k, Keyword::Va) {
                        // "Sở Kế hoạch và Đầu tư" stays whole; "Sở Tài chính và Sở Nội vụ" is two.
                        let next_upper = self.tokens.get(k + 1).is_some_and(|u| u.kind == Kind::Word && u.upper);
                        if next_upper && self.unit_head(k + 1).is_none() {
                            k += 1;
                            continue;
                        }
                        break;
                    }
                    if group || self.stop_at(k) {
                        break;
                    }
                    lower_run += 1;
                    if lower_run > 3 {
                        break;
                    }
                    k += 1;
                    end = k;
                    words += 1;
                }
                Kind::Punct('-' | '–') => {
                    let joins = end == k
                        && self.tokens.get(k + 1).is_some_and(|u| {
                            u.kind == Kind::Word && !(u.lower && self.stop_at(k + 1)) && u.gap == t.gap
                        });
                    if !joins {
                        break;
                    }
                    k += 1;
                }
                Kind::Punct('(') => {
                    // A short parenthesis inside a name: "Đảng bộ Khối Các cơ quan (CCQ) tỉnh".
                    let mut m = k + 1;
                    let mut closed = false;
                    while m < n && m <= k + 6 {
                        match self.tokens[m].kind {
                            Kind::Punct(')') => {
                                closed = true;
                                break;
                            }
                            Kind::Word | Kind::Num => m += 1,
                            Kind::Punct(_) => break,
                        }
                    }
                    if closed && m > k + 1 && end == k {
                        k = m + 1;
                        end = k;
                    } else {
                        break;
                    }
                }
                Kind::Num | Kind::Punct(_) => break,
            }
        }
        end
    }

    fn unit(&self, i: usize) -> Option<UnitSpan> {
        let (head_end, qualified, group, head) = self.unit_head(i)?;
        let end = self.name_end(head_end, group);
        let has_cac = (i..end).any(|k| self.word(k, Keyword::Cac) || self.word(k, Keyword::Nhung));
        Some(UnitSpan { start: i, end, qualified: qualified || has_cac, group, head })
    }

    /// A list of units at `i`: "Sở Tài chính, Sở Nội vụ và UBND các huyện". A group opened by
    /// "các" takes the lower-case nouns after its commas ("các cấp ủy, tổ chức đảng" is one name:
    /// the "các" counts for all of them, and none of them alone names a unit).
    fn units_list(&self, i: usize) -> Option<(Vec<(usize, usize)>, usize)> {
        let first = self.unit(i)?;
        let mut spans = vec![(first.start, first.end)];
        let mut cur = first;
        let mut absorbed = 0;
        while spans.len() < 24 && absorbed < 24 {
            let k = cur.end;
            match self.tokens.get(k).map(|t| t.kind) {
                Some(Kind::Punct(',' | ';')) => {
                    let j = k + 1;
                    if cur.qualified && self.tokens.get(j).is_some_and(|t| t.lower) {
                        let g = self.phrase(j, Category::Group);
                        if g > 0 {
                            absorbed += 1;
                            cur.end = self.name_end(j + g, true);
                            if let Some(last) = spans.last_mut() {
                                last.1 = cur.end;
                            }
                            continue;
                        }
                    }
                    if let Some(u) = self.unit(j) {
                        spans.push((u.start, u.end));
                        cur = u;
                        continue;
                    }
                    // "Sở Văn hóa, Thể thao và Du lịch": a comma inside the name of a department.
                    let department = !cur.group
                        && [Keyword::So, Keyword::Bo, Keyword::Ban].iter().any(|w| self.lexicon.word(*w) == cur.head)
                        && self.tokens.get(j).is_some_and(|t| t.kind == Kind::Word && t.upper && !t.caps);
                    if department {
                        let e = self.name_end(j, false);
                        if e > j {
                            cur.end = e;
                            if let Some(last) = spans.last_mut() {
                                last.1 = e;
                            }
                            continue;
                        }
                    }
                    break;
                }
                Some(Kind::Word) if self.word(k, Keyword::Va) => match self.unit(k + 1) {
                    Some(u) => {
                        spans.push((u.start, u.end));
                        cur = u;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        Some((spans, cur.end))
    }

    fn skip_adverbs(&self, mut k: usize) -> usize {
        for _ in 0..3 {
            let a = self.phrase(k, Category::Adverb);
            if a == 0 {
                break;
            }
            k += a;
        }
        k
    }

    /// "X phối hợp với Y" makes X the lead; "…, Y phối hợp" makes Y a supporter.
    fn cooperation_role(&self, at: usize) -> Role {
        let j = self.skip_adverbs(at + self.phrase(at, Category::Support));
        if self.phrase(j, Category::With) > 0 || self.unit_head(j).is_some() { Role::Lead } else { Role::Support }
    }

    /// The role of units at the start of a clause, from what follows them.
    fn subject_role(&self, end: usize) -> Option<Role> {
        if self.phrase(end, Category::Lead) > 0 {
            return Some(Role::Lead);
        }
        if self.phrase(end, Category::Support) > 0 {
            return Some(self.cooperation_role(end));
        }
        if self.punct(end) == Some(':') {
            return Some(Role::Lead);
        }
        if self.verb_at(end) {
            // "Ban Thường vụ Tỉnh ủy chỉ đạo:" introduces what the speaker directs.
            let speaks = self.punct(end + self.phrase(end, Category::Verb)) == Some(':');
            return (!speaks).then_some(Role::Lead);
        }
        // "các cơ quan, đơn vị trong cả hệ thống chính trị nhanh chóng phổ biến …", "Ủy ban Kiểm tra
        // Tỉnh ủy định kỳ 6 tháng một lần báo cáo …": a short complement between subject and verb.
        if self.phrase(end, Category::Complement) > 0 || self.phrase(end, Category::RecEvery) > 0 {
            let mut k = end + 1;
            while k < self.tokens.len() && k <= end + 7 {
                if matches!(self.tokens[k].kind, Kind::Punct(_)) {
                    return None;
                }
                if self.verb_at(k) {
                    return Some(Role::Lead);
                }
                k += 1;
            }
        }
        None
    }

    fn verb_at(&self, k: usize) -> bool {
        self.tokens.get(k).is_some_and(|t| t.lower) && self.phrase(k, Category::Verb) > 0
    }

    /// Lead and supporting units named in the text.
    pub(super) fn units(&self) -> (Vec<String>, Vec<String>) {
        let n = self.tokens.len();
        let mut lead: Vec<(usize, usize)> = Vec::new();
        let mut support: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        let mut clause = true;
        while i < n {
            if clause {
                let o = self.phrase(i, Category::Opener);
                if o > 0 {
                    i += o;
                    if self.punct(i) == Some(',') {
                        i += 1;
                    }
                    continue;
                }
            }
            let weak = self.phrase(i, Category::WeakTrigger);
            if weak > 0
                && !lead.is_empty()
                && let Some((_, end)) = self.units_list(i + weak)
            {
                // The units the lead directs are neither lead nor support, nor subjects of what follows.
                i = end;
                clause = false;
                continue;
            }
            let trigger = {
                let t = self.phrase(i, Category::Trigger);
                let s = if clause { self.phrase(i, Category::StartTrigger) } else { 0 };
                t.max(s).max(weak)
            };
            if trigger > 0 && !self.excluded(i) {
                let mut j = i + trigger;
                if matches!(self.punct(j), Some(',' | ':')) {
                    j += 1;
                }
                if let Some((spans, end)) = self.units_list(j) {
                    let lead_len = self.phrase(end, Category::Lead);
                    let role = if lead_len > 0 {
                        Some(Role::Lead)
                    } else if self.phrase(end, Category::Support) > 0 {
                        Some(self.cooperation_role(end))
                    } else if self.word(i, Keyword::Do) {
                        (self.phrase(end, Category::DoVerb) > 0).then_some(Role::Lead)
                    } else {
                        Some(Role::Lead)
                    };
                    if let Some(role) = role {
                        match role {
                            Role::Lead => lead.extend(spans),
                            Role::Support => support.extend(spans),
                        }
                        i = end + lead_len;
                        clause = false;
                        continue;
                    }
                }
            }
            let s = self.phrase(i, Category::Support);
            if s > 0 {
                let mut j = self.skip_adverbs(i + s);
                j += self.phrase(j, Category::With);
                if self.punct(j) == Some(':') {
                    j += 1;
                }
                if let Some((spans, end)) = self.units_list(j) {
                    support.extend(spans);
                    i = end;
                    clause = false;
                    continue;
                }
            }
            if clause && let Some((spans, end)) = self.units_list(i) {
                match self.subject_role(end) {
                    Some(Role::Lead) => lead.extend(spans),
                    Some(Role::Support) => support.extend(spans),
                    // The lists starting inside this one end at the same place, with the same
                    // words after them: skip it (and keep the scan linear).
                    None => {}
                }
                i = end + self.phrase(end, Category::Lead);
                clause = false;
                continue;
            }
            clause = matches!(
                self.tokens[i].kind,
                Kind::Punct(',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '"' | '“' | '”' | '–' | '-' | '—' | '…')
            );
            i += 1;
        }
        let lead = self.names(&lead, &HashSet::new());
        let lead_keys: HashSet<String> = lead.iter().map(|s| match_key(s)).collect();
        let support = self.names(&support, &lead_keys);
        (lead, support)
    }

    fn names(&self, spans: &[(usize, usize)], skip: &HashSet<String>) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for &(a, b) in spans {
            let name = self.span(a, b);
            let key = match_key(&name);
            if !key.is_empty() && !skip.contains(&key) && seen.insert(key) {
                out.push(name);
            }
        }
        out
    }

    /// A heading that is only a list of units ("Ủy ban nhân dân tỉnh:", "Đối với Sở Tài chính:")
    /// gives them as lead to the items under it.
    pub(super) fn heading_lead(&self) -> Vec<String> {
        let n = self.tokens.len();
        let mut i = 0;
        loop {
            let skip = [Category::Opener, Category::StartTrigger, Category::Trigger, Category::WeakTrigger]
                .iter()
                .map(|&c| self.phrase(i, c))
                .max();
            match skip {
                Some(s) if s > 0 => {
                    i += s;
                    if self.punct(i) == Some(',') {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        match self.units_list(i) {
            Some((spans, end)) if end == n || (self.punct(end) == Some(':') && end + 1 == n) => {
                self.names(&spans, &HashSet::new())
            }
            _ => Vec::new(),
        }
    }
}
