//! The file checker an office's IT staff run without a browser: same verdicts as the app.
#![cfg(not(target_arch = "wasm32"))]

use reform_registry::app::Session;
use reform_registry::domain::tx::Stamp;
use reform_registry::domain::{ops, Office, ReformItem};
use reform_registry::storage::block_on;
use reform_registry::storage::memory::MemoryStore;
use reform_registry::sync::bundle::{to_text, Bundle};
use reform_registry::sync::trust;
use reform_registry::sync::Registry;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::process::Command;
use std::rc::Rc;

fn verify(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reform-verify")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn sound_files_pass_and_altered_files_are_refused_with_the_apps_message() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let today = chrono::DateTime::from_timestamp_millis(now).unwrap().date_naive();
    let s: Session<RefCell<Option<Registry>>, MemoryStore> = Session::new(RefCell::new(None), Rc::new(MemoryStore::default()));
    let st = Stamp::new(now, today, "王");
    let mut reg = Registry::new("pingyuan");
    reg.trust.secret = Some(trust::hex(&[7; 32]));
    let fp = trust::fingerprint(&reg.trust.public().unwrap());
    s.start(reg, &st, |tx| ops::setup_office(tx, &Office { name: "平原县委改革办".into(), ..Default::default() })).unwrap();
    let item = ReformItem { title: "扩大农村劳动力就业集成改革试点".into(), year: 2026, lead_unit: "县人社局".into(), ..Default::default() };
    s.act(&st, |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    let text = block_on(s.export(None, false, now)).unwrap().text;
    let dir = std::env::temp_dir().join(format!("reform-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.reform.json");
    let bad = dir.join("bad.reform.json");
    std::fs::write(&good, &text).unwrap();
    std::fs::write(&bad, text.replacen("县人社局", "县财政局", 1)).unwrap();
    // Edited, with the checksum recomputed as anyone can: the signature gives it away.
    let resealed = dir.join("resealed.reform.json");
    let mut b: Bundle = serde_json::from_str(&text).unwrap();
    b.body.changes.iter_mut().find(|c| c.set.contains_key("lead_unit")).unwrap().set.get_mut("lead_unit").unwrap().v = serde_json::json!("县财政局");
    b.digest = format!("sha256:{}", trust::hex(&Sha256::digest(serde_json::to_vec(&b.body).unwrap())));
    std::fs::write(&resealed, to_text(&b)).unwrap();

    let (code, out) = verify(&[good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("平原县委改革办") && out.contains("可以导入") && out.contains("有效") && out.contains(&fp), "{out}");
    let (code, out) = verify(&[resealed.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("无效") && out.contains("签名无法验证"), "{out}");
    let (code, out) = verify(&[good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("文件校验失败"), "{out}");
    let (code, out) = verify(&["--en", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("checksum does not match"), "{out}");
    assert_eq!(verify(&[dir.join("missing.json").to_str().unwrap()]).0, 2);
    assert_eq!(verify(&[]).0, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
