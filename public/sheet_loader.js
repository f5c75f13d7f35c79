// Starts the spreadsheet worker (src/bin/sheet_worker.rs). If its code cannot start (its files
// missing offline, or a copy from another version), the page is told instead of waiting forever.
try {
  importScripts('./reform-sheets.js');
  wasm_bindgen({ module_or_path: './reform-sheets_bg.wasm' }).catch(() => postMessage('failed'));
} catch (e) {
  postMessage('failed');
}
