//! The organisations of the demo's bloc, read from `bloc.tsv` next to this file: some
//! 500 names that are data, not code, built into the binary and parsed when the demo is
//! built. The file's header describes its format; a malformed line is an error naming it.

use dangvu_domain::orgs::OrgKind;
use dangvu_store::StoreError;

/// The text of `bloc.tsv`.
const BLOC_TSV: &str = include_str!("bloc.tsv");

/// A grassroots committee of the bloc: its cells directly below it, then its
/// sub-committees ("Đảng bộ bộ phận …") each with their cells. Cell names omit "Chi bộ".
pub(super) struct BlocCommittee {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) cells: Vec<String>,
    pub(super) subs: Vec<(String, Vec<String>)>,
}

/// The bloc as `bloc.tsv` lists it, in its order.
pub(super) struct Bloc {
    /// The 39 đảng bộ cơ sở of the bloc (seed 003).
    pub(super) committees: Vec<BlocCommittee>,
    /// The 24 chi bộ cơ sở of the bloc (seed 003), as (code, name).
    pub(super) cells: Vec<(String, String)>,
}

/// Reads `bloc.tsv`.
pub(super) fn bloc() -> Result<Bloc, StoreError> {
    parse_bloc(BLOC_TSV).map_err(|e| StoreError::Config(format!("the demo's data, demo/bloc.tsv: {e}")))
}

/// Parses the lines of `bloc.tsv`; the error names the line and what is wrong with it.
fn parse_bloc(text: &str) -> Result<Bloc, String> {
    let mut bloc = Bloc { committees: Vec::new(), cells: Vec::new() };
    // Whether a cell or a sub-committee may follow: after a grassroots committee, not after
    // a grassroots cell.
    let mut in_committee = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, code, name] = fields[..] else {
            return Err(format!(
                "line {n}: {} fields where three are expected (kind, code, name, separated by tabs): {line:?}",
                fields.len()
            ));
        };
        if name.is_empty() || name.trim() != name {
            return Err(format!("line {n}: the name is empty or starts or ends with a space: {line:?}"));
        }
        let kind = OrgKind::parse(kind).ok_or_else(|| {
            format!(
                "line {n}: unknown kind {kind:?} (grassroots_committee, sub_committee, cell or grassroots_cell): {line:?}"
            )
        })?;
        // The grassroots committees and cells are coded; the cells and sub-committees below
        // them are numbered in order.
        let coded = match kind {
            OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell => true,
            OrgKind::SubCommittee | OrgKind::Cell => false,
            OrgKind::Province | OrgKind::Committee => {
                return Err(format!("line {n}: a {} has no place in the bloc: {line:?}", kind.as_str()));
            }
        };
        if coded && (code.is_empty() || code.trim() != code) {
            return Err(format!("line {n}: a {} needs a code without spaces around it: {line:?}", kind.as_str()));
        }
        if !coded && !code.is_empty() {
            return Err(format!("line {n}: a {} takes no code (it is numbered in order): {line:?}", kind.as_str()));
        }
        match kind {
            OrgKind::GrassrootsCommittee => {
                bloc.committees.push(BlocCommittee {
                    code: code.to_owned(),
                    name: name.to_owned(),
                    cells: Vec::new(),
                    subs: Vec::new(),
                });
                in_committee = true;
            }
            OrgKind::GrassrootsCell => {
                bloc.cells.push((code.to_owned(), name.to_owned()));
                in_committee = false;
            }
            _ => {
                let Some(c) = bloc.committees.last_mut().filter(|_| in_committee) else {
                    return Err(format!("line {n}: a {} outside a grassroots committee: {line:?}", kind.as_str()));
                };
                if kind == OrgKind::SubCommittee {
                    c.subs.push((name.to_owned(), Vec::new()));
                } else if let Some((_, cells)) = c.subs.last_mut() {
                    cells.push(name.to_owned());
                } else {
                    c.cells.push(name.to_owned());
                }
            }
        }
    }
    Ok(bloc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match parse_bloc(text) {
            Ok(_) => panic!("{text:?} parsed"),
            Err(e) => e,
        }
    }

    #[test]
    fn cells_go_to_the_committee_then_to_the_sub_committee_above_them() {
        let text = "# a comment\n\ngrassroots_committee\tA\tĐảng bộ A\ncell\t\tVăn phòng\n\
                    sub_committee\t\tKhối 1\ncell\t\tPhòng 1\ncell\t\tPhòng 2\n\
                    grassroots_cell\tB\tChi bộ B\r\n";
        let bloc = parse_bloc(text).expect("a valid bloc");
        assert_eq!(bloc.committees.len(), 1);
        let c = &bloc.committees[0];
        assert_eq!((c.code.as_str(), c.name.as_str()), ("A", "Đảng bộ A"));
        assert_eq!(c.cells, ["Văn phòng"]);
        assert_eq!(c.subs, [("Khối 1".to_owned(), vec!["Phòng 1".to_owned(), "Phòng 2".to_owned()])]);
        assert_eq!(bloc.cells, [("B".to_owned(), "Chi bộ B".to_owned())]);
    }

    #[test]
    fn a_malformed_line_is_named() {
        assert!(error("grassroots_committee\tA\n").starts_with("line 1: 2 fields"));
        assert!(error("# x\nchi_bo\tA\tChi bộ A\n").starts_with("line 2: unknown kind \"chi_bo\""));
        assert!(error("grassroots_cell\t\tChi bộ A\n").starts_with("line 1: a grassroots_cell needs a code"));
        assert!(
            error("grassroots_committee\tA\tĐảng bộ A\ncell\tCB01\tVăn phòng\n")
                .starts_with("line 2: a cell takes no code")
        );
        assert!(error("cell\t\tVăn phòng\n").starts_with("line 1: a cell outside a grassroots committee"));
        assert!(error("grassroots_cell\tB\tChi bộ B\ncell\t\tVăn phòng\n").starts_with("line 2: a cell outside"));
        assert!(error("grassroots_cell\tB\tChi bộ B \n").starts_with("line 1: the name is empty"));
        assert!(error("committee\tB\tĐảng bộ B\n").starts_with("line 1: a committee has no place"));
    }
}
