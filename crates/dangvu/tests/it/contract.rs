//! The public interface held still while the code moves: the OpenAPI document the API serves
//! is the one committed in `docs/openapi.json`, and the two engines' migrations build the
//! same schema.

use std::collections::BTreeMap;

use dangvu_store::Db;

use crate::harness::TestDb;

/// Where the committed document lives, from this crate's folder.
const OPENAPI_JSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");

/// A change to the API shows as a change to `docs/openapi.json` in the same commit, so that a
/// renamed field cannot slip into the stable interface unseen. The two are compared as JSON
/// values (the order of keys is not part of the contract). `DANGVU_WRITE_OPENAPI=1` writes the
/// served document there instead of comparing (then review the diff).
#[test]
fn the_committed_openapi_document_is_the_one_served() {
    let served: serde_json::Value =
        serde_json::from_str(&dangvu_web::api::openapi().to_json().expect("the document serialises")).expect("JSON");
    if std::env::var("DANGVU_WRITE_OPENAPI").as_deref() == Ok("1") {
        let text = serde_json::to_string_pretty(&served).expect("JSON") + "\n";
        std::fs::write(OPENAPI_JSON, text).expect("write docs/openapi.json");
        return;
    }
    let committed: serde_json::Value = std::fs::read_to_string(OPENAPI_JSON)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    if committed != served {
        let mut differing = Vec::new();
        for part in ["/paths", "/components/schemas"] {
            let (a, b) = (&committed.pointer(part), &served.pointer(part));
            let keys = |v: &Option<&serde_json::Value>| {
                v.and_then(|v| v.as_object()).map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default()
            };
            for key in keys(a).into_iter().chain(keys(b)).collect::<std::collections::BTreeSet<_>>() {
                if a.and_then(|a| a.get(&key)) != b.and_then(|b| b.get(&key)) {
                    differing.push(format!("{part}.{key}"));
                }
            }
        }
        panic!(
            "docs/openapi.json differs from the document the API serves (at {}).\n\
             If the change to the API is meant, run\n  \
             DANGVU_WRITE_OPENAPI=1 cargo nextest run -E 'test(the_committed_openapi)'\n\
             and commit the file with the change.",
            if differing.is_empty() { "the top level".to_owned() } else { differing.join(", ") }
        );
    }
}

/// A column as both engines can state it: its name and whether it may hold NULL.
type Columns = BTreeMap<String, bool>;

/// An index made by a migration (not one that backs a key or a UNIQUE constraint): whether
/// it is unique, and the expressions of its key in order.
type Indexes = BTreeMap<String, (bool, Vec<String>)>;

#[derive(Debug, PartialEq)]
struct Schema {
    tables: BTreeMap<String, Columns>,
    indexes: Indexes,
}

async fn sqlite_schema(db: &Db) -> Schema {
    let mut tables = BTreeMap::new();
    let names = db
        .query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", &[])
        .await
        .expect("tables");
    for row in names {
        let table = row.text(0).expect("name");
        // A column of the primary key never holds NULL on either engine, whatever SQLite's
        // `notnull` flag says of an INTEGER PRIMARY KEY.
        let columns = db
            .query(&format!("SELECT name, \"notnull\" = 0 AND pk = 0 FROM pragma_table_info('{table}')"), &[])
            .await
            .expect("columns");
        let columns = columns.iter().map(|c| (c.text(0).expect("column"), c.bool(1).expect("nullable"))).collect();
        tables.insert(table, columns);
    }
    let mut indexes = Indexes::new();
    let rows = db
        .query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name", &[])
        .await
        .expect("indexes");
    for row in rows {
        let name = row.text(0).expect("name");
        let unique = db
            .query_one(
                &format!(
                    "SELECT \"unique\" FROM pragma_index_list('{}') WHERE name = '{name}'",
                    row.text(1).expect("table")
                ),
                &[],
            )
            .await
            .expect("index list")
            .map(|r| r.bool(0).expect("unique"))
            .unwrap_or(false);
        let key = db
            .query(&format!("SELECT name FROM pragma_index_xinfo('{name}') WHERE key = 1 ORDER BY seqno"), &[])
            .await
            .expect("index columns");
        let key = key.iter().map(|k| k.opt_text(0).expect("column").unwrap_or_else(|| "<expression>".into())).collect();
        indexes.insert(name, (unique, key));
    }
    Schema { tables, indexes }
}

async fn postgres_schema(db: &Db) -> Schema {
    let mut tables: BTreeMap<String, Columns> = BTreeMap::new();
    let rows = db
        .query(
            "SELECT table_name::text, column_name::text, is_nullable = 'YES' FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            &[],
        )
        .await
        .expect("columns");
    for row in rows {
        let table = row.text(0).expect("table");
        tables.entry(table).or_default().insert(row.text(1).expect("column"), row.bool(2).expect("nullable"));
    }
    // The indexes no constraint owns; their key columns only (INCLUDE columns are PostgreSQL's
    // way to an index-only scan that SQLite's rowid gives for nothing).
    let rows = db
        .query(
            "SELECT i.relname::text, x.indisunique, \
                    COALESCE(a.attname::text, '<expression>') \
             FROM pg_index x \
             JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_namespace n ON n.oid = i.relnamespace AND n.nspname = 'public' \
             CROSS JOIN LATERAL generate_subscripts(x.indkey, 1) AS k(pos) \
             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k.pos] AND x.indkey[k.pos] <> 0 \
             WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
               AND k.pos < x.indnkeyatts \
             ORDER BY i.relname, k.pos",
            &[],
        )
        .await
        .expect("indexes");
    let mut indexes = Indexes::new();
    for row in rows {
        let entry = indexes.entry(row.text(0).expect("name")).or_insert((row.bool(1).expect("unique"), Vec::new()));
        entry.1.push(row.text(2).expect("column"));
    }
    Schema { tables, indexes }
}

/// The two migration folders cannot drift: after `migrate`, both engines hold the same tables,
/// the same columns with the same nullability, and the same indexes on the same keys.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_migrate_to_the_same_schema() {
    let sqlite = TestDb::sqlite();
    let sqlite_db = sqlite.connect().await;
    let Some(postgres) = TestDb::postgres().await else { return };
    let postgres_db = postgres.connect().await;
    let lite = sqlite_schema(&sqlite_db).await;
    let pg = postgres_schema(&postgres_db).await;
    assert!(lite.tables.len() > 20, "the SQLite schema was read: {:?}", lite.tables.keys());

    let mut differences = Vec::new();
    for table in lite.tables.keys().chain(pg.tables.keys()).collect::<std::collections::BTreeSet<_>>() {
        match (lite.tables.get(table), pg.tables.get(table)) {
            (Some(a), Some(b)) if a != b => {
                for column in a.keys().chain(b.keys()).collect::<std::collections::BTreeSet<_>>() {
                    let (x, y) = (a.get(column), b.get(column));
                    if x != y {
                        differences.push(format!("{table}.{column}: SQLite {x:?}, PostgreSQL {y:?} (nullable)"));
                    }
                }
            }
            (Some(_), None) => differences.push(format!("table {table} only on SQLite")),
            (None, Some(_)) => differences.push(format!("table {table} only on PostgreSQL")),
            _ => {}
        }
    }
    for index in lite.indexes.keys().chain(pg.indexes.keys()).collect::<std::collections::BTreeSet<_>>() {
        let (a, b) = (lite.indexes.get(index), pg.indexes.get(index));
        if a != b {
            differences.push(format!("index {index}: SQLite {a:?}, PostgreSQL {b:?}"));
        }
    }
    assert!(differences.is_empty(), "the migrations of the two engines differ:\n{}", differences.join("\n"));
}
