//! `reform-verify FILE…`: checks exchange files without a browser, with the same checks and the
//! same refusal messages as the app's import, as a newly set-up office would read them. For an
//! office's IT staff and for CI. Exit code: 0 every file is sound, 1 a file is refused, 2 usage or
//! a file that cannot be read. `--en` prints in English.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use reform_registry::app::exchange::{Incoming, Preview};
    use reform_registry::app::Session;
    use reform_registry::domain::model::coll;
    use reform_registry::domain::ops;
    use reform_registry::i18n::Lang;
    use reform_registry::storage::block_on;
    use reform_registry::storage::memory::MemoryStore;
    use reform_registry::sync::bundle::{self, BundleError, BundleKind};
    use reform_registry::sync::trust;
    use reform_registry::sync::Registry;
    use std::cell::RefCell;
    use std::rc::Rc;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let lang = if args.iter().any(|a| a == "--en") { Lang::En } else { Lang::Zh };
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("usage: reform-verify [--en] FILE.reform.json …");
        std::process::exit(2);
    }
    let zh = lang == Lang::Zh;
    let mut worst = 0;
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {} ({e})", if zh { "无法读取文件" } else { "cannot read the file" });
                worst = worst.max(2);
                continue;
            }
        };
        println!("{path}");
        // Header facts first (what the file says of itself), then the import's own verdict.
        if let Ok(b) = bundle::parse(&text, coll::ALL) {
            let h = &b.body;
            let kind = match (h.kind == BundleKind::Full, zh) {
                (true, true) => "全量",
                (true, false) => "full",
                (false, true) => "增量",
                (false, false) => "delta",
            };
            println!("  {}: {} ({})", if zh { "发送机构" } else { "sender" }, bundle::snippet(&h.from.name), h.from.office);
            println!("  {}: {kind} · {} · {} {}", if zh { "类型" } else { "kind" }, h.exported_at_text, h.changes.len(), if zh { "项变更" } else { "changes" });
            // The sender's signature on the file, and each office's signed head (fingerprints
            // to read out over the phone; the import below checks them against each other).
            let sig = match b.signatures.first() {
                Some(s) if trust::verify(&s.key, &trust::file_message(&b.digest), &s.sig) => {
                    format!("{} {}", if zh { "有效，发送机构密钥指纹" } else { "valid, sender key fingerprint" }, trust::fingerprint(&s.key))
                }
                Some(_) => (if zh { "无效（文件在签名后被改动）" } else { "invalid (altered after signing)" }).to_string(),
                None => (if zh { "未签名（旧版本导出）" } else { "unsigned (exported by an older version)" }).to_string(),
            };
            println!("  {}: {sig}", if zh { "签名" } else { "signature" });
            for h in &h.heads {
                let state = match &h.key {
                    Some(k) => format!("{} {}", if zh { "已签名，指纹" } else { "signed, fingerprint" }, trust::fingerprint(k)),
                    None => (if zh { "未签名" } else { "unsigned" }).to_string(),
                };
                if zh {
                    println!("  机构 {}（至第{}号）：{state}", h.office, h.seq);
                } else {
                    println!("  office {} (up to {}): {state}", h.office, h.seq);
                }
            }
        }
        // As a newly set-up office would import it (the same session code as the app).
        let s: Session<RefCell<Option<Registry>>, MemoryStore> = Session::new(RefCell::new(None), Rc::new(MemoryStore::default()));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
        let _ = s.start(
            Registry::new("verifier"),
            &reform_registry::domain::tx::Stamp::new(now, chrono::DateTime::from_timestamp_millis(now).map(|d| d.date_naive()).unwrap_or_default(), ""),
            |tx| ops::setup_office(tx, &reform_registry::domain::Office { name: "verifier".into(), ..Default::default() }),
        );
        match block_on(s.read_file(&text, now)) {
            Ok(Incoming::Preview(p)) => {
                let Preview { plan, .. } = *p;
                println!(
                    "  {}: {} / {} / {}",
                    if zh { "新增/修改/删除记录" } else { "records new/changed/deleted" },
                    plan.records_new.len(),
                    plan.records_changed.len(),
                    plan.records_deleted.len()
                );
                println!("  {}", if zh { "结论：可以导入" } else { "verdict: importable" });
            }
            Ok(Incoming::NothingNew) => println!("  {}", if zh { "结论：可以导入（无新内容）" } else { "verdict: importable (nothing new)" }),
            // A delta needs what its receiver already holds: a new office cannot have it.
            Err(reform_registry::app::exchange::ExchangeError::File(BundleError::MissingBase { .. })) => {
                println!(
                    "  {}",
                    if zh {
                        "结论：增量文件，结构完好；须由已有其前序数据的机构导入"
                    } else {
                        "verdict: a sound delta; only an office holding its base can import it"
                    }
                )
            }
            Err(e) => {
                println!("  {}{}", if zh { "结论：拒绝 — " } else { "verdict: refused — " }, e.message(lang));
                worst = worst.max(1);
            }
        }
    }
    std::process::exit(worst);
}

#[cfg(target_arch = "wasm32")]
fn main() {}
