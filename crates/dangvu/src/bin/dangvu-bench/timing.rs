//! The measurements every bench prints: the samples of an operation with their mean and
//! nearest-rank percentiles (`Timing`), running it after a warm-up (`time`), the table of
//! operations against their budgets (`print_table`), and what a reader of figures from a
//! shared machine needs beside them (the engine, the load average).

use std::time::{Duration, Instant};

use dangvu_store::{Backend, Db};

pub struct Timing {
    pub operation: String,
    pub samples: Vec<Duration>,
    /// The most a call may take at p99, in ms, when the issue sets a budget.
    pub budget_ms: Option<f64>,
}

impl Timing {
    pub fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    /// The nearest-rank percentile.
    fn percentile(sorted: &[Duration], p: f64) -> Duration {
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    pub fn summary(&self) -> (f64, f64, f64, f64) {
        let mut s = self.samples.clone();
        s.sort();
        let mean = s.iter().map(|d| Timing::ms(*d)).sum::<f64>() / s.len() as f64;
        (
            mean,
            Timing::ms(Timing::percentile(&s, 50.0)),
            Timing::ms(Timing::percentile(&s, 99.0)),
            Timing::ms(*s.last().expect("at least one sample")),
        )
    }
}

/// Runs `op` `warmup` times unmeasured, then `n` times measured.
pub async fn time<F, Fut, T>(operation: &str, n: usize, budget_ms: Option<f64>, mut op: F) -> anyhow::Result<Timing>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let warmup = (n / 20).max(3);
    for i in 0..warmup {
        op(i).await?;
    }
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        op(warmup + i).await?;
        samples.push(t.elapsed());
    }
    Ok(Timing { operation: operation.to_owned(), samples, budget_ms })
}

/// "; load average …" from /proc/loadavg, where there is one: the figures of a shared
/// machine need it to be read.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| format!("; load average {}", l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")))
        .unwrap_or_default()
}

pub fn backend_name(db: &Db) -> &'static str {
    match db.backend() {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    }
}

/// Prints mean, p50, p99 and max of each operation next to its budget, and answers the
/// operations that missed their budget.
pub fn print_table(timings: &[Timing]) -> Vec<String> {
    let width = timings.iter().map(|t| t.operation.chars().count()).max().unwrap_or(0).max(32);
    println!(
        "{:<width$} {:>6} {:>9} {:>9} {:>9} {:>9}  budget (p99)",
        "operation", "iters", "mean", "p50", "p99", "max"
    );
    let mut missed = Vec::new();
    for t in timings {
        let (mean, p50, p99, max) = t.summary();
        let verdict = match t.budget_ms {
            Some(b) if p99 <= b => format!("< {b} ms: ok"),
            Some(b) => {
                missed.push(t.operation.clone());
                format!("< {b} ms: MISSED")
            }
            None => String::new(),
        };
        println!(
            "{:<width$} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.3}  {verdict}",
            t.operation,
            t.samples.len(),
            mean,
            p50,
            p99,
            max
        );
    }
    missed
}
