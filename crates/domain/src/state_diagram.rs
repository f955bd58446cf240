//! The diagrams of the state machines (`docs/state-machines/*.md`), read back as edges, so
//! that a test compares each diagram with the table its code allows.

use std::collections::BTreeSet;

/// The transitions drawn in a document's mermaid block, `from --> to : event, event` lines,
/// as (from, to, event); the arrow from `[*]` (the start) is left out.
pub(crate) fn drawn(doc: &str) -> BTreeSet<(String, String, String)> {
    let diagram = doc.split("```mermaid").nth(1).and_then(|d| d.split("```").next()).unwrap_or_default();
    let mut edges = BTreeSet::new();
    for line in diagram.lines().map(str::trim) {
        let Some((arrow, events)) = line.split_once(" : ") else { continue };
        let Some((from, to)) = arrow.split_once(" --> ") else { continue };
        if from.trim() == "[*]" {
            continue;
        }
        for event in events.split(',') {
            edges.insert((from.trim().to_owned(), to.trim().to_owned(), event.trim().to_owned()));
        }
    }
    edges
}
