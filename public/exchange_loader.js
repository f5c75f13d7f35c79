// Starts the exchange worker (src/bin/exchange_worker.rs). If its code cannot start (its files
// missing offline, or a copy from another version), the page is told instead of waiting forever.
try {
  importScripts('./reform-exchange.js');
  wasm_bindgen({ module_or_path: './reform-exchange_bg.wasm' }).catch(() => postMessage('failed'));
} catch (e) {
  postMessage('failed');
}
